"""Multiple choice in a real browser engine: the cards as Anki renders them (the official `anki`
package), run in headless Chromium the way Anki's reviewers show them.

Anki desktop keeps one page and sets each side's HTML into it, re-creating every `<script>` so
it runs (ts/reviewer/index.ts, `setInnerHTML`); AnkiDroid may load a page per side. The page
below does both (the second in an iframe, a fresh document per side), clicks choices and
presses keys, and writes what the card shows into the DOM that `chromium --dump-dom` prints.
Without Chromium the tests skip, except under CI (CI=true), where they fail.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageRequest

from trainer.cli import main

BANK = """\
deck:
  name: Script Deck
sources:
  pib: {title: Talks, publisher: PIB}
cards:
  - id: venue
    type: mcq
    tags: [name]
    source: pib
    question: Where were the talks held?
    choices: ["New Delhi", "Ottawa <Ontario> & [x]", "Toronto", "Montreal"]
    answer: b
  - id: venue-c
    type: mcq
    tags: [name]
    source: pib
    question: Where were the talks held? (c)
    choices: ["New Delhi", "Ottawa <Ontario> & [x]", "Toronto", "Montreal"]
    answer: c
  - id: statements
    type: mcq
    tags: [context]
    source: pib
    question: "Consider the following statements:\\n1. Statement one is here.\\n2. Two.\\n3. Three."
    choices: ["1 only", "1 and 2", "2 and 3", "1, 2 and 3"]
    answer: d
  - id: plain
    type: basic
    tags: [name]
    source: pib
    front: India's NSA
    back: Ajit Doval
"""
CHROMIUM = next(
    (path for name in ("chromium", "chromium-browser") if (path := shutil.which(name))), None
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

if CHROMIUM is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI must run the card script tests: install chromium (.ci/run does)")
    pytestmark = pytest.mark.skip(reason="needs chromium (apt-get install chromium)")

NO_SCRIPTS = """<meta http-equiv="Content-Security-Policy" content="script-src 'none'">"""
"""A page where no script runs (Chromium's `scriptEnabled=false` would stop `--dump-dom` too)."""

HARNESS = """\
<!doctype html>
<html><head><meta charset="utf-8"></head>
<body class="card"><div id="qa"></div><iframe id="droid"></iframe>
<pre id="results"></pre>
<script>
"use strict";
const CARDS = __CARDS__;
const errors = [];
window.addEventListener("error", (event) => errors.push(String(event.message)));
const qa = document.getElementById("qa");

// As Anki desktop's reviewer (ts/reviewer/index.ts setInnerHTML): set the side's HTML, then
// replace each script with a copy so that it runs.
function show(html) {
  qa.innerHTML = html;
  for (const oldScript of qa.getElementsByTagName("script")) {
    const newScript = document.createElement("script");
    for (const attribute of oldScript.attributes) {
      newScript.setAttribute(attribute.name, attribute.value);
    }
    newScript.appendChild(document.createTextNode(oldScript.innerHTML));
    oldScript.replaceWith(newScript);
  }
}
function choices(root) {
  return Array.from(root.querySelectorAll(".choices .choice")).map((choice) => ({
    letter: choice.querySelector(".letter").textContent,
    classes: Array.from(choice.classList).filter((name) => name !== "choice").sort(),
    mark: Array.from(choice.querySelectorAll(".pick-mark")).map((m) => m.textContent).join("|"),
  }));
}
function state(root) {
  const list = root.querySelector(".choices");
  return { pickable: list.classList.contains("pickable"), choices: choices(root) };
}
function click(root, letter) {
  const choice = Array.from(root.querySelectorAll(".choices .choice")).find(
    (c) => c.querySelector(".letter").textContent === letter + ")"
  );
  choice.click();
}
function press(target, key) {
  const event = new KeyboardEvent("keydown", { key: key, bubbles: true, cancelable: true });
  target.dispatchEvent(event);
  return event.defaultPrevented;
}
function lineTops(root, needles) {
  // Where each statement's first character is laid out: one top per line box.
  const tops = {};
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const needle of needles) {
      const at = node.textContent.indexOf(needle);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 1);
      tops[needle] = range.getBoundingClientRect().top;
    }
  }
  return tops;
}

const out = {};
const venue = CARDS.venue;

show(venue.q);
out.right_question = state(qa);
out.right_question_onclick = Array.from(qa.querySelectorAll(".choice")).map(
  (choice) => typeof choice.onclick
);
click(qa, venue.right);
out.right_picked = state(qa);
show(venue.a);
out.right_answer = state(qa);
out.right_texts = Array.from(qa.querySelectorAll(".choices .choice")).map((c) => c.textContent);

show(venue.q);
out.repeat_question = state(qa);
show(venue.a);
out.repeat_answer = state(qa);

show(venue.q);
click(qa, "a");
click(qa, venue.wrong);
show(venue.a);
out.wrong_answer = state(qa);

show(CARDS.plain.q);
out.plain_arrow_prevented = press(document, "ArrowDown");
show(CARDS.plain.a);

show(venue.q);
out.keys_prevented = press(document, "ArrowDown");
press(document, "ArrowDown");
out.keys_question = state(qa);
press(document, "ArrowUp");
press(document, "ArrowUp");
out.keys_wrapped = state(qa);
document.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", ctrlKey: true }));
out.keys_ctrl_ignored = state(qa);
show(venue.a);
out.keys_answer = state(qa);

show(venue.q);
show(venue.a);
out.none_answer = state(qa);
out.none_html = qa.querySelector(".choices").outerHTML;

show(venue.q);
click(qa, venue.wrong);
show(venue.a);
show(CARDS.statements.q);
out.second_question = state(qa);
show(CARDS.statements.a);
out.second_answer = state(qa);

show(venue.q);
click(qa, venue.wrong);
show(CARDS.statements.a);
out.other_answer_only = state(qa);

show(CARDS.statements.q);
out.statement_tops = lineTops(qa, ["Consider", "1. Statement", "2. Two", "3. Three"]);

// AnkiDroid style: a new document per side; only sessionStorage carries the pick.
const droid = document.getElementById("droid");
function load(side) {
  return new Promise((resolve) => {
    droid.onload = () => resolve(droid.contentDocument);
    droid.srcdoc = '<!doctype html><html><head><meta charset="utf-8"></head>'
      + '<body class="card">' + side + "</body></html>";
  });
}
(async () => {
  let page = await load(venue.q);
  click(page, venue.wrong);
  page = await load(venue.a);
  out.reload_answer = state(page);
  page = await load(venue.q);
  out.reload_question = state(page);
  press(page, "ArrowDown");
  page = await load(venue.a);
  out.reload_keys_answer = state(page);
  page = await load(CARDS.statements.a);
  out.reload_other_answer = state(page);
  out.errors = errors;
  document.getElementById("results").textContent = JSON.stringify(out);
})();
</script>
</body></html>
"""


def local_time(days_from_now: int) -> str:
    return (datetime.now() + timedelta(days=days_from_now)).replace(microsecond=0).isoformat()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Each bank card's question and answer HTML, as Anki renders them after an import."""
    folder = tmp_path_factory.mktemp("cards")
    bank = folder / "cards.yaml"
    bank.write_text(BANK, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRAINER_NOW", local_time(-1))
        assert main(["build", str(bank)]) == 0
    col = Collection(str(folder / "collection.anki2"))
    try:
        package = str(folder / "decks" / "script-deck.apkg")
        col.import_anki_package(ImportAnkiPackageRequest(package_path=package))
        cards = {}
        for name, search in (
            ("venue", "Question:*held?"),
            ("venue_c", '"Question:*(c)"'),
            ("statements", "Question:Consider*"),
            ("plain", "Front:India*"),
        ):
            (card_id,) = col.find_cards(search)
            card = col.get_card(card_id)
            cards[name] = {"q": card.question(), "a": card.answer()}
        col.set_browser_card_columns(["question"])
        (cell, *_), *_ = col.browser_row_for_id(col.find_cards("Question:*held?")[0])
        cards["venue"]["browser"] = cell[0]
        return cards
    finally:
        col.close()


@functools.cache
def _serving_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="card-script-"))


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """Pages over http on localhost: sessionStorage needs a real origin."""
    folder = _serving_folder()
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    shutil.rmtree(folder, ignore_errors=True)


def dump_dom(server: str, name: str, page: str, *extra_flags: str) -> str:
    """The page's DOM once its scripts are done, as Chromium prints it."""
    (_serving_folder() / name).write_text(page, encoding="utf-8")
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        done = subprocess.run(
            [
                CHROMIUM,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                *extra_flags,
                "--virtual-time-budget=10000",
                "--dump-dom",
                f"{server}/{name}",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def script_json(value: object) -> str:
    """JSON that can sit inside a <script> element."""
    return json.dumps(value).replace("</", "<\\/")


@pytest.fixture(scope="module")
def picked(rendered: dict[str, dict[str, str]], server: str) -> dict:
    """Every scenario of the harness, run in one Chromium."""
    cards = rendered | {"venue": rendered["venue"] | {"right": "b", "wrong": "c"}}
    page = HARNESS.replace("__CARDS__", script_json(cards))
    dom = dump_dom(server, "harness.html", page)
    found = re.search(r'<pre id="results">(.*?)</pre>', dom, flags=re.DOTALL)
    assert found and found.group(1), dom[-3000:]
    return json.loads(html.unescape(found.group(1)))


def plain(letter: str) -> dict:
    return {"letter": f"{letter})", "classes": [], "mark": ""}


def test_the_card_scripts_run_without_errors(picked: dict) -> None:
    assert picked["errors"] == []


def test_picking_the_right_choice_marks_it_right(picked: dict) -> None:
    assert picked["right_question"] == {
        "pickable": True,
        "choices": [plain(letter) for letter in "abcd"],
    }
    # AnkiDroid's reviewer leaves a tap on an element with `onclick` to the card (no gesture).
    assert picked["right_question_onclick"] == ["function"] * 4
    assert picked["right_picked"]["choices"][1] == {
        "letter": "b)",
        "classes": ["picked"],
        "mark": "\u25c0 your pick",
    }
    assert picked["right_answer"]["choices"] == [
        plain("a"),
        {"letter": "b)", "classes": ["picked", "right"], "mark": "\u2713 your pick: right"},
        plain("c"),
        plain("d"),
    ]


def test_picking_a_wrong_choice_marks_it_wrong_and_shows_the_correct_one(picked: dict) -> None:
    assert picked["wrong_answer"]["choices"] == [
        plain("a"),  # picked first, then changed to c
        {"letter": "b)", "classes": ["correct"], "mark": "\u2713 the answer"},
        {"letter": "c)", "classes": ["picked", "wrong"], "mark": "\u2717 your pick: wrong"},
        plain("d"),
    ]


def test_the_arrow_keys_move_the_pick_and_the_answer_side_marks_it(picked: dict) -> None:
    assert picked["keys_prevented"] is True  # the key picks instead of scrolling
    assert [c["classes"] for c in picked["keys_question"]["choices"]] == [[], ["picked"], [], []]
    wrapped = picked["keys_wrapped"]["choices"]  # b, up to a, up again to the last
    assert [c["classes"] for c in wrapped] == [[], [], [], ["picked"]]
    assert picked["keys_answer"]["choices"][3]["classes"] == ["picked", "wrong"]
    assert picked["keys_answer"]["choices"][1]["classes"] == ["correct"]


def test_one_key_press_moves_the_pick_once_however_many_cards_were_shown(picked: dict) -> None:
    """Anki desktop keeps the page: listeners must not pile up across cards. By the key test
    six cards were shown; two presses from no pick still stop at b (above), and a key with
    Ctrl (a shortcut of someone else's) changes nothing."""
    after_ctrl = picked["keys_ctrl_ignored"]["choices"]
    assert [c["classes"] for c in after_ctrl] == [[], [], [], ["picked"]]
    assert picked["plain_arrow_prevented"] is False  # other cards keep their arrow keys


def test_without_a_pick_the_answer_side_is_the_static_card(
    picked: dict, rendered: dict[str, dict[str, str]]
) -> None:
    assert picked["none_answer"]["choices"] == [plain(letter) for letter in "abcd"]
    # The list, after the answer side's script ran, is the HTML Anki rendered, unchanged.
    static = re.search(r'<div class="choices">.*?</div></div>', rendered["venue"]["a"], re.DOTALL)
    assert static
    assert html.unescape(picked["none_html"]) == html.unescape(static.group())


def test_a_pick_never_reaches_another_card_or_the_next_showing(picked: dict) -> None:
    assert picked["repeat_question"]["choices"] == [plain(letter) for letter in "abcd"]
    assert picked["repeat_answer"]["choices"] == [plain(letter) for letter in "abcd"]
    assert picked["second_question"]["choices"] == [plain(letter) for letter in "abcd"]
    assert picked["second_answer"]["choices"] == [plain(letter) for letter in "abcd"]
    # Even when the other card's answer is shown without its question (a preview):
    assert picked["other_answer_only"]["choices"] == [plain(letter) for letter in "abcd"]


def test_a_page_per_side_keeps_the_pick_as_ankidroid_may_show_it(picked: dict) -> None:
    assert [c["classes"] for c in picked["reload_answer"]["choices"]] == [
        [],
        ["correct"],
        ["picked", "wrong"],
        [],
    ]
    assert picked["reload_question"]["choices"] == [plain(letter) for letter in "abcd"]
    assert picked["reload_keys_answer"]["choices"][0]["classes"] == ["picked", "wrong"]
    assert picked["reload_keys_answer"]["choices"][1]["classes"] == ["correct"]
    assert picked["reload_other_answer"]["choices"] == [plain(letter) for letter in "abcd"]


def test_statements_in_the_question_are_laid_out_on_separate_lines(picked: dict) -> None:
    tops = picked["statement_tops"]
    order = [tops[key] for key in ("Consider", "1. Statement", "2. Two", "3. Three")]
    assert order == sorted(order)
    assert len(set(order)) == 4


def test_the_front_side_never_holds_the_answer(rendered: dict[str, dict[str, str]]) -> None:
    """Two notes that differ only in their answer (and a word of the question) have the same
    front side: it cannot tell the answer in any form."""
    question = rendered["venue"]["q"]
    assert rendered["venue_c"]["q"].replace("held? (c)", "held?") == question
    assert "\u2713" not in question
    # What Anki's browser shows in its Question column: the question and the choices only
    # (Anki runs the choice blocks together there: "New Delhib) Ottawa").
    shown = (
        "Where were the talks held? a) New Delhi b) Ottawa <Ontario> & [x] c) Toronto d) Montreal"
    )
    assert re.sub(r"\s", "", rendered["venue"]["browser"]) == re.sub(r"\s", "", shown)


def test_choice_text_stays_literal_after_picking(picked: dict) -> None:
    """The script only reads text; `<Ontario>` and `[x]` are never markup."""
    assert picked["right_texts"][1] == "b) Ottawa <Ontario> & [x]\u2713 your pick: right"
    assert picked["right_texts"][0] == "a) New Delhi"


def test_where_scripts_do_not_run_the_card_is_the_static_list(
    rendered: dict[str, dict[str, str]], server: str
) -> None:
    sides = "".join(f'<div class="side">{rendered["venue"][side]}</div>' for side in ("q", "a"))
    page = f"<!doctype html><html><head>{NO_SCRIPTS}</head><body class=card>{sides}</body></html>"
    dom = dump_dom(server, "static.html", page)
    body = dom.split("<body", 1)[1]
    body = re.sub(r"<style>.*?</style>|<script>.*?</script>", "", body, flags=re.DOTALL)
    assert "pickable" not in body
    assert "pick-mark" not in body
    assert 'role="button"' not in dom
    assert dom.count("a)</span> New Delhi") == 2  # the question's list, the answer side's
    assert dom.count("b)</span> Ottawa &lt;Ontario&gt;") == 3  # ... and its Answer block
    assert dom.count('class="choice correct"') == 1
    assert dom.count('<div class="choice">') == 8
