"""What Anki stores for a note's text and tags, so a sync compares that and not the bank's text.

Anki normalises what it saves (its `normalize_field` and `normalize_tag_name`): a field loses
its ASCII control characters (tab and line feed kept) and is put in Unicode NFC unless the
user turned "normalize note text" off; a tag is split on spaces, each `::` part put in NFC, rid
of control characters and trimmed (an empty part becomes `blank`), and tags that differ only in
case are one tag, spelt as the collection first knew it. Comparing the bank's own text would
find every such note changed on every sync, and rewrite it each time. Pure: no `anki` import.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

TAG_SEPARATORS = (" ", "\u3000")
KEPT_CONTROLS = frozenset("\n\t")
EMPTY_TAG_PART = "blank"


def _ascii_control(char: str) -> bool:
    return char < " " or char == "\x7f"


def field(text: str, nfc: bool = True) -> str:
    """The field as Anki stores `text`."""
    if any(_ascii_control(char) and char not in KEPT_CONTROLS for char in text):
        text = "".join(c for c in text if not _ascii_control(c) or c in KEPT_CONTROLS)
    return unicodedata.normalize("NFC", text) if nfc else text


def _tag_part(part: str) -> str:
    part = unicodedata.normalize("NFC", part)
    part = "".join(c for c in part if not _ascii_control(c) and c not in TAG_SEPARATORS)
    return part.strip() or EMPTY_TAG_PART


def tags(names: Iterable[str]) -> list[str]:
    """The tags Anki stores for `names`: normalised, split, the first spelling of each kept
    (Anki may spell one as the collection already has it: compare them case-folded)."""
    found: dict[str, str] = {}
    for name in names:
        for tag in name.replace("\u3000", " ").split():
            stored = "::".join(_tag_part(part) for part in tag.split("::"))
            found.setdefault(stored.casefold(), stored)
    return list(found.values())
