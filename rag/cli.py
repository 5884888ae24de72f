"""The `rag` command: thin argparse front, each branch imports its handler lazily."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path


def _k(value: str) -> int:
    """--k as the web API takes it: a whole number from 1 to 50."""
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 50, got {value!r}") from None
    if not 1 <= k <= 50:
        raise argparse.ArgumentTypeError(f"must be from 1 to 50, got {k}")
    return k


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a port number, got {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be from 1 to 65535, got {port}")
    return port


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", type=Path, help="index folder (default vectorstore/, env RAG_STORE)")


def _llm(p: argparse.ArgumentParser) -> None:
    p.add_argument("--llm", help="extractive (default), openai:MODEL, ollama:MODEL or gguf:PATH (env RAG_LLM)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rag",
        description="Ask questions about a Chinese text corpus; every answer cites the passages it quotes.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show progress logs")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "ingest", help="add or update documents in the index",
        description="Add the documents (.txt .md .pdf .docx .html .htm) under PATHs to the index, or update them "
        "if they changed (only changed passages are embedded again). A file that cannot be read is skipped with one "
        "line saying why. Documents that disappeared from these PATHs are removed; "
        "documents ingested from other paths are kept. The same file named twice (twice on the command line, "
        "inside a folder also given, through a link) is indexed once; two different files with the same text "
        "are two documents. Only one ingest writes to an index at a time: a second one waits for the first "
        "(RAG_LOCK_WAIT seconds) or stops naming it. An interrupted ingest keeps its work; run it again to "
        "complete the index.",
        epilog="Removing a document is explicit: `rag remove NAME`, or --prune. `rag docs` lists the index.",
    )
    p.add_argument("paths", nargs="*", type=Path,
                   help="folders or files: .txt .md .pdf .docx .html .htm (default seeds/)")
    p.add_argument("--prune", action="store_true",
                   help="also remove every indexed document not found under these PATHs")
    p.add_argument("--rebuild", action="store_true", help="drop the whole index and start over from these PATHs")
    _common(p)

    p = sub.add_parser("docs", help="list the indexed documents")
    _common(p)

    p = sub.add_parser("remove", help="remove documents (and their passages) from the index")
    p.add_argument("names", nargs="+", metavar="NAME", help="document names as `rag docs` lists them, or their files")
    _common(p)

    p = sub.add_parser("ask", help="answer one question with citations")
    p.add_argument("question", help="the question, in Chinese or English")
    p.add_argument("--k", type=_k, help="passages to show, 1-50 (default 5)")
    p.add_argument("--mode", choices=["hybrid", "dense", "keyword"], help="retrieval mode (default hybrid)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--history", action="append", default=[], metavar="EARLIER",
                   help="an earlier question of the conversation, for a follow-up (那月卡呢？); repeat, oldest first")
    _llm(p)
    _common(p)

    p = sub.add_parser("chat", help="open the web chat")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=7860)
    p.add_argument("--auth", help="user:password; required when binding beyond 127.0.0.1 (env RAG_AUTH)")
    _llm(p)
    _common(p)

    p = sub.add_parser("eval", help="score the pipeline on a question set")
    p.add_argument("--questions", type=Path, default=Path("tests/questions.jsonl"),
                   help="the question set, one JSON object a line (README: Question sets); default %(default)s")
    p.add_argument("--output", type=Path, default=Path("eval-out/results.jsonl"),
                   help="each question's answer and scores, JSONL (default %(default)s)")
    p.add_argument("--report", type=Path, default=Path("eval-out/report.md"),
                   help="the Markdown report, a chart beside it (default %(default)s)")
    p.add_argument("--k", type=_k, help="passages per question, 1-50 (default: RAG_K, at least 10)")
    _llm(p)
    _common(p)

    p = sub.add_parser("fit", help="fit the answer scoring on your own labelled questions")
    p.add_argument("--questions", type=Path, action="append", required=True,
                   help="question set (JSONL as for eval, with unanswerable ones); repeat for several")
    p.add_argument("--store", dest="stores", type=Path, action="append",
                   help="the index each question set is about (one per --questions, or one for all)")
    p.add_argument("--output", type=Path, default=Path("scoring.json"), help="where to write (default scoring.json)")
    p.add_argument("--max-false-abstention", type=float, default=0.05,
                   help="the share of answerable questions the fitted threshold may abstain on (default 0.05)")

    p = sub.add_parser("fetch-model", help="download the small local test model (Qwen2.5-Coder-1.5B GGUF, 1.1 GB)")
    p.add_argument("--dir", type=Path, help="cache folder (default RAG_CACHE_DIR, ~/.cache/rag)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .console import SafeFormatter, safe

    handler_ = logging.StreamHandler()
    handler_.setFormatter(SafeFormatter("%(message)s"))
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, handlers=[handler_])
    from .errors import RagError

    try:
        handler = {"ingest": _ingest, "docs": _docs, "remove": _remove, "ask": _ask, "chat": _chat,
                   "eval": _eval, "fit": _fit,
                   "fetch-model": _fetch}[args.command]
        code = handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except RagError as e:
        print(f"Error: {safe(e)}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("Interrupted. Run the same command again to finish: work already stored is kept.", file=sys.stderr)
        if argv is None:  # the command itself, not a caller's main([...])
            # What was stored is on disk by now (the writer is waited for), but a native thread (the model
            # loading, an inference pool) may still run, and the interpreter's teardown would abort the process
            # under it (std::terminate). Leave at once.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(130)
        return 130
    except BrokenPipeError:
        # The reader went away (`rag ask ... | head -1`): stop quietly, as a Unix tool does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def _settings(args: argparse.Namespace, **extra: object):  # noqa: ANN202 - Settings import is lazy
    from .config import load_settings

    return load_settings(store=getattr(args, "store", None), llm=getattr(args, "llm", None), **extra)


def _ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .pipeline import Pipeline

    settings = _settings(args)
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="chunk", desc="embedding", file=sys.stderr)
        bar.update(done - bar.n)

    try:
        report = Pipeline(settings).ingest(args.paths or None, rebuild=args.rebuild, prune=args.prune,
                                           progress=progress)
    finally:
        if bar is not None:
            bar.close()
    print(
        f"Indexed {report.chunks} passages from {report.files} file(s) into {settings.chroma_url or settings.store}: "
        f"{report.embedded} embedded, {report.chunks - report.embedded} unchanged, {report.deleted} removed "
        f"({report.seconds:.1f} s)." + (f" Skipped {len(report.skipped)} unreadable file(s), named above; "
                                         "what was indexed of them before is kept." if report.skipped else "")
        + (f" Not indexed again: {len(report.copies)} file(s) with the same content as an indexed document, named "
           "above." if report.copies else "")
    )
    _print_totals(report)
    return 0


def _print_totals(report) -> None:  # noqa: ANN001 - IngestReport import is lazy
    if report.removed:
        from .console import safe

        print(safe(f"Removed {len(report.removed)} document(s): {', '.join(report.removed)}."))
    print(f"The index holds {report.total_documents} document(s), {report.total_passages} passages.")


def _docs(args: argparse.Namespace) -> int:
    from .pipeline import Pipeline

    pipeline = Pipeline(_settings(args))
    catalog = pipeline.catalog()
    docs = sorted(catalog.documents.values(), key=lambda d: d.name)
    rows = [("name", "type", "pages", "passages", "indexed at")]
    from .console import safe

    rows += [(safe(d.name), safe(d.type), "-" if d.pages is None else str(d.pages), str(d.passages), d.indexed_at or "-")
             for d in docs]
    from .text import display_width as width

    widths = [max(width(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        print("  ".join(" " * (w - width(c)) + c if i in (2, 3) else c + " " * (w - width(c))
                        for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    print(f"{len(docs)} document(s), {catalog.passages()} passages in {settings_where(pipeline.settings)}.")
    if catalog.version is None:
        from .catalog import unfinished_message

        print(unfinished_message(pipeline.settings, catalog), file=sys.stderr)
    return 0


def settings_where(settings) -> str:  # noqa: ANN001 - Settings import is lazy
    return settings.chroma_url or str(settings.store)


def _remove(args: argparse.Namespace) -> int:
    from .pipeline import Pipeline

    settings = _settings(args)
    report = Pipeline(settings).remove(args.names)
    print(f"Deleted {report.deleted} passages ({report.seconds:.1f} s).")
    _print_totals(report)
    return 0


def _ask(args: argparse.Namespace) -> int:
    from .console import safe
    from .corpus import place, section_of
    from .errors import UsageError
    from .pipeline import Pipeline, check_question

    settings = _settings(args)
    check_question(args.question, settings.max_question_chars)  # fail before loading anything
    for earlier in args.history:
        if not earlier.strip():
            raise UsageError("An earlier question given with --history is empty: give each earlier question's text.")
        check_question(earlier, settings.max_question_chars)
    result = Pipeline(settings, once=True).ask(args.question, k=args.k, mode=args.mode, history=args.history)
    if args.json:
        # JSON escapes C0 controls itself; C1 ones (0x9b is a one-byte CSI) must not reach the terminal either.
        print(safe_json(json.dumps(result.to_json(), ensure_ascii=False, indent=2)))
        return 0
    data = result.to_json()
    if result.answer.notice:
        print(safe(f"注意 Notice: {result.answer.notice}\n"))
    print(safe(result.answer.text))
    for s in result.answer.sentences:
        if not s.supported:
            print(safe(f"  ⚠ 未被支持 unsupported: {s.text} ({s.reason})"))
    shown = data["citations"] or [{"n": i, **h} for i, h in enumerate(data["retrieved"][:3], start=1)]
    if shown:
        print("\n来源 Sources:" if data["citations"] else "\n最接近的段落 Closest passages:")
    for c in shown:
        where = place(c["source"], c["start_line"], c["end_line"], c.get("page"), c.get("end_page"))
        head = f" · {section}" if (section := section_of(c)) else ""
        quoted = [s.text for s in result.answer.sentences if c["n"] in s.citations]
        print(safe(f"[{c['n']}] {where}{head}\n    {excerpt(c['text'], quoted)}"))
    return 0


def excerpt(text: str, quoted: list[str], width: int = 120) -> str:
    """The passage from the first sentence the answer quotes of it, `width` characters of it: a long passage's
    opening may not be what was cited."""
    at = min((i for q in quoted if (i := text.find(q)) >= 0), default=0)
    return ("…" if at else "") + text[at: at + width] + ("…" if at + width < len(text) else "")


def safe_json(text: str) -> str:
    """JSON text with C1 control characters and bidi overrides written as \\u escapes (still valid JSON)."""
    import re

    return re.sub(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]", lambda m: f"\\u{ord(m.group()):04x}", text)


def _port_free(host: str, port: int) -> None:
    """Say at once that the port is taken, before minutes of loading."""
    import socket

    from .errors import UsageError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise UsageError(f"Cannot bind to {host}: {e.strerror}. Give an address of this machine, e.g. --host 127.0.0.1.") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as e:
            raise UsageError(
                f"Port {port} on {host} is in use ({e.strerror}); another `rag chat` may be running. "
                f"Choose another: `rag chat --port {port + 1 if port < 65535 else 7860}`."
            ) from None


def _chat(args: argparse.Namespace) -> int:
    settings = _settings(args)
    _port_free(args.host, args.port)
    from .app import serve

    return serve(settings, host=args.host, port=args.port, auth=args.auth)


def _fetch(args: argparse.Namespace) -> int:
    from .fetchmodel import fetch_model

    path = fetch_model(args.dir or _settings(args).cache_dir)
    print(f"{path}\nUse it with: rag ask --llm gguf:{path} \"…\" (needs pip install -e '.[local]')")
    return 0


def _eval(args: argparse.Namespace) -> int:
    from .report import run_cli

    return run_cli(_settings(args), args)


def _fit(args: argparse.Namespace) -> int:
    from .fit import run_cli

    return run_cli(_settings(args), args)


if __name__ == "__main__":
    sys.exit(main())
