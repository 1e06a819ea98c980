"""The cards a sync schedules are written as Anki's own scheduler would leave them: Check
Database finds nothing to fix, FSRS's memory state follows the merged log, the review count
counts every answer, and Anki's filtered decks (previews included) are the user's.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from anki.collection import Collection

from tests.sync.test_sync_anki import (
    BANK,
    answer_in_anki,
    card_ids,
    grade_in_trainer,
    our_log,
)
from trainer.cli import main


def sync(bank: Path, collection: Path) -> None:
    assert main(["sync", str(bank), "--collection", str(collection)]) == 0


def test_check_database_finds_nothing_to_fix_after_reviews_crossed(
    bank: Path, collection_path: Path
) -> None:
    sync(bank, collection_path)
    grade_in_trainer(bank, [5, 2])
    col = Collection(str(collection_path))
    try:
        answer_in_anki(col, card_ids(col)[-1], 3)
    finally:
        col.close()
    sync(bank, collection_path)
    col = Collection(str(collection_path))
    try:
        found, ok = col.fix_integrity()
        nothing, _ = col.fix_integrity()  # what it says when there is nothing left to fix
        assert ok
        assert found == nothing
    finally:
        col.close()


def test_anki_s_fsrs_memory_state_follows_the_merged_log(bank: Path, collection_path: Path) -> None:
    col = Collection(str(collection_path))
    col.set_config("fsrs", True)
    col.close()
    sync(bank, collection_path)
    answered = len(grade_in_trainer(bank, [5, 4]))
    sync(bank, collection_path)
    col = Collection(str(collection_path))
    try:
        reviewed = [c for c in card_ids(col) if col.get_review_logs(c)]
        assert len(reviewed) == answered
        for card_id in reviewed:
            card = col.get_card(card_id)
            expected = col.compute_memory_state(card_id)
            assert card.memory_state is not None
            assert card.memory_state.stability == pytest.approx(expected.stability, rel=1e-4)
            assert card.memory_state.difficulty == pytest.approx(expected.difficulty, rel=1e-4)
    finally:
        col.close()


def test_a_card_s_review_count_counts_a_re_drill_copied_later(
    bank: Path, collection_path: Path
) -> None:
    sync(bank, collection_path)
    (failed,) = grade_in_trainer(bank, [1])
    sync(bank, collection_path)
    from trainer.session import open_session

    with open_session(bank) as session:  # the others, then the failed card again, same day
        while (card := session.current()) is not None:
            session.grade(card, 4, 2000)
            if card.item.id == failed:
                break
    sync(bank, collection_path)
    col = Collection(str(collection_path))
    try:
        counts = {c: (len(col.get_review_logs(c)), col.get_card(c).reps) for c in card_ids(col)}
    finally:
        col.close()
    assert max(logged for logged, _ in counts.values()) >= 2
    assert all(reps == logged for logged, reps in counts.values())


def test_previews_in_a_filtered_deck_are_not_answers_and_the_deck_keeps_its_cards(
    bank: Path, collection_path: Path
) -> None:
    sync(bank, collection_path)
    grade_in_trainer(bank, [4])
    sync(bank, collection_path)
    col = Collection(str(collection_path))
    try:
        deck = col.sched.get_or_create_filtered_deck(deck_id=0)  # type: ignore[arg-type]
        deck.name = "Preview"
        deck.config.reschedule = False
        deck.config.search_terms[0].search = '"deck:Sync Deck"'
        deck.config.search_terms[0].limit = 100
        filtered = col.sched.add_or_update_filtered_deck(deck).id
        in_filter = list(col.find_cards(f"did:{filtered}"))
        assert in_filter
        col.decks.select(filtered)  # type: ignore[arg-type]
        card = col.sched.getCard()
        assert card is not None
        card.start_timer()
        col.sched.answerCard(card, 3)
        in_filter = list(col.find_cards(f"did:{filtered}"))  # a preview may send one home
    finally:
        col.close()
    log = our_log()
    sync(bank, collection_path)
    assert our_log() == log
    col = Collection(str(collection_path))
    try:
        assert sorted(col.find_cards(f"did:{filtered}")) == sorted(in_filter)
    finally:
        col.close()


def test_copying_answers_into_anki_takes_the_same_number_of_calls_for_any_number(
    bank: Path, collection_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One call into the library per answer took 7 minutes for 200,000 answers."""
    from anki.dbproxy import DBProxy

    calls: list[str] = []
    for name in ("execute", "executemany", "scalar", "list", "all", "first"):
        real = getattr(DBProxy, name)

        def counted(self: DBProxy, *args: object, _real=real, _name=name, **kw: object) -> object:
            calls.append(_name)
            return _real(self, *args, **kw)

        monkeypatch.setattr(DBProxy, name, counted)
    sync(bank, collection_path)
    grade_in_trainer(bank, [4])
    calls.clear()
    sync(bank, collection_path)
    one = len(calls)
    grade_in_trainer(bank, [4, 4])
    calls.clear()
    sync(bank, collection_path)
    assert len(calls) == one


def test_a_slow_sync_on_a_terminal_shows_progress(
    bank: Path, collection_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools
    import io

    from trainer.commands import sync as sync_command
    from trainer.commands.progress import when_slow

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    slow = functools.partial(when_slow, after_seconds=0)
    monkeypatch.setattr(sync_command, "when_slow", slow)
    real_run = sync_command._run_sync

    def waiting(*args: object) -> object:
        give_up = time.monotonic() + 60
        while "Syncing with" not in terminal.getvalue() and time.monotonic() < give_up:
            time.sleep(0.01)
        return real_run(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(sync_command, "_run_sync", waiting)
    sync(bank, collection_path)
    assert "Syncing with" in terminal.getvalue()


@pytest.mark.parametrize("sent_to_ankiweb", [False, True], ids=["not yet", "sent"])
def test_an_answer_undone_in_the_trainer_after_a_sync_does_not_come_back(
    bank: Path, collection_path: Path, sent_to_ankiweb: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.sync.test_sync_anki import mark_synced_with_ankiweb
    from trainer.session import open_session

    sync(bank, collection_path)
    grade_in_trainer(bank, [4, 4])
    sync(bank, collection_path)  # both answers copied into Anki's log
    if sent_to_ankiweb:
        mark_synced_with_ankiweb(collection_path)
    with open_session(bank) as session:
        undone = session.undo()
        assert undone is not None
    log = our_log()
    assert len(log) == 1
    capsys.readouterr()
    sync(bank, collection_path)
    assert our_log() == log  # not read back from Anki
    col = Collection(str(collection_path))
    try:
        answered = [
            c for c in card_ids(col) if any(e.button_chosen for e in col.get_review_logs(c))
        ]
        new_again = [c for c in card_ids(col) if col.get_card(c).type == 0]
    finally:
        col.close()
    # taken out of Anki's log while AnkiWeb has not got it; else left there, and ignored
    assert len(answered) == (2 if sent_to_ankiweb else 1)
    assert len(new_again) == (3 if sent_to_ankiweb else 4)
    capsys.readouterr()
    sync(bank, collection_path)
    assert "nothing to do" in capsys.readouterr().out
    assert our_log() == log


def test_a_card_deleted_and_restored_gets_its_old_review_rows_back_not_copies(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(bank, collection_path)
    grade_in_trainer(bank, [4, 4])  # capital and leaders:c1
    sync(bank, collection_path)
    without = BANK[: BANK.index("  - id: leaders")] + BANK[BANK.index("  - id: venue") :]
    bank.write_text(without, encoding="utf-8")
    assert main(["sync", str(bank), "--collection", str(collection_path), "--delete-removed"]) == 0
    bank.write_text(BANK, encoding="utf-8")
    capsys.readouterr()
    sync(bank, collection_path)
    assert "reviews of deleted cards given back to their restored cards: 1" in (
        capsys.readouterr().out
    )
    col = Collection(str(collection_path))
    try:
        assert col.db is not None
        assert col.db.scalar("SELECT count(*) FROM revlog") == len(our_log()) == 2
        assert (
            col.db.scalar("SELECT count(*) FROM revlog WHERE cid NOT IN (SELECT id FROM cards)")
            == 0
        )
    finally:
        col.close()
    capsys.readouterr()
    sync(bank, collection_path)
    assert "nothing to do" in capsys.readouterr().out
