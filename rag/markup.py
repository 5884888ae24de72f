"""HTML for the web chat: answers whose [n] link to their source cards, the cards with the cited sentences marked,
and the evaluation's per-question records. Every corpus or user string is escaped: it shows as typed, never as
markup."""

from __future__ import annotations

import html
import re
from typing import Any

from .corpus import place, section_of

# What html.escape escapes (& < > " ') plus every Markdown/template-significant ASCII character, in one pass:
# written as numeric entities they show as themselves and can never form markup, links, math or templates.
_SPECIAL = re.compile(r"[&<>\"'\\`*_{}\[\]()#+\-.!|~$:=/@%^]")
_CITE = re.compile(r"\[(\d+)\]")


def esc(text: Any) -> str:
    """Corpus or user text made safe for HTML and Markdown: shown exactly as typed, never as markup."""
    return _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", str(text))


def where(p: dict[str, Any]) -> str:
    """000_xxx.txt:73-75, report.pdf p.3 (l.34-36), notes.docx"""
    return place(str(p.get("source")), p.get("start_line"), p.get("end_line"), p.get("page"), p.get("end_page"))


def highlight(text: str, sentences: list[str]) -> str:
    """The passage, escaped, with the cited sentences in <mark>."""
    spans: list[tuple[int, int]] = []
    for s in sentences:
        s = s.strip()
        i = text.find(s) if s else -1
        if i >= 0:
            spans.append((i, i + len(s)))
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out, at = [], 0
    for a, b in merged:
        out += [esc(text[at:a]), "<mark>", esc(text[a:b]), "</mark>"]
        at = b
    out.append(esc(text[at:]))
    return "".join(out)


def _card(p: dict[str, Any], anchor: str | None, label: str, marked: list[str], score: float | None = None) -> str:
    head = f'<span class="src-heading">{esc(section)}</span>' if (section := section_of(p)) else ""
    sc = f'<span class="src-score">score {score:.4f}</span>' if score is not None else ""
    ident = f' id="{anchor}"' if anchor else ""
    return (
        f'<div class="src-card"{ident}><div class="src-head"><span class="src-n">{label}</span>{head}</div>'
        f'<div class="src-loc">{esc(where(p))}{sc}</div>'
        f'<div class="src-text">{highlight(p.get("text") or "", marked)}</div></div>'
    )


def sources_html(result: dict[str, Any], turn: int | str, title: bool = True) -> str:
    """The sources of one answer: cited passages (cited sentences marked), then the rest, collapsed."""
    cited = result["citations"]
    ids = {c["chunk_id"] for c in cited}
    rest = [h for h in result["retrieved"] if h["chunk_id"] not in ids]
    parts = [f'<h4>来源 · {esc(result["question"])}</h4>'] if title else []
    for c in cited:
        parts.append(_card(c, f"src-{turn}-{c['n']}", f"[{c['n']}]", c.get("sentences") or []))
    if result["abstained"] and rest:
        parts.append('<p class="muted">没有足够可靠的段落回答这个问题。以下是最接近的段落，仅供参考：</p>')
        summary = f"最接近的段落（{len(rest)}）"
    else:
        summary = f"其他检索到但未引用的段落（{len(rest)}）"
    if rest:
        cards = "".join(_card(h, None, f"#{i}", [], h.get("score")) for i, h in enumerate(rest, start=1))
        parts.append(f"<details><summary>{summary}</summary>{cards}</details>")
    return "".join(parts)


def panel(current: str, earlier: list[tuple[str, str]]) -> str:
    """The sources panel: this answer's sources, then earlier turns' collapsed."""
    older = "".join(
        f"<details><summary>之前的问题：{esc(q)}</summary>{body}</details>" for q, body in reversed(earlier)
    )
    return f'<div class="rag-sources">{current}{older}</div>'


EMPTY_PANEL = '<div class="rag-sources"><p class="rag-empty">提问后，答案引用的段落会显示在这里。</p></div>'


def _plain_markup(result: dict[str, Any], turn: int | str, note: bool = True) -> str:
    """The answer's text escaped, each [n] a link to its source card."""
    known = {c["n"]: c for c in result["citations"]}

    def cite(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in known:
            return esc(m.group())
        return _cite_link(known[n], n, turn)

    text = result["answer"]
    shown, pos = "", 0
    for m in _CITE.finditer(text):
        shown += esc(text[pos : m.start()]) + cite(m)
        pos = m.end()
    shown += esc(text[pos:])
    if result["abstained"] and note and result["retrieved"]:
        shown += "\n\n*最接近的段落列在“来源”栏（已折叠），仅供参考。*"
    return shown


def answer_markup(result: dict[str, Any], turn: int | str, note: bool = True) -> str:
    """A checked answer's chat markup, whole: unsupported sentences marked (the reason on hover), then any notice."""
    from .text import language

    if result["abstained"] or not result.get("sentences"):
        shown = _plain_markup(result, turn, note)
    else:
        known = {c["n"]: c for c in result["citations"]}
        parts = []
        for s in result["sentences"]:
            cites = "".join(_cite_link(known[n], n, turn) for n in s["citations"] if n in known)
            body = esc(s["text"]) + cites
            if not s["supported"]:
                body = f'<span class="unsupported" title="{esc(s["reason"])}"><span class="flag">⚠</span>{body}</span>'
            parts.append(body)
        shown = ("" if language(result["question"]) == "zh" else " ").join(parts)
    if result.get("notice"):
        shown += f'\n\n<span class="rag-notice">⚠ {esc(result["notice"])}</span>'
    return shown


def _cite_link(c: dict[str, Any], n: int, turn: int | str) -> str:
    title = esc(f"来源 [{n}] {where(c)} {section_of(c)}".strip())
    return f'<sup class="cite"><a href="#src-{turn}-{n}" title="{title}">[{n}]</a></sup>'


def message_text(content: Any) -> str:
    """Plain text of a Chatbot message, whatever shape the client sent it in, as the user typed it."""
    if isinstance(content, str):
        raw = content
    elif isinstance(content, dict):
        raw = content.get("text") or content.get("content") or ""
    elif isinstance(content, (list, tuple)):
        raw = "".join(message_text(c) for c in content)
    else:
        raw = ""
    return html.unescape(raw)


def record_html(records: list[dict[str, Any]]) -> str:
    """Per-question results, each expandable to its answer, what failed and its sources."""
    out = []
    for i, r in enumerate(records, start=1):
        bad = r.get("failures") or []
        mark = "✗" if bad else "✓"
        answer = answer_markup(r, f"e{i}", note=False)
        why = "; ".join(bad + (r.get("notes") or []))
        out.append(
            f"<details><summary>{mark} {esc(r['id'])} · {esc(r.get('type', ''))} · {esc(r['question'])}</summary>"
            f'<div class="src-card"><div><b>答案 answer</b>（{r.get("latency_ms", 0):.0f} ms）：{answer}</div>'
            f"<div><b>参考 expected</b>：{esc(r.get('expected') or '—')}</div>"
            f"<div><b>关键事实 must contain</b>：{esc('、'.join(r.get('must_contain') or []) or '—')}</div>"
            + (f'<div class="muted">{esc(why)}</div>' if why else "")
            + f"</div>{sources_html(r, f'e{i}', title=False)}</details>"
        )
    return f'<div class="rag-sources">{"".join(out)}</div>'
