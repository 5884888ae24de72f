"""The web chat: streamed, cited answers beside their sources, plus a JSON endpoint and an Evaluate tab.

Endpoints (for `gradio_client.Client(url)`):
  /ask   (question, k, mode) -> the `rag ask --json` dict
  /chat  (message, history, k, mode) -> (chat history, sources HTML, cleared textbox); streams.
         history is the Chatbot value: [{"role": "user"|"assistant", "content": ...}, ...]; the user turns
         in it are the conversation the follow-up is read against.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from .config import Settings, side_folder
from .errors import RagError, UsageError
from .markup import EMPTY_PANEL, answer_markup, esc, message_text, panel, record_html, sources_html
from .pipeline import Pipeline, Result, check_question

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MODES = ["hybrid", "dense", "keyword"]
N_EXAMPLES = 5
KEEP_TURNS = 10  # earlier turns' sources kept (collapsed) in the panel

CSS = """
.rag-status { font-size: 0.9em; opacity: 0.8; }
.rag-sources { font-size: 0.92em; line-height: 1.6; }
.rag-sources h4 { margin: 0.2em 0 0.5em; }
.rag-sources .src-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px;
  margin: 0 0 10px; background: var(--background-fill-secondary); scroll-margin-top: 80px; }
.rag-sources .src-card.flash { outline: 2px solid var(--color-accent); }
.rag-sources .src-head { font-weight: 600; }
.rag-sources .src-n { color: var(--color-accent); margin-right: 4px; }
.rag-sources .src-loc { font-family: var(--font-mono); font-size: 0.85em; opacity: 0.75; }
.rag-sources .src-score { font-family: var(--font-mono); font-size: 0.85em; opacity: 0.75; margin-left: 6px; }
.rag-sources .src-text { margin-top: 4px; white-space: pre-wrap; }
.rag-sources mark { background: #ffe58a; color: inherit; padding: 0 1px; border-radius: 2px; }
.rag-sources details { margin: 6px 0 10px; }
.rag-sources summary { cursor: pointer; font-weight: 600; }
.rag-sources .muted, .rag-empty { opacity: 0.7; }
.unsupported { text-decoration: underline wavy #d9534f; text-underline-offset: 3px; cursor: help; }
.unsupported .flag { color: #d9534f; font-weight: 600; margin-right: 2px; }
.rag-notice { opacity: 0.8; font-size: 0.92em; }
sup.cite a { text-decoration: none; font-weight: 600; padding: 0 1px; color: var(--color-accent) !important; }
"""

# Citation links jump to their card within the page (opening a collapsed earlier turn if needed).
JS = """
() => {
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest && ev.target.closest('a[href^="#src-"]');
    if (!a) return;
    ev.preventDefault(); ev.stopPropagation();
    const card = document.getElementById(a.getAttribute('href').slice(1));
    if (!card) return;
    for (let d = card.parentElement; d; d = d.parentElement) if (d.tagName === 'DETAILS') d.open = true;
    card.scrollIntoView({behavior: 'smooth', block: 'center'});
    card.classList.add('flash'); setTimeout(() => card.classList.remove('flash'), 1600);
  }, true);
}
"""

_CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "sans-serif"]


def theme() -> gr.themes.Base:
    # Local fonts only: the page must render offline, and Chinese needs a CJK face.
    return gr.themes.Soft(font=_CJK_FONTS, font_mono=["Noto Sans Mono CJK SC", "monospace"])


def status_line(pipeline: Pipeline) -> str:
    s = pipeline.status()
    from .llm import LLMSpec

    spec = LLMSpec.parse(pipeline.settings.llm)
    return (
        f"已加载语料 Corpus: {esc(s['files'])} 个文件 · {esc(s['passages'])} 段 passages · "
        f"模型 model: {esc(s['model'])} · 索引 index: {esc(s['store'])} · "
        f"回答 answers: {esc(spec.label + '（逐句核对 every sentence checked）' if spec else 'extractive')}"
    )


def example_questions(pipeline: Pipeline, ask: Callable[[str], Result], n: int = N_EXAMPLES) -> list[str]:
    """Questions about the loaded corpus: its own question set when one is stored with it, else questions
    about its headings that the pipeline answers from the document the heading is in."""
    from . import examples

    found = examples.stored(side_folder(pipeline.settings), n)
    for d in pipeline.documents():  # a question set beside the documents ingested from a folder
        root = Path(d.root) if d.root else None
        if len(found) < n and root is not None and root.is_dir():
            found += [q for q in examples.stored(root, n) if q not in found][: n - len(found)]
    if found:
        return found
    metas = []
    for _, _, meta in pipeline.index.iter_all():
        metas.append(meta)
        if len(metas) >= 5000:
            break
    for question, source in examples.candidates(metas)[: 4 * n]:
        try:
            answer = ask(question).answer
        except RagError:
            break
        if not answer.abstained and any(c.source == source for c in answer.citations):
            found.append(question)
            if len(found) >= n:
                break
    return found


def build_app(pipeline: Pipeline, uploads: bool = False) -> gr.Blocks:
    """The chat (and its API) over a warm pipeline; launch it with css=CSS, js=JS, theme=theme().

    uploads: whether the Documents tab may add, remove and re-index documents (else it only lists them).
    """
    lock = threading.Lock()  # one question at a time through the model; streaming runs outside it

    def ask_one(question: str) -> Result:
        # Whether the corpus answers an example is the extractive engine's call: a model would take minutes.
        with lock:
            return pipeline.ask(question, extractive=True)

    examples_of: dict[str | None, list[str]] = {}

    def current_examples() -> list[str]:
        """The example questions of the index being served, worked out once per index version."""
        version = pipeline.index.version
        if version not in examples_of:
            found = example_questions(pipeline, ask_one)
            examples_of.clear()
            examples_of[version] = found
        return examples_of[version]

    def shown_examples() -> gr.Dataset:
        found = current_examples()
        return gr.Dataset(samples=[[q] for q in found], visible=bool(found))

    asks = current_examples()
    k_default = min(max(pipeline.settings.k, 1), 10)

    def checked(k: Any, mode: Any) -> int | None:
        if mode not in MODES:
            raise UsageError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        kk = int(k) if k not in (None, "") else None
        if kk is not None and not 1 <= kk <= 50:
            raise UsageError(f"k must be between 1 and 50, got {kk}")
        return kk

    def ask(question: str, k: float, mode: str) -> dict[str, Any]:
        try:
            kk = checked(k, mode)
            with lock:
                return pipeline.ask(question, k=kk, mode=mode).to_json()
        except RagError as e:
            raise gr.Error(str(e)) from None

    def chat(message: str, history: list[dict] | None, k: float, mode: str,
             earlier: list[tuple[str, str]] | None) -> Iterator[tuple[Any, ...]]:
        history = list(history or [])
        earlier = list(earlier or [])
        try:
            question = check_question(message, pipeline.settings.max_question_chars)
            kk = checked(k, mode)
        except UsageError as e:
            if (message or "").strip():  # an empty box is simply ignored
                gr.Warning(str(e))
            yield history, gr.skip(), earlier, message
            return
        asked = [message_text(m["content"]) for m in history if m.get("role") == "user"]
        turn = len(asked) + 1
        history += [{"role": "user", "content": esc(question)}, {"role": "assistant", "content": "…"}]
        yield history, gr.skip(), earlier, ""  # the question shows at once, the answer follows
        streamed = ""
        try:
            with lock:
                for event in pipeline.ask_stream(question, k=kk, mode=mode, history=asked):
                    if isinstance(event, str):  # a generated answer, as the model writes it
                        streamed += event
                        history[-1] = {"role": "assistant", "content": esc(streamed) + " ▍"}
                        yield history, gr.skip(), earlier, ""
                    else:
                        result = event.to_json()
        except RagError as e:
            history[-1] = {"role": "assistant", "content": esc(f"出错 Error: {e}")}
            yield history, gr.skip(), earlier, ""
            raise gr.Error(str(e)) from None
        body = sources_html(result, turn)
        sources = panel(body, earlier)
        earlier = [*earlier, (question, body)][-KEEP_TURNS:]
        # An extractive answer is complete the moment it exists: send it whole, holding no queue slot to pace it.
        history[-1] = {"role": "assistant", "content": answer_markup(result, turn)}
        yield history, sources, earlier, ""

    def clear() -> tuple[Any, ...]:
        return [], EMPTY_PANEL, [], ""

    with gr.Blocks(title="语料问答 · Cited answers", analytics_enabled=False) as demo:
        gr.Markdown("## 语料问答 · 每句答案都注明出处")
        # Re-read on every page load and after every answer: a completed ingest shows without a restart.
        status = gr.Markdown(lambda: status_line(pipeline), elem_classes="rag-status")
        earlier = gr.State([])
        with gr.Tab("对话 Chat"):
            with gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(
                        label="对话", height=520, sanitize_html=True, render_markdown=True,
                        latex_delimiters=[], allow_tags=False, feedback_options=None,
                        buttons=[], elem_id="rag-chat",
                    )
                    with gr.Row():
                        msg = gr.Textbox(
                            placeholder=f"输入问题，例如：{asks[0]}" if asks else "输入问题",
                            show_label=False, scale=6, lines=1, max_lines=4, submit_btn=False,
                            label="message", elem_id="rag-question",
                        )
                        send = gr.Button("提问 Ask", variant="primary", scale=1, min_width=90)
                    new = gr.Button("新对话 New chat", size="sm")
                    examples = gr.Dataset(components=[msg], samples=[[q] for q in asks], elem_id="rag-examples",
                                          label="示例问题（点击提问）", visible=bool(asks))
                    with gr.Accordion("检索设置 Settings", open=False):
                        k = gr.Slider(1, 10, value=k_default, step=1, label="段落数 top k")
                        mode = gr.Radio(MODES, value=pipeline.settings.mode, label="检索方式 retrieval mode")
                with gr.Column(scale=2):
                    sources = gr.HTML(EMPTY_PANEL, label="sources", elem_id="rag-sources")

        with gr.Tab("JSON / API"):
            gr.Markdown(
                "同一问题的完整 JSON（与 `rag ask --json` 相同）。程序调用："
                "`Client(url).predict(question, 5, \"hybrid\", api_name=\"/ask\")`；"
                "对话接口：`api_name=\"/chat\"`，参数 (message, history, k, mode)。"
            )
            with gr.Row():
                api_q = gr.Textbox(label="问题 question", scale=4)
                api_k = gr.Number(k_default, label="k", precision=0, minimum=1, maximum=50, scale=1)
                api_mode = gr.Radio(MODES, value=pipeline.settings.mode, label="mode", scale=2)
            api_go = gr.Button("运行 Run")
            api_out = gr.JSON(label="结果 result")

        documents_tab(pipeline, uploads, status, examples, shown_examples)
        evaluate_tab(pipeline, lock)

        chat_io = dict(inputs=[msg, chatbot, k, mode, earlier], outputs=[chatbot, sources, earlier, msg])
        refresh = dict(fn=lambda: status_line(pipeline), outputs=status, api_visibility="private", queue=False)
        msg.submit(chat, **chat_io, api_name="chat").then(**refresh)
        send.click(chat, **chat_io, api_visibility="private").then(**refresh)
        examples.click(lambda v: v[0], inputs=examples, outputs=msg, api_visibility="private",
                       queue=False).then(chat, **chat_io, api_visibility="private").then(**refresh)
        # A page opened after an ingest (here or by `rag ingest` elsewhere) shows that corpus's examples.
        demo.load(shown_examples, outputs=examples, api_visibility="private", queue=False)
        for reset in (new.click, chatbot.clear):
            reset(clear, outputs=[chatbot, sources, earlier, msg], api_visibility="private", queue=False)
        api_go.click(ask, inputs=[api_q, api_k, api_mode], outputs=api_out, api_name="ask")
        api_q.submit(ask, inputs=[api_q, api_k, api_mode], outputs=api_out, api_visibility="private")
    return demo


SHIPPED_QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "questions.jsonl"
QUESTION_SETS = ["内置题集 tests/questions.jsonl", "上传的 JSONL"]


class _Locked:
    """The pipeline, its model calls taken one at a time under the app's lock (so an evaluation and
    the chat interleave question by question instead of one waiting for the other)."""

    def __init__(self, pipeline: Pipeline, lock: threading.Lock) -> None:
        self._pipeline, self._lock = pipeline, lock

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pipeline, name)

    def ask(self, *args: Any, **kwargs: Any) -> Result:
        with self._lock:
            return self._pipeline.ask(*args, **kwargs)

    def warm(self) -> _Locked:
        with self._lock:
            self._pipeline.warm()
        return self


def evaluate_tab(pipeline: Pipeline, lock: threading.Lock) -> None:
    """Run rag.evaluate on the shipped or an uploaded question set: summary, chart, per-question results."""
    from . import evaluate as ev
    from . import report

    def run_eval(which: str, upload: Any, k: Any, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:
        path = SHIPPED_QUESTIONS if which == QUESTION_SETS[0] else upload
        if not path:
            raise gr.Error("先上传一个 JSONL 题集 (upload a JSONL question set first).")
        try:
            questions = ev.load_questions(path)
            run = ev.evaluate(_Locked(pipeline, lock), questions, k=int(k) if k else None,
                              progress=lambda done, total: progress((done, total), desc="评测中", unit="题"),
                              questions_path=Path(path).name)
        except RagError as e:
            raise gr.Error(str(e)) from None
        folder = Path(tempfile.mkdtemp(prefix="rag-eval-"))
        report_md = report.write_report(run, folder / "report.md", folder / "results.jsonl")
        s = run.summary
        summary = [[label, report.fmt(s.get(key), key)] for key, label, _ in ev.METRICS]
        keys = ["key_fact_accuracy", "hit@5", "mrr@10", "citation_precision", "abstention_accuracy", "latency_p50_ms"]
        by_type = [[t, ts["n"], *(report.fmt(ts.get(key), key) for key in keys)]
                   for t, ts in [*run.by_type.items(), ("all", s)]]
        head = (f"{s['n']} 题（{s['n_answerable']} 可答，{s['n_unanswerable']} 不可答）· k={run.k} · "
                f"{len(run.failures)} 题未通过 · {run.seconds:.1f} s")
        return (esc(head), summary, by_type, str(run.chart_path), record_html(run.records),
                [str(report_md), str(run.output_path), str(run.chart_path)])

    with gr.Tab("评测 Evaluate"):
        with gr.Row():
            which = gr.Radio(QUESTION_SETS, value=QUESTION_SETS[0], label="题集 question set", scale=2)
            upload = gr.File(label="上传 JSONL", file_types=[".jsonl", ".json", ".txt"], type="filepath", scale=2)
            k = gr.Number(ev.EVAL_K, label="k", precision=0, minimum=1, maximum=50, scale=1)
        go = gr.Button("运行评测 Run evaluation", variant="primary")
        head = gr.Markdown()
        with gr.Row():
            summary = gr.Dataframe(headers=["metric", "value"], label="汇总 summary", interactive=False, scale=1)
            chart = gr.Image(label="图表 chart", type="filepath", interactive=False, scale=2)
        by_type = gr.Dataframe(headers=["type", "n", "key-fact acc.", "hit@5", "MRR@10", "cit. precision",
                                        "abstention acc.", "p50 ms"], label="按题型 by type", interactive=False)
        details = gr.HTML(label="逐题结果 per question")
        files = gr.File(label="报告 report, results, chart", file_count="multiple", interactive=False)
        upload.upload(lambda: QUESTION_SETS[1], outputs=which, api_visibility="private", queue=False)
        go.click(run_eval, inputs=[which, upload, k], outputs=[head, summary, by_type, chart, details, files],
                 api_name="evaluate", concurrency_limit=1, show_progress_on=summary)


DOC_HEADERS = ["名称 name", "类型 type", "页数 pages", "段落 passages", "索引时间 indexed"]


def documents_rows(pipeline: Pipeline) -> list[list[Any]]:
    """The table of indexed documents."""
    return [[d.name, d.type, d.pages if d.pages is not None else "", d.passages, d.indexed_at.replace("T", " ")]
            for d in pipeline.documents()]


def documents_tab(pipeline: Pipeline, uploads: bool, status: gr.Markdown, examples: gr.Dataset,
                  shown_examples: Callable[[], gr.Dataset]) -> None:
    """Upload files (checked, safely named, kept in <store>/uploads), list what is indexed, remove and re-index."""
    from . import uploads as up

    def refreshed(message: str) -> tuple[Any, ...]:
        names = [d.name for d in pipeline.documents()]
        return (message, documents_rows(pipeline), gr.Dropdown(choices=names, value=[]), status_line(pipeline),
                shown_examples())

    def ingest(paths: list[Path], progress: gr.Progress) -> str:
        def step(done: int, total: int) -> None:
            progress((done, total), desc="索引中 indexing", unit="段")

        progress(0, desc="读取文件 reading")
        report = pipeline.ingest(paths, progress=step)
        done = (f"已索引 Indexed {report.files} 个文件 file(s): {report.chunks} 段 passages, "
                f"{report.embedded} 段新嵌入 newly embedded ({report.seconds:.1f} s).")
        return "\n\n".join([done, *(f"未加入 Not added: {s.reason}" for s in [*report.skipped, *report.copies])])

    def upload(files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:
        if not uploads:
            raise gr.Error("上传已关闭 Uploads are off (RAG_UPLOADS=off, or the chat is public without --auth).")
        if not files:
            raise gr.Error("先选择文件 Choose one or more files first.")
        offered = up.accept(pipeline.settings, [Path(f) for f in files])
        lines = [f"未加入 Not added: {u.refused}" for u in offered if u.refused]
        good = [u.path for u in offered if not u.refused]
        try:
            if good:
                lines.insert(0, ingest(good, progress))
        except RagError as e:
            lines.insert(0, f"出错 Error: {e}")
        return refreshed("\n\n".join(lines))

    def remove(names: list[str] | None) -> tuple[Any, ...]:
        if not uploads:
            raise gr.Error("管理已关闭 Managing documents is off (RAG_UPLOADS=off).")
        if not names:
            raise gr.Error("先在列表中选择文档 Choose documents first.")
        try:
            report = pipeline.remove(names)
        except RagError as e:
            raise gr.Error(str(e)) from None
        for name in names:
            kept = up.folder(pipeline.settings) / up.safe_name(name)
            if up.safe_name(name) == name and kept.is_file():
                kept.unlink()
        return refreshed(f"已删除 Removed: {', '.join(names)} ({report.deleted} 段 passages).")

    def reindex(names: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:
        if not uploads:
            raise gr.Error("管理已关闭 Managing documents is off (RAG_UPLOADS=off).")
        if not names:
            raise gr.Error("先在列表中选择文档 Choose documents first.")
        known = {d.name: d for d in pipeline.documents()}
        paths, lines = [], []
        for name in names:
            kept = up.folder(pipeline.settings) / up.safe_name(name)
            recorded = Path(getattr(known.get(name), "path", "") or "")
            path = kept if up.safe_name(name) == name and kept.is_file() else recorded
            if path.name and path.is_file():
                paths.append(path)
            else:
                lines.append(f"{name}: 原文件已不在 its file is gone; upload it again.")
        try:
            if paths:
                lines.insert(0, ingest(paths, progress))
        except RagError as e:
            lines.insert(0, f"出错 Error: {e}")
        return refreshed("\n\n".join(lines))

    with gr.Tab("文档 Documents", elem_id="rag-docs-tab"):
        if uploads:
            types = sorted(up.SUFFIXES)
            gr.Markdown(f"上传 {' '.join(types)} 文件（每个不超过 {pipeline.settings.max_upload_mb} MB）。"
                        "索引期间，对话照常使用原有索引回答；索引完成后立即使用新文档。同名文件再次上传会替换原来的段落。")
            # No file_types filter: Gradio would refuse the whole batch for one wrong file; accept() names each.
            files = gr.File(label=f"上传文件 upload files ({' '.join(types)})", file_count="multiple",
                            type="filepath", elem_id="rag-upload")
            add = gr.Button("上传并索引 Upload and index", variant="primary", elem_id="rag-upload-go")
        else:
            gr.Markdown("上传已关闭（RAG_UPLOADS=off，或对外开放而未设置 --auth）。用 `rag ingest PATH` 添加文档。")
        message = gr.Markdown(elem_id="rag-docs-message")
        refresh = gr.Button("刷新 Refresh", size="sm", elem_id="rag-docs-refresh")
        table = gr.Dataframe(documents_rows(pipeline), headers=DOC_HEADERS, interactive=False,
                             label="已索引的文档 indexed documents", elem_id="rag-docs")
        with gr.Row(visible=uploads):
            chosen = gr.Dropdown([d.name for d in pipeline.documents()], multiselect=True, scale=3,
                                 allow_custom_value=True, label="选择文档 choose documents", elem_id="rag-docs-choice")
            drop = gr.Button("删除 Remove", variant="stop", scale=1, elem_id="rag-docs-remove")
            again = gr.Button("重新索引 Re-index", scale=1, elem_id="rag-docs-reindex")
        outputs = [message, table, chosen, status, examples]
        # One writer at a time in this process (the store's lock guards against other processes).
        write = dict(concurrency_limit=1, concurrency_id="index-write")
        # A CLI ingest in another process shows up here too (the pipeline picks up a completed ingest).
        refresh.click(lambda: refreshed(""), outputs=outputs, api_name="documents")
        if uploads:
            add.click(upload, inputs=files, outputs=outputs, api_name="upload", show_progress_on=table, **write)
            drop.click(remove, inputs=chosen, outputs=outputs, api_name="remove", **write)
            again.click(reindex, inputs=chosen, outputs=outputs, api_name="reindex", show_progress_on=table, **write)


def parse_auth(auth: str | None, host: str) -> tuple[str, str] | None:
    """user:password from --auth or RAG_AUTH; required when binding beyond this machine."""
    auth = auth or os.environ.get("RAG_AUTH") or None
    if auth is None:
        if host not in LOCAL_HOSTS:
            raise UsageError(
                f"Binding to {host} exposes the chat to the network: give credentials with "
                "--auth user:password (or env RAG_AUTH=user:password), or bind to 127.0.0.1."
            )
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user or not password:
        raise UsageError("--auth / RAG_AUTH must look like user:password (both parts non-empty).")
    return user, password


def uploads_allowed(settings: Settings, host: str, credentials: tuple[str, str] | None) -> bool:
    """Adding documents is for the owner: on unless RAG_UPLOADS=off, never on a public bind without credentials."""
    return settings.uploads and (host in LOCAL_HOSTS or credentials is not None)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, auth: str | None = None) -> int:
    """Load the model and index once, then serve the chat until interrupted. Never shares; ingests only what
    the Documents tab is given (when uploads are allowed)."""
    credentials = parse_auth(auth, host)
    uploads = uploads_allowed(settings, host, credentials)
    pipeline = Pipeline(settings).warm()  # raises IndexNotFoundError (run `rag ingest`) when there is no index
    s = pipeline.status()
    print(f"Loaded {s['passages']} passages from {s['files']} file(s) in {s['store']} ({s['model']}).", flush=True)
    demo = build_app(pipeline, uploads=uploads)
    # Questions go through the model one at a time (the lock in build_app); the queue's workers overlap the
    # rest (network, rendering), and a full queue refuses new questions instead of letting waits grow.
    demo.queue(default_concurrency_limit=settings.concurrency, max_size=settings.queue_size)
    demo.launch(
        server_name=host, server_port=port, share=False, auth=credentials, show_error=True,
        ssr_mode=False, mcp_server=False, theme=theme(), css=CSS, js=JS,
        footer_links=["api", "settings"],
    )
    return 0
