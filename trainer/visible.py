"""Text for a terminal: control characters shown as visible symbols, never emitted. Pure.

Bank text, file names and error messages may hold terminal control characters (`ESC[2J`
clears the screen, OSC 52 writes the clipboard, OSC 8 plants a hidden link). Every output
meant for a person passes its text through `visible`, which replaces each C0 control with its
Unicode control picture (ESC -> `␛`), DEL with `␡`, and each C1 control with `␛` and its
7-bit form (CSI U+009B -> `␛[`), so nothing the terminal would act on remains while the text
still says what it holds. JSON output and the Anki package keep the exact text.
"""

from __future__ import annotations

import re
from functools import cache

CONTROL_PICTURES = 0x2400
"""U+2400 is ␀; U+2400 + n pictures the C0 control n."""
DELETE_PICTURE = "\u2421"
C1_START, C1_END = 0x80, 0x9F
C1_OFFSET = 0x40
"""A C1 control is ESC followed by the character 0x40 below it (U+009B = ESC [)."""


def _table(*, keep: str) -> dict[int, str]:
    table = {code: chr(CONTROL_PICTURES + code) for code in range(0x20)}
    table[0x7F] = DELETE_PICTURE
    for code in range(C1_START, C1_END + 1):
        table[code] = chr(CONTROL_PICTURES + 0x1B) + chr(code - C1_OFFSET)
    for character in keep:
        del table[ord(character)]
    return table


_MULTI_LINE = _table(keep="\n\t")
_ONE_LINE = _table(keep="\t")


@cache
def _finder(one_line: bool) -> re.Pattern[str]:
    """A pattern for the characters the table replaces, compiled when first needed: `due` and
    `stats --json` show no bank text, and compiling both cost them 2M instructions."""
    table = _ONE_LINE if one_line else _MULTI_LINE
    return re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(table)) + "]")


def visible(text: str, *, one_line: bool = False) -> str:
    """`text` with every terminal control character shown as a visible symbol.

    Line breaks and tabs stay, unless `one_line`: then a line break shows as `␊` too, so a
    message cannot forge a second line (for example a fake `FILE:LINE:COL:` error).

    Text holding no control character (nearly all) is returned as it is: `str.translate`
    looks each character of a non-ASCII text up in the table (a second for the 13 MB of a
    100,000-card bank's warnings), a search for the controls takes a twentieth of that.
    """
    if one_line:
        return text.translate(_ONE_LINE) if _finder(one_line=True).search(text) else text
    return text.translate(_MULTI_LINE) if _finder(one_line=False).search(text) else text


def clipped(text: str, width: int) -> str:
    """`text` cut to at most `width` characters, a cut ending in `…`."""
    return text if len(text) <= width else text[: width - 1] + "\u2026"


_RAW_IN_JSON = re.compile(f"[\x7f{chr(C1_START)}-{chr(C1_END)}]")
"""DEL and the C1 controls. Replaced with a regular expression rather than `str.translate`, which
maps a non-ASCII text one character at a time: 61 ms against 5 ms for 165 KB of JSON here."""
_RAW_CHARACTERS = tuple(map(chr, range(0x7F, C1_END + 1)))
"""The same characters, each looked for with `in` (a `memchr`-like scan): the 33 scans of
68 KB of non-ASCII JSON take a seventh of the regular expression's search, and nearly every
text holds none of them."""


def _json_escape(control: re.Match[str]) -> str:
    return f"\\u{ord(control.group()):04x}"


def visible_json(value: object) -> str:
    """`value` as one line of JSON whose strings are exact but hold no raw control character.

    `json.dumps` escapes C0 controls itself; DEL and the C1 controls it leaves raw (with
    `ensure_ascii=False`), so they are escaped here: the same JSON value, safe on a terminal.
    Outside strings JSON has no such characters, so escaping them everywhere is exact.
    """
    import json

    text = json.dumps(value, ensure_ascii=False)
    if not any(character in text for character in _RAW_CHARACTERS):
        return text
    return _RAW_IN_JSON.sub(_json_escape, text)
