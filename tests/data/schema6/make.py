"""How `reviews.sqlite3` here was made: by the trainer of commit 696939f (schema 6, one bank per
database), three days of study of `cards.yaml` with grades, re-drills, a bury, an undone
suspend and a cram. Run with that commit's code first on the path:

    PYTHONPATH=<checkout of 696939f> python make.py DIR    # DIR holds a copy of cards.yaml

then checkpoint the WAL into the file (`PRAGMA wal_checkpoint(TRUNCATE)`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from trainer.session import open_session

DAYS = (
    ("2026-03-01T09:00:00", [5, 2, 4, 3, 5, 4, 1, 5]),
    ("2026-03-02T09:00:00", [4, 4, 2, 5, 5, 3]),
    ("2026-03-03T21:00:00", [3, 5, 4]),
)


def main(folder: Path) -> None:
    bank, db = folder / "cards.yaml", folder / "reviews.sqlite3"
    for moment, grades in DAYS:
        os.environ["TRAINER_NOW"] = moment
        with open_session(bank, db) as session:
            for grade in grades:
                card = session.current()
                if card is None:
                    break
                session.grade(card, grade, 1500)
            if (card := session.current()) is not None:
                session.bury(card)
            if (card := session.current()) is not None:
                session.suspend(card)
                session.undo()
    os.environ["TRAINER_NOW"] = "2026-03-03T21:30:00"
    with open_session(bank, db, tag="diplomacy") as session:
        for _ in range(3):
            if (card := session.current()) is None:
                break
            session.grade(card, 4, 900)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
