"""Banks of one course share a parent deck in Anki: a deck name with `::` imports as Anki's
deck hierarchy (tested with the official `anki` package)."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageRequest

from tests.store_support import SMALL_BANK, write
from trainer.cli import main


def test_two_banks_named_with_a_parent_import_under_it(
    tmp_path: Path, col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAINER_NOW", "2026-03-01T09:00:00")
    for name in ("Polity", "Economy"):
        bank = write(
            tmp_path / f"{name.lower()}.yaml",
            SMALL_BANK.replace("name: Small Deck", f"name: UPSC::{name}"),
        )
        package = tmp_path / f"{name.lower()}.apkg"
        assert main(["build", str(bank), "-o", str(package)]) == 0
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package)))
    names = {entry.name for entry in col.decks.all_names_and_ids()}
    assert {"UPSC", "UPSC::Polity", "UPSC::Economy"} <= names
    parent = col.decks.id_for_name("UPSC")
    children = {name for name, _ in col.decks.children(parent)}
    assert children == {"UPSC::Polity", "UPSC::Economy"}
    for name in ("Polity", "Economy"):
        cards = col.find_cards(f'"deck:UPSC::{name}"')
        assert len(cards) == 6  # the small bank's review items, in their own deck
    assert len(col.find_cards('"deck:UPSC"')) == 12  # the parent shows both
