"""Compose a YAML document into located nodes, iteratively, as plain text.

PyYAML's own composer (C or Python) resolves the implicit type of every scalar with a list of
regular expressions in Python, which is most of its cost, and recurses once per nesting level,
which crashes the interpreter on a deeply nested document. A card bank needs neither: its
values are text. So this composer reads libyaml's event stream in a loop, keeps each node's
position, marks only empty values as null, refuses aliases (a bank has no use for them, and
they are how "billion laughs" documents explode), and bounds the nesting depth.
"""

from __future__ import annotations

from typing import cast

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    DocumentStartEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's C parser when PyYAML was built with it; the pure-Python parser otherwise."""

NULL_TAG = "tag:yaml.org,2002:null"
STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"
NULL_VALUES = frozenset({"", "~", "null", "Null", "NULL"})
MAX_DEPTH = 64
"""A bank nests four levels deep; anything beyond this is a mistake or an attack."""


class ComposeError(ValueError):
    """A document this composer refuses; `mark` locates it."""

    def __init__(self, message: str, mark: yaml.Mark, *, nesting: bool = False) -> None:
        super().__init__(message)
        self.mark = mark
        self.nesting = nesting


class _Frame:
    """An open collection and, for a mapping, the key still waiting for its value."""

    __slots__ = ("key", "node")

    def __init__(self, node: MappingNode | SequenceNode) -> None:
        self.node = node
        self.key: Node | None = None

    def add(self, child: Node) -> None:
        if isinstance(self.node, SequenceNode):
            self.node.value.append(child)
        elif self.key is None:
            self.key = child
        else:
            self.node.value.append((self.key, child))
            self.key = None


def compose(text: str, stop: int | None = None) -> Node | None:
    """The single document of `text` as nodes (None if it is empty).

    With `stop`, only the document's start: composing ends before the first collection that is
    an item of a top-level value (a card of a bank's `cards`, say) and starts on line `stop`
    (counted from 0) or later; the collections still open there keep what they hold, and no
    end mark.

    Raises `yaml.MarkedYAMLError` for syntax errors and `ComposeError` for aliases, a second
    document or nesting deeper than `MAX_DEPTH`.
    """
    try:
        return _compose(text, stop)
    except yaml.MarkedYAMLError as error:
        raise _own_nesting_error(text, error) or error from None


def _own_nesting_error(text: str, error: yaml.MarkedYAMLError) -> ComposeError | None:
    """Our nesting error, if `error` is a parser's own depth limit (libyaml's since 0.2.5).

    libyaml's scanner runs ahead of the events, so on a deeply nested document its own limit
    (1000 levels) can trip before the composer sees level `MAX_DEPTH + 1`. Composing the text
    up to libyaml's mark, which holds no more than its limit of levels, finds our limit first
    and locates it exactly where a parser without the limit would: one message on every
    PyYAML version. Any other error composes that prefix without passing `MAX_DEPTH` and stays
    as it was.
    """
    mark = error.problem_mark
    if mark is None:
        return None
    try:
        _compose(text[: mark.index])
    except ComposeError as own:
        if own.nesting:
            return own
    except yaml.YAMLError:
        pass
    return None


def _compose(text: str, stop: int | None = None) -> Node | None:
    root: Node | None = None
    stack: list[_Frame] = []
    documents = 0
    for event in yaml.parse(text, Loader=Loader):
        node: Node
        if isinstance(event, ScalarEvent):
            plain_null = not event.style and event.value in NULL_VALUES
            node = ScalarNode(
                NULL_TAG if plain_null else STR_TAG,
                event.value,
                _mark(event.start_mark),
                _mark(event.end_mark),
                event.style,
            )
        elif isinstance(event, MappingStartEvent | SequenceStartEvent):
            if stop is not None and len(stack) == 2 and _mark(event.start_mark).line >= stop:
                break  # a collection, as a card is: the document's start ends here
            if len(stack) >= MAX_DEPTH:
                raise ComposeError(
                    f"nesting deeper than {MAX_DEPTH} levels", _mark(event.start_mark), nesting=True
                )
            mapping = isinstance(event, MappingStartEvent)
            node = (MappingNode if mapping else SequenceNode)(
                MAP_TAG if mapping else SEQ_TAG, [], _mark(event.start_mark), None, event.flow_style
            )
        elif isinstance(event, CollectionEndEvent):
            stack.pop().node.end_mark = _mark(event.end_mark)
            continue
        elif isinstance(event, AliasEvent):
            raise ComposeError(
                f"aliases ('*{event.anchor}') are not supported in a card bank",
                _mark(event.start_mark),
            )
        else:
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise ComposeError(
                        "a bank is one YAML document; found a second", _mark(event.start_mark)
                    )
            continue
        if stack:
            stack[-1].add(node)
        else:
            root = node
        if isinstance(node, MappingNode | SequenceNode):
            stack.append(_Frame(node))
    return root


def _mark(mark: object) -> yaml.Mark:
    """libyaml's events carry its own `Mark` type, which has the same fields as PyYAML's."""
    return cast(yaml.Mark, mark)
