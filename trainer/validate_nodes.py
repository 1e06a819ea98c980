"""The validator's reading of YAML nodes: a mapping's fields, a scalar's text, a whole
number, a list's elements, each problem reported where it stands (`NodeReader`)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from trainer.core.limits import MAX_COUNT
from trainer.errors import Problem
from trainer.model import whole_number
from trainer.notetypes import NOTE_TYPES
from trainer.yamltree import NULL_TAG

CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters bank text may not hold: C0 but tab and line feed, and DEL. Anki joins a
note's fields with U+001F (one inside a field makes it refuse the whole package) and silently
drops the others, so a bank with one would not mean in Anki what it says; the trainer's own
screens would show it as a symbol. One rule for the package and `trainer sync`, which both
read the bank through here: a located error."""


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _unexpected_field(key: str, spec: dict[str, bool], where: str, others: list[str] | None) -> str:
    if others and key in others:
        owners = [name for name, note_type in NOTE_TYPES.items() if key in note_type.fields]
        return f"{where}: field {key!r} belongs to {'/'.join(owners)} cards, not this type"
    return f"{where}: unknown field {key!r}" + did_you_mean(key, others or list(spec))


def node_kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return "empty" if node.tag == NULL_TAG else "text"


class NodeReader:
    """Reads nodes of one bank file, collecting every problem in `problems`."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    # -- the bank ------------------------------------------------------------------------

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
            self.report(node, f"{where} must be a mapping of fields, not {node_kind(node)}")
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
            self.report(node, f"{what} must be text, not {node_kind(node)}")
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

    @staticmethod
    def elements(node: Node) -> list[Node] | None:
        """A list's element nodes; None if `node` is not a list."""
        return list(node.value) if isinstance(node, SequenceNode) else None

    def count(self, node: Node, what: str) -> int | None:
        value = self.text(node, what)
        if value is None:
            return None
        number = whole_number(value)
        if number is None:
            self.report(node, f"{what} must be a whole number 0-{MAX_COUNT}, not {value!r}")
        return number

    def optional_text(
        self, entries: dict[str, tuple[ScalarNode, Node]], key: str, what: str
    ) -> str | None:
        if key not in entries:
            return None
        return self.text(entries[key][1], f"{what}: {key!r}", required=False)
