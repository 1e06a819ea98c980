"""The one set of named migrations every schema module adds to, in order."""

from __future__ import annotations

from sqlite_utils import Migrations

MIGRATION_SET = "trainer"
migrations = Migrations(MIGRATION_SET)
