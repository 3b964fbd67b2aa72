"""The file ``spark-submit`` runs on a cluster: ``newsdesk spark`` in the session spark-submit
set up (its ``--master``, executors and configuration).

    spark-submit --master yarn "$(python -c 'import newsdesk.cli.spark_submit as m; print(m.__file__)')" \\
        MANIFEST --out DIR [newsdesk spark options]

The executors import newsdesk themselves: install the package (and its model) on every
node, or ship a packed virtual environment (see the README, "Run on Spark").
"""

from __future__ import annotations

import sys

from newsdesk.cli.main import main


def run(argv: list[str]) -> int:
    # --master "": the session spark-submit configured, not a local one.
    return main(["spark", *argv] if "--master" in argv else ["spark", *argv, "--master", ""])


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
