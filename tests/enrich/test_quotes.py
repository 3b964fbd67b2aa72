"""Quote attribution on real parses: one case per kind, quote-mark styles, broken quote
marks, offsets, and the RT seed (Fathi Bashagha's reported, partial and block quotes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk import extract
from newsdesk.enrich import Analysis, analyze, enrich
from newsdesk.enrich.cues import quoted_spans
from newsdesk.enrich.nlp import pipeline
from newsdesk.model import QUOTE_KINDS, Quote

SEED = Path(__file__).parent.parent / "data" / "rt-libya-2020-02-23.txt"


@pytest.fixture(scope="module", autouse=True)
def nlp() -> None:
    pipeline()  # load spaCy once for the module


def _check(result: Analysis) -> None:
    starts = [q.start for q in result.quotes]
    assert starts == sorted(starts), "quotes are in text order"
    for q in result.quotes:
        assert q.kind in QUOTE_KINDS
        assert 0 <= q.start < q.end <= len(result.text)
        assert q.text == result.text[q.start : q.end]
        if q.speaker_span is not None:
            s, e = q.speaker_span
            assert 0 <= s < e <= len(result.text)
        if q.speaker_entity is not None:
            assert q.speaker == result.entities[q.speaker_entity].name


def _one(text: str, kind: str) -> Quote:
    result = analyze(text)
    _check(result)
    found = [q for q in result.quotes if q.kind == kind]
    assert found, f"no {kind} quote in {[(q.kind, q.text) for q in result.quotes]}"
    return found[0]


def test_direct_quote_postposed_attribution() -> None:
    q = _one("“We will not raise taxes this year,” Finance Minister Maria Lopez said on Monday.", "direct")
    assert q.text == "We will not raise taxes this year"
    assert q.speaker is not None and "Lopez" in q.speaker
    assert q.cue == "said"


def test_direct_quote_after_colon_and_continuing_quote() -> None:
    text = (
        "The mayor, Anne Hidalgo, told reporters: \"The tram will be finished by 2027.\"\n\n"
        "\"We have the money and we have the plans. Nothing will stop us now.\""
    )
    result = analyze(text)
    _check(result)
    direct = [q for q in result.quotes if q.kind == "direct"]
    assert [q.text for q in direct] == [
        "The tram will be finished by 2027.",
        "We have the money and we have the plans. Nothing will stop us now.",
    ]
    assert all(q.speaker is not None and "Hidalgo" in q.speaker for q in direct)


def test_a_quotation_opening_where_a_clause_ends_is_the_next_attribution_s() -> None:
    # The parser runs the first sentence on to the opening marks of the next quotation; the
    # quotation is still "she said"'s, not the clause's before it.
    text = ("The club's heavy investment, Ms. Tanzer said, ''is a perfect example of adapting'' to the changing "
            "economics of golf. ''They're spending a fortune on making the place family-friendly,'' she said.")
    result = analyze(text)
    _check(result)
    spending = next(q for q in result.quotes if q.text.startswith("They're spending"))
    assert spending.speaker_span is not None and text[slice(*spending.speaker_span)] == "she"
    assert spending.speaker is not None and "Tanzer" in spending.speaker


@pytest.mark.parametrize(("text", "speaker"), [
    # a cue under an adjective borrows the subject of the verb the adjective completes
    ("Trump was quick to add that the negotiation does not include nixing the idea altogether.", "Trump"),
    ("Mayor Anne Hidalgo was eager to point out that the tram would open in 2027.", "Anne Hidalgo"),
    # a cue the parser left without a subject: the last name before it in its sentence
    ("The minister, Fathi Bashagha, in an interview, saying that Libya would be happy to help, left early.",
     "Fathi Bashagha"),
])
def test_a_cue_without_its_own_subject_finds_its_speaker(text: str, speaker: str) -> None:
    result = analyze(text)
    _check(result)
    said = next(q for q in result.quotes if q.text.startswith("that "))
    assert said.speaker == speaker


def test_quote_interrupted_by_attribution() -> None:
    result = analyze("“The benefit of living here,” Jane Traynor said, “is that nobody bothers you.”")
    _check(result)
    assert [q.text for q in result.quotes] == ["The benefit of living here", "is that nobody bothers you."]
    assert all(q.speaker is not None and "Traynor" in q.speaker for q in result.quotes)


def test_partial_quote_speaker_is_cue_subject() -> None:
    q = _one("Senator John Harris claimed the agency had “lost control of its own budget” last year.", "partial")
    assert q.text == "the agency had “lost control of its own budget” last year"
    assert q.speaker is not None and "Harris" in q.speaker


def test_scare_quotes_do_not_make_a_partial_quote() -> None:
    result = analyze("The government says it would welcome troops to ‘deter’ Russia.")
    _check(result)
    assert [q.kind for q in result.quotes] == ["indirect"]
    assert "deter" in result.quotes[0].text


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        ("Peter Novak told Reuters that the factory would close in March.", "the factory would close in March", "Novak"),
        ("Peter Novak said the plan had failed.", "the plan had failed", "Novak"),
        ("The plan had failed, Peter Novak said.", "The plan had failed", "Novak"),
        ("According to Peter Novak, the plan had failed.", "the plan had failed", "Novak"),
    ],
    ids=["told-that", "said-clause", "postposed", "according-to"],
)
def test_indirect_speech(text: str, content: str, speaker: str) -> None:
    q = _one(text, "indirect")
    assert content in q.text
    assert q.speaker is not None and speaker in q.speaker
    assert q.speaker_span is not None and speaker in text[q.speaker_span[0] : q.speaker_span[1]]


def test_block_quote_follows_attribution() -> None:
    text = (
        "The union leader Karen Wu said on Friday that the strike would go on.\n\n"
        "We are not going back to work until the company listens to us. Our members have waited long enough."
    )
    q = _one(text, "block")
    assert q.text.startswith("We are not going back")
    assert q.speaker is not None and "Wu" in q.speaker
    assert q.cue is None


def test_first_person_paragraph_without_speaker_is_not_a_block() -> None:
    result = analyze("The storm hit the coast on Sunday.\n\nWe drove north as fast as we could, my brother and I.")
    _check(result)
    assert not [q for q in result.quotes if q.kind == "block"]


@pytest.mark.parametrize(
    "text",
    [
        "“We will help,” Fathi Bashagha said.",
        "\"We will help,\" Fathi Bashagha said.",
        "‘We will help,’ Fathi Bashagha said.",
        "'We will help,' Fathi Bashagha said.",
        "«We will help,» Fathi Bashagha said.",
        "„We will help“, Fathi Bashagha said.",
        "``We will help,'' Fathi Bashagha said.",
    ],
    ids=["curly", "straight", "curly-single", "straight-single", "guillemets", "german", "tex"],
)
def test_quote_mark_styles(text: str) -> None:
    result = analyze(text)
    _check(result)
    assert [q.text for q in result.quotes] == ["We will help"]
    assert result.quotes[0].speaker == "Fathi Bashagha"


def test_apostrophes_are_not_quote_marks() -> None:
    spans = quoted_spans("Don’t say it’s the voters’ fault, O’Malley said. ‘Fine,’ he replied.")
    text = "Don’t say it’s the voters’ fault, O’Malley said. ‘Fine,’ he replied."
    assert [text[q.inner_start : q.inner_end] for q in spans] == ["Fine,"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "“",
        "\"\"\"",
        "He said “this never closes.",
        "“Nested ‘quotes “inside” here’ too,” she said.",
        "” closing first “ then opening",
        "' ' ' ’ ‘ « » „ “",
        "...",
        "Said.",
        "According to",
    ],
    ids=["empty", "blank", "lone-open", "triple", "unclosed", "nested", "reversed", "marks-only", "no-words", "cue-only", "according-only"],
)
def test_broken_quote_marks_never_crash(text: str) -> None:
    _check(analyze(text))


# Random strings built from quote marks of every style, punctuation, paragraph breaks and
# the words the rules look for.
_QUOTE_TEXT = st.lists(
    st.sampled_from(list("ab Z.,:;!?\n'\"“”‘’«»„`") + ["said ", "told ", "according to ", "I ", "we ", "Smith ", "\n\n", "''", "``"]),
    max_size=40,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_QUOTE_TEXT)
def test_random_quote_marks_never_crash(text: str) -> None:
    _check(analyze(text))
    for q in quoted_spans(text):
        assert 0 <= q.start <= q.inner_start <= q.inner_end <= q.end <= len(text)


def test_seed_bashagha_quotes() -> None:
    article = enrich(extract(SEED.read_bytes()))
    quotes = article.quotes
    for q in quotes:
        assert q.text == article.text[q.start : q.end]
    by = [q for q in quotes if q.speaker and "Bashagha" in q.speaker]
    kinds = {(q.kind, q.text.split()[0]) for q in by}
    assert len(by) >= 4
    assert ("block", "If") in kinds  # "If the US asks for a base, …"
    assert ("block", "The") in kinds  # "The redeployment is not clear to us…"
    assert any(q.kind == "partial" and "have a big strategy" in q.text for q in by)
    assert any(q.kind == "indirect" and "would be happy to help" in q.text for q in by)
    # The four are speech; a noun-phrase object is the other family, whoever "says" it.
    speech = [q for q in by if q.family == "speech"]
    assert {(q.kind, q.text.split()[0]) for q in speech} >= {("block", "If"), ("block", "The"), ("partial", "that"), ("indirect", "that")}
    family = {q.text: q.family for q in quotes}
    assert family["Libya’s strategic significance"] == "stance"  # "emphasizing Libya's strategic significance"
    assert family["the commitment to Libya’s independence, unity, and territorial integrity"] == "stance"  # Shoigu


def test_transcript_lines_are_direct_quotes() -> None:
    text = "The interview was edited.\n\nQ: What did you find when you came home?\n\nA: My parents were gone, and a neighbour told me."
    result = analyze(text)
    _check(result)
    assert [(q.speaker, q.kind) for q in result.quotes if q.cue is None] == [("Q", "direct"), ("A", "direct")]


def test_signed_quotes() -> None:
    text = "Readers wrote in.\n\n”He is ignorant of our culture.”― Pamela Padilla\n“Maybe we can build a wall around him.” — Steve Quinlan."
    result = analyze(text)
    _check(result)
    assert [(q.text, q.speaker) for q in result.quotes] == [
        ("He is ignorant of our culture.", "Pamela Padilla"),
        ("Maybe we can build a wall around him.", "Steve Quinlan"),
    ]


def test_no_quote_repeats_part_of_a_block_quote_by_the_same_speaker() -> None:
    text = (
        "The minister, Fathi Bashagha, told reporters that the talks would resume.\n\n"
        "The plan is not clear to us. But we hope that the plan includes our city so nobody is left behind."
    )
    from newsdesk import analyze

    quotes = analyze(text).quotes
    blocks = [q for q in quotes if q.kind == "block"]
    assert len(blocks) == 1 and blocks[0].speaker == "Fathi Bashagha"
    inside = [q for q in quotes if q is not blocks[0] and blocks[0].start <= q.start and q.end <= blocks[0].end]
    assert inside == []


@pytest.mark.parametrize(
    ("text", "content", "family"),
    [
        ("The minister said that the border would reopen on Monday.", "that the border would reopen on Monday", "speech"),
        ("The minister told reporters that the border would reopen on Monday.", "that the border would reopen on Monday",
         "speech"),
        ("The minister thinks that the border will reopen on Monday.", "that the border will reopen on Monday", "stance"),
        ("The council decided that the tramline should be built.", "that the tramline should be built", "stance"),
        ("The study showed that the vaccine works in older people.", "that the vaccine works in older people", "stance"),
        ("The minister met the envoy, emphasizing the region's strategic significance.",
         "the region's strategic significance", "stance"),
    ],
)
def test_speech_and_stance_families(text: str, content: str, family: str) -> None:
    quotes = analyze(text).quotes
    got = {q.text: q.family for q in quotes}
    assert got.get(content) == family, quotes


def test_speaker_phrase_stops_at_a_paragraph_break() -> None:
    # A live blog's time stamp sits in its own paragraph above the sentence.
    text = "2:45 p.m.\n\nConnecticut’s tax commissioner says an internal review shows no one from the department released the returns."
    speakers = [q.speaker for q in analyze(text).quotes]
    assert "Connecticut’s tax commissioner" in speakers


def test_question_cut_off_by_the_parser_keeps_its_attribution() -> None:
    text = "The hearing was tense.\n\n“Why isn’t this proof that the bank is too big to manage?” Vitter demanded.\n\nThe hearing went on."
    (q,) = [q for q in analyze(text).quotes if q.kind == "direct"]
    assert q.speaker == "Vitter" and q.text.startswith("Why isn’t")


def test_a_list_of_labelled_paragraphs_is_not_a_transcript() -> None:
    people = ["Elizabeth A. Burton", "Christopher L. Tays", "Jonathan P. Blair", "Ryan S. Hollman"]
    text = "Four people were arrested on Monday.\n\n" + "\n\n".join(
        f"{name}: Possession of methamphetamine, held in jail in lieu of $70,000 bond." for name in people
    )
    assert [q for q in analyze(text).quotes if q.cue is None] == []
    interview = ("The interview was edited.\n\nQ: What did you find when you came home?\n\nA: My parents were gone, and "
                 "nobody told me.\n\nQ: Did anyone check on you after that?\n\nA: No one did, not a single person.")
    assert [q.speaker for q in analyze(interview).quotes if q.cue is None] == ["Q", "A", "Q", "A"]


def test_signature_the_tagger_missed_still_signs_its_quote() -> None:
    text = ("Readers wrote in.\n\n“He is someone that no sane person would want as the POTUS. It is all about him.” "
            "― Christina N Luis Olidem “No double minority wants a man who calls her grandma a criminal.” "
            "― Julie A. Diaz Martinez\n\nThe end.")
    assert [(q.speaker, q.text[:12]) for q in analyze(text).quotes] == [
        ("Christina N Luis Olidem", "He is someon"), ("Julie A. Diaz Martinez", "No double mi"),
    ]


def test_capitalised_word_before_a_subjectless_cue_is_the_speaker() -> None:
    # The parser gives "predicts" no subject here and the tagger no entity (checked with
    # the shipped model): the capitalised word right before the cue is who predicts.
    text = "The race moved on.\n\nTrump predicts that as other candidates drop out, many of their supporters will switch to his side."
    assert [q.speaker for q in analyze(text).quotes] == ["Trump"]


def test_a_quotation_before_a_continued_cue_is_its_even_when_parsed_under_it() -> None:
    # The parser hangs the quotation's own last words ("look, this is not who we are")
    # under "continued", so the cue's left edge lies inside the quotation.
    text = ("“How long must families wait for answers?” Ortiz said.\n"
            "“Maybe I can, by talking straight to the voters, say, look, this is not who we are,” she continued. "
            "“We have to do everything we can to fix the courts, to go right at the backlog.”")
    quotes = analyze(text).quotes
    she = text.index("she continued")
    assert [(q.text[:8], q.cue, q.speaker_span) for q in quotes[1:]] == [
        ("Maybe I ", "continued", (she, she + 3)), ("We have ", "continued", (she, she + 3)),
    ]


def test_the_cue_between_two_quotations_attributes_the_second_when_the_first_is_taken() -> None:
    text = ("Senator Maria Delgado (D-N.M.) scolded him: “The evidence is almost entirely against you on the "
            "three treatments you called ‘cures,’” she said. “When you call a pill a cure, and anyone can buy it, "
            "and it gives people false hope, I do not understand why you would say it.”")
    first, second = analyze(text).quotes
    she = text.index("she said")
    assert first.cue == "scolded" and first.speaker == second.speaker == "Maria Delgado"
    assert (second.cue, second.speaker_span) == ("said", (she, she + 3))


def test_a_cue_takes_nothing_from_a_paragraph_before_its_own() -> None:
    # The parser runs the question's last sentence and the next paragraph together, with
    # "said" governing both quotations.
    text = ("The mayor took questions from residents on Tuesday.\n\n"
            "“As a nurse, I have worked every night shift this winter,” she said. “Do you still believe that the "
            "hospital has enough staff for the flu season? And if you do, why do you still refuse to hire anyone?”\n\n"
            "“The truth of the matter is that this is a problem that has been building for years,” the mayor said.")
    she, mayor = text.index("she said"), text.index("the mayor said")
    spans = [(q.text[:6], q.speaker_span) for q in analyze(text).quotes]
    assert spans == [("As a n", (she, she + 3)), ("Do you", (she, she + 3)), ("The tr", (mayor, mayor + 9))]


def test_a_quotation_the_parser_hung_under_its_cue_is_the_one_in_the_cue_s_paragraph() -> None:
    # The cue's subtree reaches back into the previous paragraph; the quotation that closes
    # right before the cue in its own paragraph is what it attributes.
    text = ("Dean had suggested the candidate was a cocaine user.\n\n"
            "“My reaction, that was outrageous,” Ortiz's former campaign strategist said in an interview with "
            "CNN’s Anna Lee. “He, like Mike Brown, has refused to apologize for any of it.”")
    quotes = [q for q in analyze(text).quotes if q.kind == "direct"]
    assert [(q.text[:12], q.cue) for q in quotes] == [("My reaction,", "said"), ("He, like Mik", "said")]
    assert all(q.speaker_span is not None and q.speaker_span[0] == text.index("Ortiz's") for q in quotes)
