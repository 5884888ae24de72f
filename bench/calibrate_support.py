"""Calibrate the sentence checker's support score (rag/support.json) on hand-labelled generated sentences.

    python bench/llm_compare.py run ...        # asks the model; keeps its raw replies and what it read
    python bench/calibrate_support.py rows --replies bench/out/llm/cmrc-fit.replies.jsonl --split fit \\
        --source qwen-cmrc
    python bench/calibrate_support.py fit

rows appends every sentence of the model's raw replies, with the passages it cites (or, when it cites none
that was shown, the shown passage closest to it, as the checker does), to bench/support_labels.jsonl with
"label": null. A person then reads each row and sets "label" to 1 when the passages
state what the sentence says, 0 when they do not (a wrong number or name, a claim they do not make, a
sentence that only restates the question), with a short "why".

fit computes the two features of every labelled row with the real embedding model (best cosine between the
sentence and one of the passages' sentences, their vectors made as ingest stores them; share of its character bigrams found in the passages), fits a
logistic regression on the rows of split "fit", picks the threshold that maximises F1 of flagging
unsupported sentences there, reports precision and recall on split "test" (score alone, and score plus the
number/name rule, as the product applies them), and writes rag/support.json and bench/support_calibration.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rag.check import SUPPORT_FILE, Checker, Support, split_reply, unsupported_facts  # noqa: E402
from rag.config import load_settings  # noqa: E402
from rag.retrieval import Hit  # noqa: E402
from rag.text import language, sentence_spans  # noqa: E402

REPORT = ROOT / "bench" / "support_calibration.md"


def _hit(p: dict[str, str], i: int) -> Hit:
    return Hit(f"p{i}", p["text"], {"heading": p.get("heading", ""), "article": p.get("article", "")}, 0.0)


def rows(args: argparse.Namespace) -> None:
    """Append the sentences of saved model replies (bench/llm_compare.py run) to the labels file, unlabelled."""
    from rag.embeddings import load_model

    settings = load_settings()
    model, ingest = load_model(settings, "query"), load_model(settings, "ingest")
    checker = Checker(Support(0, 0, 0, 0.5), lambda texts: model.embed(texts, "passage"))
    out = Path(args.out)
    have = {(r["question"], r["j"]) for r in map(json.loads, out.read_text().splitlines())} if out.exists() else set()
    added = 0
    with out.open("a", encoding="utf-8") as f:
        for rep in map(json.loads, Path(args.replies).read_text(encoding="utf-8").splitlines()):
            given = [_hit(p, i) for i, p in enumerate(rep["given"])]
            sents = stored_sentences(ingest, given)
            parts = split_reply(rep["reply"], language(rep["question"]))
            vecs = checker.embed([t for t, _ in parts]) if parts else []
            for j, ((text, marked), vec) in enumerate(zip(parts, vecs)):
                if (rep["question"], j) in have:
                    continue
                cited = [n for n in marked if 1 <= n <= len(given)]
                if not cited:  # as the checker does: the passage closest to the sentence
                    cited = [1 + max(range(len(given)), key=lambda i: checker.features(vec, text, [given[i]], sents)[0])]
                row = {"question": rep["question"], "j": j, "split": args.split, "source": args.source,
                       "sentence": text, "marked": marked, "cited": cited,
                       "passages": [rep["given"][n - 1] for n in cited], "label": None, "why": ""}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
                added += 1
    print(f"{added} sentence(s) added to {out}")


def features(rows: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """(n, 2) features and the rule's verdicts (True = a number or name the passages lack) for each row."""
    from rag.embeddings import load_model

    settings = load_settings()
    model, ingest = load_model(settings, "query"), load_model(settings, "ingest")
    checker = Checker(Support(0, 0, 0, 0.5), lambda texts: model.embed(texts, "passage"))
    X, rule = [], []
    vecs = model.embed([r["sentence"] for r in rows], "passage")
    for r, vec in zip(rows, vecs):
        hits = [_hit(p, i) for i, p in enumerate(r["passages"])]
        dense, lap, _ = checker.features(vec, r["sentence"], hits, stored_sentences(ingest, hits))
        X.append((dense, lap))
        lang = language(r["question"])
        rule.append(unsupported_facts(r["sentence"], "\n".join(Checker.context(h) for h in hits), lang) is not None)
    return np.array(X), np.array(rule)


def stored_sentences(ingest: Any, hits: list[Hit]) -> dict[str, list[tuple[str, np.ndarray]]]:
    """The passages' sentence vectors as ingest stores them (late chunking or apart, as the settings say)."""
    spans = [sentence_spans(h.text) for h in hits]
    _, svecs = ingest.embed_passages([h.text for h in hits], spans)
    return {h.chunk_id: [(h.text[a:b], v) for (a, b), v in zip(sp, vs)] for h, sp, vs in zip(hits, spans, svecs)}


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 5000) -> tuple[np.ndarray, float]:
    """Weights and bias of P(supported) by gradient descent on standardised features, mapped back."""
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = (X - mu) / sd
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(Z @ w + b)))
        w -= 0.5 * (Z.T @ (p - y) / len(y) + l2 * w)
        b -= 0.5 * float(np.mean(p - y))
    return w / sd, b - float((w * mu / sd).sum())


def flag_scores(flagged: np.ndarray, unsupported: np.ndarray) -> dict[str, float]:
    """Precision and recall of flagging unsupported sentences (the checker's job), and F1."""
    tp = int((flagged & unsupported).sum())
    p = tp / flagged.sum() if flagged.sum() else 1.0
    r = tp / unsupported.sum() if unsupported.sum() else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "flagged": int(flagged.sum()), "unsupported": int(unsupported.sum()), "n": len(flagged)}


def fit(args: argparse.Namespace) -> None:
    rows = [json.loads(line) for line in Path(args.labels).read_text().splitlines() if line.strip()]
    rows = [r for r in rows if r.get("label") in (0, 1)]
    X, rule = features(rows)
    y = np.array([r["label"] for r in rows], dtype=float)
    split = np.array([r["split"] for r in rows])
    tr, te = split == "fit", split == "test"
    w, b = fit_logistic(X[tr], y[tr])
    prob = 1 / (1 + np.exp(-(X @ w + b)))
    unsupported = y == 0
    # The threshold: best F1 of flagging unsupported sentences on the fit split, the rule applied too.
    grid = np.unique(np.round(prob[tr], 4))
    best = max(grid, key=lambda t: (flag_scores((prob[tr] < t) | rule[tr], unsupported[tr])["f1"], -t))
    support = {"w_dense": float(w[0]), "w_overlap": float(w[1]), "bias": float(b), "threshold": float(best)}
    result = {
        "fit": flag_scores((prob[tr] < best) | rule[tr], unsupported[tr]),
        "test": flag_scores((prob[te] < best) | rule[te], unsupported[te]),
        "test_score_only": flag_scores(prob[te] < best, unsupported[te]),
        "test_rule_only": flag_scores(rule[te], unsupported[te]),
    }
    by_source = {}
    for s in sorted(set(r["source"] for r in rows)):
        m = te & (np.array([r["source"] for r in rows]) == s)
        if m.any():
            by_source[s] = flag_scores((prob[m] < best) | rule[m], unsupported[m])
    meta = {**support, "labelled": {"fit": int(tr.sum()), "test": int(te.sum())},
            "test_precision": round(result["test"]["precision"], 3), "test_recall": round(result["test"]["recall"], 3),
            "fitted": datetime.now().astimezone().isoformat(timespec="seconds"),
            "by": "bench/calibrate_support.py fit on bench/support_labels.jsonl"}
    Path(args.out).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    REPORT.write_text(_report(rows, X, prob, rule, support, result, by_source), encoding="utf-8")
    print(json.dumps({"support": support, **result, "by_source": by_source}, indent=2))


def _report(rows: list[dict], X: np.ndarray, prob: np.ndarray, rule: np.ndarray, support: dict,
            result: dict, by_source: dict) -> str:
    def line(name: str, s: dict) -> str:
        return (f"| {name} | {s['n']} | {s['unsupported']} | {s['flagged']} | {s['precision']:.3f} | "
                f"{s['recall']:.3f} | {s['f1']:.3f} |")

    out = [
        "# Support-score calibration", "",
        f"Fitted by `bench/calibrate_support.py fit` on {len(rows)} hand-labelled sentences "
        f"({sum(r['split'] == 'fit' for r in rows)} fit, {sum(r['split'] == 'test' for r in rows)} test). "
        "Positive class: the sentence is NOT supported by the passages it cites (what the checker must flag).", "",
        f"P(supported) = σ({support['w_dense']:.3f}·dense + {support['w_overlap']:.3f}·overlap "
        f"{support['bias']:+.3f}); flagged when below {support['threshold']:.4f} or when a number or name of the "
        "sentence is missing from the passages.", "",
        "| rows | n | unsupported | flagged | precision | recall | F1 |", "|---|---:|---:|---:|---:|---:|---:|",
        line("fit split (score + rule)", result["fit"]),
        line("**test split (score + rule)**", result["test"]),
        line("test split, score alone", result["test_score_only"]),
        line("test split, number/name rule alone", result["test_rule_only"]),
        *[line(f"test, {s}", v) for s, v in by_source.items()],
        "", "## Test rows the checker gets wrong", "",
        "| source | sentence | label | dense | overlap | P | rule | why |", "|---|---|---:|---:|---:|---:|---|---|",
    ]
    for r, x, p, ru in zip(rows, X, prob, rule):
        flagged = bool(p < support["threshold"] or ru)
        if r["split"] == "test" and flagged != (r["label"] == 0):
            out.append(f"| {r['source']} | {r['sentence'][:60]} | {r['label']} | {x[0]:.3f} | {x[1]:.2f} | "
                       f"{p:.2f} | {'✗' if ru else ''} | {r.get('why', '')} |")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("rows")
    c.add_argument("--replies", type=Path, required=True, help="bench/out/llm/<set>.replies.jsonl")
    c.add_argument("--split", choices=["fit", "test"], required=True)
    c.add_argument("--source", default="", help="a label for where the rows come from, e.g. qwen-cmrc")
    c.add_argument("--out", type=Path, default=ROOT / "bench" / "support_labels.jsonl")
    f = sub.add_parser("fit")
    f.add_argument("--labels", type=Path, default=ROOT / "bench" / "support_labels.jsonl")
    f.add_argument("--out", type=Path, default=SUPPORT_FILE)
    args = ap.parse_args()
    {"rows": rows, "fit": fit}[args.cmd](args)


if __name__ == "__main__":
    main()
