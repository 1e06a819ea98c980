"""Validate a composed YAML node tree into a `Bank`, collecting every problem with its location.

Works on YAML *nodes* (not constructed Python values) because every node carries the line and
column it came from, so each message can point at the offending key or value. Scalars are read
as text whatever YAML would resolve them to (`1947`, `yes`, `2026-02-09` stay strings): bank
text means itself.
"""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from trainer.bankfile import BankFile
from trainer.core.rules import RULES
from trainer.errors import Problem
from trainer.model import CATEGORIES, Bank, Deck, Note, Source, is_slug
from trainer.notetypes import CARD_TYPES, NOTE_CLASSES, NOTE_TYPES
from trainer.validate_deck import DeckReader
from trainer.validate_nodes import CONTROL_RE, did_you_mean, node_kind

__all__ = ["CONTROL_RE", "Validator"]
"""What the bank reader and the tests use: the validator, and the control characters it refuses."""

TOP_FIELDS = {"deck": True, "sources": True, "cards": True}
SOURCE_FIELDS = {"title": True, "publisher": True, "date": False, "url": False}
COMMON_CARD_FIELDS = {"id": True, "type": True, "tags": True, "source": True, "quiet": False}
_ALL_CARD_FIELDS = sorted(
    set(COMMON_CARD_FIELDS).union(*(note_type.fields for note_type in NOTE_TYPES.values()))
)


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


class Validator(DeckReader):
    """One pass over the node tree; `problems` collects everything wrong."""

    def bank(self, root: Node | None, path: Path, file: BankFile | None = None) -> Bank | None:
        read = self.parts(root)
        if read is None:
            return None
        deck, sources, notes = read
        return Bank(path=path, deck=deck, sources=sources, notes=tuple(notes), file=file)

    def parts(self, root: Node | None) -> tuple[Deck, dict[str, Source], list[Note]] | None:
        """The bank's deck, sources and notes; None if anything is wrong."""
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
        return deck, sources, notes

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
            self.report(node, f"'cards' must be a list of cards, not {node_kind(node)}")
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
            self.report(node, f"{where} must be a mapping of fields, not {node_kind(node)}")
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
            spec = {**COMMON_CARD_FIELDS, **NOTE_TYPES[card_type].fields}
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
            if rule not in RULES:
                self.report(
                    key_node,
                    f"{where}: 'quiet' names no card-quality rule {rule!r}"
                    + did_you_mean(rule, list(RULES)),
                )
                continue
            reason = self.text(value_node, f"{where}: the reason for quieting {rule!r}")
            if reason is not None:
                quiet[rule] = reason
        return quiet

    def card_id(self, entries: dict[str, tuple[ScalarNode, Node]], where: str) -> str | None:
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

    def card_type(self, entries: dict[str, tuple[ScalarNode, Node]], where: str) -> str | None:
        if "type" not in entries:
            return None
        card_type = self.text(entries["type"][1], f"{where}: 'type'")
        if card_type is not None and card_type not in CARD_TYPES:
            self.report(
                entries["type"][1],
                f"{where}: unknown type {card_type!r}{did_you_mean(card_type, CARD_TYPES)}; "
                f"expected one of {', '.join(CARD_TYPES)}",
            )
            return None
        return card_type

    def tags(self, entries: dict[str, tuple[ScalarNode, Node]], where: str) -> tuple[str, ...]:
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

    def citations(
        self, entries: dict[str, tuple[ScalarNode, Node]], where: str, sources: dict[str, Source]
    ) -> tuple[str, ...]:
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
                    + did_you_mean(key, set(sources)),
                )
            elif key not in keys:
                keys.append(key)
        return tuple(keys)

    def card_fields(
        self, entries: dict[str, tuple[ScalarNode, Node]], card_type: str, where: str
    ) -> dict[str, object] | None:
        """The type-specific fields as constructor arguments, or None if any is invalid."""
        note_type = NOTE_TYPES[card_type]
        values: dict[str, object] = {}
        for key, required in note_type.fields.items():
            if key in entries and key not in note_type.read_by_check:
                values[key] = self.text(entries[key][1], f"{where}: {key!r}", required=required)
        if note_type.check is not None:
            note_type.check(self, entries, values, where)
        missing = [
            key
            for key, required in note_type.fields.items()
            if required and values.get(key) is None
        ]
        return None if missing else values
