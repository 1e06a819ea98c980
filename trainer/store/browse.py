"""Read a bank's stored review items with their text, schedule, today's queue and review
history, for the card browser (`trainer.browse`)."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from trainer.browse import Answer, CardRow, state_of
from trainer.core.kinds import AnswerKind
from trainer.model import expand
from trainer.queue import DailyQueue
from trainer.schedulers import retrievability
from trainer.sm2 import HUNDREDTHS
from trainer.store import exam, items, log
from trainer.store.banks import StoredBank
from trainer.store.cards import note_from_fields
from trainer.store.database import id_list


def with_history(
    connection: sqlite3.Connection, bank: int, rows: Sequence[CardRow]
) -> list[CardRow]:
    """`rows` of `bank` with their review histories: only those items' answers are read."""
    by_item: dict[str, list[Answer]] = defaultdict(list)
    for item_id, moment, grade, kind, interval in connection.execute(
        "SELECT item_id, reviewed_at, grade, kind, interval_after"
        f" FROM reviews {log.BY_ITEM} WHERE bank_id = ?"
        " AND item_id IN (SELECT value FROM json_each(?)) ORDER BY id",
        (bank, id_list(row.id for row in rows)),
    ):
        by_item[item_id].append(Answer(datetime.fromisoformat(moment), grade, kind, interval))
    return [replace(row, history=tuple(by_item[row.id])) for row in rows]


def _texts(connection: sqlite3.Connection, bank: int) -> dict[str, tuple[str, str, str]]:
    """Item id -> (note type, question, every field joined) for the bank's stored notes."""
    texts: dict[str, tuple[str, str, str]] = {}
    for kind, body in connection.execute("SELECT type, body FROM notes WHERE bank_id = ?", (bank,)):
        stored = json.loads(body)
        note = note_from_fields(kind, stored)
        fields = " ".join(
            " ".join(value) if isinstance(value, list) else str(value)
            for value in stored.values()
            if value is not None
        )
        for item in expand(note):
            texts[item.id] = (note.type, item.question, fields)
    return texts


def _queued(queue: DailyQueue) -> dict[str, str]:
    return (
        dict.fromkeys(queue.reviews, str(AnswerKind.REVIEW))
        | dict.fromkeys(queue.new, str(AnswerKind.NEW))
        | dict.fromkeys(queue.redrill, str(AnswerKind.REDRILL))
    )


def card_rows(
    connection: sqlite3.Connection, bank: StoredBank, today: date, queue: DailyQueue
) -> list[CardRow]:
    """Every stored item of `bank` (retired ones too) in bank order, without its history;
    `today` is the bank's study day and `queue` its queue today. A card the deck's exam plan
    moves shows its exam due day (`trainer.store.exam.moves`), as the queue and Anki have it."""
    texts = _texts(connection, bank.id)
    choice = bank.settings.choice
    moved = exam.moves(connection, bank.id, bank.settings.exam_plan, choice, today)
    queued = _queued(queue)
    path = str(bank.path) if bank.path else ""
    rows = []
    stored_items = sorted(items.load_items(connection, bank.id), key=lambda s: s.record.bank_order)
    for stored in stored_items:
        kind, question, fields = texts.get(stored.id, ("", stored.prompt, stored.prompt))
        rows.append(
            CardRow(
                id=stored.id,
                note=stored.note_id,
                bank_id=bank.id,
                bank=path,
                deck=bank.name,
                type=kind,
                question=question,
                text=fields,
                tags=stored.tags,
                state=state_of(stored.record, stored.leech, today),
                due=moved[stored.id][1] if stored.id in moved else stored.record.due_day,
                interval=stored.state.interval,
                easiness=stored.state.easiness_hundredths / HUNDREDTHS,
                repetitions=stored.state.repetitions,
                lapses=stored.lapses,
                stability=stored.schedule.stability,
                difficulty=stored.schedule.difficulty,
                queued=queued.get(stored.id),
                scheduler=choice.scheduler,
                retrievability=(
                    retrievability(choice, stored.schedule, today)
                    if choice.scheduler == "fsrs" and stored.schedule.stability is not None
                    else None
                ),
            )
        )
    return rows
