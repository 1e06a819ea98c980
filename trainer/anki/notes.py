"""Bank notes as Anki note fields: plain text made into HTML that shows as itself.

Pure: no genanki, no I/O. Each note type declares its fields, in Anki's order, and what each
holds (`trainer.notetypes`, `FieldForm`); this module makes their HTML.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from trainer import cloze
from trainer.model import CHOICE_LETTERS, Bank, Citation, Note
from trainer.notetypes import NOTE_TYPES
from trainer.notetypes.anki_form import AnkiField, FieldForm
from trainer.notetypes.mcq import McqNote

_HTML_EXTRA = str.maketrans({"[": "&#91;", "]": "&#93;", "\\": "&#92;"})
"""Brackets too: Anki reads `[sound:...]` and `[latex]` in rendered text. And backslashes:
Anki's reviewer loads MathJax when the card's HTML holds `\\(` or `\\[`."""

CORRECT_MARK = "\u2713"


_CLOZE_OPENING = re.compile(r"\{(?=\{c[\d,]*\d[\d,]*::)")
"""The first brace of what Anki reads as a cloze's opening, `{{c1::` or `{{c1,2::`, in any
field of a cloze note: Anki makes a card for each number it finds in any field."""


def text_to_html(text: str) -> str:
    """Escape `<`, `>`, `&`, `[`, `]`, `\\` and a cloze's opening; keep line breaks as
    `<br>`."""
    escaped = html.escape(text, quote=False).translate(_HTML_EXTRA)
    escaped = _CLOZE_OPENING.sub("&#123;", escaped)
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")


def cloze_to_html(text: str) -> str:
    """Escape the text around and inside deletions, keeping `{{cN::answer::hint}}` intact."""
    parts = []
    for segment in cloze.parse(text):
        if isinstance(segment, cloze.Deletion):
            hint = f"::{text_to_html(segment.hint)}" if segment.hint else ""
            parts.append(f"{{{{c{segment.number}::{text_to_html(segment.answer)}{hint}}}}}")
        else:
            parts.append(text_to_html(segment))
    return "".join(parts)


def _optional(text: str | None) -> str:
    return text_to_html(text) if text else ""


def _choice(letter: str, text: str) -> str:
    return f'<span class="letter">{letter})</span> {text_to_html(text)}'


def choices_html(note: McqNote) -> str:
    """One block per choice, a line break between blocks: Anki's browser reads a line break
    (not a `<div class=...>`) as a space, so its Question column shows `a) 1 million b) 1.8
    million`, not `a) 1 millionb) 1.8 million`."""
    return "\n".join(
        f'<div class="choice">{_choice(letter, choice)}</div>'
        for letter, choice in zip(CHOICE_LETTERS, note.choices, strict=False)
    )


def answer_html(note: McqNote) -> str:
    """The correct choice, marked."""
    choice = _choice(note.answer_letter, note.choices[note.answer])
    return f'<div class="choice correct"><span class="mark">{CORRECT_MARK}</span> {choice}</div>'


@dataclass(frozen=True)
class RenderedNote:
    """What Anki stores for one bank note; `kind` is the note type key in `models.MODELS`."""

    id: str
    kind: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def content_hash(self) -> str:
        """Changes exactly when what Anki would store for this note changes."""
        payload = json.dumps([self.kind, self.fields, self.tags], ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:20]


LINKED_SCHEMES = ("http", "https")


def _link_target(url: str | None) -> str | None:
    """`url` as an `href` value if it is a web address a card may link to: http(s), with a
    host, nothing that is not printable ASCII (no spaces, no control characters); else None and
    the citation is plain text. Escaped for an attribute, brackets and backslashes included."""
    if not url or not url.isascii() or not url.isprintable() or " " in url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINKED_SCHEMES or not parts.hostname:
        return None
    return _CLOZE_OPENING.sub("&#123;", html.escape(url, quote=True).translate(_HTML_EXTRA))


def source_html(citations: Sequence[Citation]) -> str:
    """The Source field: each citation as text, a link to its source where it has a web
    address."""
    parts = []
    for citation in citations:
        text, target = text_to_html(citation.text), _link_target(citation.url)
        parts.append(f'<a href="{target}">{text}</a>' if target else text)
    return "; ".join(parts)


def _attribute(note: Note, field: AnkiField) -> str:
    value: str = getattr(note, field.attribute)
    return value


def _choices(note: Note) -> McqNote:
    if not isinstance(note, McqNote):
        raise TypeError(f"{type(note).__name__} has no choices")
    return note


FORMS: Mapping[FieldForm, Callable[[Note, AnkiField], str]] = {
    FieldForm.TEXT: lambda note, field: text_to_html(_attribute(note, field)),
    FieldForm.OPTIONAL: lambda note, field: _optional(getattr(note, field.attribute)),
    FieldForm.DELETIONS: lambda note, field: cloze_to_html(_attribute(note, field)),
    FieldForm.CHOICES: lambda note, _: choices_html(_choices(note)),
    FieldForm.RIGHT_CHOICE: lambda note, _: answer_html(_choices(note)),
}
"""How each form of field is made from the note (the source, from its citations)."""


def note_fields(note: Note, citations: Sequence[Citation]) -> tuple[str, ...]:
    """Field values in the order of the note type's fields (`trainer.notetypes`)."""
    return tuple(
        source_html(citations) if field.form is FieldForm.SOURCE else FORMS[field.form](note, field)
        for field in NOTE_TYPES[note.type].anki.anki_fields
    )


def render(note: Note, citations: Sequence[Citation]) -> RenderedNote:
    return RenderedNote(note.id, note.type, note_fields(note, citations), note.tags)


def render_bank(bank: Bank) -> tuple[RenderedNote, ...]:
    return tuple(render(note, bank.citations(note)) for note in bank.notes)


def user_tags(
    in_anki: tuple[str, ...], bank_now: tuple[str, ...], bank_before: tuple[str, ...]
) -> tuple[str, ...]:
    """The tags of a note in Anki that the user gave it: all but the ones the bank owns.

    The bank owns the tags it gives the note now and the ones it gave it at the last build
    (so a tag dropped from the bank is dropped in Anki too). Anki compares tags ignoring case.
    """
    owned = {tag.casefold() for tag in (*bank_now, *bank_before)}
    return tuple(tag for tag in in_anki if tag.casefold() not in owned)
