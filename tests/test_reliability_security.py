"""Security basics: the bank's YAML constructs no objects, paths from the bank stay in their
directory, and `$EDITOR` runs without a shell."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.reliability_support import record
from tests.store_support import run_trainer
from trainer.bank import load_bank
from trainer.errors import BankError
from trainer.tui.editor import editor_command

CARD = """\
deck:
  name: {deck}
sources:
  s: {{title: T, publisher: P}}
cards:
  - id: c
    type: basic
    tags: [date]
    source: s
    front: {front}
    back: b
"""
TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.call [[touch, {marker}]]",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/object:__main__.X {{a: 1}}",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
]


@pytest.mark.parametrize("tagged", TAGS)
@pytest.mark.parametrize("where", ["front", "deck", "document"])
def test_python_tags_construct_nothing(tagged: str, where: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    value = tagged.format(marker=marker)
    text = (
        f"--- {value}\n"
        if where == "document"
        else CARD.format(
            deck=value if where == "deck" else "D", front=value if where == "front" else "q"
        )
    )
    bank = tmp_path / "cards.yaml"
    bank.write_text(text, encoding="utf-8")
    try:
        loaded = load_bank(bank)
    except BankError:
        loaded = None
    if loaded is not None and where == "front":  # a tag on text is ignored: text is text
        assert "touch" in loaded.notes[0].front or "os.system" in loaded.notes[0].front
    result = run_trainer("build", str(bank), cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert not marker.exists()
    record("security: YAML constructs no objects", inputs=1)


@pytest.mark.parametrize(
    "deck",
    ["../../etc/x", "/abs", "..", ".", "C:\\\\temp\\\\x", "'~/x'", "'$HOME/x'", "'a/../../b'"],
)
def test_a_deck_name_never_leads_the_package_out_of_decks(deck: str, tmp_path: Path) -> None:
    home = tmp_path / "project"
    home.mkdir()
    bank = home / "cards.yaml"
    bank.write_text(CARD.format(deck=deck, front="q"), encoding="utf-8")
    result = run_trainer("build", str(bank), cwd=home, extra_env={"HOME": str(tmp_path / "home")})
    assert result.returncode == 0, result.stderr
    written = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*") if path.is_file())
    assert len(written) == 3  # the bank, the package and its manifest
    for path in written:
        assert path.parts[:2] in (("project", "decks"), ("project", "cards.yaml")), written
    record("security: bank paths stay in decks/", inputs=1)


def test_editor_runs_without_a_shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    markers = [tmp_path / name for name in ("semicolon", "dollar", "backtick", "pipe")]
    semicolon, dollar, backtick, pipe = markers
    monkeypatch.setenv(
        "EDITOR", f"echo ; touch {semicolon} $(touch {dollar}) `touch {backtick}` | touch {pipe}"
    )
    bank = tmp_path / "cards.yaml"
    command = editor_command(bank, 12)
    assert command[0] == "echo"
    assert command[-2:] == ["+12", str(bank)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # as the app does
    assert result.returncode == 0
    assert "$(touch" in result.stdout and ";" in result.stdout  # passed on literally
    assert not any(marker.exists() for marker in markers)
    record("security: $EDITOR without a shell", inputs=1)


def test_editor_keeps_quoted_options_and_falls_back_to_vi(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITOR", "'/opt/my editor/bin/ed' --wait")
    assert editor_command(Path("b.yaml"), 0) == ["/opt/my editor/bin/ed", "--wait", "+1", "b.yaml"]
    monkeypatch.setenv("EDITOR", "")
    assert editor_command(Path("b.yaml"), 3) == ["vi", "+3", "b.yaml"]
