"""The four Anki note types, styled for reading in light and night mode.

Model ids, names, field names and template names are part of every user's collection: Anki
matches note types by id and compares field and template names ("schema") on import. Change a
name and Anki treats the note type as a different one, so every updated note would be skipped
as conflicting. Templates and CSS may change freely: the manifest notices and stamps the note
type with a newer modification time, so Anki updates it on the next import.
"""

from __future__ import annotations

import hashlib
import json
from types import MappingProxyType

import genanki

BASIC_MODEL_ID = 1897131631
REVERSE_MODEL_ID = 1212146010
CLOZE_MODEL_ID = 1365275433
MCQ_MODEL_ID = 1368272407

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
"""


def _isolated(reference: str) -> str:
    """A field reference (`Front`, `cloze:Text`) in its own `<bdi>`: text in one direction
    (Arabic, Hebrew, Urdu) never reorders the text around it, and takes its own direction."""
    return f"<bdi>{{{{{reference}}}}}</bdi>"


SOURCE_HTML = f'<div class="source">Source: {_isolated("Source")}</div>'
ANSWER_RULE = "<hr id=answer>"


MATH_IGNORED = '<div class="tex2jax_ignore mathjax_ignore">{}</div>'
"""Anki's reviewer typesets `\\(...\\)` and `\\[...\\]` with MathJax 3.2, which skips elements of
class `mathjax_ignore` (`tex2jax_ignore` before 3.2): card text stays literal even after Anki's
editor re-saves a field with plain backslashes. The fields escape backslashes too (see
`trainer.anki.notes`), so as built Anki does not even load MathJax."""


def _literal(template: dict) -> dict:
    """The template with both sides inside an element MathJax leaves alone."""
    return template | {side: MATH_IGNORED.format(template[side]) for side in ("qfmt", "afmt")}


def _extra(field: str) -> str:
    return f'{{{{#{field}}}}}<div class="extra">{_isolated(field)}</div>{{{{/{field}}}}}'


def _fields(*names: str) -> list[dict]:
    return [{"name": name} for name in names]


def _recall_template(name: str, shown: str, hidden: str) -> dict:
    return _literal(
        {
            "name": name,
            "qfmt": f'<div class="prompt">{_isolated(shown)}</div>',
            "afmt": (
                f'{{{{FrontSide}}}}\n{ANSWER_RULE}\n<div class="answer">{_isolated(hidden)}</div>\n'
                f"{_extra('Extra')}\n{SOURCE_HTML}"
            ),
        }
    )


BASIC = genanki.Model(
    BASIC_MODEL_ID,
    "Trainer \u00b7 Basic",
    fields=_fields("Front", "Back", "Extra", "Source"),
    templates=[_recall_template("Front \u2192 Back", "Front", "Back")],
    css=CSS,
    sort_field_index=SORT_FIELD_INDEX,
)

REVERSE = genanki.Model(
    REVERSE_MODEL_ID,
    "Trainer \u00b7 Basic (and reversed card)",
    fields=_fields("Front", "Back", "Extra", "Source"),
    templates=[
        _recall_template("Front \u2192 Back", "Front", "Back"),
        _recall_template("Back \u2192 Front", "Back", "Front"),
    ],
    css=CSS,
    sort_field_index=SORT_FIELD_INDEX,
)

CLOZE = genanki.Model(
    CLOZE_MODEL_ID,
    "Trainer \u00b7 Cloze",
    model_type=genanki.Model.CLOZE,
    fields=_fields("Text", "Extra", "Source"),
    templates=[
        _literal(
            {
                "name": "Cloze",
                "qfmt": f'<div class="prompt">{_isolated("cloze:Text")}</div>',
                "afmt": (
                    f'<div class="prompt">{_isolated("cloze:Text")}</div>\n'
                    f"{_extra('Extra')}\n{SOURCE_HTML}"
                ),
            }
        )
    ],
    css=CSS,
    sort_field_index=SORT_FIELD_INDEX,
)

MCQ = genanki.Model(
    MCQ_MODEL_ID,
    "Trainer \u00b7 Multiple choice",
    fields=_fields("Question", "Choices", "Answer", "Explanation", "Source"),
    templates=[
        _literal(
            {
                "name": "Multiple choice",
                # Choices and Answer hold one block (its own bidi paragraph) per choice.
                "qfmt": (
                    f'<div class="prompt">{_isolated("Question")}</div>\n'
                    '<div class="choices">{{Choices}}</div>'
                ),
                "afmt": (
                    f'{{{{FrontSide}}}}\n{ANSWER_RULE}\n<div class="answer">{{{{Answer}}}}</div>\n'
                    f"{_extra('Explanation')}\n{SOURCE_HTML}"
                ),
            }
        )
    ],
    css=CSS,
    sort_field_index=SORT_FIELD_INDEX,
)

MODELS = MappingProxyType({"basic": BASIC, "reverse": REVERSE, "cloze": CLOZE, "mcq": MCQ})
"""Note type by bank card type."""
KINDS = MappingProxyType({model.model_id: kind for kind, model in MODELS.items()})
"""Bank card type by note type id."""


def fingerprint(model: genanki.Model) -> str:
    """Changes whenever anything Anki stores for the note type changes (name, CSS, templates)."""
    return json_fingerprint(model.to_json(0, 0))


def json_fingerprint(stored: dict) -> str:
    """`fingerprint` of a note type as a package stores it (with its time and deck id)."""
    payload = json.dumps(stored | {"mod": 0, "did": 0}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]
