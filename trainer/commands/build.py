"""`trainer build`: write the Anki package and report what changed since the last build."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from trainer import clock
from trainer.anki import PACKAGE_SUFFIX
from trainer.bank import load_bank
from trainer.commands.progress import counted
from trainer.model import Bank, Deck
from trainer.visible import visible
from trainer.wording import plural

if TYPE_CHECKING:
    from trainer.anki.build import BuildResult
    from trainer.anki.stamps import Changes, Retired

DECKS_DIRECTORY = "decks"
LISTED_IDS = 10
"""Ids listed per kind of change; the rest are counted."""
ANKI_SYSTEM_TAGS = frozenset({"marked", "leech"})
"""Tags Anki's package import removes from incoming notes when it leaves out scheduling."""


def default_package_path(bank: Bank) -> Path:
    return bank.path.parent / DECKS_DIRECTORY / f"{bank.deck.slug}{PACKAGE_SUFFIX}"


def package_path(bank: Bank, output: str | None) -> tuple[Path, bool]:
    """Where `-o` puts the package, and whether its directory may be created.

    `-o DIR/` (a trailing separator) means a file `<deck-slug>.apkg` in DIR, created if need
    be as the default's `decks/` is. `-o DIR` without it names the file itself, so an existing
    directory there is refused (`trainer.files.regular_target`) rather than guessed at.
    """
    if output is None:
        return default_package_path(bank), True
    separators = (os.sep, os.altsep) if os.altsep else (os.sep,)
    if output.endswith(separators):
        return Path(output) / f"{bank.deck.slug}{PACKAGE_SUFFIX}", True
    return Path(output), False


def manifest_directory(bank: Bank) -> Path:
    """Where the bank's build manifest lives, whatever `-o` says: it belongs to the bank."""
    return bank.path.parent / DECKS_DIRECTORY


def _id_list(ids: Sequence[str]) -> str:
    listed = ", ".join(ids[:LISTED_IDS])
    rest = len(ids) - LISTED_IDS
    return f"{listed} and {rest} more" if rest > 0 else listed


def removed_search(retired: Sequence[Retired]) -> str:
    """The Anki search that finds every note the bank no longer has."""
    return "nid:" + ",".join(str(entry.nid) for entry in retired)


def _first_build_lines(result: BuildResult, manifest_file: Path) -> list[str]:
    lines = [f"first build: all {len(result.changes.added)} notes are new"]
    if result.unmanifested_package:
        lines += [
            f"  but the package was built before, and its manifest {manifest_file} is gone",
            "  and cannot be rebuilt from it: if you imported it into Anki, importing this one",
            "  replaces every one of its notes there (your edits in Anki included; review",
            "  history is kept). To avoid that, restore the manifest from version control.",
        ]
    else:
        lines += [
            "  (if Anki already has this deck from a build whose package and manifest are lost,",
            "  importing replaces its notes there, your edits in Anki included)",
        ]
    return lines


def _change_lines(changes: Changes) -> list[str]:
    retyped = {entry.id: entry for entry in changes.retyped}
    changed = tuple(note_id for note_id in changes.changed if note_id not in retyped)
    summary = f"{len(changes.added)} added, {len(changed)} changed"
    if retyped:
        summary += f", {len(retyped)} type changed"
    lines = [f"since the last build: {summary}, {len(changes.removed)} removed"]
    for label, ids in (
        ("added", changes.added),
        ("changed", changed),
        ("removed", changes.removed),
    ):
        if ids:
            lines.append(f"  {label}: {_id_list(ids)}")
    if retyped:
        listed = [f"{entry.id} ({entry.old} -> {entry.new})" for entry in retyped.values()]
        lines += [
            f"  type changed: {_id_list(listed)}",
            "    Anki cannot change a note's type on import: it adds each as a new note (its",
            "    cards start as new) and keeps the old one, which the search below finds",
        ]
    return lines


def _deck_lines(changes: Changes, deck: Deck) -> list[str]:
    if not changes.deck_changed:
        return []
    if changes.previous_name and changes.previous_name != deck.name:
        added = len(changes.added)
        holding = (
            f"a deck of that name holding only the cards of the {plural(added, 'note')} added here"
            if added
            else "a new, empty deck of that name"
        )
        return [
            f"  deck renamed from {changes.previous_name!r}: Anki keeps the cards in that deck;",
            f"    rename it there to {deck.name!r} before importing, or the import makes",
            f"    {holding}",
        ]
    if deck.description:
        return ["  deck description changed: Anki takes the new one"]
    return ["  deck description removed: Anki keeps the one it has (edit it there)"]


def _tag_lines(result: BuildResult, collection_given: bool) -> list[str]:
    if result.kept_tags:
        tags = sorted({tag for own in result.kept_tags.values() for tag in own})
        lines = [
            f"  your own tags from Anki kept on {plural(len(result.kept_tags), 'note')}: "
            f"{_id_list(tags)}"
        ]
        if {tag.casefold() for tag in tags} & ANKI_SYSTEM_TAGS:
            lines.append(
                "  (Anki's import drops 'marked' and 'leech' from the notes it updates unless "
                "you tick 'Import any learning progress')"
            )
        return lines
    retyped = {entry.id for entry in result.changes.retyped}
    if collection_given or not set(result.changes.changed) - retyped:
        return []
    return [
        "  Anki replaces a changed note's tags with the bank's, dropping the ones you added",
        "  there (marked, leech, your own): to keep them, close Anki and build again with",
        "  --collection PATH/TO/collection.anki2",
    ]


def change_report(
    result: BuildResult, deck: Deck, manifest_file: Path, *, collection_given: bool = False
) -> list[str]:
    """What changed since the last build, said as what importing the package does in Anki."""
    changes = result.changes
    if changes.first_build:
        lines = _first_build_lines(result, manifest_file)
    elif not changes.any:
        lines = ["no changes since the last build: importing changes nothing in Anki"]
    else:
        lines = _change_lines(changes)
    if result.recovered:
        lines.insert(
            0, f"the build manifest {manifest_file} was missing: rebuilt it from the last package"
        )
    lines += _tag_lines(result, collection_given)
    if changes.models_changed:
        names = ", ".join(result.model_names[model_id] for model_id in changes.models_changed)
        lines.append(f"  note types restyled: {names} (Anki updates them)")
    if changes.reordered:
        lines.append(
            "  order changed: cards Anki does not have yet come up in the new order; "
            "cards it has keep theirs"
        )
    lines += _deck_lines(changes, deck)
    if changes.retired:
        lines += [
            f"notes the bank no longer has ({len(changes.retired)}) may still be in Anki; "
            "find them in its browser with:",
            f"  {removed_search(changes.retired)}",
        ]
    return lines


def rename_hint(identity: str, bank_file: str, renamed_from: str) -> list[str]:
    """Said once, on the build that finds the deck renamed."""
    return [
        f"the deck was renamed from {renamed_from!r}: its notes keep their identity in Anki.",
        f"  To make that explicit, add 'id: {identity}' under 'deck:' in {bank_file}",
    ]


def run(args: argparse.Namespace) -> int:
    bank = load_bank(args.bank)
    from trainer.anki.build import build, locate

    package, create_directories = package_path(bank, args.output)
    located = locate(bank, manifest_directory(bank))
    with counted("Building", len(bank.notes)) as on_note:
        result = build(
            located.bank,
            package,
            located.path,
            create_directories=create_directories,
            on_note=on_note,
            now=int(clock.now().timestamp()),
            collection=args.collection,
        )
    lines = [f"{package}: {len(bank.notes)} notes, {len(bank.items)} cards"]
    renamed_from = located.renamed_from or result.renamed_from
    if renamed_from is not None:
        lines += rename_hint(result.manifest.identity, bank.path.name, renamed_from)
    given = args.collection is not None
    lines += change_report(result, bank.deck, located.path, collection_given=given)
    for line in lines:
        print(visible(line, one_line=True))
    return 0
