"""The buttons under the card: "show answer" first, then grades 0-5 with their intervals."""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Button

from trainer.core.grades import GRADES, Grade, passed
from trainer.tui import render
from trainer.tui.messages import GradeChosen, RevealRequested

REVEAL_LABEL = "Show answer (space)"
PRESS_SECONDS = 0.2
"""How long a clicked button shows pressed, as Textual's Button."""


def _button(label: str, button_id: str, classes: str) -> Button:
    """A button that never takes focus, so `enter` and digits always reach the screen."""
    button = Button(label, id=button_id, classes=classes, compact=True)
    button.can_focus = False
    return button


class RevealButton(Widget):
    """The "Show answer (space)" button, looking and clicking as a compact Textual Button (app.tcss
    gives it Button's compact look: bold on $surface, darker when hovered, tinted while pressed).

    The question side shows this one button. A real Button would bring Textual's Button
    stylesheet (57 rules, parsed before the first card) and restyle itself twice on mounting:
    ~37M of 1,452M instructions before the first card (issue #23). The grade buttons, mounted at
    the first reveal, are real Buttons.
    """

    ALLOW_SELECT = False

    def render(self) -> Content:
        return Content(REVEAL_LABEL)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return cell_len(REVEAL_LABEL) + 2  # as Button: a blank either side (`line-pad: 1`)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        if self.has_class("-active"):
            return
        self.add_class("-active")
        self.set_timer(PRESS_SECONDS, lambda: self.remove_class("-active"))
        self.post_message(RevealRequested())


class GradeBar(Horizontal):
    """Shows the reveal button until the answer is shown, then one button per grade.

    The grade buttons are mounted at the first reveal, not with the bar: hidden on the question
    side, they were six of the first card's widgets, each styled four times over (a Button
    restyles itself for its `compact` and `flat` classes) before anything was shown.
    """

    def compose(self) -> ComposeResult:
        yield RevealButton(id="reveal", classes="reveal")

    def _mount_grades(self) -> None:
        if self.query(".grade"):
            return
        self.mount_all(
            _button(
                render.grade_label(quality, None),
                f"grade-{quality}",
                f"grade {'pass' if passed(quality) else 'fail'}",
            )
            for quality in GRADES
        )

    def show_question(self) -> None:
        self.set_class(False, "-revealed")

    def show_grades(self, intervals: Mapping[int, int], suggested: int | None) -> None:
        self._mount_grades()
        for quality in GRADES:
            button = self.query_one(f"#grade-{quality}", Button)
            button.label = render.grade_label(
                quality, intervals.get(quality), suggested=quality == suggested
            )
            button.tooltip = Grade(quality).hint
            button.set_class(quality == suggested, "suggested")
        self.set_class(True, "-revealed")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button_id = event.button.id or ""
        if button_id.startswith("grade-"):
            self.post_message(GradeChosen(int(button_id.removeprefix("grade-"))))
