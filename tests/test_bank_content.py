"""Content checks for the card bank `cards.yaml` (issue #3).

Deliberately independent of the `trainer` package: the bank is loaded with plain
`yaml.safe_load`, so these tests guard the content even while the code changes.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
BANK_PATH = REPO_ROOT / "cards.yaml"
SEEDS_DIR = REPO_ROOT.parent / "shared" / "seeds"

CATEGORIES = {"date", "name", "figure", "component", "context"}
CARD_TYPES = {"basic", "reverse", "cloze", "mcq"}
ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
TEXT_FIELDS = ("front", "back", "extra", "text", "question", "explanation")
RUN_LENGTH = 8  # a run of this many consecutive words shared with a seed counts as copying

_WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z0-9]+)*")
_CLOZE_RE = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


@pytest.fixture(scope="module")
def bank() -> dict:
    with BANK_PATH.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict), "cards.yaml must be a mapping"
    return data


@pytest.fixture(scope="module")
def cards(bank: dict) -> list[dict]:
    cards = bank.get("cards")
    assert isinstance(cards, list), "cards.yaml needs a 'cards' list"
    return cards


def _cited(card: dict) -> list[str]:
    source = card.get("source")
    return [source] if isinstance(source, str) else list(source or [])


def _words(text: str) -> list[str]:
    text = text.lower().replace("’", "'")
    return _WORD_RE.findall(text)


def _card_texts(card: dict) -> list[str]:
    """Every piece of learner-visible text on a card, with cloze markup resolved."""
    texts = [str(card[field]) for field in TEXT_FIELDS if card.get(field)]
    texts += [str(choice) for choice in card.get("choices") or []]
    resolved = []
    for text in texts:
        # read the cloze text as the learner finally sees it (answers filled in)
        resolved.append(_CLOZE_RE.sub(lambda m: m.group(1), text))
    return resolved


def _seed_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    # WordPress JSON: the article body is the HTML in content.rendered
    parts = [raw]
    if isinstance(data, dict):
        for key in ("title", "content", "excerpt"):
            value = data.get(key)
            if isinstance(value, dict) and isinstance(value.get("rendered"), str):
                parts.append(html.unescape(re.sub(r"<[^>]+>", " ", value["rendered"])))
    return "\n".join(parts)


def test_at_least_80_cards(cards: list[dict]) -> None:
    assert len(cards) >= 80, f"only {len(cards)} cards"


def test_ids_unique_and_slugs(cards: list[dict]) -> None:
    ids = [card.get("id") for card in cards]
    bad = [card_id for card_id in ids if not isinstance(card_id, str) or not ID_RE.match(card_id)]
    assert not bad, f"ids that are not slugs: {bad}"
    duplicates = sorted({card_id for card_id in ids if ids.count(card_id) > 1})
    assert not duplicates, f"duplicate ids: {duplicates}"


def test_exactly_one_category_tag_per_card(cards: list[dict]) -> None:
    for card in cards:
        tags = card.get("tags") or []
        categories = [tag for tag in tags if tag in CATEGORIES]
        assert len(categories) == 1, f"{card.get('id')}: category tags {categories}"


def test_every_category_has_cards(cards: list[dict]) -> None:
    used = {tag for card in cards for tag in card.get("tags") or [] if tag in CATEGORIES}
    assert used == CATEGORIES, f"categories without cards: {sorted(CATEGORIES - used)}"


def test_all_card_types_present(cards: list[dict]) -> None:
    used = {card.get("type") for card in cards}
    assert used <= CARD_TYPES, f"unknown types: {sorted(map(str, used - CARD_TYPES))}"
    assert used == CARD_TYPES, f"types without cards: {sorted(CARD_TYPES - used)}"


def test_sources_defined_and_all_cited(bank: dict, cards: list[dict]) -> None:
    defined = set((bank.get("sources") or {}).keys())
    assert defined, "no sources defined"
    cited = set()
    for card in cards:
        keys = _cited(card)
        assert keys, f"{card.get('id')}: cites no source"
        undefined = [key for key in keys if key not in defined]
        assert not undefined, f"{card.get('id')}: undefined source keys {undefined}"
        cited.update(keys)
    assert cited == defined, f"sources never cited: {sorted(defined - cited)}"


def test_mcq_answers_within_choices(cards: list[dict]) -> None:
    for card in cards:
        if card.get("type") != "mcq":
            continue
        choices = card.get("choices") or []
        answer = card.get("answer")
        assert 2 <= len(choices) <= 6, f"{card['id']}: {len(choices)} choices"
        assert isinstance(answer, str) and len(answer) == 1, f"{card['id']}: answer {answer!r}"
        assert "a" <= answer <= "abcdef"[len(choices) - 1], (
            f"{card['id']}: answer {answer!r} outside {len(choices)} choices"
        )


def test_no_long_verbatim_runs_from_seeds(cards: list[dict]) -> None:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed articles not available at {SEEDS_DIR}")
    seed_runs: set[tuple[str, ...]] = set()
    for path in sorted(SEEDS_DIR.iterdir()):
        if not path.is_file():
            continue
        words = _words(_seed_text(path))
        seed_runs.update(
            tuple(words[i : i + RUN_LENGTH]) for i in range(len(words) - RUN_LENGTH + 1)
        )
    copied = []
    for card in cards:
        for text in _card_texts(card):
            words = _words(text)
            for i in range(len(words) - RUN_LENGTH + 1):
                run = tuple(words[i : i + RUN_LENGTH])
                if run in seed_runs:
                    copied.append(f"{card.get('id')}: {' '.join(run)!r}")
                    break
    assert not copied, "card text copied from a seed article:\n" + "\n".join(copied)
