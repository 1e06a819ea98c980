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


COVERAGE = {
    "01 Talks held in Ottawa": ("talks-venue-ottawa",),
    "02 India's side: NSA Ajit Doval": ("ajit-doval-reverse", "talks-leaders-cloze"),
    "03 Canada's side: Nathalie Drouin, National Security": (
        "nathalie-drouin-reverse",
        "mcq-talks-counterparts",
    ),
    "04 Talks on 7 Feb 2026": ("talks-date-7-feb",),
    "05 Work plan 'formalised' on 9 Feb 2026 (learnpro), the": ("work-plan-date-9-feb",),
    "06 Scope: national security, law enforcement": ("work-plan-three-domains",),
    "07 Core step: security and law-enforcement liaison": (
        "liaison-officers-agreed",
        "liaison-officers-posting-place",
    ),
    "08 Liaison focus: drug trafficking (fentanyl": ("liaison-focus-nextias",),
    "09 LearnPro's four key areas": ("four-key-areas-cloze",),
    "10 Newsportal's 'three pillars' / two threats, as a": ("four-key-areas-cloze",),
    "11 Diaspora extremism: propaganda, fundraising": ("diaspora-extremism-three-activities",),
    "12 Cyber: formalise policy cooperation and": ("cyber-formalise-policy",),
    "13 Joint cybersecurity task force": ("joint-cyber-task-force",),
    "14 Immigration and fraud strand (visa and document": (
        "immigration-visa-fraud",
        "immigration-fraud-strand-mgmm",
        "immigration-within-law",
    ),
    "15 Next phase: liaison officers formally deployed": (
        "next-phase-liaison-deployment",
        "confidence-building-measures",
    ),
    "16 Agreed within a regular bilateral security dialogue": ("regular-security-dialogue",),
    "17 PM Mark Carney's state visit to India, early March": (
        "carney-visit-early-march",
        "mark-carney-reverse",
    ),
    "18 $2-billion uranium deal and restarting trade talks": (
        "uranium-deal-2bn",
        "mcq-uranium-deal",
    ),
    "19 Canada's 'twin-track' approach": ("twin-track-approach", "mcq-twin-track"),
    "20 2023 rupture over the killing of Khalistani": (
        "nijjar-reverse",
        "rupture-2023-allegation",
        "mcq-rupture-trigger",
    ),
    "21 Killed in British Columbia": ("nijjar-killing-place",),
    "22 Then-PM Justin Trudeau publicly suggested Indian": ("justin-trudeau-reverse",),
    "23 India rejected the allegation as absurd / unfounded": ("india-rejected-allegations",),
    "24 Fallout: reciprocal expulsions, withdrawal of high": ("rupture-consequences",),
    "25 Normalisation: high commissioners reposted": (
        "normalisation-steps",
        "leadership-change-ottawa",
    ),
    "26 Length of the breakdown about two years": ("rupture-duration-disagreement",),
    "27 7,328 Canadian opioid deaths in 2023": ("opioid-deaths-cloze",),
    "28 Precursor networks link Asian chemical suppliers": ("fentanyl-supply-chain-origin",),
    "29 India: over 4.2 million cyberattacks in 2024": (
        "india-cyberattacks-2024",
        "canada-ransomware-2024",
    ),
    "30 MEA allocation for bilateral missions up 8 %; no": (
        "mea-budget-rise-8pc",
        "funding-gap-liaison-posts",
    ),
    "31 Merida Initiative: US–Mexico, 2008, over USD 3 bn": (
        "merida-funding-cloze",
        "merida-initiative-reverse",
        "merida-shortfall-reason",
    ),
    "32 Hawala route for pro-Khalistan funds; Goldy Brar's": (
        "hawala-khalistan-funds",
        "goldy-brar-reverse",
    ),
    "33 Diplomatic relations 1947; Commonwealth and shared": (
        "diplomatic-relations-1947",
        "foundations-commonwealth",
    ),
    "34 Nuclear tests of 1974 and 1998 strained ties": (
        "nuclear-tests-strain",
        "mcq-nuclear-tests-years",
    ),
    "35 NCA signed 2010, operational 2013, overseen by a": (
        "nca-signed-operational",
        "nuclear-joint-committee",
    ),
    "36 Goods trade Jan–Aug 2024 USD 8.55 bn (exports 5.22": (
        "trade-2024-split",
        "mcq-trade-balance-2024",
        "cepa-fipa-names",
    ),
    "37 ISRO–CSA MoUs of 1996 and 2003; ANTRIX launched": (
        "mcq-space-mous",
        "isro-csa-partner",
        "antrix-reverse",
    ),
    "38 NCPOR–POLAR Canada Memorandum of Cooperation 2020": (
        "ncpor-polar-canada-2020",
        "arctic-cold-climate-programme",
    ),
    "39 1.8 million Indo-Canadians + 1 million NRIs (over 3": (
        "indo-canadians-count",
        "diaspora-share-population",
        "indian-students-share",
        "multilateral-forums",
    ),
    "40 India's National Cyber Security Policy 2013; NCCC": (
        "ncsp-2013",
        "ncsp-year-date",
        "nccc-reverse",
        "budapest-convention-reverse",
    ),
}
"""The fact-check's 40 most exam-relevant facts (../shared/reviews/content-audit.md, section 3)
and the cards it found them on: whatever is rewritten or removed, each fact keeps a card."""


@pytest.mark.parametrize("fact", sorted(COVERAGE))
def test_every_key_fact_keeps_a_card(cards: list[dict], fact: str) -> None:
    ids = {card.get("id") for card in cards}
    assert ids.intersection(COVERAGE[fact]), f"no card left for: {fact}"
