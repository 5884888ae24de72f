"""The web chat, end to end: the real app in a subprocess, driven by gradio_client and a headless Chromium."""

from __future__ import annotations

import html
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.config import load_settings
from rag.errors import IndexNotFoundError, UsageError

from .conftest import free_port, running_chat

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
KASHGAR = "喀什职业技术学院与多少家企业签订了合作协议？"
ANSWERABLE = [
    (KASHGAR, "238"),
    ("和田职业技术学院三年来建立健全了多少项制度？", "56项"),
    ("“浙学通”（长辈版）是谁开发推出的？", "浙江开放大学"),
]
# Off-topic: the corpus has nothing on it. (台州老年开放大学的老年无人机班学费是多少？ should abstain too,
# but the pipeline currently answers it with the passage about the 无人机班.)
UNANSWERABLE = "火星上有多少座火山？"
XSS = "<img src=x onerror=alert(1)> <script>alert(2)</script> 喀什职业技术学院"



@pytest.fixture(scope="module")
def app_url(seeded_store: Path, cache_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`rag chat` on a copy of the seed index, started once for the module."""
    work = tmp_path_factory.mktemp("app")
    store = work / "vectorstore"
    shutil.copytree(seeded_store, store)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "GRADIO_"))}
    env.update(RAG_CACHE_DIR=str(cache_dir), GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1")
    with running_chat(["--store", str(store)], env, work / "server.log", wait=120) as url:
        yield url

@pytest.fixture
def client(app_url: str):  # noqa: ANN201 - gradio_client is imported lazily
    from gradio_client import Client

    return Client(app_url, verbose=False)


# -- the program API -----------------------------------------------------------


@pytest.mark.parametrize(("question", "fact"), ANSWERABLE, ids=["kashgar-238", "hotan-56", "zhexuetong"])
def test_ask_answers_with_a_citation_holding_the_fact(client, question: str, fact: str) -> None:
    r = client.predict(question, 5, "hybrid", api_name="/ask")
    assert set(r) >= {"question", "answer", "abstained", "citations", "retrieved"}
    assert not r["abstained"]
    assert fact in r["answer"]
    holding = [c for c in r["citations"] if fact in c["text"]]
    assert holding, r["citations"]
    assert f"[{holding[0]['n']}]" in r["answer"]
    assert {"source", "start_line", "end_line", "heading", "sentences"} <= set(holding[0])


def test_ask_abstains_on_what_the_corpus_lacks(client) -> None:
    r = client.predict(UNANSWERABLE, 5, "hybrid", api_name="/ask")
    assert r["abstained"]
    assert r["answer"] == "语料中没有找到与该问题相关的信息。"
    assert r["citations"] == []
    assert r["retrieved"], "the closest passages are still returned"


def test_ask_honours_k_and_mode_and_rejects_bad_input(client) -> None:
    from gradio_client.exceptions import AppError

    r = client.predict(KASHGAR, 2, "keyword", api_name="/ask")
    assert len(r["retrieved"]) == 2
    assert "238" in r["answer"]
    with pytest.raises(AppError, match="empty"):
        client.predict("   ", 5, "hybrid", api_name="/ask")


def test_chat_streams_and_follows_up(client) -> None:
    job = client.submit(KASHGAR, [], 5, "hybrid", api_name="/chat")
    history, sources, box = job.result()
    first, *_ = job.outputs()
    assert first[0][-1]["content"][0]["text"] == "…", "the question shows before its answer exists"
    assert len(job.outputs()) == 2, "the extractive answer arrives whole, not paced"
    assert box == ""
    answer = history[-1]["content"][0]["text"]
    assert "238" in answer and 'href="#src-1-1"' in answer
    assert 'id="src-1-1"' in sources and "<mark>" in sources
    assert "000_259092397a7f129d.txt:73-75" in html.unescape(sources)
    history, _, _ = client.predict("那和田职业技术学院呢？", history, 5, "hybrid", api_name="/chat")
    follow = history[-1]["content"][0]["text"]
    assert "和田" in follow and "56" in follow, follow
    assert [m["role"] for m in history] == ["user", "assistant"] * 2


def test_evaluate_endpoint_scores_an_uploaded_question_set(client, questions: list[dict], tmp_path: Path) -> None:
    from gradio_client import handle_file

    picked = [q for q in questions if q["id"] in ("q002", "q003", "q022")]
    picked.append({"id": "mars", "question": UNANSWERABLE, "answer": "", "evidence": [], "must_contain": [],
                   "type": "unanswerable"})
    path = tmp_path / "mini.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in picked), encoding="utf-8")
    head, summary, by_type, chart, details, files = client.predict(
        "上传的 JSONL", handle_file(str(path)), 5, api_name="/evaluate")
    assert "4 题" in head
    rows = dict(summary["data"])
    assert rows["key-fact accuracy"] == "1.000" and rows["correct abstention"] == "1.000"
    assert [r[0] for r in by_type["data"]] == ["numeric", "entity", "unanswerable", "all"]
    assert Path(chart).read_bytes()[:4] == b"\x89PNG"
    assert sorted(Path(f).name for f in files) == ["report.md", "report.png", "results.jsonl"]
    assert "✓ q002" in details and "238" in details and "<mark>" in details


def test_escaping_shows_text_as_typed() -> None:
    from rag.markup import esc, message_text

    raw = "<img src=x onerror=alert(1)> **b** [l](javascript:x) $$x$$ 'q' \"d\" & #h"
    shown = esc(raw)
    assert not set("<>\"'*[]()$#") & set(shown.replace("&#", "").replace(";", ""))
    assert html.unescape(shown) == raw
    assert message_text([{"type": "text", "text": shown}]) == raw


# -- a real browser ------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url: str):  # noqa: ANN201
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(app_url)
    pg.wait_for_selector("#rag-question textarea", timeout=60_000)
    yield pg
    ctx.close()


def _ask(page, question: str) -> None:
    page.evaluate("""() => {
        window.__seen = [];
        const chat = document.querySelector('#rag-chat');
        new MutationObserver(() => window.__seen.push(chat.innerText))
            .observe(chat, {childList: true, subtree: true, characterData: true});
    }""")
    page.fill("#rag-question textarea", question)
    page.press("#rag-question textarea", "Enter")


def test_browser_streams_a_cited_answer_beside_its_source(page, tmp_path: Path) -> None:
    _ask(page, KASHGAR)
    page.wait_for_function(
        "() => { const t = document.querySelector('#rag-chat').innerText; return t.includes('238') && t.includes('[1]'); }",
        timeout=30_000,
    )
    seen = page.evaluate("window.__seen")
    assert any("喀什职业技术学院" in s and "238" not in s for s in seen), "the question did not show before its answer"
    link = page.locator('#rag-chat a[href="#src-1-1"]')
    assert link.inner_text() == "[1]"
    card = page.locator("#rag-sources #src-1-1")
    card.wait_for()
    assert "238家企业" in card.locator("mark").inner_text()
    assert "000_259092397a7f129d.txt:73-75" in card.inner_text()
    assert "其他检索到但未引用的段落" in page.locator("#rag-sources").inner_text()
    link.click()
    page.wait_for_selector("#src-1-1.flash", timeout=5_000)
    page.screenshot(path=str(tmp_path / "chat.png"))
    assert (tmp_path / "chat.png").stat().st_size > 10_000


def test_browser_shows_markup_in_questions_as_text(page) -> None:
    _ask(page, XSS)
    page.wait_for_function("() => document.querySelector('#rag-chat').innerText.includes('[1]')", timeout=30_000)
    page.wait_for_timeout(500)
    assert "<img src=x onerror=alert(1)>" in page.locator("#rag-chat").inner_text()
    assert "<script>alert(2)</script>" in page.locator("#rag-sources").inner_text()
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("[...document.scripts].some(s => s.textContent.includes('alert(2)'))") is False
    assert page.dialogs == []


# -- serve's rules, without launching ------------------------------------------


def test_serve_refuses_the_network_without_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rag.app import parse_auth, serve

    settings = load_settings(store=tmp_path / "none")
    with pytest.raises(UsageError, match="--auth"):
        serve(settings, host="0.0.0.0", port=free_port())
    with pytest.raises(UsageError, match="user:password"):
        parse_auth("nopassword", "0.0.0.0")
    assert parse_auth(None, "127.0.0.1") is None
    assert parse_auth("ann:s3:cret", "0.0.0.0") == ("ann", "s3:cret")
    monkeypatch.setenv("RAG_AUTH", "bob:pw")
    assert parse_auth(None, "::") == ("bob", "pw")


def test_serve_without_an_index_says_to_ingest_and_builds_nothing(tmp_path: Path) -> None:
    from rag.app import serve

    store = tmp_path / "empty"
    with pytest.raises(IndexNotFoundError, match="rag ingest"):
        serve(load_settings(store=store), host="127.0.0.1", port=free_port())
    assert not (store / "chroma.sqlite3").exists()
