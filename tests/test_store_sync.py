"""Sync with the bank: new items, edits keep history, removals retire, returns restore."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from tests.store_support import SMALL_BANK, SMALL_BANK_ITEMS, session_over, write
from trainer.bank import load_bank
from trainer.library import is_current, open_library
from trainer.store import items as stored_items
from trainer.store.banks import all_banks
from trainer.store.database import open_for_writing
from trainer.store.mirror import mirror_bank


def rows(connection: sqlite3.Connection) -> dict[str, tuple]:
    return {
        row[0]: row[1:]
        for row in connection.execute(
            "SELECT id, bank_order, retired, prompt, repetitions, due_day FROM items"
        )
    }


def test_new_bank_items_are_new(fresh_db: sqlite3.Connection, small_bank, set_now) -> None:
    mirror_bank(fresh_db, small_bank)
    records = [stored.record for stored in stored_items.load_items(fresh_db)]
    assert sorted(r.id for r in records) == sorted(SMALL_BANK_ITEMS)
    assert all(r.is_new and not r.retired for r in records)
    assert [r.id for r in sorted(records, key=lambda r: r.bank_order)] == list(SMALL_BANK_ITEMS)
    siblings = {r.id: r.siblings_key for r in records}
    assert siblings["doval"] == siblings["doval:reverse"] == "doval"
    assert siblings["four-areas:c1"] == siblings["four-areas:c2"] == "four-areas"


def test_edit_remove_and_return(
    fresh_db: sqlite3.Connection, small_bank_path: Path, set_now
) -> None:
    session = session_over(load_bank(small_bank_path), fresh_db)
    card = session.current()
    assert card is not None and card.item.id == "talks-date"
    session.grade(card, 5, 1000)
    graded = rows(fresh_db)["talks-date"]
    assert graded[3:] == (1, "2026-03-02")

    edited = SMALL_BANK.replace("When were the talks held?", "On what date were the talks?")
    session.reload(load_bank(write(small_bank_path, edited)))
    after_edit = rows(fresh_db)["talks-date"]
    assert after_edit[2] == "On what date were the talks?"
    assert after_edit[3:] == graded[3:]  # schedule kept: the id is the identity

    without = SMALL_BANK.replace("  - id: talks-date", "  - id: talks-day", 1)
    session.reload(load_bank(write(small_bank_path, without)))
    table = rows(fresh_db)
    assert table["talks-date"][1] == 1  # retired, with its schedule
    assert table["talks-date"][3:] == graded[3:]
    assert table["talks-day"][1:4] == (0, "When were the talks held?", 0)
    assert session.stats().items_retired == 1
    assert session.stats().items_total == len(SMALL_BANK_ITEMS)

    session.reload(load_bank(write(small_bank_path, edited)))
    table = rows(fresh_db)
    assert table["talks-date"][1] == 0
    assert table["talks-date"][3:] == graded[3:]
    assert table["talks-day"][1] == 1
    history = fresh_db.execute("SELECT count(*) FROM reviews WHERE item_id = 'talks-date'")
    assert history.fetchone()[0] == 1


def test_reordering_the_bank_updates_bank_order(
    fresh_db: sqlite3.Connection, small_bank_path: Path, set_now
) -> None:
    mirror_bank(fresh_db, load_bank(small_bank_path))
    first, rest = SMALL_BANK.split("  - id: talks-date")
    basic, others = rest.split("  - id: doval", 1)
    write(small_bank_path, first + "  - id: doval" + others + "  - id: talks-date" + basic)
    mirror_bank(fresh_db, load_bank(small_bank_path))
    assert rows(fresh_db)["talks-date"][0] == 5
    assert rows(fresh_db)["doval"][0] == 0


def test_fingerprint_detects_changes_cheaply(
    fresh_db: sqlite3.Connection, small_bank_path: Path, set_now
) -> None:
    mirror_bank(fresh_db, load_bank(small_bank_path))
    (bank,) = all_banks(fresh_db)
    stored = bank.file
    assert stored is not None and is_current(stored, small_bank_path)
    status = small_bank_path.stat()
    os.utime(small_bank_path, ns=(status.st_atime_ns, status.st_mtime_ns + 10**9))
    assert is_current(stored, small_bank_path)  # touched, same content (digest)
    write(small_bank_path, SMALL_BANK.replace("Delhi", "Mumbai"))
    assert not is_current(stored, small_bank_path)
    other = write(small_bank_path.with_name("other.yaml"), SMALL_BANK)
    assert not is_current(stored, other)  # same content, another bank file


def test_an_edit_saved_during_a_sync_is_picked_up_by_the_next_command(
    tmp_path: Path, small_bank_path: Path, set_now
) -> None:
    """The sync records the bytes it parsed, not the file as it is afterwards: an edit saved
    between the parse and the sync (seconds on a large bank) arrives with the next command."""
    db = tmp_path / "reviews.sqlite3"
    parsed = load_bank(small_bank_path)
    status = small_bank_path.stat()
    write(small_bank_path, SMALL_BANK.replace("talks held?", "talks in Ottawa held?"))  # mid-sync
    os.utime(small_bank_path, ns=(status.st_atime_ns, status.st_mtime_ns + 10**9))
    with closing(open_for_writing(db)) as connection:
        mirror_bank(connection, parsed)
        (bank,) = all_banks(connection)
    assert bank.file is not None and not is_current(bank.file, small_bank_path)
    connection, _ = open_library(db, small_bank_path)  # what `due`, `stats` or `review` does next
    with closing(connection):
        prompts = " ".join(prompt for (prompt,) in connection.execute("SELECT prompt FROM items"))
    assert "talks in Ottawa held?" in prompts


def test_deck_settings_are_stored(
    fresh_db: sqlite3.Connection, small_bank_path: Path, set_now
) -> None:
    text = SMALL_BANK.replace(
        "  name: Small Deck\n",
        "  name: Small Deck\n  new_per_day: 3\n  reviews_per_day: 50\n  day_starts_at: 6\n",
    )
    mirror_bank(fresh_db, load_bank(write(small_bank_path, text)))
    settings = all_banks(fresh_db)[0].settings
    assert (settings.new_limit(), settings.review_limit(), settings.day_start_hour) == (3, 50, 6)
    assert settings.new_limit(override=9) == 9
    mirror_bank(fresh_db, load_bank(write(small_bank_path, SMALL_BANK)))
    settings = all_banks(fresh_db)[0].settings
    assert (settings.new_limit(), settings.review_limit(), settings.day_start_hour) == (20, 200, 4)
