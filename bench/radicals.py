"""Build rag/radicals.json: radical code points (Kangxi U+2F00-2FD5, CJK supplement U+2E80-2EFF) -> ideograph;
and the few rare ideographs the font draws as common ones.

Chinese PDFs carry radicals because CJK fonts draw a radical and its ideograph with one glyph, and the PDF's
ToUnicode map then names the glyph by the radical's code point. So the map is read from the same place: the
Simplified Chinese face of Noto Sans CJK (fonts-noto-cjk), where a radical sharing its glyph with an ideograph
maps to that ideograph. Radicals the font draws apart fall back to Unicode's own data: the compatibility
decomposition, else NFKC (Kangxi block), else the Kangxi radical of the same name ("CJK RADICAL BLUE" ->
"KANGXI RADICAL BLUE"). Run: python bench/radicals.py [FONT.ttc]
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
OUT = Path(__file__).resolve().parents[1] / "rag" / "radicals.json"
RADICALS = [*range(0x2E80, 0x2F00), *range(0x2F00, 0x2FD6)]
EXTENSION_A = range(0x3400, 0x4DC0)


def is_ideograph(cp: int) -> bool:
    return 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0x20000 <= cp <= 0x3FFFF


def from_font(font: Path) -> dict[int, str]:
    """Radicals that the SC face draws with an ideograph's glyph; and rare ideographs (Extension A) it draws with a
    common one's (㬵 U+3B35 with 胶's), which a PDF's ToUnicode map may name the same way."""
    from fontTools.ttLib import TTCollection

    faces = TTCollection(str(font)).fonts
    face = next(f for f in faces if f["name"].getDebugName(4).endswith("CJK SC"))
    cmap = face.getBestCmap()
    by_glyph: dict[str, list[int]] = {}
    for cp, glyph in cmap.items():
        by_glyph.setdefault(glyph, []).append(cp)
    out = {}
    for cp in RADICALS:
        same = [c for c in by_glyph.get(cmap.get(cp, ""), []) if is_ideograph(c)]
        if same:
            out[cp] = chr(min(same))
    for cp in EXTENSION_A:
        common = [c for c in by_glyph.get(cmap.get(cp, ""), []) if 0x4E00 <= c <= 0x9FFF]
        if common:
            out[cp] = chr(min(common))
    return out


def from_unicode() -> dict[int, str]:
    """Radicals that Unicode's character data relates to an ideograph."""
    kangxi = {unicodedata.name(chr(cp)).removeprefix("KANGXI RADICAL "): unicodedata.normalize("NFKC", chr(cp))
              for cp in range(0x2F00, 0x2FD6)}
    out = {}
    for cp in RADICALS:
        ch = chr(cp)
        name = unicodedata.name(ch, "")
        if not name:
            continue
        nfkc = unicodedata.normalize("NFKC", ch)
        if nfkc != ch and is_ideograph(ord(nfkc[0])):
            out[cp] = nfkc
        elif (same := kangxi.get(name.removeprefix("CJK RADICAL "))) is not None:
            out[cp] = same
    return out


def build(font: Path = FONT) -> dict[str, str]:
    table = {**from_unicode(), **from_font(font)}
    return {chr(cp): table[cp] for cp in sorted(table)}


if __name__ == "__main__":
    font = Path(sys.argv[1]) if len(sys.argv) > 1 else FONT
    table = build(font)
    OUT.write_text(json.dumps(table, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(table)} code points mapped -> {OUT}")
