"""A cache of the validated bank, so `trainer review` starts without parsing an unchanged bank.

Parsing and validating 10,000 cards takes about half a second, more than a bare Textual app
needs to start, and the review trainer needs every note. The cache holds the validated notes
as plain values in `marshal` format (which, unlike pickle, cannot run code), under a key made
of the bank's text, its absolute path and the cache format: any edit, a moved bank or a new
trainer version is a miss, and a miss simply parses the bank as before. A cache that cannot
be read or written is ignored; it is never a reason to fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
from pathlib import Path

from trainer import __version__
from trainer.bank import gc_paused, parse_bank, read_text
from trainer.model import NOTE_CLASSES, Bank, Deck, Source

CACHE_FORMAT = 1
"""Bump when the shape of the model's dataclasses changes."""
DIGEST_SIZE = 20


def _key(path: Path, text: str) -> str:
    hasher = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for part in (f"{CACHE_FORMAT}:{__version__}", str(path.resolve()), text):
        hasher.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return hasher.hexdigest()


def _freeze(bank: Bank) -> tuple:
    return (
        vars(bank.deck),
        {key: vars(source) for key, source in bank.sources.items()},
        [(note.type, vars(note)) for note in bank.notes],
    )


def _thaw(path: Path, frozen: tuple) -> Bank:
    deck, sources, notes = frozen
    return Bank(
        path=path,
        deck=Deck(**deck),
        sources={key: Source(**fields) for key, fields in sources.items()},
        notes=tuple(NOTE_CLASSES[kind](**fields) for kind, fields in notes),
    )


def _cache_file(cache_dir: Path, path: Path) -> Path:
    name = hashlib.blake2b(str(path.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir / f"bank-{name}.marshal"


def load_bank_cached(path: Path, cache_dir: Path) -> Bank:
    """The bank at `path`, from the cache in `cache_dir` when the text is unchanged.

    Raises `BankError` exactly as `trainer.bank.load_bank` does (invalid banks are not cached).
    """
    text = read_text(path)
    key = _key(path, text)
    cache_file = _cache_file(cache_dir, path)
    with contextlib.suppress(Exception), gc_paused():  # unreadable or stale: just a miss
        cached_key, frozen = marshal.loads(cache_file.read_bytes())
        if cached_key == key:
            return _thaw(path, frozen)
    bank = parse_bank(text, path)
    _store(cache_file, key, bank)
    return bank


def _store(cache_file: Path, key: str, bank: Bank) -> None:
    scratch = cache_file.with_name(f".{cache_file.name}.{os.getpid()}")
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        scratch.write_bytes(marshal.dumps((key, _freeze(bank))))
        scratch.replace(cache_file)
    except OSError:
        with contextlib.suppress(OSError):
            scratch.unlink()
