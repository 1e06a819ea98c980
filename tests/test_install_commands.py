"""The README's install commands use the lock only: every package pinned with its hash, the
trainer itself built by the pinned backend (requirements/build.txt), nothing fetched unpinned."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCED = re.compile(r"```(?:sh|bash)\n(.*?)```", re.DOTALL)


def pip_installs() -> list[list[str]]:
    """Each `pip install ...` of the docs' shell blocks, as its arguments."""
    found = []
    for doc in DOCS:
        for block in FENCED.findall(doc.read_text(encoding="utf-8")):
            for command in re.split(r"&&|\n", block):
                words = shlex.split(command, comments=True)
                if words[:2] == ["pip", "install"]:
                    found.append(words[2:])
    return found


def is_locked(arguments: list[str]) -> bool:
    if "--require-hashes" in arguments:
        files = [arguments[i + 1] for i, word in enumerate(arguments) if word == "-r"]
        return bool(files) and all(name.startswith("requirements/") for name in files)
    if arguments[-1:] == ["."] or arguments[-2:] == ["-e", "."]:
        return {"--no-deps", "--no-build-isolation"} <= set(arguments)
    return all(re.fullmatch(r"[\w.-]+==[\w.]+", word) for word in arguments)  # a pinned tool


def test_every_install_command_in_the_docs_uses_the_lock() -> None:
    installs = pip_installs()
    assert len(installs) >= 4  # the quick start's two lines, two commands each
    assert [arguments for arguments in installs if not is_locked(arguments)] == []


def test_the_build_backend_is_locked_with_hashes() -> None:
    lock = (ROOT / "requirements" / "build.txt").read_text(encoding="utf-8")
    assert re.search(r"^setuptools==[\d.]+ \\\n\s+--hash=sha256:", lock, re.MULTILINE)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements/build.txt" in ci
    assert "--no-deps --no-build-isolation -e ." in ci
