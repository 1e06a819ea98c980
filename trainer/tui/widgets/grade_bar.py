"""The buttons under the card: "show answer" first, then grades 0-5 with their intervals."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button

from trainer.core.grades import GRADES, Grade, passed
from trainer.tui import render
from trainer.tui.messages import GradeChosen, RevealRequested


def _button(label: str, button_id: str, classes: str) -> Button:
    """A button that never takes focus, so `enter` and digits always reach the screen."""
    button = Button(label, id=button_id, classes=classes, compact=True)
    button.can_focus = False
    return button


class GradeBar(Horizontal):
    """Shows the reveal button until the answer is shown, then one button per grade.

    The grade buttons are mounted at the first reveal, not with the bar: hidden on the question
    side, they were six of the first card's widgets, each styled four times over (a Button
    restyles itself for its `compact` and `flat` classes) before anything was shown.
    """

    def compose(self) -> ComposeResult:
        yield _button("Show answer (space)", "reveal", "reveal")

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
        if button_id == "reveal":
            self.post_message(RevealRequested())
        elif button_id.startswith("grade-"):
            self.post_message(GradeChosen(int(button_id.removeprefix("grade-"))))
