"""How a note type is kept in Anki, as data: its id, name, fields (and what each holds),
templates and CSS. Each note type module (`trainer.notetypes`) declares its own with these
pieces; `trainer.anki` interprets them (genanki's `Model` for a build, the collection's note
type for a sync, each field's HTML from its `FieldForm`). Pure strings: no genanki, no I/O.

Model ids, names, field names and template names are part of every user's collection: Anki
matches note types by id and compares field and template names ("schema") on import. Change a
name and Anki treats the note type as a different one, so every updated note would be skipped
as conflicting. Templates and CSS may change freely: the manifest notices and stamps the note
type with a newer modification time, so Anki updates it on the next import.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import NamedTuple

SORT_FIELD_INDEX = 0
"""Every note type starts with its question, which Anki's browser sorts by."""

CSS = """\
.card {
  font-family: "Noto Sans", "Segoe UI", system-ui, -apple-system, Roboto, Arial, sans-serif;
  font-size: 21px;
  line-height: 1.55;
  text-align: left;
  color: #1f2328;
  background-color: #fbfaf7;
  max-width: 38em;
  margin: 0 auto;
  padding: 0.5em 1em;
}
.prompt { font-size: 1.05em; }
.answer { font-weight: 600; }
hr#answer { border: none; border-top: 1px solid #d8d4cc; margin: 1em 0; }
.extra { margin-top: 1em; color: #4d535b; font-size: 0.92em; }
.source {
  margin-top: 1.6em; padding-top: 0.4em; border-top: 1px dashed #d8d4cc;
  color: #6b7079; font-size: 0.72em;
}
.source a { color: inherit; text-decoration: underline; text-underline-offset: 0.15em; }
.cloze { font-weight: bold; color: #0b5cad; }
.choice {
  margin: 0.35em 0; padding: 0.3em 0.7em;
  border: 1px solid #d8d4cc; border-radius: 8px;
}
.letter { font-weight: bold; }
.choice.correct { border-color: #1a7f37; background-color: #e6f6ea; }
.mark { color: #1a7f37; font-weight: bold; }

.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  color: #e6e3dc;
  background-color: #1e1f22;
}
.nightMode hr#answer, .night_mode hr#answer,
.nightMode .choice, .night_mode .choice,
.nightMode .source, .night_mode .source { border-color: #45474d; }
.nightMode .extra, .night_mode .extra { color: #b5b1a8; }
.nightMode .source, .night_mode .source { color: #94918a; }
.nightMode .cloze, .night_mode .cloze { color: #8cc4ff; }
.nightMode .choice.correct, .night_mode .choice.correct {
  border-color: #3fb950; background-color: #1d3326;
}
.nightMode .mark, .night_mode .mark { color: #56d364; }

.choices.pickable .choice { cursor: pointer; }
.choice.picked { outline: 2px solid #0b5cad; outline-offset: 1px; }
.choice.right { border-color: #1a7f37; background-color: #e6f6ea; }
.choice.wrong { border-color: #cf222e; background-color: #fdecee; }
.pick-mark { margin-left: 0.6em; font-size: 0.85em; font-weight: bold; white-space: nowrap; }
.nightMode .choice.picked, .night_mode .choice.picked { outline-color: #8cc4ff; }
.nightMode .choice.right, .night_mode .choice.right {
  border-color: #3fb950; background-color: #1d3326;
}
.nightMode .choice.wrong, .night_mode .choice.wrong {
  border-color: #f85149; background-color: #3c1f22;
}
"""


def isolated(reference: str) -> str:
    """A field reference (`Front`, `cloze:Text`) in its own `<bdi>`: text in one direction
    (Arabic, Hebrew, Urdu) never reorders the text around it, and takes its own direction."""
    return f"<bdi>{{{{{reference}}}}}</bdi>"


SOURCE_HTML = f'<div class="source">Source: {isolated("Source")}</div>'
ANSWER_RULE = "<hr id=answer>"


MATH_IGNORED = '<div class="tex2jax_ignore mathjax_ignore">{}</div>'
"""Anki's reviewer typesets `\\(...\\)` and `\\[...\\]` with MathJax 3.2, which skips elements of
class `mathjax_ignore` (`tex2jax_ignore` before 3.2): card text stays literal even after Anki's
editor re-saves a field with plain backslashes. The fields escape backslashes too (see
`trainer.anki.notes`), so as built Anki does not even load MathJax."""


def literal(template: dict[str, str]) -> dict[str, str]:
    """The template with both sides inside an element MathJax leaves alone."""
    return template | {side: MATH_IGNORED.format(template[side]) for side in ("qfmt", "afmt")}


def extra(field: str) -> str:
    return f'{{{{#{field}}}}}<div class="extra">{isolated(field)}</div>{{{{/{field}}}}}'


class FieldForm(StrEnum):
    """What an Anki field holds, made from the note (`trainer.anki.notes` makes the HTML)."""

    TEXT = "text"
    """The note's attribute, plain text shown as itself."""
    OPTIONAL = "optional"
    """The same, empty when the note has none."""
    DELETIONS = "deletions"
    """Text with deletions: the text shown as itself, `{{cN::answer::hint}}` kept for Anki."""
    CHOICES = "choices"
    """The note's choices, one lettered block each."""
    RIGHT_CHOICE = "right_choice"
    """The right choice, marked."""
    SOURCE = "source"
    """The note's citations, linked where they have a web address."""


class AnkiField(NamedTuple):
    name: str
    form: FieldForm
    attribute: str = ""
    """The note's attribute the field is made from (TEXT, OPTIONAL, DELETIONS)."""


SOURCE_FIELD = AnkiField("Source", FieldForm.SOURCE)


class AnkiNoteType(NamedTuple):
    """One of the trainer's note types as Anki stores it: fields by name, templates as
    `{"name", "qfmt", "afmt"}`. A NamedTuple, as `trainer.notetypes.base.NoteType` is (and for
    the same reason: every type's is made before the first card)."""

    model_id: int
    name: str
    anki_fields: tuple[AnkiField, ...]
    templates: tuple[Mapping[str, str], ...]
    css: str = CSS
    cloze: bool = False
    sort_field_index: int = SORT_FIELD_INDEX

    @property
    def fields(self) -> tuple[str, ...]:
        """The field names, in Anki's order."""
        return tuple(field.name for field in self.anki_fields)


def recall_template(name: str, shown: str, hidden: str) -> dict[str, str]:
    return literal(
        {
            "name": name,
            "qfmt": f'<div class="prompt">{isolated(shown)}</div>',
            "afmt": (
                f'{{{{FrontSide}}}}\n{ANSWER_RULE}\n<div class="answer">{isolated(hidden)}</div>\n'
                f"{extra('Extra')}\n{SOURCE_HTML}"
            ),
        }
    )
