"""The `rag` command: thin argparse front, each branch imports its handler lazily."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path


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

    p = sub.add_parser("ingest", help="build or update the index from documents")
    p.add_argument("paths", nargs="*", type=Path, help="folders or files of .txt/.md (default seeds/)")
    p.add_argument("--rebuild", action="store_true", help="drop the index and start over")
    _common(p)

    p = sub.add_parser("ask", help="answer one question with citations")
    p.add_argument("question", help="the question, in Chinese or English")
    p.add_argument("--k", type=int, help="passages to retrieve (default 5)")
    p.add_argument("--mode", choices=["hybrid", "dense", "keyword"], help="retrieval mode (default hybrid)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    _llm(p)
    _common(p)

    p = sub.add_parser("chat", help="open the web chat")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--auth", help="user:password; required when binding beyond 127.0.0.1 (env RAG_AUTH)")
    _llm(p)
    _common(p)

    p = sub.add_parser("eval", help="score the pipeline on a question set")
    p.add_argument("--questions", type=Path, default=Path("tests/questions.jsonl"))
    p.add_argument("--output", type=Path, default=Path("eval-out/results.jsonl"))
    p.add_argument("--report", type=Path, default=Path("eval-out/report.md"))
    p.add_argument("--k", type=int)
    _llm(p)
    _common(p)

    p = sub.add_parser("fetch-model", help="download the small local test model (Qwen2.5-Coder-1.5B GGUF, 1.1 GB)")
    p.add_argument("--dir", type=Path, help="cache folder (default RAG_CACHE_DIR, ~/.cache/rag)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    from .errors import RagError

    try:
        handler = {"ingest": _ingest, "ask": _ask, "chat": _chat, "eval": _eval, "fetch-model": _fetch}[args.command]
        return handler(args)
    except RagError as e:
        print(f"Error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("Interrupted. Run the same command again to finish: work already stored is kept.", file=sys.stderr)
        return 130


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
        report = Pipeline(settings).ingest(args.paths or None, rebuild=args.rebuild, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    print(
        f"Indexed {report.chunks} passages from {report.files} file(s) into {settings.chroma_url or settings.store}: "
        f"{report.embedded} embedded, {report.chunks - report.embedded} unchanged, {report.deleted} removed "
        f"({report.seconds:.1f} s)."
    )
    return 0


def _ask(args: argparse.Namespace) -> int:
    from .pipeline import Pipeline, check_question

    settings = _settings(args)
    check_question(args.question, settings.max_question_chars)  # fail before loading anything
    result = Pipeline(settings).ask(args.question, k=args.k, mode=args.mode)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return 0
    data = result.to_json()
    if result.answer.notice:
        print(f"注意 Notice: {result.answer.notice}\n")
    print(result.answer.text)
    for s in result.answer.sentences:
        if not s.supported:
            print(f"  ⚠ 未被支持 unsupported: {s.text} ({s.reason})")
    shown = data["citations"] or [{"n": i, **h} for i, h in enumerate(data["retrieved"][:3], start=1)]
    print("\n来源 Sources:" if data["citations"] else "\n最接近的段落 Closest passages:")
    for c in shown:
        where = f"{c['source']}:{c['start_line']}-{c['end_line']}"
        head = f" · {c['heading']}" if c.get("heading") else ""
        text = c["text"] if len(c["text"]) <= 120 else c["text"][:120] + "…"
        print(f"[{c['n']}] {where}{head}\n    {text}")
    return 0


def _chat(args: argparse.Namespace) -> int:
    from .app import serve

    return serve(_settings(args), host=args.host, port=args.port, auth=args.auth)


def _fetch(args: argparse.Namespace) -> int:
    from .fetchmodel import fetch_model

    path = fetch_model(args.dir or _settings(args).cache_dir)
    print(f"{path}\nUse it with: rag ask --llm gguf:{path} \"…\" (needs pip install -e '.[local]')")
    return 0


def _eval(args: argparse.Namespace) -> int:
    from .evaluate import run_cli

    return run_cli(_settings(args), args)


if __name__ == "__main__":
    sys.exit(main())
