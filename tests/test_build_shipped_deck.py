"""The committed package in decks/ is the build of the committed cards.yaml.

Rebuilds from the bank with the committed manifest into tmp_path and compares what Anki reads
from the two packages: every row of the collection (notes, cards, note types, decks, options,
fields, tags, modification times) and the media. Not their bytes: those also encode the SQLite
and zlib that wrote them, which differ between machines. When the bank changes, run
`trainer build` in the repository root and commit decks/.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from trainer.anki.build import build, locate
from trainer.bank import load_bank
from trainer.commands.build import default_package_path, manifest_directory

REPO = Path(__file__).resolve().parent.parent
REBUILD = "run `trainer build` in the repository root and commit decks/"
TABLES = {
    "notes": "id",
    "cards": "id",
    "revlog": "id",
    "graves": "oid",
}
JSON_COLUMNS = ("conf", "models", "decks", "dconf", "tags")


def package_content(package: Path, work: Path) -> dict[str, Any]:
    """What Anki imports from `package`: each table's rows in key order, the JSON of the
    collection row parsed, and the media files."""
    with zipfile.ZipFile(package) as archive:
        archive.extractall(work)
        media = {
            name: archive.read(name) for name in archive.namelist() if name != "collection.anki2"
        }
    connection = sqlite3.connect(work / "collection.anki2")
    try:
        content: dict[str, Any] = {"media": media}
        for table, key in TABLES.items():
            content[table] = connection.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
        connection.row_factory = sqlite3.Row
        (col,) = connection.execute("SELECT * FROM col").fetchall()
        content["col"] = {
            name: json.loads(col[name]) if name in JSON_COLUMNS else col[name]
            for name in col.keys()  # noqa: SIM118 (a Row iterates over its values)
        }
    finally:
        connection.close()
    return content


def test_shipped_package_is_up_to_date_with_the_bank(tmp_path: Path) -> None:
    bank = load_bank(REPO / "cards.yaml")
    shipped = default_package_path(bank)
    shipped_manifest = locate(bank, manifest_directory(bank)).path
    assert shipped.is_file(), f"{shipped} is missing: {REBUILD}"
    assert shipped_manifest.is_file(), f"{shipped_manifest} is missing: {REBUILD}"
    manifest_copy = tmp_path / shipped_manifest.name
    shutil.copyfile(shipped_manifest, manifest_copy)
    rebuilt = tmp_path / shipped.name

    result = build(bank, rebuilt, manifest_copy, now=0, create_directories=False)

    assert not result.changes.any, f"cards.yaml changed since decks/ was built: {REBUILD}"
    expected = package_content(shipped, tmp_path / "shipped")
    found = package_content(rebuilt, tmp_path / "rebuilt")
    assert len(found["notes"]) == len(bank.notes)
    assert found == expected, f"{shipped} is stale: {REBUILD}"
    assert manifest_copy.read_bytes() == shipped_manifest.read_bytes()


def test_the_comparison_sees_a_changed_field(tmp_path: Path) -> None:
    """The content comparison is not blind: one changed character in one note is a difference."""
    bank = load_bank(REPO / "cards.yaml")
    shipped = default_package_path(bank)
    expected = package_content(shipped, tmp_path / "shipped")
    copy = tmp_path / "copy"
    copy.mkdir()
    with zipfile.ZipFile(shipped) as archive:
        archive.extractall(copy)
    connection = sqlite3.connect(copy / "collection.anki2")
    with connection:
        connection.execute(
            "UPDATE notes SET flds = flds || '.' WHERE id = (SELECT min(id) FROM notes)"
        )
    connection.close()
    edited = tmp_path / "edited.apkg"
    with zipfile.ZipFile(edited, "w") as archive:
        for name in ("collection.anki2", "media"):
            archive.write(copy / name, name)
    assert package_content(edited, tmp_path / "edited") != expected
