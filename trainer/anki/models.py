"""The four Anki note types, styled for reading in light and night mode.

Model ids, names, field names and template names are part of every user's collection: Anki
matches note types by id and compares field and template names ("schema") on import. Change a
name and Anki treats the note type as a different one, so every updated note would be skipped
as conflicting. Templates and CSS may change freely: the manifest notices and stamps the note
type with a newer modification time, so Anki updates it on the next import.

Plain data: genanki's `Model` is made only for a build (`genanki_model`), so `trainer sync`,
which reads these too, does not import genanki (and the YAML, asyncio and chevron it imports:
60 ms of a sync's start).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from trainer.model import BasicNote, ClozeNote, McqNote, ReverseNote

if TYPE_CHECKING:
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


def _literal(template: dict[str, str]) -> dict[str, str]:
    """The template with both sides inside an element MathJax leaves alone."""
    return template | {side: MATH_IGNORED.format(template[side]) for side in ("qfmt", "afmt")}


def _extra(field: str) -> str:
    return f'{{{{#{field}}}}}<div class="extra">{_isolated(field)}</div>{{{{/{field}}}}}'


@dataclass(frozen=True)
class NoteType:
    """One of the trainer's note types as Anki stores it: fields by name, templates as
    `{"name", "qfmt", "afmt"}`."""

    model_id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[Mapping[str, str], ...]
    css: str = CSS
    cloze: bool = False
    sort_field_index: int = SORT_FIELD_INDEX


def genanki_model(note_type: NoteType) -> genanki.Model:
    """genanki's model of the note type, for writing a package."""
    import genanki

    return genanki.Model(
        note_type.model_id,
        note_type.name,
        fields=[{"name": name} for name in note_type.fields],
        templates=[dict(template) for template in note_type.templates],
        css=note_type.css,
        model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=note_type.sort_field_index,
    )


def _recall_template(name: str, shown: str, hidden: str) -> dict[str, str]:
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


BASIC = NoteType(
    BASIC_MODEL_ID,
    "Trainer \u00b7 Basic",
    fields=("Front", "Back", "Extra", "Source"),
    templates=(_recall_template("Front \u2192 Back", "Front", "Back"),),
)

REVERSE = NoteType(
    REVERSE_MODEL_ID,
    "Trainer \u00b7 Basic (and reversed card)",
    fields=("Front", "Back", "Extra", "Source"),
    templates=(
        _recall_template("Front \u2192 Back", "Front", "Back"),
        _recall_template("Back \u2192 Front", "Back", "Front"),
    ),
)

CLOZE = NoteType(
    CLOZE_MODEL_ID,
    "Trainer \u00b7 Cloze",
    cloze=True,
    fields=("Text", "Extra", "Source"),
    templates=(
        _literal(
            {
                "name": "Cloze",
                "qfmt": f'<div class="prompt">{_isolated("cloze:Text")}</div>',
                "afmt": (
                    f'<div class="prompt">{_isolated("cloze:Text")}</div>\n'
                    f"{_extra('Extra')}\n{SOURCE_HTML}"
                ),
            }
        ),
    ),
)

MCQ_SCRIPT = """\
(function (side) {
  "use strict";
  var STORE = "trainer-mcq-pick";
  var script = document.currentScript;
  var root = (script && script.parentNode) || document;
  var list = root.querySelector(".choices");
  if (!list) return;
  var choices = Array.prototype.slice.call(list.querySelectorAll(".choice"));
  function letterOf(choice) {
    var letter = choice.querySelector(".letter");
    return letter ? letter.textContent.replace(")", "").trim() : "";
  }
  function keyOf() {
    var prompt = root.querySelector(".prompt");
    var text = (prompt ? prompt.textContent : "") + "\\n" + list.textContent;
    var hash = 5381;
    for (var i = 0; i < text.length; i++) hash = (hash * 33 + text.charCodeAt(i)) >>> 0;
    return hash.toString(36) + "." + text.length.toString(36);
  }
  var key = keyOf();
  function save(letter) {
    var state = { key: key, letter: letter };
    window.trainerMcqPick = state;
    try { sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (error) { /* none */ }
  }
  function load() {
    var state = window.trainerMcqPick;
    if (!state || state.key !== key) {
      try {
        state = JSON.parse(sessionStorage.getItem(STORE) || "null");
      } catch (error) {
        state = null;
      }
    }
    return state && state.key === key ? state.letter : null;
  }
  function mark(choice, name, words) {
    choice.classList.add(name);
    var badge = document.createElement("span");
    badge.className = "pick-mark";
    badge.textContent = words;
    choice.appendChild(badge);
  }
  if (side === "answer") {
    window.trainerMcqMove = null;
    var picked = load();
    var answer = root.querySelector(".answer .choice.correct");
    if (!picked || !answer) return;
    var correct = letterOf(answer);
    choices.forEach(function (choice) {
      var letter = letterOf(choice);
      if (letter === picked) {
        choice.classList.add("picked");
        if (letter === correct) mark(choice, "right", "\\u2713 your pick: right");
        else mark(choice, "wrong", "\\u2717 your pick: wrong");
      } else if (letter === correct) {
        mark(choice, "correct", "\\u2713 the answer");
      }
    });
    return;
  }
  save(null);
  function pick(index) {
    choices.forEach(function (choice, at) {
      var badge = choice.querySelector(".pick-mark");
      if (badge) choice.removeChild(badge);
      choice.classList.remove("picked");
      choice.setAttribute("aria-pressed", at === index ? "true" : "false");
    });
    mark(choices[index], "picked", "\\u25c0 your pick");
    save(letterOf(choices[index]));
  }
  choices.forEach(function (choice, index) {
    choice.setAttribute("role", "button");
    choice.setAttribute("aria-pressed", "false");
    choice.onclick = function () { pick(index); };
  });
  list.classList.add("pickable");
  window.trainerMcqMove = function (step) {
    if (!document.body.contains(list)) return false;
    var at = -1;
    choices.forEach(function (choice, index) {
      if (choice.classList.contains("picked")) at = index;
    });
    var count = choices.length;
    pick(at < 0 ? (step > 0 ? 0 : count - 1) : (at + step + count) % count);
    return true;
  };
  if (window.trainerMcqKeys) return;
  window.trainerMcqKeys = true;
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.shiftKey) return;
    var step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
    var move = window.trainerMcqMove;
    if (step && move && move(step)) event.preventDefault();
  });
})"""
"""Makes the choices pickable where the card's scripts run; without them the card is the static
list. The question side resets the pick and takes clicks/taps and the arrow keys; the answer side
marks the picked choice right or wrong, and the correct one, in words as well as colour.

Keys: Anki desktop takes `a` (Add), `b` (Browse), `d` (Decks) and `e` (Edit) before the card sees
them, and `1`-`4` (answer buttons) even on the question side (aqt/main.py `setupKeys`,
aqt/reviewer.py `_shortcutKeys`); AnkiDroid takes `a` (Add note) and `e` (Edit). So letters cannot
pick, and ↓/↑ (which neither binds) move the pick through the choices; Space/Enter then shows the
answer as usual.

Anki desktop keeps one page and swaps each side's HTML into it (globals survive, so one
document-level key listener, guarded by a flag); AnkiDroid may load a page per side, so the pick
is kept in a global and in sessionStorage too. It is keyed by a hash of the question's and
choices' text, so no other card inherits it, and the question side starts without a pick.
Choices take taps through `onclick` (not `addEventListener`): AnkiDroid's reviewer
(assets/scripts/ankidroid-reviewer.js `isInteractable`) then leaves the tap to the card instead
of also taking it as a gesture (such as "tap to show the answer").
Field text is only ever read (`textContent`) and marks are made with `textContent`: card text
stays literal. The front side never holds the answer in any form: the answer side reads it from
its own Answer block."""


def _mcq_script(side: str) -> str:
    return f'<script>\n{MCQ_SCRIPT}("{side}");\n</script>'


_MCQ_QUESTION = (
    f'<div class="prompt">{_isolated("Question")}</div>\n<div class="choices">{{{{Choices}}}}</div>'
)

MCQ = NoteType(
    MCQ_MODEL_ID,
    "Trainer \u00b7 Multiple choice",
    fields=("Question", "Choices", "Answer", "Explanation", "Source"),
    templates=(
        _literal(
            {
                "name": "Multiple choice",
                # Choices and Answer hold one block (its own bidi paragraph) per choice. The
                # answer side repeats the question rather than using {{FrontSide}}, so each side
                # runs exactly one script.
                "qfmt": f"{_MCQ_QUESTION}\n{_mcq_script('question')}",
                "afmt": (
                    f'{_MCQ_QUESTION}\n{ANSWER_RULE}\n<div class="answer">{{{{Answer}}}}</div>\n'
                    f"{_extra('Explanation')}\n{SOURCE_HTML}\n{_mcq_script('answer')}"
                ),
            }
        ),
    ),
)

MODELS = MappingProxyType(
    {
        BasicNote.type: BASIC,
        ReverseNote.type: REVERSE,
        ClozeNote.type: CLOZE,
        McqNote.type: MCQ,
    }
)
"""Note type by bank card type."""
KINDS = MappingProxyType({model.model_id: kind for kind, model in MODELS.items()})
"""Bank card type by note type id."""


def fingerprint(note_type: NoteType) -> str:
    """Changes whenever anything Anki stores for the note type changes (name, CSS, templates)."""
    return json_fingerprint(genanki_model(note_type).to_json(0, 0))


def json_fingerprint(stored: dict[str, Any]) -> str:
    """`fingerprint` of a note type as a package stores it (with its time and deck id)."""
    payload = json.dumps(stored | {"mod": 0, "did": 0}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]
