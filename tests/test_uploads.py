"""Upload checks and safe names, and example questions from made-up passages (no model, no server)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.config import load_settings
from rag.examples import candidates, stored, topic
from rag.uploads import accept, folder, safe_name

from .samples import make_docx, make_pdf


@pytest.mark.parametrize(("given", "safe"), [
    ("../x.pdf", "x.pdf"),
    ("..\\..\\x.pdf", "x.pdf"),
    ("/etc/passwd", "passwd"),
    ("C:\\Users\\a\\报告.PDF", "报告.pdf"),
    ("..", "document"),
    (".bashrc.txt", "bashrc.txt"),
    ("<img src=x onerror=alert(1)>.html", "_img src_x onerror_alert(1)_.html"),
    ("a\x00b\x1b[31m.txt", "ab_[31m.txt"),
    ("会议 纪要（终稿）.docx", "会议 纪要（终稿）.docx"),
])
def test_safe_name_is_only_a_name(given: str, safe: str) -> None:
    assert safe_name(given) == safe
    assert "/" not in safe and "\\" not in safe and not safe.startswith(".")


def test_safe_name_keeps_the_suffix_of_a_long_name() -> None:
    name = safe_name("长" * 500 + ".pdf")
    assert len(name) <= 120 and name.endswith(".pdf")


def test_accept_keeps_good_files_and_names_each_refused_one(tmp_path: Path) -> None:
    settings = load_settings(store=tmp_path / "vs", max_upload_mb=1)
    src = tmp_path / "in"
    src.mkdir()
    good = [make_pdf(src / "Handbook.PDF"), make_docx(src / "notes.docx")]
    (src / "fake.docx").write_text("不是 Word 文件", encoding="utf-8")
    (src / "big.txt").write_text("大" * 400_000, encoding="utf-8")
    (src / "tool.exe").write_bytes(b"MZ")
    out = accept(settings, [*good, src / "fake.docx", src / "big.txt", src / "tool.exe"])
    kept = {u.name: u for u in out if not u.refused}
    assert sorted(kept) == ["Handbook.pdf", "notes.docx"]
    assert all(u.path.parent == folder(settings) and u.path.is_file() for u in kept.values())
    refused = {u.name: u.refused for u in out if u.refused}
    assert refused["fake.docx"].startswith("fake.docx: not a Word .docx file")
    assert "over the 1 MB limit" in refused["big.txt"] and "not a supported type" in refused["tool.exe"]
    assert sorted(p.name for p in folder(settings).iterdir()) == ["Handbook.pdf", "notes.docx"]


def test_a_refused_reupload_replaces_nothing(tmp_path: Path) -> None:
    settings = load_settings(store=tmp_path / "vs")
    good = make_docx(tmp_path / "notes.docx")
    accept(settings, [good])
    before = (folder(settings) / "notes.docx").read_bytes()
    bad = tmp_path / "again" / "notes.docx"
    bad.parent.mkdir()
    bad.write_text("文本", encoding="utf-8")
    (u,) = accept(settings, [bad])
    assert u.refused and (folder(settings) / "notes.docx").read_bytes() == before


def test_topics_drop_numbering() -> None:
    assert topic("第三章 学生宿舍") == "学生宿舍"
    assert topic("二、议定事项 / （二）实训基地建设") == "实训基地建设"
    assert topic("1.2 Scope") == "Scope"
    assert topic("总则") == "总则"


def test_candidates_take_each_document_in_turn() -> None:
    metas = [
        {"source": "b.pdf", "order": 1, "heading": "第二章 图书馆", "article": ""},
        {"source": "b.pdf", "order": 0, "heading": "第一章 总则", "article": ""},
        {"source": "a.txt", "order": 0, "heading": "", "article": "甲乙丙丁的报告"},
        {"source": "a.txt", "order": 1, "heading": "", "article": "甲乙丙丁的报告"},
        {"source": "c.html", "order": 0, "heading": "一", "article": ""},  # too short to ask about
    ]
    assert candidates(metas) == [("介绍一下甲乙丙丁的报告", "a.txt"), ("介绍一下总则", "b.pdf"),
                                 ("介绍一下图书馆", "b.pdf")]


def test_stored_questions_skip_unanswerable_and_junk(tmp_path: Path) -> None:
    rows = [{"question": "甲？"}, {"question": "乙？", "type": "unanswerable"}, {"question": "丙？", "case": "missing-fact"},
            {"q": "no question key"}, {"question": "丁？", "case": "answerable"}]
    (tmp_path / "questions.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{broken\n", encoding="utf-8")
    assert stored(tmp_path, 5) == ["甲？", "丁？"]
    assert stored(tmp_path, 1) == ["甲？"]
    assert stored(tmp_path / "nowhere", 5) == []
