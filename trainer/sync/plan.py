"""What a sync does (or, in a dry run, would do), and its summary for the user."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Plan:
    """What a sync does (or, in a dry run, would do); note ids of the bank."""

    note_types: list[str] = field(default_factory=list)
    restyled: list[str] = field(default_factory=list)
    deck: str = ""
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retyped: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    """Notes to update whose text was edited in Anki since the last sync: the bank's wins."""
    adopted: int = 0
    """Rows of Anki's log left by a deleted card, given to the card that replaced it."""
    undone: int = 0
    """Copies in Anki's log of answers undone in the trainer, taken out of it."""
    left_alone: list[str] = field(default_factory=list)
    """Notes whose type the user changed in Anki (found by GUID): neither updated nor added."""
    moved: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    to_trainer: int = 0
    to_anki: int = 0
    trainer_schedules: int = 0
    anki_schedules: int = 0

    def lines(self) -> list[str]:
        counts = [
            ("note types to add", len(self.note_types)),
            ("note types to restyle", len(self.restyled)),
            ("notes to add", len(self.added)),
            ("notes to update", len(self.updated)),
            ("notes to retype", len(self.retyped)),
            ("notes left alone (their note type was changed in Anki)", len(self.left_alone)),
            ("notes to move", len(self.moved)),
            ("notes to mark removed", len(self.removed)),
            ("notes to delete", len(self.deleted)),
            ("reviews to copy from Anki", self.to_trainer),
            ("reviews to copy to Anki", self.to_anki),
            ("reviews undone in the trainer to take out of Anki", self.undone),
            ("reviews of deleted cards given back to their restored cards", self.adopted),
            ("schedules to update in the trainer", self.trainer_schedules),
            ("schedules to update in Anki", self.anki_schedules),
        ]
        lines = [f"deck: {self.deck}"] if self.deck else []
        lines += [f"{label}: {count}" for label, count in counts if count]
        if self.edited:
            shown = ", ".join(self.edited)
            lines.append(f"edited in Anki since the last sync, the bank's text wins: {shown}")
        return lines or ["nothing to do: Anki and the trainer agree"]


def summary(plan: Plan, dry_run: bool) -> list[str]:
    head = "dry run (nothing was changed); the sync would do:" if dry_run else "synced:"
    return [head, *(f"  {line}" for line in plan.lines())]
