"""Anki's own sync server for the tests: started on a loopback port, the test account, and
torn down after. The sync tests' fixture and the several-days runs share it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

USER, PASSWORD = "user", "pass"
SERVER_START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def sync_server(base: Path, port: int) -> Iterator[str]:
    """Anki's sync server on loopback (its clock is this process's: the environment's)."""
    env = os.environ | {
        "SYNC_USER1": f"{USER}:{PASSWORD}",
        "SYNC_HOST": "127.0.0.1",
        "SYNC_PORT": str(port),
        "SYNC_BASE": str(base),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "anki.syncserver"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        give_up = time.monotonic() + SERVER_START_SECONDS
        while True:
            assert process.poll() is None, "the sync server stopped"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < give_up, "the sync server did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=30)
