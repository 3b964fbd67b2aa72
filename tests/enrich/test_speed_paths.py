"""The enrichment shortcut: a text that is not English is not analysed, and the record says so."""

from __future__ import annotations

import pytest

from newsdesk import Article
from newsdesk.enrich import SKIPPED_LANGUAGE, enrich, enrich_many
from newsdesk.enrich.nlp import pipeline


@pytest.fixture(scope="module", autouse=True)
def nlp() -> None:
    pipeline()


PORTUGUESE = (
    "O ministro do Interior, Fathi Bashagha, disse na segunda-feira que o governo não vai "
    "deixar Trípoli. “Não vamos sair”, afirmou o ministro aos jornalistas na capital."
)
ENGLISH = "“We will not leave,” Fathi Bashagha said on Monday. He told Bloomberg that the plan had failed."


def test_non_english_text_is_not_enriched_and_the_record_says_so() -> None:
    pt, en = Article(id="", text=PORTUGUESE, language="pt"), Article(id="", text=ENGLISH, language="en")
    out = list(enrich_many([pt, en]))
    assert out == [pt, en]
    assert pt.enriched and pt.entities == [] and pt.quotes == []
    assert SKIPPED_LANGUAGE in pt.warnings
    assert en.enriched and en.quotes and SKIPPED_LANGUAGE not in en.warnings


def test_language_is_read_from_the_text_not_the_declared_one() -> None:
    declared_wrong = Article(id="", text=ENGLISH, language="de")
    enrich(declared_wrong)
    assert declared_wrong.quotes and SKIPPED_LANGUAGE not in declared_wrong.warnings
