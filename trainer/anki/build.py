"""One build: render the bank, stamp the manifest, write the package, then the manifest."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trainer.anki import manifest, models
from trainer.anki.files import check_directory, replace_atomically
from trainer.anki.manifest import Changes, Manifest
from trainer.anki.notes import render_bank
from trainer.anki.package import write_package
from trainer.model import Bank, Deck


@dataclass(frozen=True)
class BuildResult:
    manifest: Manifest
    changes: Changes

    @property
    def model_names(self) -> dict[str, str]:
        return {str(model.model_id): model.name for model in models.MODELS.values()}


def deck_hash(deck: Deck) -> str:
    payload = json.dumps([deck.name, deck.description or ""], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def build(
    bank: Bank,
    package: Path,
    manifest_file: Path,
    *,
    now: int,
    create_directories: bool,
    on_note: Callable[[], None] = lambda: None,
) -> BuildResult:
    """Write `package` for `bank`, then update `manifest_file` (only if anything changed).

    `now` (seconds since the epoch) stamps what changed. The package goes into place first,
    so a failed build leaves both files as they were.
    """
    check_directory(package.parent, create=create_directories)
    check_directory(manifest_file.parent, create=True)
    previous = manifest.load(manifest_file)
    rendered = render_bank(bank)
    current, changes = manifest.stamp(
        previous,
        deck_hash=deck_hash(bank.deck),
        model_hashes={
            str(model.model_id): models.fingerprint(model) for model in models.MODELS.values()
        },
        note_hashes={note.id: note.content_hash for note in rendered},
        now=now,
    )
    write_package(package, bank.deck, rendered, current, on_note)
    text = manifest.dumps(current)
    if _read_text(manifest_file) != text:
        replace_atomically(manifest_file, lambda target: target.write(text.encode()))
    return BuildResult(current, changes)
