"""The build manifest: a note's time and id change only when its content does."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.anki import manifest
from trainer.errors import TrainerError

T1, T2 = 1_772_355_600, 1_772_442_000  # 2026-03-01 and 2026-03-02, 09:00 UTC
MODELS = {"1": "model-hash"}


def stamp(
    previous, notes: dict[str, str], now: int, models=MODELS, deck="deck-hash", *, kinds=None
):
    """Stamp notes given as {id: hash}, all basic unless `kinds` says otherwise."""
    kinds = kinds or {}
    return manifest.stamp(
        previous,
        identity="Deck",
        name="Deck",
        bank="cards.yaml",
        deck_hash=deck,
        model_hashes=models,
        notes=[
            manifest.NoteInput(key, kinds.get(key, "basic"), value) for key, value in notes.items()
        ],
        now=now,
    )


def load(path: Path):
    return manifest.load(path, "Deck", {})


@pytest.fixture
def first():
    return stamp(None, {"a": "ha", "b": "hb", "c": "hc"}, T1)


def test_first_build_stamps_everything_with_the_build_time(first) -> None:
    built, changes = first
    assert changes.first_build
    assert changes.added == ("a", "b", "c")
    assert built.created == T1
    assert {note.mtime for note in built.notes.values()} == {T1}
    assert built.deck.mtime == built.models["1"].mtime == T1
    assert [note.nid for note in built.notes.values()] == [T1 * 1000, T1 * 1000 + 1, T1 * 1000 + 2]


def test_unchanged_rebuild_keeps_every_time(first) -> None:
    built, _ = first
    again, changes = stamp(built, {"a": "ha", "b": "hb", "c": "hc"}, T2)
    assert again == built
    assert not changes.any
    assert not changes.first_build


def test_edit_add_remove(first) -> None:
    built, _ = first
    again, changes = stamp(built, {"a": "ha", "b": "hb2", "d": "hd"}, T2)
    assert (changes.added, changes.changed, changes.removed) == (("d",), ("b",), ("c",))
    assert again.notes["a"] == built.notes["a"]
    assert again.notes["b"].mtime == T2
    assert again.notes["b"].nid == built.notes["b"].nid  # same Anki note
    assert again.notes["d"].mtime == T2
    assert "c" not in again.notes
    assert again.created == T1
    assert again.modified == T2


def test_new_note_ids_never_collide_with_kept_ones(first) -> None:
    built, _ = first
    again, _ = stamp(built, {"a": "ha", "b": "hb", "c": "hc", "d": "hd", "e": "he"}, T1)
    nids = [note.nid for note in again.notes.values()]
    assert len(set(nids)) == 5


def test_restyled_note_type_and_deck_get_new_times(first) -> None:
    built, _ = first
    again, changes = stamp(built, {"a": "ha", "b": "hb", "c": "hc"}, T2, {"1": "new"}, "deck2")
    assert changes.models_changed == ("1",)
    assert again.models["1"].mtime == again.deck.mtime == T2
    assert again.notes == built.notes


def test_round_trip_through_json(tmp_path: Path, first) -> None:
    built, _ = first
    path = tmp_path / "deck.lock.json"
    path.write_text(manifest.dumps(built), encoding="utf-8")
    assert load(path) == built


def test_missing_manifest_means_first_build(tmp_path: Path) -> None:
    assert load(tmp_path / "none.lock.json") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read the build manifest"),
        ('{"format": 1, "created": 1}', "malformed build manifest"),
        ('{"format": 2, "created": 1}', "malformed build manifest"),
        ('{"format": 99}', "format 99 is not supported"),
        ("[]", "malformed build manifest"),
    ],
)
def test_broken_manifest_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "deck.lock.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TrainerError, match=message):
        load(path)


def test_a_type_change_gets_a_new_guid_and_note_id_and_retires_the_old_note(first) -> None:
    built, _ = first
    again, changes = stamp(built, {"a": "ha2", "b": "hb", "c": "hc"}, T2, kinds={"a": "cloze"})
    assert changes.changed == ("a",)
    assert changes.retyped == (manifest.Retyped("a", "basic", "cloze"),)
    old, new = built.notes["a"], again.notes["a"]
    assert old.guid == manifest.note_guid("Deck", "a")  # what every earlier build used
    assert new.guid == manifest.note_guid("Deck", "a", "cloze") != old.guid
    assert new.nid not in {note.nid for note in built.notes.values()}
    assert (new.kind, new.mtime) == ("cloze", T2)
    assert again.retired == (manifest.Retired("a", "basic", old.guid, old.nid),)
    assert changes.retired == again.retired


def test_changing_the_type_back_revives_the_old_note(first) -> None:
    built, _ = first
    cloze, _ = stamp(built, {"a": "ha2", "b": "hb", "c": "hc"}, T2, kinds={"a": "cloze"})
    back, changes = stamp(cloze, {"a": "ha", "b": "hb", "c": "hc"}, T2 + 1)
    assert changes.retyped == (manifest.Retyped("a", "cloze", "basic"),)
    assert (back.notes["a"].guid, back.notes["a"].nid) == (
        built.notes["a"].guid,
        built.notes["a"].nid,
    )
    assert back.notes["a"].mtime == T2 + 1  # newer than Anki's copy: Anki updates it
    assert [entry.kind for entry in back.retired] == ["cloze"]


def test_removed_notes_stay_retired_until_they_come_back(first) -> None:
    built, _ = first
    removed, changes = stamp(built, {"a": "ha", "b": "hb"}, T2)
    assert changes.removed == ("c",)
    assert [entry.nid for entry in changes.retired] == [built.notes["c"].nid]
    later, changes = stamp(removed, {"a": "ha", "b": "hb"}, T2 + 1)
    assert not changes.any
    assert [entry.id for entry in changes.retired] == ["c"]
    back, changes = stamp(later, {"a": "ha", "b": "hb", "c": "hc"}, T2 + 2)
    assert changes.added == ("c",)
    assert back.notes["c"].guid == built.notes["c"].guid
    assert not back.retired


def test_reordering_is_a_change_that_keeps_every_note(first) -> None:
    built, _ = first
    again, changes = stamp(built, {"c": "hc", "a": "ha", "b": "hb"}, T2)
    assert changes.reordered
    assert changes.any
    assert not (changes.added or changes.changed or changes.removed)
    assert dict(again.notes) == dict(built.notes)
    assert list(again.notes) == ["c", "a", "b"]


def test_a_legacy_manifest_is_read_with_the_plain_guids_and_the_banks_order(
    tmp_path: Path,
) -> None:
    path = tmp_path / "deck.lock.json"
    path.write_text(
        '{"format": 1, "created": 5, "deck": {"hash": "d", "mtime": 5}, "models": {},'
        ' "notes": {"a": {"hash": "ha", "mtime": 5, "nid": 5000},'
        ' "b": {"hash": "hb", "mtime": 6, "nid": 5001}}}',
        encoding="utf-8",
    )
    legacy = manifest.load(path, "Old Name", {"b": "cloze", "a": "basic"})
    assert list(legacy.notes) == ["b", "a"]
    assert legacy.notes["a"] == manifest.NoteStamp(
        "ha", 5, 5000, "basic", manifest.note_guid("Old Name", "a")
    )
    assert legacy.identity == legacy.name == "Old Name"
