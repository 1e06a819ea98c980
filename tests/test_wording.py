"""Counts read as English: one day, two days."""

from __future__ import annotations

import pytest

from trainer.wording import noun, plural


@pytest.mark.parametrize(("count", "text"), [(0, "0 days"), (1, "1 day"), (2, "2 days")])
def test_plural(count, text):
    assert plural(count, "day") == text
    assert noun(count, "day") == text.split(" ", 1)[1]
