"""The package file: hermetic (same bank and manifest, same bytes), per-note times, atomic."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.anki import package as package_module
from trainer.anki.build import build
from trainer.anki.manifest import guid_for, load, note_guid
from trainer.bank import load_bank
from trainer.errors import TrainerError

BANK = """\
deck:
  name: Package Test
sources:
  src: {title: T, publisher: P}
cards:
  - {id: one, type: basic, tags: [date], source: src, front: Q1, back: A1}
  - {id: two, type: cloze, tags: [name], source: src, text: "{{c1::x}} and {{c2::y}}"}
  - {id: three, type: mcq, tags: [name], source: src, question: Q3, choices: [a, b], answer: a}
"""
T1, T2, T3 = 1_772_355_600, 1_772_442_000, 1_772_528_400


@pytest.fixture
def bank_path(tmp_path: Path) -> Path:
    path = tmp_path / "cards.yaml"
    path.write_text(BANK, encoding="utf-8")
    return path


def run_build(bank_path: Path, now: int, package: Path | None = None):
    bank = load_bank(bank_path)
    default = bank_path.parent / "decks" / "package-test.apkg"
    manifest_file = bank_path.parent / "decks" / "package-test.lock.json"
    result = build(
        bank, package or default, manifest_file, now=now, create_directories=package is None
    )
    return package or default, manifest_file, result


def collection(package: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(package) as archive:
        data = archive.read("collection.anki2")
    path = tmp_path / "extracted.anki2"
    path.write_bytes(data)
    return sqlite3.connect(path)


def test_rebuild_is_byte_identical_and_leaves_the_manifest_alone(bank_path: Path) -> None:
    package, manifest_file, _ = run_build(bank_path, T1)
    first_bytes, first_manifest = package.read_bytes(), manifest_file.read_bytes()
    manifest_mtime = manifest_file.stat().st_mtime_ns
    _, _, result = run_build(bank_path, T2)
    assert not result.changes.any
    assert package.read_bytes() == first_bytes
    assert manifest_file.read_bytes() == first_manifest
    assert manifest_file.stat().st_mtime_ns == manifest_mtime  # not even rewritten


def test_zip_entries_have_fixed_dates_and_order(bank_path: Path) -> None:
    package, _, _ = run_build(bank_path, T1)
    with zipfile.ZipFile(package) as archive:
        infos = archive.infolist()
        assert [info.filename for info in infos] == ["collection.anki2", "media"]
        assert {info.date_time for info in infos} == {(2026, 3, 1, 9, 0, 0)}
        assert json.loads(archive.read("media")) == {}


def test_each_note_keeps_the_time_of_its_last_change(bank_path: Path, tmp_path: Path) -> None:
    run_build(bank_path, T1)
    bank_path.write_text(BANK.replace("back: A1", "back: A1 edited"), encoding="utf-8")
    package, _, result = run_build(bank_path, T2)
    assert result.changes.changed == ("one",)
    db = collection(package, tmp_path)
    note_times = dict(db.execute("select sfld, mod from notes"))
    assert note_times == {"Q1": T2, "{{c1::x}} and {{c2::y}}": T1, "Q3": T1}
    card_times = sorted(
        db.execute("select n.sfld, c.ord, c.mod from cards c join notes n on n.id = c.nid")
    )
    assert card_times == [
        ("Q1", 0, T2),
        ("Q3", 0, T1),
        ("{{c1::x}} and {{c2::y}}", 0, T1),
        ("{{c1::x}} and {{c2::y}}", 1, T1),
    ]
    crt, mod = db.execute("select crt, mod from col").fetchone()
    assert (crt, mod) == (T1, T2 * 1000)
    model_times = {
        model["name"]: model["mod"]
        for model in json.loads(db.execute("select models from col").fetchone()[0]).values()
    }
    assert set(model_times.values()) == {T1}
    decks = json.loads(db.execute("select decks from col").fetchone()[0])
    assert {deck["name"]: deck["mod"] for deck in decks.values()}["Package Test"] == T1


def test_ids_are_stable_across_builds(bank_path: Path, tmp_path: Path) -> None:
    package, _, _ = run_build(bank_path, T1)
    first = dict(collection(package, tmp_path).execute("select guid, id from notes"))
    bank_path.write_text(BANK.replace("Q1", "Q1?"), encoding="utf-8")
    package, _, _ = run_build(bank_path, T3)
    (tmp_path / "extracted.anki2").unlink()
    assert dict(collection(package, tmp_path).execute("select guid, id from notes")) == first


def test_guid_and_deck_id_depend_on_identity_not_text() -> None:
    """Pinned: packages users have imported carry these; a change would duplicate every note."""
    assert note_guid("Deck", "one") == "B8=(+[9+JY"
    shipped = "India–Canada Security Work Plan 2026"
    assert note_guid(shipped, "talks-venue") == "nBWi.7c<^`"
    assert note_guid("Deck", "one") != note_guid("Deck", "two")
    assert note_guid("Deck", "one") != note_guid("Other", "one")
    # Every package built before `deck.id` existed used exactly this GUID: keep it.
    assert note_guid("Deck", "one") == genanki.guid_for("trainer", "Deck", "one")
    assert package_module.deck_id("Deck") == 1631561034
    assert package_module.deck_id(shipped) == 1296431629
    assert package_module.deck_id("Deck") != package_module.deck_id("Other")


def test_failed_build_leaves_package_and_manifest_untouched(
    bank_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package, manifest_file, _ = run_build(bank_path, T1)
    before = package.read_bytes(), manifest_file.read_bytes()

    def fail_half_way(target: io.BufferedWriter, *_args) -> None:
        target.write(b"PK half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(package_module, "_write_zip", fail_half_way)
    bank_path.write_text(BANK.replace("Q1", "Q1 edited"), encoding="utf-8")
    with pytest.raises(TrainerError, match="No space left on device"):
        run_build(bank_path, T2)
    assert (package.read_bytes(), manifest_file.read_bytes()) == before
    assert sorted(path.name for path in package.parent.iterdir()) == [
        "package-test.apkg",
        "package-test.lock.json",
    ]
    assert load(manifest_file, "Package Test", {}).notes["one"].mtime == T1


def test_output_into_a_missing_directory_is_an_error(bank_path: Path, tmp_path: Path) -> None:
    with pytest.raises(TrainerError, match="does not exist"):
        run_build(bank_path, T1, tmp_path / "missing" / "deck.apkg")
    assert not (tmp_path / "missing").exists()


def test_default_output_directory_is_created(tmp_path: Path) -> None:
    nested = tmp_path / "nested" / "bank"
    nested.mkdir(parents=True)
    bank_path = nested / "cards.yaml"
    bank_path.write_text(BANK, encoding="utf-8")
    package, manifest_file, _ = run_build(bank_path, T1)
    assert package.is_file()
    assert manifest_file.is_file()


def test_a_lost_manifest_is_rebuilt_byte_for_byte_from_the_package(bank_path: Path) -> None:
    run_build(bank_path, T1)
    bank_path.write_text(BANK.replace("Q1", "Q1?"), encoding="utf-8")
    package, manifest_file, _ = run_build(bank_path, T2)
    before = package.read_bytes(), manifest_file.read_bytes()
    manifest_file.unlink()

    _, _, result = run_build(bank_path, T3)

    assert result.recovered
    assert not result.changes.any
    assert (package.read_bytes(), manifest_file.read_bytes()) == before


def test_a_lost_manifest_with_a_removed_note_keeps_it_findable(bank_path: Path) -> None:
    _, manifest_file, first = run_build(bank_path, T1)
    manifest_file.unlink()
    bank_path.write_text(BANK.replace("  - {id: one,", "  - {id: uno,"), encoding="utf-8")

    _, _, result = run_build(bank_path, T2)

    assert result.recovered
    assert result.changes.added == ("uno",)
    assert [entry.nid for entry in result.changes.retired] == [first.manifest.notes["one"].nid]


@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_our_guids_are_genanki_s(values: list[str]) -> None:
    """`manifest.guid_for` stands in for genanki's (so a sync need not import genanki): the same
    GUID for any values, as every package ever built has them."""
    assert guid_for(*values) == genanki.guid_for(*values)
