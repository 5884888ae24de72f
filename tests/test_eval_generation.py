"""rag eval's generation figures on hand-made records (fast)."""

from __future__ import annotations

from rag.evaluate import score_record, summarize


def _record(answer: str, sentences: list[dict], draft: list[dict], fell_back: bool, generated: bool = True) -> dict:
    r = {"id": answer, "type": "numeric", "question": "q", "answer": answer, "abstained": False,
         "citations": [], "retrieved": [], "sentences": sentences, "expected": answer, "evidence": [],
         "must_contain": [answer[:2]], "latency_ms": 1.0}
    if generated:
        r.update(generated=True, draft=draft, fell_back=fell_back)
    r["scores"], r["failures"], r["notes"] = score_record(r)
    return r


def s(ok: bool) -> dict:
    return {"text": "x", "citations": [1], "supported": ok, "reason": "" if ok else "why"}


def test_unsupported_shares_and_fallbacks_are_pooled_over_sentences_and_answers() -> None:
    records = [
        _record("甲乙。[1]", [s(True), s(False)], [s(True), s(False)], False),  # shown with one marked
        _record("丙丁。[1]", [s(True)], [s(False), s(False), s(False)], True),  # fell back: extractive shown
        _record("戊己。[1]", [s(True)], [s(True)], False),
    ]
    got = summarize(records)
    assert got["unsupported_before"] == 4 / 6
    assert got["unsupported_after"] == 1 / 4
    assert got["fallback_share"] == 1 / 3


def test_extractive_runs_have_no_generation_figures() -> None:
    got = summarize([_record("甲乙。[1]", [s(True)], [], False, generated=False)])
    assert got["unsupported_before"] is None and got["unsupported_after"] is None and got["fallback_share"] is None
