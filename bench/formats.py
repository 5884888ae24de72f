"""Compare document parsers on real Chinese files, and measure ingest time per format per MB.

Files are made by tests/samples.py (a handbook PDF with running header, page-number footer and radical code
points; a Word file with heading styles; a web page with navigation around its article). Parsers compared:
PDF - pypdf, pdfplumber (raw text), markitdown (if installed), rag's reader (pdfplumber + repairs);
HTML - trafilatura and markitdown (if installed), rag's reader (BeautifulSoup + article extraction);
Word - markitdown (if installed with its docx extra), rag's reader (python-docx).

Run: python bench/formats.py [--quick] [--out bench/formats.md]
"""

from __future__ import annotations

import argparse
import difflib
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rag.lines import repair  # noqa: E402
from rag.readers import read  # noqa: E402
from tests import samples  # noqa: E402

RADICAL = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf]")


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def timed(fn: Callable[[], str], repeat: int) -> tuple[str, float]:
    """The output and the median seconds of repeat runs (the first run also pays imports, so it is dropped)."""
    out = fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return out, statistics.median(times)


def ours(path: Path) -> str:
    return "\n".join(ln.text for ln in read(path).lines)


def pypdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(path).pages)


def pdfplumber_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


def markitdown_text(path: Path) -> str:
    from markitdown import MarkItDown

    return MarkItDown().convert(str(path)).text_content


def trafilatura_text(path: Path) -> str:
    import trafilatura

    return trafilatura.extract(path.read_text("utf-8"), output_format="markdown", include_formatting=True) or ""


def available(module: str) -> bool:
    try:
        __import__(module)
    except Exception:  # noqa: BLE001 - an optional parser that does not import is simply not compared
        return False
    return True


def paragraphs_intact(truth: list[str], text: str, blocks: list[str]) -> int:
    """How many of the printed paragraphs come back as one unit (a line, or a blank-line block)."""
    units = {squash(b) for b in blocks}
    return sum(1 for p in truth if any(squash(p) in u for u in units))


def compare_pdf(path: Path, repeat: int) -> list[dict]:
    truth_paras = [repair(p) for _, paras in samples.HANDBOOK for p in paras]
    truth = squash("".join(f"{t}{''.join(repair(p) for p in ps)}" for t, ps in samples.HANDBOOK))
    candidates = [("pypdf", pypdf_text), ("pdfplumber", pdfplumber_text)]
    if available("markitdown"):
        candidates.append(("markitdown", markitdown_text))
    candidates.append(("rag (pdfplumber + repairs)", ours))
    rows = []
    for name, fn in candidates:
        text, secs = timed(lambda fn=fn: fn(path), repeat)
        lines = text.splitlines()
        blocks = re.split(r"\n\s*\n", text) if name.startswith("rag") else lines
        rows.append({
            "parser": name,
            "similarity": difflib.SequenceMatcher(None, truth, squash(text), autojunk=False).ratio(),
            "radicals left": len(RADICAL.findall(text)),
            "header/footer lines left": sum(1 for ln in lines if samples.HEADER in ln or re.fullmatch(r"\s*第\s*\d+\s*页\s*", ln)),
            "paragraphs intact": f"{paragraphs_intact(truth_paras, text, blocks)}/{len(truth_paras)}",
            "ms/page": 1000 * secs / (len(samples.HANDBOOK) + 1),
        })
    return rows


def compare_html(path: Path, repeat: int) -> list[dict]:
    truth = squash(samples.POLICY_TITLE + "".join(h + "".join(ps) for h, ps in samples.POLICY))
    candidates = []
    if available("trafilatura"):
        candidates.append(("trafilatura", trafilatura_text))
    if available("markitdown"):
        candidates.append(("markitdown", markitdown_text))
    candidates.append(("rag (BeautifulSoup + article)", ours))
    rows = []
    for name, fn in candidates:
        text, secs = timed(lambda fn=fn: fn(path), repeat)
        lines = [re.sub(r"^#+\s*", "", ln).strip() for ln in text.splitlines()]
        rows.append({
            "parser": name,
            "similarity": difflib.SequenceMatcher(None, truth, squash(text), autojunk=False).ratio(),
            "navigation/footer leaked": sum(n in text for n in samples.NAV[1:]) + (samples.FOOTER[:8] in text),
            "headings on their own line": f"{sum(h in lines for h, _ in samples.POLICY)}/{len(samples.POLICY)}",
            "ms/page": 1000 * secs,
        })
    return rows


def compare_docx(path: Path, repeat: int) -> list[dict]:
    heads = [h for _, h, _ in samples.NOTES]
    candidates = []
    if available("markitdown") and available("mammoth"):
        candidates.append(("markitdown", markitdown_text))
    candidates.append(("rag (python-docx)", ours))
    rows = []
    for name, fn in candidates:
        text, secs = timed(lambda fn=fn: fn(path), repeat)
        lines = [re.sub(r"^#+\s*", "", ln).strip() for ln in text.splitlines()]
        doc = read(path) if name.startswith("rag") else None
        rows.append({
            "parser": name,
            "headings found": f"{sum(h in lines for h in heads)}/{len(heads)}",
            "heading levels": "from styles" if doc and any(ln.level for ln in doc.lines) else "-",
            "table rows": "教务处 | 周明" in text or "教务处" in text,
            "ms/file": 1000 * secs,
        })
    return rows


def corpus_files(folder: Path, copies: int) -> dict[str, list[Path]]:
    """The same text as PDF, Word, HTML and plain text, copies times over (numbers varied so passages differ)."""
    import docx

    out: dict[str, list[Path]] = {"pdf": [], "docx": [], "html": [], "txt": []}
    for i in range(copies):
        chapters = [(f"{t}（{i + 1}）", [re.sub(r"\d+", lambda m: str(int(m.group()) + i), p) for p in ps])
                    for t, ps in samples.HANDBOOK]
        sub = folder / f"c{i}"
        sub.mkdir(parents=True)
        out["pdf"].append(samples.make_pdf(sub / "h.pdf", chapters))
        d = docx.Document()
        for t, ps in chapters:
            d.add_heading(t, level=1)
            for p in ps:
                d.add_paragraph(p)
        d.save(str(sub / "h.docx"))
        out["docx"].append(sub / "h.docx")
        body = "".join(f"<h2>{t}</h2>" + "".join(f"<p>{p}</p>" for p in ps) for t, ps in chapters)
        (sub / "h.html").write_text(f"<html><body><nav>首页</nav><article>{body}</article></body></html>", "utf-8")
        out["html"].append(sub / "h.html")
        (sub / "h.txt").write_text("\n\n".join(f"{t}\n\n" + "\n\n".join(ps) for t, ps in chapters), "utf-8")
        out["txt"].append(sub / "h.txt")
    return out


def ingest_rates(copies: int, embed: bool) -> list[dict]:
    """Parse time, and (embed) full ingest time, per format per MB of files."""
    from rag.config import load_settings
    from rag.corpus import parse
    from rag.pipeline import Pipeline

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        files = corpus_files(Path(tmp) / "docs", copies)
        for paths in files.values():  # imports and jieba's dictionary are paid once, outside the timings
            parse(read(paths[0]), paths[0].name)
        for kind, paths in files.items():
            mb = sum(p.stat().st_size for p in paths) / 1048576
            t = time.perf_counter()
            chunks = [c for p in paths for c in parse(read(p), p.name)]
            parse_s = time.perf_counter() - t
            chars = sum(len(c.text) for c in chunks)
            row = {"format": kind, "files": len(paths), "MB": mb, "characters": chars, "passages": len(chunks),
                   "parse s/MB": parse_s / mb, "parse ms/10k chars": 1e4 * 1000 * parse_s / chars}
            if embed:
                store = Path(tmp) / f"vs-{kind}"
                t = time.perf_counter()
                report = Pipeline(load_settings(store=store)).ingest(paths)
                wall = time.perf_counter() - t
                row.update({"ingest s": wall, "ingest s/MB": wall / mb, "ingest s/10k chars": 1e4 * wall / chars,
                            "embedded": report.embedded})
            rows.append(row)
    return rows


def table(rows: list[dict]) -> str:
    if not rows:
        return "(none)\n"
    keys = list(rows[0])

    def fmt(v: object) -> str:
        return f"{v:.3f}" if isinstance(v, float) and abs(v) < 10 else f"{v:.1f}" if isinstance(v, float) else str(v)

    out = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    out += ["| " + " | ".join(fmt(r.get(k, "")) for k in keys) + " |" for r in rows]
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, smaller corpus, no embedding")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "formats.md")
    a = ap.parse_args()
    repeat = 2 if a.quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        pdf = samples.make_pdf(d / "handbook.pdf")
        html = samples.make_html(d / "policy.html")
        docx_path = samples.make_docx(d / "notes.docx")
        sections = [
            ("PDF parsers (handbook.pdf: 6 pages, running header, page-number footer, radical code points)",
             compare_pdf(pdf, repeat)),
            ("HTML parsers (policy.html: navigation, header, sidebar, footer around an article with h1/h2)",
             compare_html(html, repeat)),
            ("Word parsers (notes.docx: Title, Heading 1/2 styles, a table)", compare_docx(docx_path, repeat)),
        ]
    rates = ingest_rates(2 if a.quick else 10, embed=not a.quick)
    text = "# Document formats: parsers compared, ingest time per format\n\n"
    text += "Made by `python bench/formats.py`" + (" --quick" if a.quick else "") + " on this machine; figures are noisy.\n\n"
    for title, rows in sections:
        text += f"## {title}\n\n{table(rows)}\n"
    text += ("## Ingest time per format (the handbook's text as each format; parse = read + cut into passages; "
             "ingest = `Pipeline.ingest` into a fresh store, model load included)\n\n" + table(rates))
    a.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
