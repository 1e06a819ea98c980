"""Change the deck's settings in the bank file itself, keeping everything else byte for byte
(comments, order, quoting). The bank stays the one place the deck's settings live; this only
saves the user a trip to the editor (`trainer limits`)."""

from __future__ import annotations

import codecs
import os
from collections.abc import Mapping
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from trainer.bank import compose, parse_bank, read_file
from trainer.errors import TrainerError
from trainer.files import replace_atomically

DECK_KEY = "deck"


def _deck(root: Node | None, file: str) -> MappingNode:
    if isinstance(root, MappingNode):
        for key, value in root.value:
            if isinstance(key, ScalarNode) and key.value == DECK_KEY:
                if isinstance(value, MappingNode) and not value.flow_style and value.value:
                    return value
                mark = value.start_mark
                raise TrainerError(
                    f"{file}:{mark.line + 1}:{mark.column + 1}: 'deck' is not written one key "
                    "a line; change the setting in the file"
                )
    raise TrainerError(f"{file}: the bank has no 'deck' section")


def with_deck_settings(text: str, file: str, settings: Mapping[str, object]) -> str:
    """`text` with each of `settings` set in its `deck:` mapping: a value already there is
    replaced where it stands, a new key is added after the deck's last one; a value None
    removes the key's line (one written on a line of its own)."""
    removed = [name for name, value in settings.items() if value is None]
    if removed:
        text = _without(text, file, removed)
    settings = {name: value for name, value in settings.items() if value is not None}
    if not settings:
        return text
    deck = _deck(compose(text, file), file)
    lines = text.splitlines(keepends=True)
    present = {key.value: value for key, value in deck.value if isinstance(key, ScalarNode)}
    for name, number in settings.items():
        value = present.get(name)
        if isinstance(value, ScalarNode) and value.start_mark.line == value.end_mark.line:
            line, start, end = value.start_mark.line, value.start_mark.column, value.end_mark.column
            lines[line] = lines[line][:start] + str(number) + lines[line][end:]
        elif value is not None:
            mark = value.start_mark
            raise TrainerError(f"{file}:{mark.line + 1}:{mark.column + 1}: cannot change {name!r}")
    added = [name for name in settings if name not in present]
    if added:
        last = deck.value[-1][1].end_mark
        at = last.line if last.column == 0 else last.line + 1
        indent = " " * deck.value[0][0].start_mark.column
        newline = "\r\n" if lines[0].endswith("\r\n") else "\n"  # as the file's lines end
        if at > 0 and not lines[at - 1].endswith("\n"):
            lines[at - 1] += newline
        lines[at:at] = [f"{indent}{name}: {settings[name]}{newline}" for name in added]
    return "".join(lines)


def _without(text: str, file: str, names: list[str]) -> str:
    """`text` without the deck's lines setting `names` (each alone on its line)."""
    deck = _deck(compose(text, file), file)
    lines = text.splitlines(keepends=True)
    drop = set()
    for key, value in deck.value:
        if isinstance(key, ScalarNode) and key.value in names:
            if key.start_mark.line != value.end_mark.line or len(deck.value) == 1:
                mark = key.start_mark
                raise TrainerError(
                    f"{file}:{mark.line + 1}:{mark.column + 1}: cannot remove {key.value!r}"
                )
            drop.add(key.start_mark.line)
    return "".join(line for number, line in enumerate(lines) if number not in drop)


def _write_in_place(path: Path, data: bytes) -> None:
    """Overwrite the file at `path` itself (its inode), so every hard link to it sees the change;
    a rename would give `path` a new file and leave the other names with the old text."""
    try:
        with path.open("r+b") as file:
            file.write(data)
            file.truncate()
            file.flush()
            os.fsync(file.fileno())
    except OSError as error:
        raise TrainerError(f"cannot write {path}: {error.strerror or error}") from None


def _bom(path: Path) -> bytes:
    """The UTF-8 byte order mark the file starts with (some Windows editors write one), which
    the text read leaves out, so the rewritten file keeps it; else nothing."""
    try:
        with path.open("rb") as file:
            start = file.read(len(codecs.BOM_UTF8))
    except OSError:
        return b""
    return codecs.BOM_UTF8 if start == codecs.BOM_UTF8 else b""


def set_deck_settings(path: Path, settings: Mapping[str, object]) -> None:
    """Rewrite the bank at `path` with `settings` in its deck, after checking that the result
    is a valid bank (BankError otherwise, and the file is left as it was). The new text goes to
    a new file renamed over the old one (atomic; the file's permissions kept), except for a bank
    with hard links: that one is overwritten in place, keeping every link."""
    text, read = read_file(path)
    changed = with_deck_settings(text, str(path), settings)
    parse_bank(changed, path)
    real = Path(read.path)
    data = _bom(real) + changed.encode("utf-8")
    if real.stat().st_nlink > 1:
        _write_in_place(real, data)
    else:
        replace_atomically(path, lambda handle: handle.write(data))
