"""The build manifest: a note's time and id change only when its content does."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.anki import manifest
from trainer.errors import TrainerError

T1, T2 = 1_772_355_600, 1_772_442_000  # 2026-03-01 and 2026-03-02, 09:00 UTC
MODELS = {"1": "model-hash"}


def stamp(previous, notes: dict[str, str], now: int, models=MODELS, deck="deck-hash"):
    return manifest.stamp(previous, deck_hash=deck, model_hashes=models, note_hashes=notes, now=now)


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
    assert manifest.load(path) == built


def test_missing_manifest_means_first_build(tmp_path: Path) -> None:
    assert manifest.load(tmp_path / "none.lock.json") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read the build manifest"),
        ('{"format": 1, "created": 1}', "malformed build manifest"),
        ('{"format": 99}', "format 99 is not supported"),
        ("[]", "malformed build manifest"),
    ],
)
def test_broken_manifest_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "deck.lock.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TrainerError, match=message):
        manifest.load(path)
