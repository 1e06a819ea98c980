"""The key-hint bar at the bottom of every screen: ` space Show answer  012345 Grade  q Quit`.

Why not Textual's `Footer`: it mounts one widget per key, and each `FooterKey`'s data-bound
`compact` watcher restyles it (`set_class` -> `update_node_styles` -> `Stylesheet.apply`). With the
review screen's ~14 keys that cost 0.17 s before the first card (issue #7: 0.55 s -> 0.38 s at
10,000 cards without the Footer). This bar is ONE widget that draws the same hints as one line of
`Content`, so its cost does not grow with the number of keys: first card 0.47 s with Footer,
0.31 s with this bar (10,000 cards; a bare one-label Textual app: 0.22 s). Do not "fix" it back.

It follows Footer's rules: the keys of the screen's active bindings, in their order (priority
bindings first: `_priority_first`); `show=False`
and `check_action` -> False hidden, `check_action` -> None dimmed; one entry per action (its
first key); consecutive bindings of one `Binding.Group` as one entry, their keys together and the
group's description. Clicking a key runs its binding; hovering shows the binding's tooltip.
When the hints do not fit, they are drawn compactly (no padding around the keys).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import groupby
from typing import NamedTuple

from textual import events
from textual.binding import ActiveBinding, Binding
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget

KEY_META = "key-bar.key"
"""Style meta naming the key drawn there: what the mouse hovers."""


class KeyHint(NamedTuple):
    key: str
    """The key as bound (`ctrl+z`): what a click presses."""
    display: str
    """The key as shown (`^z`)."""
    enabled: bool
    tooltip: str


class Entry(NamedTuple):
    """A binding's key and description, or a group's keys and the group's description."""

    hints: tuple[KeyHint, ...]
    description: str
    joiner: str = ""
    """Between a group's keys: nothing for a compact group of one-character keys (`012345`)."""


def _priority_first(active: ActiveBinding) -> bool:
    """Sorts the keys that act over any focus (priority bindings: the review screen's `↓ More`)
    before the others, each kind in its order. The review screen's card had the focus once, and
    its scroll keys led the binding chain; the screen's own scroll keys, bound over them, took
    their places, so `↓ More` came first. The card no longer takes the focus; the hints keep
    their order."""
    return not active.binding.priority


def entries(
    active: Iterable[ActiveBinding], key_display: Callable[[Binding], str]
) -> tuple[Entry, ...]:
    """The hints to show for a screen's active bindings, grouped the way Textual's Footer does."""
    first_per_action: dict[str, tuple[Binding, bool, str]] = {}
    for _node, binding, enabled, tooltip in sorted(active, key=_priority_first):
        if binding.show:
            first_per_action.setdefault(binding.action, (binding, enabled, tooltip))
    result: list[Entry] = []
    for group, run in groupby(first_per_action.values(), key=lambda shown: shown[0].group):
        bindings = list(run)
        if group is not None and len(bindings) > 1:
            hints = tuple(
                KeyHint(binding.key, key_display(binding), enabled, tooltip or binding.description)
                for binding, enabled, tooltip in bindings
            )
            together = group.compact and all(len(hint.display) == 1 for hint in hints)
            result.append(Entry(hints, group.description, "" if together else " "))
        else:
            result.extend(
                Entry(
                    (KeyHint(binding.key, key_display(binding), enabled, tooltip),),
                    binding.description,
                )
                for binding, enabled, tooltip in bindings
            )
    return tuple(result)


class KeyBar(Widget):
    """One line of key hints for the screen it is on; styled by app.tcss (`KeyBar`)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {  # noqa: RUF012 (Textual's convention)
        "key-bar--key",
        "key-bar--description",
        "key-bar--disabled",
        "key-bar--hover",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(Widget.auto_links, False)  # else the keys take the link colour
        self.entries: tuple[Entry, ...] = ()
        self.hovered: str | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        shown = entries(screen.active_bindings.values(), self.app.get_key_display)
        if shown != self.entries:
            self.entries = shown
            self.refresh()

    # -- drawing ---------------------------------------------------------------------

    def render(self) -> Content:
        spacious = self._line(pad=" ", gap="")
        if spacious.cell_length <= self.size.width:
            return spacious
        compact = self._line(pad="", gap=" ")
        if compact.cell_length <= self.size.width or self.size.height < 2:
            return compact
        return self._lines(self.size.width)

    def _lines(self, width: int) -> Content:
        """The compact hints on as many lines as they need, broken between hints only (a
        wrapping widget would part a key from its label: `q` / `Quit`)."""
        lines: list[list[Content]] = [[]]
        used = 0
        for entry in self.entries:
            drawn = self._entry(entry, "")
            if lines[-1] and used + 1 + drawn.cell_length > width:
                lines.append([])
                used = 0
            used += drawn.cell_length + (1 if lines[-1] else 0)
            lines[-1].append(drawn)
        return Content("\n").join(Content(" ").join(line) for line in lines)

    def _line(self, *, pad: str, gap: str) -> Content:
        return Content(gap).join(self._entry(entry, pad) for entry in self.entries)

    def _entry(self, entry: Entry, pad: str) -> Content:
        if len(entry.hints) > 1:
            keys = Content(entry.joiner).join(
                Content.styled(hint.display, self._style(hint, "key-bar--key"))
                for hint in entry.hints
            )
            label = f" {entry.description}{pad}"
            return Content.assemble(
                pad, keys, (label, self.get_visual_style("key-bar--description"))
            )
        hint = entry.hints[0]
        if not entry.description:
            return Content.styled(f"{pad}{hint.display}{pad}", self._style(hint, "key-bar--key"))
        return Content.assemble(
            (f"{pad}{hint.display}", self._style(hint, "key-bar--key")),
            (f" {entry.description}{pad}", self._style(hint, "key-bar--description")),
        )

    def _style(self, hint: KeyHint, component: str) -> Style:
        """The component's style, dimmed if disabled, highlighted if hovered; a click presses it."""
        components = [component]
        if not hint.enabled:
            components.append("key-bar--disabled")
        if hint.key == self.hovered:
            components.append("key-bar--hover")
        click = Style.from_meta({"@click": f"press({hint.key!r})", KEY_META: hint.key})
        return self.get_visual_style(*components) + click

    # -- mouse -----------------------------------------------------------------------

    async def action_press(self, key: str) -> None:
        """Run what the key does now, as pressing it would; ring the bell if it is disabled."""
        active = self.screen.active_bindings.get(key)
        if active is None:
            return
        if not active.enabled:
            self.app.bell()
            return
        await self.app.run_action(active.binding.action, active.node)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(event.style.meta.get(KEY_META))

    def on_leave(self, _: events.Leave) -> None:
        self._hover(None)

    def _hover(self, key: str | None) -> None:
        if key == self.hovered:
            return
        self.hovered = key
        tooltips = {hint.key: hint.tooltip for entry in self.entries for hint in entry.hints}
        self.tooltip = tooltips.get(key or "") or None
        self.refresh()
