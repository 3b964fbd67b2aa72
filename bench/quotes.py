"""Quote attribution benchmark: newsdesk and textacy side by side on PolNeAR, one run, one table.

    python -m bench.quotes [--split dev|train] [--limit N] [--report bench/out/quotes-errors.jsonl]

Data: ``shared/bench/polnear/<split>/text/*.txt`` and ``attributions/*.ann`` (BRAT standoff:
``Source``/``Cue``/``Content`` spans, ``Attribution`` events linking them; an ``.ann`` is named
after its text plus ``_<annotator>``, and every annotator file is scored against its text,
micro-averaged).

Metric (as the issue defines it): a predicted quote matches an annotated attribution when their
character spans overlap by at least 30% of the annotated Content length (a discontinuous Content
counts as the union of its fragments); pairs are assigned one-to-one, greedily by largest
overlap. Precision, recall and F1 are over quotes. Source accuracy is over matched attributions
that have a Source: right when the predicted speaker span overlaps the Source span, or the
predicted speaker name contains the head word of the Source span (its syntactic head in the
parse).

Both systems read the same parse from the full ``spacy.load(MODEL)`` pipeline (textacy needs
lemmas); newsdesk is also run through its own lean ``analyze_many`` and the two newsdesk
outputs are compared. Parses are cached in ``bench/out/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from bench.data import POLNEAR, require

if TYPE_CHECKING:
    from newsdesk.model import Quote

MIN_OVERLAP = 0.30  # the definition: share of the annotated Content span covered


@dataclass
class Attribution:
    content: list[tuple[int, int]]  # fragments
    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    text: str = ""

    @property
    def length(self) -> int:
        return sum(e - s for s, e in self.content)


@dataclass
class Annotation:
    doc_id: str  # text stem
    annotator: str
    attributions: list[Attribution] = field(default_factory=list)


@dataclass
class Pred:
    start: int
    end: int
    kind: str
    speaker: str | None
    speaker_span: tuple[int, int] | None
    text: str = ""
    family: str = "speech"


def _spans(field_: str) -> list[tuple[int, int]]:
    out = []
    for frag in field_.split(";"):
        s, e = frag.split()
        out.append((int(s), int(e)))
    return out


def parse_ann(raw: str) -> list[Attribution]:
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[dict[str, str]] = []
    for line in raw.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        tid, body = parts[0], parts[1]
        if tid.startswith("T"):
            label, _, offsets = body.partition(" ")
            try:
                spans[tid] = (label, _spans(offsets), parts[2] if len(parts) > 2 else "")
            except ValueError:
                continue
        elif tid.startswith("E"):
            roles = {}
            for arg in body.split():
                role, _, ref = arg.partition(":")
                roles[role] = ref
            events.append(roles)
    out = []
    for ev in events:
        content = spans.get(ev.get("Content", ""))
        if content is None:
            continue
        src = spans.get(ev.get("Source", ""))
        cue = spans.get(ev.get("Cue", ""))
        out.append(
            Attribution(
                content[1],
                (src[1][0][0], src[1][-1][1]) if src else None,
                (cue[1][0][0], cue[1][-1][1]) if cue else None,
                content[2],
            )
        )
    return out


def load_split(split: str) -> tuple[dict[str, str], list[Annotation]]:
    """Texts by stem and every annotator's attributions (an .ann whose text is missing is skipped)."""
    root = require(POLNEAR / split)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((root / "text").glob("*.txt"))}
    anns = []
    for p in sorted((root / "attributions").glob("*.ann")):
        stem, _, annotator = p.stem.rpartition("_")
        if stem not in texts:
            continue
        anns.append(Annotation(stem, annotator, parse_ann(p.read_text(encoding="utf-8"))))
    return texts, anns


def _overlap(s: int, e: int, frags: list[tuple[int, int]]) -> int:
    return sum(max(0, min(e, fe) - max(s, fs)) for fs, fe in frags)


def match(preds: list[Pred], gold: list[Attribution]) -> list[tuple[int, int]]:
    """Greedy one-to-one assignment by largest overlap; pairs (pred index, gold index)."""
    pairs = []
    for gi, g in enumerate(gold):
        need = MIN_OVERLAP * g.length
        if g.length <= 0:
            continue
        for pi, p in enumerate(preds):
            ov = _overlap(p.start, p.end, g.content)
            if ov > 0 and ov >= need:
                pairs.append((ov, pi, gi))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, pi, gi in pairs:
        if pi in used_p or gi in used_g:
            continue
        used_p.add(pi)
        used_g.add(gi)
        out.append((pi, gi))
    return out


_ALPHA = re.compile(r"[^\W\d_]+")


def source_head(doc: Any, span: tuple[int, int]) -> str:
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    if sp is not None and len(sp):
        return sp.root.text
    words = _ALPHA.findall(doc.text[span[0] : span[1]])
    return words[-1] if words else ""


def source_ok(doc: Any, pred: Pred, src: tuple[int, int]) -> bool:
    if pred.speaker_span is not None:
        s, e = pred.speaker_span
        if min(e, src[1]) > max(s, src[0]):
            return True
    if pred.speaker:
        head = source_head(doc, src).lower()
        if head and head in {w.lower() for w in _ALPHA.findall(pred.speaker)}:
            return True
    return False


@dataclass
class Score:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0
    src_ok: int = 0
    src_n: int = 0

    def row(self) -> dict[str, float]:
        p = self.tp / self.n_pred if self.n_pred else 0.0
        r = self.tp / self.n_gold if self.n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": p, "recall": r, "f1": f, "source_acc": self.src_ok / self.src_n if self.src_n else 0.0,
                "n_pred": self.n_pred, "n_gold": self.n_gold, "source_n": self.src_n}


def score_doc(doc: Any, preds: list[Pred], gold: list[Attribution], score: Score) -> dict[str, Any]:
    pairs = match(preds, gold)
    score.tp += len(pairs)
    score.n_pred += len(preds)
    score.n_gold += len(gold)
    matched_p = {pi for pi, _ in pairs}
    matched_g = {gi for _, gi in pairs}
    wrong = []
    for pi, gi in pairs:
        g = gold[gi]
        if g.source is None:
            continue
        score.src_n += 1
        if source_ok(doc, preds[pi], g.source):
            score.src_ok += 1
        else:
            wrong.append({"content": g.text[:160], "gold_source": doc.text[g.source[0] : g.source[1]],
                          "pred_speaker": preds[pi].speaker, "kind": preds[pi].kind})
    text = doc.text
    return {
        "misses": [
            {"content": g.text[:200], "cue": text[g.cue[0] : g.cue[1]] if g.cue else None,
             "source": text[g.source[0] : g.source[1]] if g.source else None}
            for gi, g in enumerate(gold) if gi not in matched_g
        ],
        "false_positives": [
            {"text": p.text[:200], "kind": p.kind, "speaker": p.speaker}
            for pi, p in enumerate(preds) if pi not in matched_p
        ],
        "wrong_speakers": wrong,
    }


def gold_family(text: str, g: Attribution) -> str:
    """PolNeAR annotates every attribution, speech or not. Its speech attributions are those
    whose cue is a verb of saying (a word of newsdesk's cue lexicon outside its stance list:
    said, told, claimed, wrote …), "according to", or only punctuation (a colon or a dash);
    a cue with a stance word (think, want, decide, show, find, call …) is stance; any other
    cue ("were frustrated", "seems", "chanting", nouns) is neither."""
    from newsdesk.enrich.cues import lexicon

    lex = lexicon()
    if g.cue is None:
        return "speech"
    cue = text[g.cue[0] : g.cue[1]].lower()
    words = re.findall(r"[a-z]+", cue)
    if any(w in lex.stance for w in words):
        return "stance"
    if not words or "according" in words or any(w in lex.verbs for w in words):
        return "speech"
    return "other"


def score_speech(doc: Any, preds: list[Pred], gold: list[Attribution], score: Score) -> None:
    """Speech predictions against PolNeAR's speech attributions: matched one-to-one against
    all of them, so a prediction that matches a stance or other attribution is neither right
    nor wrong here (it is scored in the all-attributions row)."""
    pairs = match(preds, gold)
    fam = [gold_family(doc.text, g) for g in gold]
    ignored = sum(1 for _, gi in pairs if fam[gi] != "speech")
    score.tp += sum(1 for _, gi in pairs if fam[gi] == "speech")
    score.n_pred += len(preds) - ignored
    score.n_gold += fam.count("speech")
    for pi, gi in pairs:
        g = gold[gi]
        if fam[gi] == "speech" and g.source is not None:
            score.src_n += 1
            score.src_ok += source_ok(doc, preds[pi], g.source)


def as_preds(quotes: Iterable[Quote]) -> list[Pred]:
    return [Pred(q.start, q.end, q.kind, q.speaker, q.speaker_span, q.text, q.family) for q in quotes]


def newsdesk_preds(doc: Any) -> list[Pred]:
    from newsdesk.enrich import analyze_doc

    _, quotes = analyze_doc(doc)
    return as_preds(quotes)


def textacy_preds(doc: Any) -> list[Pred]:
    from textacy.extract.triples import direct_quotations

    out = []
    try:
        triples = list(direct_quotations(doc))
    except Exception:  # textacy raises on some parses; the anchor scores those docs as empty
        triples = []
    for t in triples:
        c = t.content
        spk = sorted(t.speaker, key=lambda tok: tok.i)
        span = (spk[0].idx, spk[-1].idx + len(spk[-1])) if spk else None
        name = " ".join(tok.text for tok in spk) or None
        out.append(Pred(c.start_char, c.end_char, "direct", name, span, c.text))
    return out


def _parse_full(split: str, texts: dict[str, str], stems: list[str]) -> dict[str, Any]:
    """Full-pipeline parses, cached in bench/out as a DocBin per split."""
    import spacy
    from spacy.tokens import DocBin

    from newsdesk.enrich.nlp import MODEL

    nlp = spacy.load(MODEL)
    cache = Path("bench/out") / f"polnear-{split}-{MODEL}-{spacy.__version__}.spacy"
    docs: dict[str, Any] = {}
    if cache.exists():
        for stem, doc in zip(json.loads(cache.with_suffix(".json").read_text()), DocBin().from_disk(cache).get_docs(nlp.vocab)):
            if stem in texts and doc.text == texts[stem]:
                docs[stem] = doc
    todo = [s for s in stems if s not in docs]
    if todo:
        for stem, doc in zip(todo, nlp.pipe([texts[s] for s in todo], batch_size=16)):
            docs[stem] = doc
        cache.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(docs)
        DocBin(store_user_data=False, docs=[docs[k] for k in keys]).to_disk(cache)
        cache.with_suffix(".json").write_text(json.dumps(keys))
    return docs


def run(split: str, *, limit: int | None = None, anchor: bool = True, lean: bool = True,
        report: list[dict[str, Any]] | None = None) -> dict[str, dict[str, float]]:
    texts, anns = load_split(split)
    stems = sorted({a.doc_id for a in anns})
    if limit:
        stems = stems[:limit]
        anns = [a for a in anns if a.doc_id in set(stems)]
    docs = _parse_full(split, texts, stems)
    t0 = time.perf_counter()
    nd = {s: newsdesk_preds(docs[s]) for s in stems}
    nd_seconds = time.perf_counter() - t0
    tx = {s: textacy_preds(docs[s]) for s in stems} if anchor else {}
    scores = {"newsdesk": Score(), "textacy": Score(), "newsdesk speech-only": Score()}
    for a in anns:
        doc = docs[a.doc_id]
        detail = score_doc(doc, nd[a.doc_id], a.attributions, scores["newsdesk"])
        score_speech(doc, [p for p in nd[a.doc_id] if p.family == "speech"], a.attributions, scores["newsdesk speech-only"])
        if anchor:
            score_doc(doc, tx[a.doc_id], a.attributions, scores["textacy"])
        if report is not None:
            report.append({"id": a.doc_id, "annotator": a.annotator, "n_gold": len(a.attributions),
                           "n_pred": len(nd[a.doc_id]), **detail})
    rows = {k: v.row() for k, v in scores.items() if anchor or k != "textacy"}
    rows["newsdesk"]["seconds"] = nd_seconds
    if lean:
        from newsdesk.enrich import analyze_many

        lean_score = Score()
        t0 = time.perf_counter()
        lean_preds = {}
        for stem, res in zip(stems, analyze_many([texts[s] for s in stems])):
            lean_preds[stem] = as_preds(res.quotes)
        lean_seconds = time.perf_counter() - t0
        for a in anns:
            score_doc(docs[a.doc_id], lean_preds[a.doc_id], a.attributions, lean_score)
        rows["newsdesk (lean analyze)"] = lean_score.row()
        rows["newsdesk (lean analyze)"]["seconds"] = lean_seconds
        differ = sum(
            1 for s in stems
            if [(p.start, p.end, p.kind, p.speaker) for p in lean_preds[s]] != [(p.start, p.end, p.kind, p.speaker) for p in nd[s]]
        )
        rows["newsdesk (lean analyze)"]["docs_differ"] = differ
    return rows


def quality(split: str = "dev", *, report: str | Path | None = None, limit: int | None = None,
            anchor: bool = True, lean: bool = True) -> dict[str, Any]:
    """newsdesk and textacy rows on one PolNeAR split; the per-document report, worst
    first, goes to ``report`` when given."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    warnings.simplefilter("ignore")
    details: list[dict[str, Any]] = []
    rows = run(split, limit=limit, anchor=anchor, lean=lean, report=details)
    if report is not None:
        path = Path(report)
        path.parent.mkdir(parents=True, exist_ok=True)
        details.sort(key=lambda r: -(len(r["misses"]) + len(r["false_positives"]) + len(r["wrong_speakers"])))
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in details), encoding="utf-8")
    return {"split": split, "annotations": len(details), "report": str(report) if report else None, "rows": rows}


def print_quality(result: dict[str, Any]) -> None:
    print(f"PolNeAR {result['split']}: {result['annotations']} annotation files")
    print(f"{'system':<24} {'P':>6} {'R':>6} {'F1':>6} {'src acc':>8} {'n pred':>7} {'n annot':>8}  notes")
    for name, r in result["rows"].items():
        notes = []
        if "seconds" in r:
            notes.append(f"{r['seconds']:.1f} s")
        if "docs_differ" in r:
            notes.append(f"{r['docs_differ']} texts differ from the full-pipeline run")
        print(f"{name:<24} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f} {r['source_acc']:>8.3f} "
              f"{r['n_pred']:>7} {r['n_gold']:>8}  {'; '.join(notes)}")
    if result["report"]:
        print(f"(per-document report, worst first: {result['report']})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev", choices=("dev", "train"))
    ap.add_argument("--limit", type=int, default=None, help="first N texts only (quick iterations; not for reporting)")
    ap.add_argument("--report", type=Path, default=Path("bench/out/quotes-errors.jsonl"))
    ap.add_argument("--no-anchor", action="store_true", help="skip textacy (quick iterations; not for reporting)")
    ap.add_argument("--no-lean", action="store_true", help="skip the lean analyze() run")
    args = ap.parse_args()
    print_quality(quality(args.split, report=args.report, limit=args.limit, anchor=not args.no_anchor,
                          lean=not args.no_lean))


if __name__ == "__main__":
    main()
