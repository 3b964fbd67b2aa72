#!/usr/bin/env sh
# The Debian packages some tests need, installed when missing and when this machine lets us
# (root, or sudo without a password): chromium (the browser tests), a Java 17 runtime
# (the local-mode Spark tests) and the PostgreSQL server binaries (the store and web tests'
# throwaway PostgreSQL server; it is started by the tests, not as a service). Where it cannot install, it says so and succeeds: those tests
# then skip with one line naming what is missing (under CI=true they fail instead).
set -u
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
if ! command -v java >/dev/null 2>&1 || ! java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then
    need="$need openjdk-17-jre-headless"
fi
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    need="$need postgresql"
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
else
    echo "system-packages: cannot install$need (not root, no sudo); the tests that need them will skip" >&2
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "system-packages: no apt-get to install$need; the tests that need them will skip" >&2
    exit 0
fi
echo "system-packages: installing$need" >&2
$sudo apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
