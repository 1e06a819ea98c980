"""Validate a composed YAML node tree into a `Bank`, collecting every problem with its location.

Works on YAML *nodes* (not constructed Python values) because every node carries the line and
column it came from, so each message can point at the offending key or value. Scalars are read
as text whatever YAML would resolve them to (`1947`, `yes`, `2026-02-09` stay strings): bank
text means itself.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from trainer import cloze, quality
from trainer.core.limits import MAX_EXAM_WINDOW, MIN_EXAM_WINDOW
from trainer.errors import Problem
from trainer.exam import exam_day
from trainer.model import (
    CARD_TYPES,
    CATEGORIES,
    CHOICE_LETTERS,
    MAX_COUNT,
    NOTE_CLASSES,
    Bank,
    BankFile,
    Deck,
    Note,
    Source,
    is_slug,
    whole_number,
)
from trainer.schedulers import MAX_DESIRED_RETENTION, MIN_DESIRED_RETENTION, SCHEDULERS
from trainer.yamltree import NULL_TAG

MIN_CHOICES, MAX_CHOICES = 2, 6
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters bank text may not hold: C0 but tab and line feed, and DEL. Anki joins a
note's fields with U+001F (one inside a field makes it refuse the whole package) and silently
drops the others, so a bank with one would not mean in Anki what it says; the trainer's own
screens would show it as a symbol. One rule for the package and `trainer sync`, which both
read the bank through here: a located error."""

TOP_FIELDS = {"deck": True, "sources": True, "cards": True}
DECK_FIELDS = {
    "name": True,
    "id": False,
    "description": False,
    "new_per_day": False,
    "reviews_per_day": False,
    "day_starts_at": False,
    "scheduler": False,
    "desired_retention": False,
    "redrill_after": False,
    "exam": False,
    "exam_window": False,
}
HOURS_PER_DAY = 24
SOURCE_FIELDS = {"title": True, "publisher": True, "date": False, "url": False}
COMMON_CARD_FIELDS = {"id": True, "type": True, "tags": True, "source": True, "quiet": False}
CARD_FIELDS: dict[str, dict[str, bool]] = {
    "basic": {"front": True, "back": True, "extra": False},
    "reverse": {"front": True, "back": True, "extra": False},
    "cloze": {"text": True, "extra": False},
    "mcq": {"question": True, "choices": True, "answer": True, "explanation": False},
}
"""Fields per card type; True marks a required field."""
_ALL_CARD_FIELDS = sorted(
    set(COMMON_CARD_FIELDS).union(*(fields for fields in CARD_FIELDS.values()))
)


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _unexpected_field(key: str, spec: dict, where: str, others: list[str] | None) -> str:
    if others and key in others:
        owners = [name for name, fields in CARD_FIELDS.items() if key in fields]
        return f"{where}: field {key!r} belongs to {'/'.join(owners)} cards, not this type"
    return f"{where}: unknown field {key!r}" + _did_you_mean(key, others or list(spec))


def _positions(entries: dict[str, tuple[ScalarNode, Node]]) -> dict[str, tuple[int, int]]:
    """1-based line and column of each field's value, and of each choice as `choices[i]`."""
    positions = {}
    for key, (_, value) in entries.items():
        positions[key] = (value.start_mark.line + 1, value.start_mark.column + 1)
        if key == "choices" and isinstance(value, SequenceNode):
            for index, choice in enumerate(value.value):
                mark = choice.start_mark
                positions[f"choices[{index}]"] = (mark.line + 1, mark.column + 1)
    return positions


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return "empty" if node.tag == NULL_TAG else "text"


class Validator:
    """One pass over the node tree; `problems` collects everything wrong."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    # -- reporting and node helpers ------------------------------------------------------

    def report(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.file, mark.line + 1, mark.column + 1, message))

    def fields(
        self,
        node: Node,
        spec: dict[str, bool] | None,
        where: str,
        others: list[str] | None = None,
    ) -> dict[str, tuple[ScalarNode, Node]] | None:
        """A mapping's entries by key; reports duplicates, unknown and missing fields.

        `spec` None accepts any key. `others` are field names valid elsewhere (e.g. for
        another card type), used for hints.
        """
        if not isinstance(node, MappingNode):
            self.report(node, f"{where} must be a mapping of fields, not {_kind(node)}")
            return None
        entries: dict[str, tuple[ScalarNode, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.report(key_node, f"{where}: field names must be text")
                continue
            key = key_node.value
            if key in entries:
                first = entries[key][0].start_mark.line + 1
                self.report(key_node, f"{where}: duplicate field {key!r} (first on line {first})")
                continue
            entries[key] = (key_node, value_node)
            if spec is not None and key not in spec:
                self.report(key_node, _unexpected_field(key, spec, where, others))
        for key, required in (spec or {}).items():
            if required and key not in entries:
                self.report(node, f"{where}: missing required field {key!r}")
        return entries

    def text(self, node: Node, what: str, *, required: bool = True) -> str | None:
        """A scalar's text, stripped; reports lists, mappings and (if required) empty values."""
        if not isinstance(node, ScalarNode):
            self.report(node, f"{what} must be text, not {_kind(node)}")
            return None
        value = "" if node.tag == NULL_TAG else node.value.strip()
        control = CONTROL_RE.search(value)
        if control is not None:
            self.report(
                node,
                f"{what} holds the control character U+{ord(control.group()):04X} (character "
                f"{control.start() + 1} of the text), which Anki cannot keep: remove it",
            )
            return None
        if not value and required:
            self.report(node, f"{what} must not be empty")
            return None
        return value or None

    def count(self, node: Node, what: str) -> int | None:
        value = self.text(node, what)
        if value is None:
            return None
        number = whole_number(value)
        if number is None:
            self.report(node, f"{what} must be a whole number 0-{MAX_COUNT}, not {value!r}")
        return number

    def optional_text(self, entries: dict[str, tuple[ScalarNode, Node]], key: str, what: str):
        if key not in entries:
            return None
        return self.text(entries[key][1], f"{what}: {key!r}", required=False)

    # -- the bank ------------------------------------------------------------------------

    def bank(self, root: Node | None, path: Path, file: BankFile | None = None) -> Bank | None:
        if root is None:
            self.problems.append(Problem(self.file, 1, 1, "the bank is empty"))
            return None
        top = self.fields(root, TOP_FIELDS, "the bank")
        if top is None:
            return None
        deck = self.deck(top["deck"][1]) if "deck" in top else None
        sources = self.sources(top["sources"][1]) if "sources" in top else {}
        notes = self.cards(top["cards"][1], sources) if "cards" in top else []
        if self.problems or deck is None:
            return None
        return Bank(path=path, deck=deck, sources=sources, notes=tuple(notes), file=file)

    def deck(self, node: Node) -> Deck | None:
        entries = self.fields(node, DECK_FIELDS, "deck")
        if entries is None or "name" not in entries:
            return None
        name = self.text(entries["name"][1], "deck: 'name'")
        deck_id = self.text(entries["id"][1], "deck: 'id'") if "id" in entries else None
        settings: dict[str, int | None] = {
            key: self.count(entries[key][1], f"deck: {key!r}")
            for key in ("new_per_day", "reviews_per_day", "redrill_after")
            if key in entries
        }
        if "day_starts_at" in entries:
            node = entries["day_starts_at"][1]
            hour = self.count(node, "deck: 'day_starts_at'")
            if hour is not None and hour >= HOURS_PER_DAY:
                self.report(node, f"deck: 'day_starts_at' is an hour 0-23, not {hour}")
            settings["day_starts_at"] = hour
        choice = self.scheduler_choice(entries)
        exam = self.exam(entries)
        invalid_id = "id" in entries and deck_id is None
        if name is None or invalid_id or None in settings.values() or choice is None:
            return None
        if exam is None:
            return None
        scheduler, retention = choice
        return Deck(
            name=name,
            id=deck_id,
            description=self.optional_text(entries, "description", "deck"),
            new_per_day=settings.get("new_per_day"),
            reviews_per_day=settings.get("reviews_per_day"),
            day_starts_at=settings.get("day_starts_at"),
            redrill_after=settings.get("redrill_after"),
            scheduler=scheduler,
            desired_retention=retention,
            exam=exam[0],
            exam_window=exam[1],
            exam_line=exam[2],
        )

    def exam(
        self, entries: dict[str, tuple[ScalarNode, Node]]
    ) -> tuple[date | None, int | None, int] | None:
        """`(exam day, window, line)` as given (None: absent); None if either is wrong."""
        day = window = None
        line = 0
        if "exam" in entries:
            node = entries["exam"][1]
            line = node.start_mark.line + 1
            value = self.text(node, "deck: 'exam'")
            if value is None:
                return None
            day = exam_day(value)
            if day is None:
                self.report(
                    node,
                    f"deck: 'exam' is a date like 2027-05-24 (1970-01-02 to 9899-12-31),"
                    f" not {value!r}",
                )
                return None
        if "exam_window" in entries:
            node = entries["exam_window"][1]
            window = self.count(node, "deck: 'exam_window'")
            if window is None:
                return None
            if not MIN_EXAM_WINDOW <= window <= MAX_EXAM_WINDOW:
                self.report(
                    node,
                    f"deck: 'exam_window' is {MIN_EXAM_WINDOW}-{MAX_EXAM_WINDOW} days,"
                    f" not {window}",
                )
                return None
        return day, window, line

    def scheduler_choice(
        self, entries: dict[str, tuple[ScalarNode, Node]]
    ) -> tuple[str | None, float | None] | None:
        """`(scheduler, desired_retention)` as given (None: absent); None if either is wrong."""
        scheduler = retention = None
        if "scheduler" in entries:
            node = entries["scheduler"][1]
            scheduler = self.text(node, "deck: 'scheduler'")
            if scheduler is None:
                return None
            if scheduler not in SCHEDULERS:
                options = " or ".join(repr(option) for option in SCHEDULERS)
                hint = _did_you_mean(scheduler.lower(), list(SCHEDULERS))
                self.report(node, f"deck: 'scheduler' is {options}, not {scheduler!r}{hint}")
                return None
        if "desired_retention" in entries:
            retention = self.retention(entries["desired_retention"][1])
            if retention is None:
                return None
        return scheduler, retention

    def retention(self, node: Node) -> float | None:
        what = "deck: 'desired_retention'"
        value = self.text(node, what)
        if value is None:
            return None
        try:
            retention = float(value)
        except ValueError:
            retention = None
        if retention is None or not MIN_DESIRED_RETENTION <= retention <= MAX_DESIRED_RETENTION:
            self.report(
                node,
                f"{what} is a probability from {MIN_DESIRED_RETENTION} to"
                f" {MAX_DESIRED_RETENTION} (e.g. 0.9), not {value!r}",
            )
            return None
        return retention

    def sources(self, node: Node) -> dict[str, Source]:
        entries = self.fields(node, None, "sources")
        if entries is None:
            return {}
        sources = {}
        for key, (key_node, value_node) in entries.items():
            if not is_slug(key):
                self.report(key_node, f"source key {key!r} must be a slug like 'the-hindu'")
                continue
            where = f"source {key!r}"
            fields = self.fields(value_node, SOURCE_FIELDS, where)
            if fields is None or not {"title", "publisher"} <= fields.keys():
                continue
            title = self.text(fields["title"][1], f"{where}: 'title'")
            publisher = self.text(fields["publisher"][1], f"{where}: 'publisher'")
            if title and publisher:
                sources[key] = Source(
                    key=key,
                    title=title,
                    publisher=publisher,
                    date=self.optional_text(fields, "date", where),
                    url=self.optional_text(fields, "url", where),
                )
        return sources

    def cards(self, node: Node, sources: dict[str, Source]) -> list[Note]:
        if not isinstance(node, SequenceNode):
            self.report(node, f"'cards' must be a list of cards, not {_kind(node)}")
            return []
        notes: list[Note] = []
        first_line: dict[str, int] = {}
        for index, card_node in enumerate(node.value, start=1):
            note = self.card(card_node, index, sources)
            if note is None:
                continue
            if note.id in first_line:
                self.report(
                    card_node,
                    f"card {note.id!r}: duplicate id (first used on line {first_line[note.id]})",
                )
                continue
            first_line[note.id] = note.line
            notes.append(note)
        return notes

    # -- one card ------------------------------------------------------------------------

    def card(self, node: Node, index: int, sources: dict[str, Source]) -> Note | None:
        where = f"card #{index}"
        if not isinstance(node, MappingNode):
            self.report(node, f"{where} must be a mapping of fields, not {_kind(node)}")
            return None
        before = len(self.problems)
        entries = {k.value: (k, v) for k, v in node.value if isinstance(k, ScalarNode)}
        card_id = self.card_id(entries, where)
        if card_id is not None:
            where = f"card {card_id!r}"
        card_type = self.card_type(entries, where)
        if card_type is None:  # only the common fields can be checked; accept any known field
            spec = {**dict.fromkeys(_ALL_CARD_FIELDS, False), **COMMON_CARD_FIELDS}
        else:
            spec = {**COMMON_CARD_FIELDS, **CARD_FIELDS[card_type]}
        entries = self.fields(node, spec, where, others=_ALL_CARD_FIELDS) or {}
        tags = self.tags(entries, where)
        cited = self.citations(entries, where, sources)
        quiet = self.quiet(entries["quiet"][1], where) if "quiet" in entries else {}
        values = self.card_fields(entries, card_type, where) if card_type else None
        if len(self.problems) > before or values is None or card_id is None or card_type is None:
            return None
        return NOTE_CLASSES[card_type](
            id=card_id,
            tags=tags,
            sources=cited,
            line=node.start_mark.line + 1,
            column=node.start_mark.column + 1,
            positions=_positions(entries),
            quiet=quiet,
            **values,
        )

    def quiet(self, node: Node, where: str) -> dict[str, str]:
        """`quiet: {rule-name: reason}`: the card-quality rules this card silences, and why."""
        entries = self.fields(node, None, f"{where}: 'quiet'")
        quiet: dict[str, str] = {}
        for rule, (key_node, value_node) in (entries or {}).items():
            if rule not in quality.RULES:
                self.report(
                    key_node,
                    f"{where}: 'quiet' names no card-quality rule {rule!r}"
                    + _did_you_mean(rule, list(quality.RULES)),
                )
                continue
            reason = self.text(value_node, f"{where}: the reason for quieting {rule!r}")
            if reason is not None:
                quiet[rule] = reason
        return quiet

    def card_id(self, entries: dict, where: str) -> str | None:
        if "id" not in entries:
            return None  # reported as a missing field
        card_id = self.text(entries["id"][1], f"{where}: 'id'")
        if card_id is not None and not is_slug(card_id):
            self.report(
                entries["id"][1],
                f"{where}: id {card_id!r} is not a slug (lowercase letters, digits and single "
                "hyphens, starting with a letter, e.g. 'liaison-officers')",
            )
            return None
        return card_id

    def card_type(self, entries: dict, where: str) -> str | None:
        if "type" not in entries:
            return None
        card_type = self.text(entries["type"][1], f"{where}: 'type'")
        if card_type is not None and card_type not in CARD_TYPES:
            self.report(
                entries["type"][1],
                f"{where}: unknown type {card_type!r}{_did_you_mean(card_type, CARD_TYPES)}; "
                f"expected one of {', '.join(CARD_TYPES)}",
            )
            return None
        return card_type

    def tags(self, entries: dict, where: str) -> tuple[str, ...]:
        if "tags" not in entries:
            return ()
        node = entries["tags"][1]
        if not isinstance(node, SequenceNode):
            self.report(node, f"{where}: 'tags' must be a list, e.g. [date, cyber]")
            return ()
        tags: list[str] = []
        for tag_node in node.value:
            tag = self.text(tag_node, f"{where}: a tag")
            if tag is None:
                continue
            if any(ch.isspace() for ch in tag):
                self.report(tag_node, f"{where}: tag {tag!r} contains a space; use a hyphen")
            elif tag in tags:
                self.report(tag_node, f"{where}: duplicate tag {tag!r}")
            else:
                tags.append(tag)
        categories = [tag for tag in tags if tag in CATEGORIES]
        if len(categories) != 1:
            found = f"it has {', '.join(categories)}" if categories else "it has none"
            self.report(
                node,
                f"{where}: needs exactly one category tag out of {', '.join(CATEGORIES)} ({found})",
            )
        return tuple(tags)

    def citations(self, entries: dict, where: str, sources: dict) -> tuple[str, ...]:
        if "source" not in entries:
            return ()
        node = entries["source"][1]
        key_nodes = node.value if isinstance(node, SequenceNode) else [node]
        if not key_nodes:
            self.report(node, f"{where}: 'source' must name at least one source")
        keys: list[str] = []
        for key_node in key_nodes:
            key = self.text(key_node, f"{where}: 'source'")
            if key is None:
                continue
            if key not in sources:
                self.report(
                    key_node,
                    f"{where}: source {key!r} is not defined under 'sources'"
                    + _did_you_mean(key, set(sources)),
                )
            elif key not in keys:
                keys.append(key)
        return tuple(keys)

    def card_fields(self, entries: dict, card_type: str, where: str) -> dict | None:
        """The type-specific fields as constructor arguments, or None if any is invalid."""
        spec = CARD_FIELDS[card_type]
        values: dict = {}
        for key, required in spec.items():
            if key in entries and key not in ("choices", "answer"):
                values[key] = self.text(entries[key][1], f"{where}: {key!r}", required=required)
        if card_type == "cloze":
            self.cloze_text(entries, values, where)
        if card_type == "mcq":
            self.mcq(entries, values, where)
        missing = [key for key, required in spec.items() if required and values.get(key) is None]
        return None if missing else values

    def cloze_text(self, entries: dict, values: dict, where: str) -> None:
        text = values.get("text")
        if text is None:
            return
        node = entries["text"][1]
        try:
            segments = cloze.parse(text)
        except cloze.ClozeSyntaxError as error:
            self.report(node, f"{where}: {error}")
            values["text"] = None
            return
        if not any(isinstance(segment, cloze.Deletion) for segment in segments):
            self.report(node, f"{where}: cloze text has no deletion like '{{{{c1::answer}}}}'")
            values["text"] = None

    def mcq(self, entries: dict, values: dict, where: str) -> None:
        choices = self.choices(entries["choices"][1], where) if "choices" in entries else None
        values["choices"] = choices
        if "answer" not in entries:
            return
        node = entries["answer"][1]
        letter = self.text(node, f"{where}: 'answer'")
        if letter is None:
            values["answer"] = None
            return
        letter = letter.lower()
        if len(letter) != 1 or letter not in CHOICE_LETTERS:
            self.report(node, f"{where}: 'answer' must be one letter a-f, not {letter!r}")
            values["answer"] = None
        elif choices is not None and CHOICE_LETTERS.index(letter) >= len(choices):
            last = CHOICE_LETTERS[len(choices) - 1]
            self.report(node, f"{where}: answer {letter!r} is not one of the choices (a-{last})")
            values["answer"] = None
        else:
            values["answer"] = CHOICE_LETTERS.index(letter)

    def choices(self, node: Node, where: str) -> tuple[str, ...] | None:
        if not isinstance(node, SequenceNode):
            self.report(node, f"{where}: 'choices' must be a list of {MIN_CHOICES}-{MAX_CHOICES}")
            return None
        if not MIN_CHOICES <= len(node.value) <= MAX_CHOICES:
            self.report(
                node,
                f"{where}: an mcq needs {MIN_CHOICES} to {MAX_CHOICES} choices, "
                f"not {len(node.value)}",
            )
            return None
        read = [self.text(choice, f"{where}: a choice") for choice in node.value]
        choices = [choice for choice in read if choice is not None]
        if len(choices) < len(read):
            return None
        for choice_node, choice in _repeats(node.value, choices):
            self.report(choice_node, f"{where}: choice {choice!r} is listed twice")
            return None
        return tuple(choices)


def _repeats(nodes: list[Node], values: list) -> Iterator[tuple[Node, str]]:
    seen: set[str] = set()
    for node, value in zip(nodes, values, strict=True):
        if value in seen:
            yield node, value
        seen.add(value)
