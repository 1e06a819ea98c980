"""`trainer sync` converges: what Anki normalises on saving (NFC, the case and `::` parts of
tags, deck names; `check` refuses control characters) is not rewritten by every sync, a second
sync writes nothing and makes no backup, and a cloze note gets exactly the cards the trainer has
items for.
"""

from __future__ import annotations

import os
import time
import unicodedata
from pathlib import Path

import pytest
from anki.collection import Collection

from trainer.cli import main

NFD = unicodedata.normalize("NFD", "Café résumé")
NUKTA = "\u095b\u095e"  # ज़ फ़: NFC takes them apart (composition exclusions)


def bank_text(deck: str = "Conv Deck", extra: str = "") -> str:
    return f"""\
deck:
  name: "{deck}"
sources:
  pib: {{title: "Talks {NFD} {{{{c3::title}}}}", publisher: PIB}}
cards:
  - id: words
    type: basic
    tags: [name, Cyber, cyber, "::edge::", "x::", CamelCase]
    source: pib
    front: "{NFD} {NUKTA}"
    back: "bell here"
  - id: talks
    type: cloze
    tags: [context]
    source: pib
    text: "{{{{c1::Doval}}}} met {NFD}"
    extra: "not a card: {{{{c2::extra}}}} {{{{c4,5::more}}}}"
{extra}"""


@pytest.fixture
def bank_yaml() -> str:
    return bank_text()


@pytest.fixture
def collection_path(tmp_path: Path) -> Path:
    """A collection whose user already has a tag `CAMELCASE` (Anki then spells ours so)."""
    path = tmp_path / "User 1" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
    note["Front"] = "the user's"
    note.tags = ["CAMELCASE"]
    col.add_note(note, 1)  # type: ignore[arg-type]
    col.close()
    return path


def sync(bank: Path, collection: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["sync", str(bank), "--collection", str(collection)]) == 0
    return capsys.readouterr().out


def notes_state(path: Path) -> list[tuple[str, int, int]]:
    col = Collection(str(path))
    try:
        assert col.db is not None
        return col.db.all("SELECT guid, mod, usn FROM notes ORDER BY id")
    finally:
        col.close()


def test_text_and_tags_anki_normalises_are_not_rewritten_by_the_next_sync(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(bank, collection_path, capsys)
    before = notes_state(collection_path)
    backups = sorted((collection_path.parent / "backups").iterdir())
    assert len(backups) == 1
    os.utime(collection_path)  # a later second: a rewrite would show in the notes' mod
    for _ in range(2):
        assert "nothing to do" in sync(bank, collection_path, capsys)
    assert notes_state(collection_path) == before
    assert sorted((collection_path.parent / "backups").iterdir()) == backups


def test_a_cloze_note_gets_only_the_cards_of_its_text_s_deletions(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(bank, collection_path, capsys)
    col = Collection(str(collection_path))
    try:
        (note_id,) = col.find_notes('"note:Trainer · Cloze"')
        assert len(col.get_note(note_id).card_ids()) == 1
        col.fix_integrity()
        assert len(col.get_note(note_id).card_ids()) == 1
        extra = col.get_note(note_id).fields[1]
        assert "{{c2::" not in extra and "c2::extra" in extra
    finally:
        col.close()


def test_a_subdeck_the_user_made_is_kept_when_anki_spells_the_deck_otherwise(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank.write_text(bank_text(deck="UPSC :: Polity"), encoding="utf-8")
    sync(bank, collection_path, capsys)
    col = Collection(str(collection_path))
    try:
        sub = col.decks.id("upsc::polity::Mine", create=True)
        (card_id,) = col.find_cards('"note:Trainer · Basic"')
        col.set_deck([card_id], sub)  # type: ignore[list-item,arg-type]
    finally:
        col.close()
    assert "nothing to do" in sync(bank, collection_path, capsys)
    col = Collection(str(collection_path))
    try:
        assert col.get_card(card_id).did == sub
    finally:
        col.close()


def test_a_note_whose_type_the_user_changed_is_found_by_guid_and_never_added_twice(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(bank, collection_path, capsys)
    col = Collection(str(collection_path))
    try:
        (note_id,) = col.find_notes('"note:Trainer · Basic"')
        basic = col.models.by_name("Basic")
        assert basic is not None
        info = col.models.change_notetype_info(
            old_notetype_id=col.get_note(note_id).mid, new_notetype_id=basic["id"]
        )
        request = info.input
        request.note_ids.append(note_id)
        col.models.change_notetype_of_notes(request)
    finally:
        col.close()
    out = sync(bank, collection_path, capsys)
    col = Collection(str(collection_path))
    try:
        assert col.db is not None
        assert col.db.all("SELECT guid FROM notes GROUP BY guid HAVING count(*) > 1") == []
        assert col.get_note(note_id).mid == basic["id"]
    finally:
        col.close()
    assert "notes left alone (their note type was changed in Anki): 1" in out


def test_a_note_edited_in_anki_is_named_in_the_dry_run_and_the_sync(
    bank: Path, collection_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(bank, collection_path, capsys)
    time.sleep(1.1)  # Anki keeps a note's modification time in seconds
    col = Collection(str(collection_path))
    try:
        (note_id,) = col.find_notes('"note:Trainer · Basic"')
        note = col.get_note(note_id)
        bank_back = note["Back"]
        note["Back"] = "my own wording"
        col.update_note(note)
    finally:
        col.close()
    capsys.readouterr()
    assert main(["sync", str(bank), "--collection", str(collection_path), "--dry-run"]) == 0
    named = "edited in Anki since the last sync, the bank's text wins: words"
    assert named in capsys.readouterr().out
    assert named in sync(bank, collection_path, capsys)
    col = Collection(str(collection_path))
    try:
        assert col.get_note(note_id)["Back"] == bank_back
    finally:
        col.close()
    bank.write_text(bank_text().replace("bell", "a bell"), encoding="utf-8")
    assert "edited in Anki" not in sync(bank, collection_path, capsys)  # the bank's own edit
