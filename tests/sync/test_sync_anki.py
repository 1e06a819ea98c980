"""`trainer sync` against real collections made and reviewed with the official `anki` package,
and a real trainer review session: notes by GUID, reviews both ways, one due day on both sides.

No TRAINER_NOW here: Anki's scheduler reads the wall clock, so both sides use it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageRequest
from anki.dbproxy import DBProxy

from trainer.cli import main
from trainer.session import open_session

BANK = """\
deck:
  name: Sync Deck
sources:
  pib: {title: Talks, publisher: PIB}
cards:
  - id: capital
    type: reverse
    tags: [name]
    source: pib
    front: Capital of Canada
    back: Ottawa
  - id: leaders
    type: cloze
    tags: [name]
    source: pib
    text: "{{c1::Doval}} met {{c2::Drouin}} & <others>"
  - id: venue
    type: basic
    tags: [context]
    source: pib
    front: Where were the talks held?
    back: Ottawa
"""
NOTES, ITEMS = 3, 5
DECK = "Sync Deck"


def sync(bank: Path, collection: Path, *options: str) -> int:
    return main(["sync", str(bank), "--collection", str(collection), *options])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _unicase(a: str, b: str) -> int:
    return (a.casefold() > b.casefold()) - (a.casefold() < b.casefold())


def stored_content(path: Path) -> tuple:
    """What a write to the collection would change, read without Anki: the collection's own
    modification time and schema, and every table's count, modification times and sync
    numbers. A sync with nothing to do must leave all of it as it was; the file's bytes are
    Anki's business (opening and closing a collection may rewrite pages with the same content,
    which made a byte comparison fail now and then under load)."""
    uri = f"file:{path}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        db.create_collation("unicase", _unicase)  # Anki's, on its names' indexes
        content: list[object] = list(db.execute("SELECT crt, mod, scm, usn FROM col").fetchone())
        for table, changed in (
            ("notes", "mod"),
            ("cards", "mod"),
            ("revlog", "id"),
            ("notetypes", "mtime_secs"),
            ("decks", "mtime_secs"),
            ("deck_config", "mtime_secs"),
            ("config", "mtime_secs"),
            ("tags", "usn"),
            ("graves", "oid"),
        ):
            content.append(
                db.execute(f"SELECT count(*), total({changed}), total(usn) FROM {table}").fetchone()
            )
        return tuple(content)


def stats(bank: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert main(["stats", str(bank), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def items_json(bank: Path) -> dict[str, dict]:
    """Each item's stored schedule (the database `trainer cards --json` would show)."""
    import sqlite3

    from trainer.store.paths import database_path

    with sqlite3.connect(database_path()) as db:
        rows = db.execute("SELECT id, due_day, interval FROM items").fetchall()
    return {item_id: {"due": due, "interval": interval} for item_id, due, interval in rows}


def items_by_card(bank: Path) -> dict[tuple[str, int], str]:
    """(note GUID, card ordinal) -> review item id, as the package and the sync make them."""
    from trainer.anki.manifest import note_guid
    from trainer.bank import load_bank

    loaded = load_bank(bank)
    return {(note_guid(loaded.deck.name, item.note.id), item.ord): item.id for item in loaded.items}


def our_log(tmp_db_items: Path | None = None) -> list[tuple[str, int]]:
    import sqlite3

    from trainer.store.paths import database_path

    with sqlite3.connect(database_path()) as db:
        return db.execute("SELECT item_id, grade FROM reviews ORDER BY reviewed_at").fetchall()


def our_interval_before(item_id: str) -> list[int]:
    """The interval before each of the item's answers in the trainer's log, in log order."""
    import sqlite3

    from trainer.store.paths import database_path

    with sqlite3.connect(database_path()) as db:
        rows = db.execute(
            "SELECT interval_before FROM reviews WHERE item_id = ? ORDER BY unix_time", (item_id,)
        )
        return [interval for (interval,) in rows]


def _key(col: Collection, card_id: int) -> tuple[str, int]:
    card = col.get_card(card_id)
    return card.note().guid, card.ord


def grade_in_trainer(bank: Path, grades: list[int]) -> list[str]:
    """Answer today's first cards in a real session; returns the item ids answered."""
    answered = []
    with open_session(bank) as session:
        for grade in grades:
            card = session.current()
            assert card is not None
            session.grade(card, grade, 3000)
            answered.append(card.item.id)
    return answered


def mark_synced_with_ankiweb(path: Path) -> None:
    """What a sync with AnkiWeb leaves: every row's update sequence number set (not -1)."""
    import sqlite3

    with closing(sqlite3.connect(path)) as db, db:
        for table in ("cards", "notes", "revlog"):
            db.execute(f"UPDATE {table} SET usn = 0")


def pending_for_ankiweb(path: Path) -> tuple[int, int]:
    """Review-log rows and cards that AnkiWeb's next sync will send (usn -1)."""
    import sqlite3

    with closing(sqlite3.connect(path)) as db:
        revlog = db.execute("SELECT count(*) FROM revlog WHERE usn = -1").fetchone()[0]
        cards = db.execute("SELECT count(*) FROM cards WHERE usn = -1").fetchone()[0]
    return revlog, cards


def answer_in_anki(col: Collection, card_id: int, button: int) -> None:
    card = col.get_card(card_id)
    card.start_timer()
    col.sched.answerCard(card, button)


def anki_today(col: Collection) -> date:
    """The date of Anki's study day: the day before its next cutoff (its day starts at the
    rollover hour, 04:00, so between midnight and then it is still yesterday's)."""
    return date.fromtimestamp(col.sched.day_cutoff) - timedelta(days=1)


def anki_due_day(col: Collection, card_id: int) -> date:
    card = col.get_card(card_id)
    return anki_today(col) + timedelta(days=card.due - col.sched.today)


def card_ids(col: Collection) -> list[int]:
    return list(col.find_cards(f'"deck:{DECK}"'))


def test_first_sync_gives_one_note_per_bank_card_and_a_second_sync_is_a_no_op(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sync(bank, collection_path) == 0
    assert f"notes to add: {NOTES}" in capsys.readouterr().out
    col = Collection(str(collection_path))
    try:
        assert len(col.find_notes(f'"deck:{DECK}"')) == NOTES
        assert len(card_ids(col)) == ITEMS
    finally:
        col.close()
    assert list((collection_path.parent / "backups").iterdir()), "a backup before writing"
    before = stored_content(collection_path)
    assert sync(bank, collection_path) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert stored_content(collection_path) == before


@pytest.mark.parametrize("deck_id", [None, "upsc-security-2026"], ids=["name", "deck.id"])
def test_a_collection_that_imported_the_package_gets_no_duplicates(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str], deck_id: str | None
) -> None:
    """Sync matches the package's notes whether the identity is the deck name or a deck.id."""
    if deck_id:
        bank.write_text(BANK.replace(f"  name: {DECK}\n", f"  name: {DECK}\n  id: {deck_id}\n"))
    assert main(["build", str(bank)]) == 0
    col = Collection(str(collection_path))
    package = bank.parent / "decks" / "sync-deck.apkg"
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package)))
    col.close()
    capsys.readouterr()
    assert sync(bank, collection_path) == 0
    out = capsys.readouterr().out
    assert "notes to add" not in out
    col = Collection(str(collection_path))
    try:
        assert col.note_count() == NOTES
        assert col.card_count() == ITEMS
    finally:
        col.close()


@pytest.mark.parametrize("scheduler", ["sm2", "fsrs"])
def test_reviews_cross_both_ways_and_both_sides_agree_on_the_due_day(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str], scheduler: str
) -> None:
    bank.write_text(
        BANK.replace("  name: Sync Deck\n", f"  name: Sync Deck\n  scheduler: {scheduler}\n"),
        encoding="utf-8",
    )
    assert sync(bank, collection_path) == 0
    capsys.readouterr()
    mark_synced_with_ankiweb(collection_path)
    trainer_items = grade_in_trainer(bank, [5, 2])  # capital (Easy), leaders:c1 (a lapse)
    col = Collection(str(collection_path))
    try:
        venue = next(c for c in card_ids(col) if "talks held" in col.get_card(c).question())
        answer_in_anki(col, venue, 3)  # Good
    finally:
        col.close()
    assert sync(bank, collection_path) == 0
    # the 2 answers copied from the trainer and Anki's own; the 3 cards rescheduled
    assert pending_for_ankiweb(collection_path) == (3, 3)
    out = capsys.readouterr().out
    assert "reviews to copy from Anki: 1" in out
    assert "reviews to copy to Anki: 2" in out

    log = our_log()
    assert ("venue", 4) in log  # Anki's Good is SM-2 grade 4
    assert {item for item, _ in log} == {*trainer_items, "venue"}
    schedule = items_json(bank)
    forecast = stats(bank, capsys)["forecast"]
    items = items_by_card(bank)
    col = Collection(str(collection_path))
    try:
        buttons, anki_due = [], {}
        for card_id in card_ids(col):
            card = col.get_card(card_id)
            logs = col.get_review_logs(card_id)
            buttons += [entry.button_chosen for entry in logs]
            if logs:
                anki_due[items[card.note().guid, card.ord]] = anki_due_day(col, card_id)
        assert sorted(buttons) == [1, 3, 4]  # Again (grade 2), Good, Easy (grade 5)
    finally:
        col.close()
    assert set(anki_due) == {*trainer_items, "venue"}
    for item_id, due in anki_due.items():
        assert schedule[item_id]["due"] == due.isoformat()
        assert forecast[due.isoformat()] == list(anki_due.values()).count(due)

    before = stored_content(collection_path)
    assert sync(bank, collection_path) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert stored_content(collection_path) == before
    assert our_log() == log


def test_a_dry_run_changes_neither_file(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sync(bank, collection_path) == 0
    grade_in_trainer(bank, [4])
    bank.write_text(BANK.replace("Ottawa\n", "Ottawa (Ontario)\n", 1), encoding="utf-8")
    from trainer.store.paths import database_path

    files = [collection_path, database_path()]
    before = [digest(path) for path in files]
    listing = sorted(p.name for p in collection_path.parent.rglob("*"))
    capsys.readouterr()
    assert sync(bank, collection_path, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "notes to update: 1" in out
    assert "reviews to copy to Anki: 1" in out
    assert [digest(path) for path in files] == before
    assert sorted(p.name for p in collection_path.parent.rglob("*")) == listing


def test_a_collection_open_in_anki_is_refused_and_left_alone(
    bank: Path, collection_path: Path
) -> None:
    col = Collection(str(collection_path))  # Anki holds it while running
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "trainer",
                "sync",
                str(bank),
                "--collection",
                str(collection_path),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert col.note_count() == 0
    finally:
        col.close()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Close Anki" in result.stderr


def test_deck_rename_removal_and_type_change(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sync(bank, collection_path) == 0
    col = Collection(str(collection_path))
    try:
        venue = next(c for c in card_ids(col) if "talks held" in col.get_card(c).question())
        answer_in_anki(col, venue, 3)
        venue_note = col.get_card(venue).nid
    finally:
        col.close()
    edited = BANK.replace("name: Sync Deck", "name: Renamed Deck").replace(
        "    type: basic\n", "    type: reverse\n"
    )
    edited = edited[: edited.index("  - id: leaders")] + edited[edited.index("  - id: venue") :]
    bank.write_text(edited, encoding="utf-8")
    before = digest(collection_path)
    capsys.readouterr()
    assert sync(bank, collection_path) == 1  # a type change needs the user's consent
    assert "--allow-full-sync" in capsys.readouterr().err
    assert digest(collection_path) == before
    assert sync(bank, collection_path, "--allow-full-sync") == 0
    out = capsys.readouterr().out
    assert "rename 'Sync Deck' to 'Renamed Deck'" in out
    assert "notes to retype: 1" in out
    assert "notes to mark removed: 1" in out
    col = Collection(str(collection_path))
    try:
        assert col.decks.id_for_name(DECK) is None
        renamed = col.find_cards('"deck:Renamed Deck"')
        assert len(renamed) == 2 + 2 + 2  # capital x2, venue x2 (reversed now), leaders kept
        assert len(col.find_notes("tag:trainer-removed")) == 1
        note = col.get_note(venue_note)
        assert note.note_type()["name"] == "Trainer \u00b7 Basic (and reversed card)"
        forward = next(c for c in note.cards() if c.ord == 0)
        assert forward.id == venue and col.get_review_logs(forward.id)
    finally:
        col.close()
    assert ("venue", 4) in our_log()


def test_a_missing_collection_is_a_clear_error(
    bank: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "collection.anki2"
    for options in ((), ("--dry-run",)):
        assert sync(bank, missing, *options) == 1
        error = capsys.readouterr().err
        assert str(missing) in error and "--collection" in error
    assert not missing.parent.exists()


def test_a_collection_from_a_newer_anki_is_refused_untouched(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    with sqlite3.connect(collection_path) as db:
        newest = db.execute("SELECT ver FROM col").fetchone()[0]
        db.execute("UPDATE col SET ver = ?", (newest + 1,))
    db.close()
    before = digest(collection_path)
    for options in ((), ("--dry-run",)):
        assert sync(bank, collection_path, *options) == 1
        assert "newer Anki" in capsys.readouterr().err
    assert digest(collection_path) == before


def test_a_note_type_the_user_changed_is_a_clear_error_and_changes_nothing(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sync(bank, collection_path) == 0
    col = Collection(str(collection_path))
    try:
        notetype = col.models.by_name("Trainer \u00b7 Basic")
        assert notetype is not None
        col.models.add_field(notetype, col.models.new_field("My notes"))
        col.models.update_dict(notetype)
    finally:
        col.close()
    bank.write_text(BANK.replace("back: Ottawa\n", "back: Ottawa (Ontario)\n"), encoding="utf-8")
    before = digest(collection_path)
    capsys.readouterr()
    assert sync(bank, collection_path) == 1
    error = capsys.readouterr().err
    assert "Trainer \u00b7 Basic" in error and "My notes" in error
    assert "Traceback" not in error
    assert digest(collection_path) == before


def test_a_change_to_the_log_after_a_sync_is_seen_by_the_next(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The trainer's side of the comparison is kept between syncs (an unchanged log is not
    read again): an answer undone in the terminal after it reached Anki is still noticed, and
    Anki's copy of it is taken out (it is not read back as an answer made on the phone)."""
    assert sync(bank, collection_path) == 0
    grade_in_trainer(bank, [4])
    assert sync(bank, collection_path) == 0
    assert "reviews to copy to Anki: 1" in capsys.readouterr().out
    with open_session(bank) as session:
        assert session.undo() is not None
    assert our_log() == []
    assert sync(bank, collection_path) == 0
    assert "reviews undone in the trainer to take out of Anki: 1" in capsys.readouterr().out
    assert our_log() == []
    assert sync(bank, collection_path) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_the_pass_after_the_backup_reads_nothing_again(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    """A sync that writes runs its pass twice (the first stops at its first change, for the
    backup): the second uses what the first read, so Anki's log is read once, by a few
    queries for every card (their answers' seconds, the entries that are no answers) and one
    for the answers of the card whose log differs: none asked twice, none per card."""
    assert sync(bank, collection_path) == 0
    col = Collection(str(collection_path))
    try:
        answer_in_anki(col, card_ids(col)[0], 3)
    finally:
        col.close()
    reads: list[str] = []
    real = DBProxy._query

    def counted(self: DBProxy, sql: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if sql.lstrip().upper().startswith("SELECT") and "FROM REVLOG" in sql.upper():
            reads.append(sql)
        return real(self, sql, *args, **kwargs)

    monkeypatch.setattr(DBProxy, "_query", counted)
    capsys.readouterr()
    assert sync(bank, collection_path) == 0
    out = capsys.readouterr().out
    assert "reviews to copy from Anki: 1" in out
    assert "a backup of the collection" in out
    assert len(reads) == len(set(reads)) <= 3, reads


def test_a_fixed_clock_is_refused_before_anything_is_read(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    """Anki's scheduler reads the real clock: a sync under TRAINER_NOW would give the two sides
    different todays, so it is refused (usage error) and neither file is touched."""
    before = digest(collection_path)
    monkeypatch.setenv("TRAINER_NOW", "2026-03-01T09:00:00")
    assert sync(bank, collection_path) == 2
    assert "TRAINER_NOW" in capsys.readouterr().err
    assert digest(collection_path) == before
    from trainer.store.paths import database_path

    assert not database_path().exists()


def test_a_change_of_time_zone_copies_nothing_twice(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str], time_zone
) -> None:
    """The trainer logs local time; a laptop that travels reads it in another zone. Answers
    are compared by the Unix time logged with them, so a sync after the move finds every
    answer on both sides and copies none."""
    time_zone("IST-5:30")
    assert sync(bank, collection_path) == 0
    answered = grade_in_trainer(bank, [4, 5])
    col = Collection(str(collection_path))
    try:
        answer_in_anki(col, card_ids(col)[-1], 3)
    finally:
        col.close()
    assert sync(bank, collection_path) == 0
    out = capsys.readouterr().out
    assert "reviews to copy from Anki: 1" in out and "reviews to copy to Anki: 2" in out
    log = our_log()
    time_zone("EST+5")
    assert sync(bank, collection_path) == 0
    assert "reviews to copy" not in capsys.readouterr().out
    assert our_log() == log
    col = Collection(str(collection_path))
    try:
        assert sum(len(col.get_review_logs(card)) for card in card_ids(col)) == 3
        # Now, in New York, Anki answers a card the trainer answered in India hours ago: the
        # replay puts it after the trainer's answer (by Unix time, not by the local clocks,
        # which read 5:30 ahead then and 5:00 behind now).
        first = next(c for c in card_ids(col) if items_by_card(bank)[_key(col, c)] == answered[0])
        answer_in_anki(col, first, 3)
    finally:
        col.close()
    assert sync(bank, collection_path) == 0
    assert "reviews to copy from Anki: 1" in capsys.readouterr().out
    assert our_interval_before(answered[0]) == [0, 1]  # the trainer's answer, then Anki's


def test_the_trainer_s_templates_and_styling_reach_a_collection_that_has_its_note_types(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A note type made by an older trainer (or imported from an older package) gets the
    current templates and styling, as a package's import would bring them; a template the user
    added to it is left as it is."""
    from trainer.anki.models import BASIC

    assert sync(bank, collection_path) == 0
    col = Collection(str(collection_path))
    try:
        notetype = col.models.by_name(BASIC.name)
        assert notetype is not None
        notetype["tmpls"][0]["afmt"] = "{{FrontSide}}<hr id=answer>{{Back}}"
        notetype["css"] = ".card { color: red; }"
        mine = col.models.new_template("My own card")
        mine["qfmt"], mine["afmt"] = "{{Back}}?", "{{Front}}"
        col.models.add_template(notetype, mine)
        col.models.update_dict(notetype)
    finally:
        col.close()
    capsys.readouterr()
    assert sync(bank, collection_path, "--dry-run") == 0
    assert "note types to restyle: 1" in capsys.readouterr().out
    assert sync(bank, collection_path) == 0
    assert "note types to restyle: 1" in capsys.readouterr().out
    col = Collection(str(collection_path))
    try:
        notetype = col.models.by_name(BASIC.name)
        assert notetype is not None
        stored = {t["name"]: (t["qfmt"], t["afmt"]) for t in notetype["tmpls"]}
        assert stored == {
            **{spec["name"]: (spec["qfmt"], spec["afmt"]) for spec in BASIC.templates},
            "My own card": ("{{Back}}?", "{{Front}}"),
        }
        assert notetype["css"] == BASIC.css
    finally:
        col.close()
    before = stored_content(collection_path)
    assert sync(bank, collection_path) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert stored_content(collection_path) == before


def test_a_citation_links_to_its_source_whether_the_bank_is_read_or_not(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first sync reads the bank; the next ones, of an unchanged bank, render the notes
    from the review database: both give the Source field the same link as the package."""
    bank.write_text(
        BANK.replace(
            "pib: {title: Talks, publisher: PIB}",
            "pib: {title: Talks, publisher: PIB, url: 'https://pib.gov.in/a?b=1&c=2'}",
        ),
        encoding="utf-8",
    )
    assert sync(bank, collection_path) == 0
    col = Collection(str(collection_path))
    try:
        sources = {col.get_note(note_id)["Source"] for note_id in col.find_notes("")}
    finally:
        col.close()
    assert sources == {'<a href="https://pib.gov.in/a?b=1&amp;c=2">PIB, \u201cTalks\u201d</a>'}
    capsys.readouterr()
    assert sync(bank, collection_path) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_a_sync_of_an_unchanged_bank_imports_neither_yaml_nor_genanki(
    bank: Path, collection_path: Path
) -> None:
    """Start-up stays lean: a sync needs the `anki` library, not the bank's parser (the bank is
    unchanged) nor the package writer."""
    assert sync(bank, collection_path) == 0
    code = (
        "import sys; from trainer.cli import main\n"
        f"code = main(['sync', {str(bank)!r}, '--collection', {str(collection_path)!r}])\n"
        "print(code, sorted({'yaml', 'genanki', 'textual', 'rich'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "0 []"


def test_an_answer_in_anki_at_the_second_of_one_of_ours_is_copied_once(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two answers to one card in the same second, the same grade, one on each side (a review
    log row as AnkiWeb brings it from the phone): each side ends with both, none twice."""
    import sqlite3

    assert sync(bank, collection_path) == 0
    (item,) = grade_in_trainer(bank, [4])
    assert sync(bank, collection_path) == 0
    col = Collection(str(collection_path))
    try:
        card_id = next(c for c in card_ids(col) if items_by_card(bank)[_key(col, c)] == item)
        (ours,) = col.get_review_logs(card_id)
    finally:
        col.close()
    with closing(sqlite3.connect(collection_path)) as db, db:
        db.execute(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
            " VALUES (?, ?, -1, 3, 1, 0, 2500, 4000, 1)",
            (ours.time * 1000 + 999, card_id),
        )
    capsys.readouterr()
    assert sync(bank, collection_path) == 0
    assert "reviews to copy from Anki: 1" in capsys.readouterr().out
    assert [grade for logged, grade in our_log() if logged == item] == [4, 4]
    assert sync(bank, collection_path) == 0
    assert "nothing to do" in capsys.readouterr().out
