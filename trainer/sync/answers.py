"""The answer merge: each item's answers on both sides compared, the missing ones copied each
way, the merged history replayed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from trainer.core.grades import anki_button
from trainer.core.limits import MAX_ANSWER_MS
from trainer.replay import Answer, schedule_history
from trainer.store import exam as exam_plan
from trainer.store import merge
from trainer.store.database import id_list
from trainer.sync.anki_log import (
    REVLOG_TYPES,
    AnkiAnswer,
    anki_answers,
    answer_stamps,
    count_and_last,
    local_moment,
    stamp_list,
)
from trainer.sync.cards import FACTOR_PER_HUNDREDTH, CardWork, CardWriter

if TYPE_CHECKING:
    from anki.notes import Note as AnkiNote


def _match(mine: list[merge.LoggedAnswer], theirs: list[AnkiAnswer]) -> dict[int, int]:
    """The answers that are the same on both sides, as positions (in `mine` -> in `theirs`):
    the same millisecond (an answer's copy has its moment as its id), else, for an answer of
    ours logged before the log kept milliseconds, the same second (its copy has the first
    free id in that second)."""
    free: dict[int, list[int]] = {}
    for position, theirs_answer in enumerate(theirs):
        free.setdefault(theirs_answer.stamp, []).append(position)
    pairs = {}
    for position, answer in enumerate(mine):
        if free.get(answer.key):
            pairs[position] = free[answer.key].pop()
    legacy = [p for p, answer in enumerate(mine) if answer.stamp is None and p not in pairs]
    if legacy:
        taken = set(pairs.values())
        by_second: dict[int, list[int]] = {}
        for position, theirs_answer in enumerate(theirs):
            if position not in taken:
                by_second.setdefault(theirs_answer.second, []).append(position)
        for position in legacy:
            if by_second.get(mine[position].second):
                pairs[position] = by_second[mine[position].second].pop()
    return pairs


class AnswerMerge(CardWriter):
    """The reviews both ways (after the notes: `notes.NoteMirror`)."""

    def reviews(self, notes: dict[str, AnkiNote]) -> None:
        """Compare each item's answers on both sides by their seconds; only items whose sides
        differ are read in full, matched answer by answer and replayed."""
        seconds = merge.answer_stamps(self.connection, self.context.bank)
        stored = merge.schedules(self.connection, self.context.bank)
        cards: dict[str, int] = {}
        for item in self.context.source.items:
            note = notes.get(item.note.id)
            card_id = self._card_of(note, item.ord) if note is not None else None
            if card_id is not None and item.id in stored:
                cards[item.id] = card_id
        theirs = self._anki_seconds(cards.values())
        full = self._full_answers(
            card_id
            for item_id, card_id in cards.items()
            if theirs[card_id] != seconds.get(item_id, "")
        )
        work: list[CardWork] = []
        differing: dict[str, tuple[int, list[AnkiAnswer]]] = {}
        for item_id, card_id in cards.items():
            answered, last = count_and_last(theirs[card_id])
            if card_id in full:
                differing[item_id] = (card_id, full[card_id])
            elif stored[item_id].schedule.due_day is not None:
                work.append(CardWork(card_id, stored[item_id], answered, [], last))
        self._adopt_orphans(differing, seconds)
        imports, updates = self._merge(differing, stored, work)
        self.plan.to_trainer, self.plan.trainer_schedules = len(imports), len(updates)
        if imports or updates:
            self.write()  # the backup comes before the database's share too: one pass writes
            merge.write(self.connection, self.context.bank, imports, updates)
        self._copy_answers(work)
        moved = self._exam_moves()
        for card in work:
            item_id = card.schedule.item_id
            self._write_card(card, moved[item_id][1] if item_id in moved else None)
        if self._forget:
            self.write()
            self.col.sched.schedule_cards_as_new(
                self._forget,  # type: ignore[arg-type]
                restore_position=True,
                reset_counts=True,
            )
            self.plan.anki_schedules += len(self._forget)

    def _exam_moves(self) -> dict[str, tuple[date, date]]:
        """The cards the deck's exam plan moves today, on the merged schedules (the trainer's
        share of the sync is written by now): Anki gets their exam due days, the ones `trainer
        cards` and the trainer's queue show."""
        source, context = self.context.source, self.context
        return exam_plan.moves(
            self.connection, context.bank, source.exam, source.settings, context.today
        )

    def _adopt_orphans(
        self, differing: dict[str, tuple[int, list[AnkiAnswer]]], seconds: dict[str, str]
    ) -> None:
        """Give a card with no answers in Anki the review-log rows its item's answers left
        when its note was deleted (`--delete-removed`, or in Anki) and the bank brought it
        back: Anki keeps a deleted card's log, and copying the answers again would count
        each twice in Anki. A deleted card's rows are its item's when each of their seconds
        is one of the item's answers."""
        empty = {item_id: card_id for item_id, (card_id, theirs) in differing.items() if not theirs}
        if not empty:
            return
        orphans: dict[int, Counter[int]] = {}
        for revlog_id, card_id in self._db.all(
            "SELECT id, cid FROM revlog WHERE cid NOT IN (SELECT id FROM cards)"
        ):
            orphans.setdefault(card_id, Counter())[revlog_id // 1000] += 1
        for item_id, card_id in empty.items():
            ours = Counter(stamp // 1000 for stamp in stamp_list(seconds.get(item_id, "")))
            fitting = [old for old, counts in orphans.items() if not counts - ours]
            if not fitting:
                continue
            old = max(fitting, key=lambda candidate: orphans[candidate].total())
            self.write()
            self._db.execute("UPDATE revlog SET cid = ?, usn = -1 WHERE cid = ?", card_id, old)
            self.plan.adopted += orphans.pop(old).total()
            differing[item_id] = (card_id, anki_answers(self._db, [card_id]).get(card_id, []))

    def _anki_seconds(self, card_ids: Iterable[int]) -> dict[int, str]:
        """The cards' answers in Anki's log as their seconds (`merge.joined`), read once
        per sync."""
        known = self.reads.answered
        unread = [card_id for card_id in card_ids if card_id not in known]
        if unread:
            found = answer_stamps(self._db, unread)
            known |= {card_id: found.get(card_id, "") for card_id in unread}
        return known

    def _full_answers(self, card_ids: Iterable[int]) -> dict[int, list[AnkiAnswer]]:
        """The answers of `card_ids` (those whose log differs from the trainer's) in full,
        read once per sync."""
        wanted = list(card_ids)
        known = self.reads.answers
        unread = [card_id for card_id in wanted if card_id not in known]
        if unread:
            found = anki_answers(self._db, unread)
            known |= {card_id: found.get(card_id, []) for card_id in unread}
        return {card_id: known[card_id] for card_id in wanted}

    def _merge(
        self,
        differing: dict[str, tuple[int, list[AnkiAnswer]]],
        stored: dict[str, merge.ItemSchedule],
        work: list[CardWork],
    ) -> tuple[list[merge.Imported], list[merge.ItemSchedule]]:
        """Answer-by-answer matching for the items whose two logs differ."""
        imports: list[merge.Imported] = []
        updates: list[merge.ItemSchedule] = []
        ours = merge.answers_by_item(self.connection, self.context.bank, set(differing))
        undone = merge.undone(self.connection, self.context.bank, set(differing))
        stamps: dict[int, int] = {}
        for item_id, (card_id, all_theirs) in differing.items():
            mine = [a for a in ours.get(item_id, []) if a.kind in REVLOG_TYPES]
            pairs = _match(mine, all_theirs)
            stamps |= {
                mine[m].entry: all_theirs[t].stamp
                for m, t in pairs.items()
                if mine[m].stamp is None
            }
            unmatched = [a for t, a in enumerate(all_theirs) if t not in pairs.values()]
            taken = undone.get(item_id)
            taken_back = {a.stamp for a in unmatched if taken and taken.covers(a.stamp)}
            theirs = all_theirs
            if taken_back:
                theirs = self._withdraw(card_id, all_theirs, taken_back)
                pairs = _match(mine, theirs)
            from_anki = [a for a in unmatched if a.stamp not in taken_back]
            to_anki = [answer for m, answer in enumerate(mine) if m not in pairs]
            answered = len(mine) + len(from_anki)
            last = max([a.second for a in theirs] + [a.second for a in mine], default=None)
            schedule = stored[item_id]
            if from_anki:
                schedule, steps = self._replay(item_id, mine, from_anki)
                imports += steps
                if schedule != stored[item_id]:
                    updates.append(schedule)
            if schedule.schedule.due_day is not None:
                new = bool(from_anki or to_anki)
                work.append(CardWork(card_id, schedule, answered, to_anki, last, new))
            elif taken_back and not theirs:
                self._forget.append(card_id)  # its only answers were undone: new again
        merge.stamp(self.connection, stamps)  # once: then found by their millisecond
        return imports, updates

    def _withdraw(
        self, card_id: int, theirs: list[AnkiAnswer], stamps: set[int]
    ) -> list[AnkiAnswer]:
        """Anki's answers to the card less those at `stamps`: copies of answers undone in the
        trainer since. They are taken out of Anki's log while AnkiWeb has not got them yet
        (usn -1: a deletion would not reach the other devices after that); returns the
        answers that stay in Anki's log."""
        gone = self._db.list(
            "SELECT id FROM revlog WHERE cid = ? AND usn = -1"
            " AND id IN (SELECT value FROM json_each(?))",
            card_id,
            id_list(stamps),
        )
        if gone:
            self.write()
            self._db.executemany("DELETE FROM revlog WHERE id = ?", [(i,) for i in gone])
            self.plan.undone += len(gone)
        return [a for a in theirs if a.stamp not in gone]

    def _replay(
        self, item_id: str, mine: list[merge.LoggedAnswer], from_anki: list[AnkiAnswer]
    ) -> tuple[merge.ItemSchedule, list[merge.Imported]]:
        """The merged history through the deck's scheduler. Only needed when Anki brought
        answers: otherwise the trainer's schedule already is its log replayed (a review session
        and every sync keep it so). Both sides' answers are placed by their Unix time, read in
        the machine's zone now: the local time the trainer logged was the zone's of then, and
        after a move it would put them out of order with Anki's."""
        imported = [(Answer(local_moment(a.stamp), a.grade), a) for a in from_anki]
        # Known by the answer itself, not its value: one of ours may equal one of Anki's (the
        # same card and grade in the same second), and only Anki's is copied.
        answer_ms = {id(answer): anki.answer_ms for answer, anki in imported}
        answers = [Answer(local_moment(a.key), a.grade) for a in mine if a.kind in REVLOG_TYPES]
        source = self.context.source
        result = schedule_history(
            [*answers, *(answer for answer, _ in imported)], source.day_starts_at, source.settings
        )
        steps = [
            merge.Imported(item_id, step, answer_ms[id(step.answer)])
            for step in result.steps
            if id(step.answer) in answer_ms
        ]
        return merge.ItemSchedule(item_id, result.schedule, result.lapses), steps

    def _copy_answers(self, work: list[CardWork]) -> None:
        """Copy the trainer's answers into Anki's review log, in one statement (one call into
        the library per answer took 7 minutes for 200,000). The library has no call that adds
        a review log entry, so this is an INSERT; usn -1 marks the rows, like every change the
        library makes, for AnkiWeb's next sync. Ids are milliseconds, which Anki reads back as
        the answer's moment: the answer's own (`LoggedAnswer.key`), or the first free one after
        it, which the trainer's log then records (`merge.stamp`), as it does for an answer
        logged before it kept milliseconds: each is then known by its millisecond."""
        answers = [(card.card_id, answer) for card in work for answer in card.to_anki]
        if not answers:
            return
        self.write()
        keys = [answer.key for _, answer in answers]
        taken = set(
            self._db.list(
                "SELECT id FROM revlog WHERE id BETWEEN ? AND ?", min(keys), max(keys) + 999
            )
        )
        rows = []
        stamps = {}
        next_free: dict[int, int] = {}  # by key: where to look next (answers may share one)
        for card_id, answer in answers:
            revlog_id = next_free.get(answer.key, answer.key)
            while revlog_id in taken:
                revlog_id += 1
            next_free[answer.key] = revlog_id + 1
            taken.add(revlog_id)
            if revlog_id != answer.stamp:
                stamps[answer.entry] = revlog_id
            rows.append(
                (
                    revlog_id,
                    card_id,
                    anki_button(answer.grade),
                    answer.interval_after,
                    answer.interval_before,
                    answer.easiness_after * FACTOR_PER_HUNDREDTH,
                    min(answer.answer_ms, MAX_ANSWER_MS),
                    REVLOG_TYPES[answer.kind],
                )
            )
        self._db.executemany(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
            " VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        merge.stamp(self.connection, stamps)  # before Anki's transaction commits
        self.plan.to_anki += len(rows)
