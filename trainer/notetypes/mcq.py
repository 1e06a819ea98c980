"""`mcq`: a question, 2-6 choices and the letter of the right one; one review item."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from trainer.model import CHOICE_LETTERS, Note, ReviewItem
from trainer.notetypes.anki_form import (
    ANSWER_RULE,
    SOURCE_FIELD,
    SOURCE_HTML,
    AnkiField,
    AnkiNoteType,
    FieldForm,
    extra,
    isolated,
    literal,
)
from trainer.notetypes.base import (
    CHOSEN,
    LETTER,
    OTHER,
    PLAIN,
    RIGHT,
    WRONG,
    Checker,
    Entries,
    NoteType,
    Pieces,
)

MIN_CHOICES, MAX_CHOICES = 2, 6


@dataclass(frozen=True, kw_only=True)
class McqNote(Note):
    type: ClassVar[str] = "mcq"

    question: str
    choices: tuple[str, ...]
    answer: int
    """Index of the correct choice in `choices` (0 is `a`)."""
    explanation: str | None = None

    @property
    def prompt(self) -> str:
        return self.question

    @property
    def answer_letter(self) -> str:
        return CHOICE_LETTERS[self.answer]


def check(checker: Checker, entries: Entries, values: dict[str, object], where: str) -> None:
    """The choices are 2-6 distinct texts; the answer is one letter naming one of them."""
    choices = _choices(checker, entries["choices"][1], where) if "choices" in entries else None
    values["choices"] = choices
    if "answer" not in entries:
        return
    node = entries["answer"][1]
    letter = checker.text(node, f"{where}: 'answer'")
    if letter is None:
        values["answer"] = None
        return
    letter = letter.lower()
    if len(letter) != 1 or letter not in CHOICE_LETTERS:
        checker.report(node, f"{where}: 'answer' must be one letter a-f, not {letter!r}")
        values["answer"] = None
    elif choices is not None and CHOICE_LETTERS.index(letter) >= len(choices):
        last = CHOICE_LETTERS[len(choices) - 1]
        checker.report(node, f"{where}: answer {letter!r} is not one of the choices (a-{last})")
        values["answer"] = None
    else:
        values["answer"] = CHOICE_LETTERS.index(letter)


def _choices(checker: Checker, node: Any, where: str) -> tuple[str, ...] | None:
    nodes = checker.elements(node)
    if nodes is None:
        checker.report(node, f"{where}: 'choices' must be a list of {MIN_CHOICES}-{MAX_CHOICES}")
        return None
    if not MIN_CHOICES <= len(nodes) <= MAX_CHOICES:
        checker.report(
            node,
            f"{where}: an mcq needs {MIN_CHOICES} to {MAX_CHOICES} choices, not {len(nodes)}",
        )
        return None
    read = [checker.text(choice, f"{where}: a choice") for choice in nodes]
    choices = [choice for choice in read if choice is not None]
    if len(choices) < len(read):
        return None
    for choice_node, choice in _repeats(nodes, choices):
        checker.report(choice_node, f"{where}: choice {choice!r} is listed twice")
        return None
    return tuple(choices)


def _repeats(nodes: list[Any], values: list[str]) -> Iterator[tuple[Any, str]]:
    seen: set[str] = set()
    for node, value in zip(nodes, values, strict=True):
        if value in seen:
            yield node, value
        seen.add(value)


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
    f'<div class="prompt">{isolated("Question")}</div>\n<div class="choices">{{{{Choices}}}}</div>'
)

MCQ_ANKI = AnkiNoteType(
    1368272407,
    "Trainer \u00b7 Multiple choice",
    (
        AnkiField("Question", FieldForm.TEXT, "question"),
        AnkiField("Choices", FieldForm.CHOICES),
        AnkiField("Answer", FieldForm.RIGHT_CHOICE),
        AnkiField("Explanation", FieldForm.OPTIONAL, "explanation"),
        SOURCE_FIELD,
    ),
    (
        literal(
            {
                "name": "Multiple choice",
                # Choices and Answer hold one block (its own bidi paragraph) per choice. The
                # answer side repeats the question rather than using {{FrontSide}}, so each side
                # runs exactly one script.
                "qfmt": f"{_MCQ_QUESTION}\n{_mcq_script('question')}",
                "afmt": (
                    f'{_MCQ_QUESTION}\n{ANSWER_RULE}\n<div class="answer">{{{{Answer}}}}</div>\n'
                    f"{extra('Explanation')}\n{SOURCE_HTML}\n{_mcq_script('answer')}"
                ),
            }
        ),
    ),
)


def _part(index: int, note: McqNote, picked: int | None, revealed: bool) -> str:
    if not revealed:
        return CHOSEN if index == picked else PLAIN
    if index == note.answer:
        return RIGHT
    return WRONG if index == picked else OTHER


def _mark(index: int, note: McqNote, picked: int | None, revealed: bool) -> str:
    if revealed and index == note.answer:
        return "\u2713 "
    if revealed and index == picked:
        return "\u2717 "
    return "  "


def _shown(item: ReviewItem, picked: int | None, *, revealed: bool) -> Pieces:
    """The question, then each choice on its line: `  a) Delhi`, marked once revealed."""
    note = item.note
    assert isinstance(note, McqNote), note.type
    pieces: Pieces = [(note.question, PLAIN), ("\n", PLAIN)]
    for index, text in enumerate(note.choices):
        part = _part(index, note, picked, revealed)
        pieces += [
            ("\n", PLAIN),
            (_mark(index, note, picked, revealed), part),
            (f"{CHOICE_LETTERS[index]})", LETTER),
            (" ", PLAIN),
            (text, part),
        ]
    return pieces


def question(item: ReviewItem, picked: int | None) -> Pieces:
    return _shown(item, picked, revealed=False)


def answer(item: ReviewItem, picked: int | None) -> Pieces:
    """The choices marked right and wrong, and the verdict on the one picked."""
    pieces = _shown(item, picked, revealed=True)
    note = item.note
    assert isinstance(note, McqNote), note.type
    if picked is not None:
        right = picked == note.answer
        verdict = "Right!" if right else f"The answer is {note.answer_letter})."
        pieces += [("\n\n", PLAIN), (verdict, RIGHT if right else WRONG)]
    return pieces


def choice(note: Note) -> tuple[int, int]:
    assert isinstance(note, McqNote), note.type
    return len(note.choices), note.answer


MCQ = NoteType(
    position=40,
    note_class=McqNote,
    fields={"question": True, "choices": True, "answer": True, "explanation": False},
    check=check,
    read_by_check=("choices", "answer"),
    anki=MCQ_ANKI,
    aside="explanation",
    question=question,
    answer=answer,
    choice=choice,
)
NOTE_TYPE = MCQ
