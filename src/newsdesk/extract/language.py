"""Language identification with py3langid's bundled model (no downloads)."""

from __future__ import annotations

import re
from typing import Any

_IDENTIFIER: Any = None
_LANG_ATTR = re.compile(r"^[a-zA-Z]{2,3}")


def _identifier() -> Any:
    # The model loads in ~0.3 s; do it once per process, on first use.
    global _IDENTIFIER
    if _IDENTIFIER is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _IDENTIFIER


def from_attribute(value: str | None) -> str | None:
    """``en-GB`` → ``en``; None when it is not an ISO 639-1 code."""
    if not value:
        return None
    m = _LANG_ATTR.match(value.strip())
    if not m or len(m.group(0)) != 2:
        return None
    return m.group(0).lower()


def detect(text: str) -> str | None:
    """ISO 639-1 code of ``text``; None when the text is too short to say (under 20 characters)."""
    sample = text[:3000]
    if len(sample.strip()) < 20:
        return None
    lang, prob = _identifier().classify(sample)
    # Below 0.5 the classifier is guessing between languages; say nothing rather than guess.
    return lang if prob >= 0.5 and len(lang) == 2 else None
