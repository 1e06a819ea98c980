"""The committed package in decks/ is the build of the committed cards.yaml.

Rebuilds from the bank with the committed manifest into tmp_path and compares bytes; when the
bank changes, run `trainer build` in the repository root and commit decks/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from trainer.anki.build import build
from trainer.bank import load_bank
from trainer.commands.build import default_package_path, manifest_path

REPO = Path(__file__).resolve().parent.parent
REBUILD = "run `trainer build` in the repository root and commit decks/"


def test_shipped_package_is_up_to_date_with_the_bank(tmp_path: Path) -> None:
    bank = load_bank(REPO / "cards.yaml")
    shipped, shipped_manifest = default_package_path(bank), manifest_path(bank)
    assert shipped.is_file(), f"{shipped} is missing: {REBUILD}"
    assert shipped_manifest.is_file(), f"{shipped_manifest} is missing: {REBUILD}"
    manifest_copy = tmp_path / shipped_manifest.name
    shutil.copyfile(shipped_manifest, manifest_copy)
    rebuilt = tmp_path / shipped.name

    result = build(bank, rebuilt, manifest_copy, now=0, create_directories=False)

    assert not result.changes.any, f"cards.yaml changed since decks/ was built: {REBUILD}"
    assert rebuilt.read_bytes() == shipped.read_bytes(), f"{shipped} is stale: {REBUILD}"
    assert manifest_copy.read_bytes() == shipped_manifest.read_bytes()
