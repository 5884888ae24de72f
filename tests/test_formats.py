"""PDF, Word and web pages added through the CLI and through the web chat's Documents tab, end to end."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from rag.config import load_settings
from rag.pipeline import Pipeline

from .conftest import running_chat
from .samples import (DOCX_FACTS, HANDBOOK, HTML_FACTS, PDF_FACTS, Fact, make_docx, make_encrypted_pdf, make_html,
                      make_pdf, make_scan_pdf)
from .test_app import CHROMIUM, CHROMIUM_ARGS
from .test_cli import rag

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FACTS = [(f, "handbook.pdf") for f in PDF_FACTS] + [(f, "notes.docx") for f in DOCX_FACTS] + \
        [(f, "policy.html") for f in HTML_FACTS]
PAGES = len(HANDBOOK) + 1  # the last chapter runs onto a second page
BROKEN = ["locked.pdf", "notes.docx", "scan.pdf", "truncated.pdf"]


@dataclass
class Files:
    good: Path
    broken: Path

    def __getitem__(self, name: str) -> Path:
        return self.good / name


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    good = tmp_path_factory.mktemp("good")
    pdf = make_pdf(good / "handbook.pdf")
    make_docx(good / "notes.docx")
    make_html(good / "policy.html")
    broken = tmp_path_factory.mktemp("broken")
    (broken / "truncated.pdf").write_bytes(pdf.read_bytes()[: pdf.stat().st_size // 3])
    make_encrypted_pdf(broken / "locked.pdf", pdf)
    (broken / "notes.docx").write_text("这是一个改了扩展名的文本文件。", encoding="utf-8")
    make_scan_pdf(broken / "scan.pdf")
    return Files(good, broken)


def check_citation(fact: Fact, source: str, citations: list[dict]) -> None:
    """The answer's citation holding the fact names its document and the place to look: page or heading."""
    holding = [c for c in citations if fact.answer in c["text"]]
    assert holding, citations
    c = holding[0]
    assert c["source"] == source
    if fact.page is not None:
        assert c["page"] == fact.page
    else:
        assert c["page"] is None and fact.heading in c["heading"]


# -- the command line -----------------------------------------------------------


@pytest.fixture(scope="module")
def cli_store(files: Files, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    store = tmp_path_factory.mktemp("cli") / "vs"
    return store, rag("ingest", str(files.good), str(files.broken), "--store", str(store))


def test_cli_ingest_reads_every_format_and_names_each_broken_file_once(cli_store) -> None:
    _, p = cli_store
    assert p.returncode == 0, p.stderr
    skipped = [ln for ln in p.stderr.splitlines() if ln.startswith("skipped")]
    assert sorted(ln.split()[1].rstrip(":") for ln in skipped) == BROKEN
    assert any("password" in ln for ln in skipped) and any("no text layer" in ln and "OCR" in ln for ln in skipped)
    assert "from 3 file(s)" in p.stdout and "Skipped 4 unreadable file(s)" in p.stdout


def test_cli_answers_cite_the_page_or_heading(cli_store) -> None:
    store, _ = cli_store
    fact = PDF_FACTS[1]
    d = json.loads(rag("ask", fact.question, "--json", "--store", str(store), check=True).stdout)
    assert fact.answer in d["answer"] and not d["abstained"]
    check_citation(fact, "handbook.pdf", d["citations"])
    assert all("page" in h for h in d["retrieved"])
    out = rag("ask", fact.question, "--store", str(store), check=True).stdout
    assert re.search(rf"\[1\] handbook\.pdf p\.{fact.page} \(l\.\d+-\d+\) · 第三章 学生宿舍", out), out
    pipeline = Pipeline(load_settings(store=store))
    for fact, source in FACTS:
        r = pipeline.ask(fact.question).to_json()
        assert not r["abstained"] and fact.answer in r["answer"], (fact, r["answer"])
        check_citation(fact, source, r["citations"])
    docs = rag("docs", "--store", str(store), check=True).stdout
    assert re.search(rf"handbook\.pdf\s+pdf\s+{PAGES}\s+\d+", docs), docs
    assert re.search(r"notes\.docx\s+docx\s+-\s+\d+", docs), docs


def test_cli_a_damaged_copy_loses_nothing_already_indexed(cli_store, files: Files) -> None:
    store, _ = cli_store
    before = rag("docs", "--store", str(store), check=True).stdout
    pdf = files["handbook.pdf"]
    pdf.write_bytes(pdf.read_bytes()[:2000])  # the indexed file, damaged in place
    try:
        p = rag("ingest", str(files.good), "--store", str(store))
    finally:
        make_pdf(pdf)
    assert p.returncode == 0, p.stderr
    skipped = [ln for ln in p.stderr.splitlines() if ln.startswith("skipped")]
    assert len(skipped) == 1 and skipped[0].startswith("skipped handbook.pdf: not a readable PDF")
    assert rag("docs", "--store", str(store), check=True).stdout == before
    d = json.loads(rag("ask", PDF_FACTS[0].question, "--json", "--store", str(store), check=True).stdout)
    check_citation(PDF_FACTS[0], "handbook.pdf", d["citations"])


# -- the web chat ---------------------------------------------------------------


@dataclass
class App:
    url: str
    store: Path


def _serve(store: Path, cache_dir: Path, work: Path, **env_extra: str) -> Iterator[App]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "GRADIO_"))}
    env.update(RAG_CACHE_DIR=str(cache_dir), GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1", **env_extra)
    with running_chat(["--store", str(store)], env, work / "server.log") as url:
        yield App(url, store)


@pytest.fixture(scope="module")
def app(seeded_store: Path, cache_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """`rag chat` over a copy of the seed index, uploads on, a 1 MB upload limit."""
    work = tmp_path_factory.mktemp("docs-app")
    store = work / "vectorstore"
    shutil.copytree(seeded_store, store)
    yield from _serve(store, cache_dir, work, RAG_MAX_UPLOAD_MB="1")


@pytest.fixture
def client(app: App):  # noqa: ANN201 - gradio_client is imported lazily
    from gradio_client import Client

    return Client(app.url, verbose=False)


def upload(client, *paths: Path) -> tuple[str, dict[str, list]]:  # noqa: ANN001
    """Upload through the Documents tab's endpoint: (message, documents table rows by name)."""
    from gradio_client import handle_file

    message, table, _, _, _ = client.predict([handle_file(str(p)) for p in paths], api_name="/upload")
    return message, {r[0]: r for r in table["data"]}


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_browser_uploads_a_pdf_and_gets_an_answer_cited_to_its_page(browser, app: App, files: Files,
                                                                     tmp_path: Path) -> None:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    try:
        page.goto(app.url)
        page.wait_for_selector("#rag-question textarea", timeout=60_000)
        page.get_by_role("tab", name="文档 Documents").click()
        page.locator("#rag-upload input[type=file]").set_input_files(str(files["handbook.pdf"]))
        page.wait_for_function("() => document.querySelector('#rag-upload').innerText.includes('handbook')",
                               timeout=30_000)
        page.click("#rag-upload-go")
        page.wait_for_function(
            "() => (document.querySelector('#rag-docs-message')?.innerText || '').includes('Indexed')",
            timeout=240_000)
        page.wait_for_function(
            "() => document.querySelector('#rag-docs').innerText.includes('handbook.pdf')", timeout=30_000)
        table = page.locator("#rag-docs").inner_text()
        assert "handbook.pdf" in table and "000_259092397a7f129d.txt" in table
        page.wait_for_timeout(1500)  # let the progress overlay fade before the picture
        page.screenshot(path=str(tmp_path / "documents.png"))
        page.get_by_role("tab", name="对话 Chat").click()
        fact = PDF_FACTS[1]
        page.fill("#rag-question textarea", fact.question)
        page.press("#rag-question textarea", "Enter")
        page.wait_for_function(
            f"() => {{ const t = document.querySelector('#rag-chat').innerText;"
            f" return t.includes({json.dumps(fact.answer)}) && t.includes('[1]'); }}", timeout=60_000)
        card = page.locator("#rag-sources #src-1-1")
        card.wait_for()
        assert f"handbook.pdf p.{fact.page}" in card.inner_text()
        assert fact.answer in card.locator("mark").inner_text()
        page.screenshot(path=str(tmp_path / "answer.png"))
        assert (tmp_path / "answer.png").stat().st_size > 10_000
    finally:
        ctx.close()


def test_upload_every_format_then_answers_cite_page_or_heading(client, app: App, files: Files) -> None:
    message, rows = upload(client, files["handbook.pdf"], files["notes.docx"], files["policy.html"])
    assert "Indexed 3" in message, message
    assert rows["handbook.pdf"][1:3] == ["pdf", PAGES] and rows["notes.docx"][1] == "docx"
    assert rows["policy.html"][1] == "html" and "000_259092397a7f129d.txt" in rows, "the seed stays"
    assert sorted(p.name for p in (app.store / "uploads").iterdir()) == ["handbook.pdf", "notes.docx", "policy.html"]
    for fact, source in FACTS:
        r = client.predict(fact.question, 5, "hybrid", api_name="/ask")
        assert not r["abstained"] and fact.answer in r["answer"], (fact, r["answer"])
        check_citation(fact, source, r["citations"])


def test_broken_uploads_get_one_line_each_and_lose_nothing(client, app: App, files: Files, tmp_path: Path) -> None:
    _, before = upload(client, files["notes.docx"])
    good_docx = (app.store / "uploads" / "notes.docx").read_bytes()
    big = tmp_path / "big.txt"
    big.write_text("大" * 400_000, encoding="utf-8")  # 1.2 MB, over the app's 1 MB limit
    old = tmp_path / "minutes.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0 an old Word file")
    message, rows = upload(client, *(files.broken / n for n in BROKEN), big, old)
    lines = [ln for ln in message.split("\n\n") if ln.strip()]
    assert len(lines) == 6 and all(ln.startswith("未加入 Not added: ") for ln in lines), message
    said = {ln.removeprefix("未加入 Not added: ").split(":")[0]: ln for ln in lines}
    assert sorted(said) == sorted([*BROKEN, "big.txt", "minutes.doc"])
    assert "password" in said["locked.pdf"] and "not a Word .docx" in said["notes.docx"]
    assert "1 MB limit" in said["big.txt"] and "not a supported type" in said["minutes.doc"]
    assert rows == before, "nothing indexed changed"
    assert (app.store / "uploads" / "notes.docx").read_bytes() == good_docx, "the broken re-upload replaced nothing"
    assert not (app.store / "uploads" / "big.txt").exists()
    r = client.predict(DOCX_FACTS[0].question, 5, "hybrid", api_name="/ask")
    check_citation(DOCX_FACTS[0], "notes.docx", r["citations"])


def test_a_file_name_is_never_a_path(client, app: App, files: Files) -> None:
    """A browser may send any name: '../escape.html' lands in the uploads folder as escape.html."""
    boundary = uuid.uuid4().hex
    # Not a byte-for-byte copy of policy.html, which would be named as a second copy and not indexed.
    page = files["policy.html"].read_bytes() + "<p>另附：本页由上传测试提交。</p>".encode()
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="../escape.html"\r\n'
            "Content-Type: text/html\r\n\r\n").encode() + page + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(f"{app.url}gradio_api/upload", data=body,
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        (server_path,) = json.loads(r.read())
    message, table, _, _, _ = client.predict(
        [{"path": server_path, "orig_name": "../escape.html", "meta": {"_type": "gradio.FileData"}}],
        api_name="/upload")
    assert "Indexed 1" in message
    names = [r[0] for r in table["data"]]
    assert "escape.html" in names and not any("/" in n or ".." in n for n in names)
    assert (app.store / "uploads" / "escape.html").is_file()
    assert not (app.store / "escape.html").exists() and not (app.store.parent / "escape.html").exists()
    client.predict(["escape.html"], api_name="/remove")


def test_reupload_of_a_changed_file_replaces_its_passages(client, files: Files, tmp_path: Path) -> None:
    changed = tmp_path / "policy.html"
    changed.write_text(files["policy.html"].read_text("utf-8").replace("50Mbps", "80Mbps"), encoding="utf-8")
    _, before = upload(client, files["policy.html"])
    message, rows = upload(client, changed)
    assert "Indexed 1" in message and rows["policy.html"][3] == before["policy.html"][3]
    r = client.predict(HTML_FACTS[0].question, 10, "hybrid", api_name="/ask")
    assert "80Mbps" in r["answer"]
    assert not any("50Mbps" in h["text"] for h in r["retrieved"]), "the old passage is gone"
    upload(client, files["policy.html"])


def test_chat_answers_while_an_upload_is_indexed_and_two_uploads_queue(client, files: Files, tmp_path: Path) -> None:
    from gradio_client import handle_file

    upload(client, files["handbook.pdf"])
    # A long PDF keeps the indexer busy for a while.
    long_pdf = make_pdf(tmp_path / "regulations.pdf", chapters=[
        (f"第{n}部分 细则", [f"第{n}部分第{k}条：本条规定了第{n}类事务的第{k}项办理要求，办理时限为{n + k}个工作日，"
                          f"申请人须提交书面材料一式{k}份，由相关部门审核后予以答复。" * 3 for k in range(1, 5)])
        for n in range(1, 16)])
    first = client.submit([handle_file(str(long_pdf))], api_name="/upload")
    second = client.submit([handle_file(str(files["notes.docx"]))], api_name="/upload")
    time.sleep(3)
    while_busy = client.predict(PDF_FACTS[0].question, 5, "hybrid", api_name="/ask")
    assert not first.done(), "the long upload was still being indexed"
    assert not while_busy["abstained"] and PDF_FACTS[0].answer in while_busy["answer"]
    for job in (first, second):  # the queue takes them one at a time, in either order
        assert "Indexed 1" in job.result(timeout=600)[0]
    _, table, _, status, _ = client.predict(api_name="/documents")
    rows = {r[0]: r for r in table["data"]}
    assert rows["regulations.pdf"][2] == 15
    # The catalog and the index agree after two writers: the passages listed are the passages searched.
    assert f"{sum(r[3] for r in rows.values())} 段 passages" in status, (status, rows)
    r = client.predict("第7部分第3条规定的办理时限是多少个工作日？", 5, "hybrid", api_name="/ask")
    assert "10个工作日" in r["answer"] and r["citations"][0]["source"] == "regulations.pdf"
    client.predict(["regulations.pdf"], api_name="/remove")


def test_remove_and_reindex(client, app: App, files: Files) -> None:
    upload(client, files["policy.html"])
    message, table, _, _, _ = client.predict(["policy.html"], api_name="/remove")
    assert "Removed" in message and "policy.html" not in [r[0] for r in table["data"]]
    assert not (app.store / "uploads" / "policy.html").exists()
    r = client.predict(HTML_FACTS[0].question, 5, "hybrid", api_name="/ask")
    assert all(c["source"] != "policy.html" for c in r["citations"] + r["retrieved"])
    message, table, _, _, _ = client.predict(["handbook.pdf"], api_name="/reindex")
    assert "Indexed 1" in message
    assert "handbook.pdf" in [r[0] for r in table["data"]]


# -- examples and the uploads switch, in process ------------------------------------


def test_example_questions_belong_to_the_loaded_corpus(copy_store: Path, cache_dir: Path, questions) -> None:
    from rag.app import example_questions
    from rag.examples import QUESTIONS_FILE

    pipeline = Pipeline(load_settings(store=copy_store, cache_dir=cache_dir))
    derived = example_questions(pipeline, pipeline.ask)
    assert derived and not set(derived) & {q["question"] for q in questions}
    for q in derived:
        assert not pipeline.ask(q).answer.abstained
    made_up = [{"question": "甲是什么？", "type": "entity"}, {"question": "火星有几座火山？", "type": "unanswerable"},
               {"question": "乙在哪里？", "case": "answerable"}]
    (copy_store / QUESTIONS_FILE).write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in made_up)
                                             + "not json\n", encoding="utf-8")
    assert example_questions(pipeline, pipeline.ask) == ["甲是什么？", "乙在哪里？"]


def test_uploads_can_be_turned_off(pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    from rag.app import build_app, uploads_allowed

    assert uploads_allowed(load_settings(), "127.0.0.1", None)
    assert not uploads_allowed(load_settings(), "0.0.0.0", None)
    assert uploads_allowed(load_settings(), "0.0.0.0", ("ann", "pw"))
    monkeypatch.setenv("RAG_UPLOADS", "off")
    assert not uploads_allowed(load_settings(), "127.0.0.1", None)
    names = {fn.api_name for fn in build_app(pipeline, uploads=False).fns.values()}
    assert "upload" not in names and "remove" not in names and "ask" in names


def test_a_pdf_printed_by_a_browser_reads_without_a_warning_per_glyph(browser, tmp_path: Path,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    """Chromium's PDFs lack font metrics pdfminer looks for: it warned once per glyph, hundreds of lines an ingest."""
    from rag.readers import read

    page = browser.new_page()
    try:
        page.set_content("<html><body style='font-family:\"Noto Sans CJK SC\"'><h1>净化器使用说明书</h1>"
                         "<p>滤网的使用寿命约为六个月，指示灯变红时需要更换滤网。</p></body></html>")
        page.pdf(path=str(tmp_path / "manual.pdf"), format="A4")
    finally:
        page.close()
    with caplog.at_level("WARNING"):
        doc = read(tmp_path / "manual.pdf")
    assert "滤网的使用寿命约为六个月" in "".join(ln.text for ln in doc.lines)
    assert not [r for r in caplog.records if r.name.startswith("pdfminer")], caplog.records[:3]


def test_a_number_a_browser_wrapped_onto_the_next_line_stays_in_its_paragraph(browser, tmp_path: Path) -> None:
    """A line of a printed PDF stopped short where 38%。 did not fit; the reader took the short line for a paragraph's
    end, so 比常年偏多 lost its figure and the next passage opened with 38%。."""
    from rag.corpus import load_corpus

    full = "全市各观测站资料经过审核后汇总整理形成本期公报内容" * 4
    page = browser.new_page()
    try:
        page.set_content("<html><body style='font-family:\"Noto Sans CJK SC\"; font-size:20px'>"
                         "<div style='width:20em'><style>p{margin:0}</style>"
                         f"<p>{full}。</p><p>{full}。</p>"
                         "<p>冬季平均气温六点八度降水量一百九十五毫米与往年同期资料比较本季降水比常年偏多38%。"
                         "一月下旬受强寒潮影响城区最低气温降至零下五度为全年最低。</p>"
                         # a paragraph ending on a closing quote, the next opening with a year (review)
                         "<p>公司创办之初就立下规矩要让每一位顾客都能买到货真价实品质可靠新鲜放心食品。”</p>"
                         "<p>2015年，公司营业额首次突破一亿元。</p>"
                         f"<p>{full}。</p></div></body></html>")
        page.pdf(path=str(tmp_path / "climate.pdf"), format="A4")
    finally:
        page.close()
    texts = [c.text for c in load_corpus([tmp_path])]
    assert any("比常年偏多38%。" in t.replace("\n", "") for t in texts), texts
    assert not any(t.startswith("38%") for t in texts), texts
    assert any(t.startswith("2015年，公司营业额") for t in texts), texts
