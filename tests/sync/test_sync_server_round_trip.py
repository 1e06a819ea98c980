"""The candidate's round trip, through Anki's own sync server on loopback: a phone and a laptop
syncing with it, `trainer sync` on the laptop, answers on the phone and in the trainer. Then
every answer is once on both devices, every card has the same due day on both and in the
trainer, the laptop's next sync with the server is a normal one (not a full sync), and Check
Database finds nothing to fix on either device.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.sync_pb2 import SyncAuth, SyncCollectionResponse

from tests.sync.test_sync_anki import (
    BANK,
    anki_due_day,
    answer_in_anki,
    grade_in_trainer,
    items_by_card,
    items_json,
)
from tests.sync_server_support import PASSWORD, USER
from trainer.cli import main

FULL = (
    SyncCollectionResponse.FULL_SYNC,
    SyncCollectionResponse.FULL_DOWNLOAD,
    SyncCollectionResponse.FULL_UPLOAD,
)


class Device:
    """A collection that syncs with the server, as Anki's Sync button does."""

    def __init__(self, path: Path, endpoint: str) -> None:
        self.path, self.endpoint = path, endpoint
        path.parent.mkdir(parents=True)
        col = Collection(str(path))
        assert col.sched.today >= 0  # as Anki leaves a new profile
        col.close()

    def open(self) -> Collection:
        return Collection(str(self.path))

    def sync(self, *, upload_if_full: bool) -> int:
        """One sync with the server; a full sync is made in the given direction. Returns what
        the server asked for."""
        col = self.open()
        try:
            auth: SyncAuth = col.sync_login(USER, PASSWORD, self.endpoint)
            out = col.sync_collection(auth, sync_media=False)
            if out.required in FULL:
                upload = upload_if_full and out.required != SyncCollectionResponse.FULL_DOWNLOAD
                col.close_for_full_sync()
                col.full_upload_or_download(
                    auth=auth, server_usn=out.server_media_usn, upload=upload
                )
                col.reopen(after_full_sync=True)
            return int(out.required)
        finally:
            col.close()


def _log(device: Device) -> list[tuple[int, int, int]]:
    col = device.open()
    try:
        assert col.db is not None
        return col.db.all("SELECT id, cid, ease FROM revlog ORDER BY id")
    finally:
        col.close()


def _due_days(device: Device) -> dict[tuple[str, int], date]:
    """Each reviewed card's due day, by (note GUID, ordinal)."""
    col = device.open()
    try:
        days = {}
        for card_id in col.find_cards('"deck:Sync Deck" -is:new'):
            card = col.get_card(card_id)
            days[card.note().guid, card.ord] = anki_due_day(col, card_id)
        return days
    finally:
        col.close()


def _check_database_finds_nothing(device: Device) -> None:
    col = device.open()
    try:
        found, ok = col.fix_integrity()
        nothing, _ = col.fix_integrity()  # what it says when nothing is left to fix
        assert ok and found == nothing
    finally:
        col.close()


def test_a_phone_and_a_laptop_through_anki_s_sync_server_with_the_trainer_on_the_laptop(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRAINER_NOW", raising=False)
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "trainer" / "reviews.sqlite3"))
    bank = tmp_path / "cards.yaml"
    bank.write_text(BANK, encoding="utf-8")
    laptop = Device(tmp_path / "laptop" / "User 1" / "collection.anki2", server)
    phone = Device(tmp_path / "phone" / "User 1" / "collection.anki2", server)

    def trainer_sync() -> None:
        assert main(["sync", str(bank), "--collection", str(laptop.path)]) == 0

    trainer_sync()  # the notes into the laptop's collection
    laptop.sync(upload_if_full=True)  # the first sync uploads
    phone.sync(upload_if_full=False)  # the phone downloads
    col = phone.open()
    try:
        (phone_card,) = col.find_cards('"deck:Sync Deck" "Front:Where were the talks held?"')
        answer_in_anki(col, phone_card, 3)  # Good, on the way
    finally:
        col.close()
    assert phone.sync(upload_if_full=False) not in FULL
    answered = grade_in_trainer(bank, [5, 2])  # at the desk

    assert laptop.sync(upload_if_full=False) not in FULL  # step 1: the phone's answer arrives
    trainer_sync()  # step 2
    assert laptop.sync(upload_if_full=False) not in FULL  # step 3: a normal sync
    assert phone.sync(upload_if_full=False) not in FULL

    log = _log(laptop)
    assert log == _log(phone)
    assert len(log) == 1 + len(answered)  # each answer once
    assert len({(cid, second // 1000) for _, cid, second in log}) == len(log)
    laptop_days, phone_days = _due_days(laptop), _due_days(phone)
    assert laptop_days == phone_days
    schedule, items = items_json(bank), items_by_card(bank)
    assert len(laptop_days) == 1 + len(answered)
    for key, day in laptop_days.items():
        assert schedule[items[key]]["due"] == day.isoformat()
    assert laptop.sync(upload_if_full=False) == SyncCollectionResponse.NO_CHANGES
    _check_database_finds_nothing(laptop)
    _check_database_finds_nothing(phone)
