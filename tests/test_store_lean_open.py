"""Opening an up-to-date review database for writing does not import sqlite-utils (60 ms):
it is needed only to migrate."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from trainer.store.database import open_for_writing

PROBE = (
    "import sys; from pathlib import Path; from trainer.store.database import open_for_writing;"
    "open_for_writing(Path(sys.argv[1])).close(); print('sqlite_utils' in sys.modules)"
)


def _imports_sqlite_utils(db: Path) -> bool:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(db)], capture_output=True, text=True, check=True
    )
    return result.stdout.strip() == "True"


def test_sqlite_utils_is_imported_only_to_migrate(tmp_path: Path) -> None:
    db = tmp_path / "reviews.sqlite3"
    assert _imports_sqlite_utils(db)  # a new database is created by the migrations
    assert not _imports_sqlite_utils(db)
    open_for_writing(db).close()  # still a working database
