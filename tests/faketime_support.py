"""Several simulated days on a phone and the trainer, both clocks moved together.

`trainer sync` uses the real clock (TRAINER_NOW is refused: Anki's scheduler and the sync
server read the real one), so a test cannot move the trainer's clock alone. libfaketime moves
every clock of a process instead: loaded with LD_PRELOAD, it shifts what the C library tells
the process about the time, for Python, Anki's backend and Anki's sync server alike, and no
code of the trainer knows. Each simulated day runs in a process of its own started at noon of
that day (`FAKETIME="@2027-05-03 12:00:00"`: the clock starts there and ticks), and the sync
server it starts inherits the same clock; so the phone, the trainer and the server agree, as
on a real day, and the production guard against TRAINER_NOW is left as it is.

`python -m tests.faketime_support CONFIG` runs one day (`day`) and prints what it saw as JSON
on its last line; the test (`tests/sync/test_sync_server_days.py`) checks it.
"""

from __future__ import annotations

import contextlib
import glob
import io
import json
import os
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from tests.sync_server_support import PASSWORD, USER, sync_server

LIBRARY_PATTERNS = (
    "/usr/lib/*/faketime/libfaketime.so.1",  # Debian and Ubuntu: apt-get install faketime
    "/usr/lib/faketime/libfaketime.so.1",
    "/usr/lib64/faketime/libfaketime.so.1",
    "/usr/local/lib/faketime/libfaketime.so.1",
)
DECK = "Sync Deck"


def library() -> str | None:
    """libfaketime's library, if installed."""
    for pattern in LIBRARY_PATTERNS:
        found = sorted(glob.glob(pattern))  # noqa: PTH207 (absolute patterns)
        if found:
            return found[0]
    return None


def clock_at(moment: datetime, faketime: str) -> dict[str, str]:
    """The environment of a process whose clock starts at `moment` and ticks from there."""
    return {"LD_PRELOAD": faketime, "FAKETIME": f"@{moment:%Y-%m-%d %H:%M:%S}"}


# -- one day, run under libfaketime -----------------------------------------------------------


def _trainer(*args: str) -> tuple[int, str]:
    """`trainer ARGS` in this process (its clock); the exit code and what it printed."""
    from trainer.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(args))
    return code, out.getvalue()


def _study_day() -> date:
    """Today as both sides count it (the trainer's and Anki's days start at 4:00)."""
    from trainer.queue import study_day

    return study_day(datetime.now(), 4)


def _phone_answers(phone_path: Path, buttons: list[int]) -> list[int]:
    """The phone answers the cards its scheduler offers now, one button each, each card once
    today; returns the cards answered."""
    from anki.collection import Collection

    col = Collection(str(phone_path))
    try:
        col.decks.select(col.decks.id(DECK))
        answered: list[int] = []
        for button in buttons:
            queued = col.sched.get_queued_cards(fetch_limit=len(buttons) + 1)
            fresh = [entry.card.id for entry in queued.cards if entry.card.id not in answered]
            if not fresh:
                break
            card = col.get_card(fresh[0])
            card.start_timer()
            col.sched.answerCard(card, button)
            answered.append(int(card.id))
        return answered
    finally:
        col.close()


def _trainer_answers(bank: Path, grades: list[int]) -> list[str]:
    """The trainer answers its first cards today, one grade each; returns the items answered."""
    from trainer.session import open_session

    answered = []
    with open_session(bank) as session:
        for grade in grades:
            card = session.current()
            if card is None:
                break
            session.grade(card, grade, 2000)
            answered.append(card.item.id)
    return answered


def _due_days(path: Path, today: date) -> dict[str, str]:
    """Each reviewed card's due day in a collection, by `GUID/ordinal`."""
    from anki.collection import Collection

    col = Collection(str(path))
    try:
        days = {}
        for card_id in col.find_cards(f'"deck:{DECK}" -is:new'):
            card = col.get_card(card_id)
            due = card.odue if card.odid else card.due
            days[f"{card.note().guid}/{card.ord}"] = (
                today + timedelta(days=due - col.sched.today)
            ).isoformat()
        return days
    finally:
        col.close()


def _log(path: Path) -> list[list[int]]:
    from anki.collection import Collection

    col = Collection(str(path))
    try:
        assert col.db is not None
        return [list(row) for row in col.db.all("SELECT id, cid, ease FROM revlog ORDER BY id")]
    finally:
        col.close()


def _check_database(path: Path) -> bool:
    """Whether Anki's Check Database finds nothing to fix."""
    from anki.collection import Collection

    col = Collection(str(path))
    try:
        found, ok = col.fix_integrity()
        nothing, _ = col.fix_integrity()  # what it says when nothing is left to fix
        return ok and found == nothing
    finally:
        col.close()


def _trainer_days(bank: Path) -> dict[str, object]:
    """`trainer cards --json`'s due day of each card by `GUID/ordinal` (`cards_due`), the ones
    in its review queue now (`queued`), the plain due day the database keeps (`plain_due`),
    and how many answers the trainer's log has (`answers`)."""
    import sqlite3

    from trainer.anki.manifest import note_guid
    from trainer.bank import load_bank
    from trainer.store.paths import database_path

    code, shown = _trainer("cards", str(bank), "--json")
    assert code == 0
    loaded = load_bank(bank)
    keys = {
        item.id: f"{note_guid(loaded.deck.name, item.note.id)}/{item.ord}" for item in loaded.items
    }
    rows = json.loads(shown)["items"]
    due = {keys[row["id"]]: row["due"] for row in rows if row["due"]}
    queued = sorted(keys[row["id"]] for row in rows if row["queued"] == "review")
    with contextlib.closing(sqlite3.connect(database_path())) as db:
        plain = {keys[item]: day for item, day in db.execute("SELECT id, due_day FROM items")}
        answers = db.execute(
            "SELECT count(*) FROM reviews WHERE kind IN ('new', 'review', 'redrill')"
        ).fetchone()[0]
    return {"cards_due": due, "queued": queued, "plain_due": plain, "answers": answers}


STATE_QUERIES = (
    ("device", "cards", "SELECT * FROM cards"),
    ("device", "revlog", "SELECT * FROM revlog"),
    ("device", "notes", "SELECT id, guid, mid, mod, usn, tags, flds FROM notes"),
    ("trainer", "reviews", "SELECT id, item_id, unix_ms, kind, grade FROM reviews"),
    (
        "trainer",
        "items",
        "SELECT id, due_day, interval, easiness_hundredths, repetitions, lapses FROM items",
    ),
)
"""What a sync may change of the cards, notes and answers on the trainer's side: its device
collection and its review database (not the collection's own modification time nor its config,
which each sync with the server sets)."""


def _state(device: Path, database: Path) -> dict[str, list]:
    """Every row `STATE_QUERIES` read, by table and id."""
    import sqlite3

    found: dict[str, list] = {}
    for where, table, query in STATE_QUERIES:
        path = device if where == "device" else database
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            for row in db.execute(query):
                found[f"{table}:{row[0]}"] = list(row)
    return found


def _changed(before: dict[str, list], after: dict[str, list]) -> dict[str, list]:
    """The rows that differ, by key: [before, after] (None where there is no such row)."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    }


def day(config: dict) -> dict:
    """One simulated day: the phone answers and syncs, the trainer answers and syncs through
    the server, the phone syncs again; then a second `trainer sync` (nothing to do), and what
    it changed of the trainer's cards and answers (`changed_again`, by row: nothing). What both
    sides hold after it is returned for the test to check."""
    from tests.sync.test_sync_server_round_trip import Device

    folder, port = Path(config["folder"]), int(config["port"])
    database = folder / "trainer" / "reviews.sqlite3"
    os.environ["TRAINER_DB"] = str(database)
    bank = folder / "cards.yaml"
    phone_path = folder / "phone" / "User 1" / "collection.anki2"
    device_path = folder / "trainer" / "anki-device" / "collection.anki2"
    facts: dict[str, object] = {"today": _study_day().isoformat()}
    with sync_server(folder / "server", port) as address:
        phone = Device.__new__(Device)
        phone.path, phone.endpoint = phone_path, address
        if not phone_path.exists():  # the first day: a new phone, the trainer logs in
            phone = Device(phone_path, address)
            import builtins
            import getpass

            builtins.input = lambda _prompt="": USER  # type: ignore[assignment]
            getpass.getpass = lambda _prompt="": PASSWORD  # type: ignore[assignment]
            facts["login"] = _trainer("sync", "--server", address, "--login")[0]
            facts["first_contact"] = _trainer("sync", str(bank), "--server", address)
            facts["phone_first_sync"] = phone.sync(upload_if_full=False)
        if config.get("exam_off"):
            facts["exam_off"] = _trainer("limits", str(bank), "--exam", "none")[0]
        facts["phone_answered"] = _phone_answers(phone_path, config["phone"])
        facts["phone_sync"] = phone.sync(upload_if_full=False)
        time.sleep(1)  # the same card answered on both in one second would be one answer
        facts["trainer_answered"] = _trainer_answers(bank, config["trainer"])
        facts["sync"] = _trainer("sync", str(bank), "--server", address)
        synced = _state(device_path, database)
        facts["phone_sync_after"] = phone.sync(upload_if_full=False)
        facts["sync_again"] = _trainer("sync", str(bank), "--server", address)
        facts["changed_again"] = _changed(synced, _state(device_path, database))
        facts["phone_sync_again"] = phone.sync(upload_if_full=False)
    today = _study_day()
    facts["phone_due"] = _due_days(phone_path, today)
    facts["device_due"] = _due_days(device_path, today)
    facts |= _trainer_days(bank)
    facts["phone_log"], facts["device_log"] = _log(phone_path), _log(device_path)
    facts["check_database"] = [_check_database(phone_path), _check_database(device_path)]
    return facts


if __name__ == "__main__":
    print(json.dumps(day(json.loads(sys.argv[1]))))
