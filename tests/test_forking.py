"""`trainer.forking.forked_map`: work shared over forked children gives what it gives in one
process, whatever happens to a child."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from trainer import forking
from trainer.forking import forked_map


def square_with_pid(item: int) -> tuple[int, int]:
    return item * item, os.getpid()


def test_each_item_but_the_last_is_worked_in_a_child():
    results = forked_map(square_with_pid, [1, 2, 3])
    assert [square for square, _ in results] == [1, 4, 9]
    pids = [pid for _, pid in results]
    assert pids[-1] == os.getpid()
    assert len(set(pids)) == 3  # two children, each its own process


def test_a_failing_child_is_redone_here():
    parent = os.getpid()

    def fails_in_a_child(item: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("lost")
        return item + 1

    assert forked_map(fails_in_a_child, [1, 2, 3]) == [2, 3, 4]


def test_a_killed_child_is_redone_here():
    parent = os.getpid()

    def killed_in_a_child(item: int) -> str:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return "x" * item

    assert forked_map(killed_in_a_child, [100_000, 1]) == ["x" * 100_000, "x"]


def test_a_result_larger_than_a_pipe_holds_comes_back_whole():
    big = list(range(1_000_000))
    assert forked_map(lambda item: big[item:], [0, 999_999]) == [big, [999_999]]


def test_without_fork_the_work_is_done_here(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delattr(os, "fork")
    assert forked_map(square_with_pid, [1, 2]) == [(1, os.getpid()), (4, os.getpid())]


def test_when_no_child_can_be_made_the_work_is_done_here(monkeypatch: pytest.MonkeyPatch):
    def no_more_processes() -> int:
        raise BlockingIOError("fork: Resource temporarily unavailable")

    monkeypatch.setattr(forking.os, "fork", no_more_processes)
    assert forked_map(square_with_pid, [1, 2]) == [(1, os.getpid()), (4, os.getpid())]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl(PR_SET_PDEATHSIG)")
def test_a_child_ends_when_its_parent_is_killed(tmp_path: Path):
    """`trainer check` killed mid-way leaves no child working on for nobody."""
    child_pid = tmp_path / "child.pid"
    script = f"""
import os, time
from trainer.forking import forked_map

def work(item):
    if item == 0:
        open({str(child_pid)!r}, "w").write(str(os.getpid()))
        time.sleep(60)
    else:
        time.sleep(60)
    return item

forked_map(work, [0, 1])
"""
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 30
        while not child_pid.exists() or not child_pid.read_text():
            assert time.monotonic() < deadline, "the child never started"
            time.sleep(0.05)
        child = int(child_pid.read_text())
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 10
        while _running(child):
            assert time.monotonic() < deadline, "the child outlived its parent"
            time.sleep(0.05)
    finally:
        parent.kill()


def _running(pid: int) -> bool:
    """Whether `pid` is a live process (not gone, not a zombie waiting for init)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_process_running_other_threads_does_the_work_itself():
    """Forking while another thread may hold a lock could hang the child on it."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert forked_map(square_with_pid, [1, 2]) == [(1, os.getpid()), (4, os.getpid())]
    finally:
        release.set()
        other.join()
    (_, first), _ = forked_map(square_with_pid, [1, 2])
    assert first != os.getpid()  # the thread gone, a child works again


def test_a_cancelled_child_is_stopped_and_reaped():
    started = forking.Forked(time.sleep, 60)
    assert started.child is not None
    pid = started.child[0]
    started.cancel()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_child_without_a_result_gives_what_it_is_told_to():
    """`otherwise` stands for the result where the child sends none, rather than `work` redone
    here."""
    parent = os.getpid()

    def fails_in_a_child(item: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("lost")
        return item

    assert forking.Forked(fails_in_a_child, 5, otherwise=lambda item: -item).result() == -5
    assert forking.Forked(fails_in_a_child, 5).result() == 5


def test_an_error_here_leaves_no_child_behind():
    """Work failing in this process (a bug, Ctrl-C) stops the children working beside it: none
    is left running for nobody, nor unreaped."""
    parent = os.getpid()
    children: list[int] = []
    start = forking._start

    def recorded(work, item):  # type: ignore[no-untyped-def]
        child = start(work, item)
        assert child is not None
        children.append(child[0])
        return child

    def slow_in_a_child(item: int) -> int:
        if os.getpid() != parent:
            time.sleep(60)
        raise KeyboardInterrupt

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(forking, "_start", recorded)
        with pytest.raises(KeyboardInterrupt):
            forked_map(slow_in_a_child, [1, 2])
    assert children
    with pytest.raises(ChildProcessError):  # stopped and reaped
        os.waitpid(children[0], os.WNOHANG)


def own_oom_score(_: int) -> str:
    return Path("/proc/self/oom_score_adj").read_text().strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's OOM killer")
def test_where_memory_runs_out_a_child_is_ended_before_its_parent():
    """The kernel ends the largest process first, and the parent is the larger: a child asks
    to go first, its share then redone here (slower, not killed)."""
    child, here = forked_map(own_oom_score, [1, 2])
    assert (child, here) == (str(forking.OOM_SCORE_ADJ_MAX), own_oom_score(0))


def test_ctrl_c_as_a_child_starts_ends_the_child_not_the_parents_code_in_it():
    """Ctrl-C reaches every process of the command: one reaching a child before it is ready
    ends it (its share redone here), rather than unwinding the parent's code in the child
    (a second 'interrupted', the parent's clean-up run twice)."""
    script = """
import os, signal
from trainer import forking

fork = os.fork

def fork_then_ctrl_c():
    pid = fork()
    if pid == 0:
        os.kill(os.getpid(), signal.SIGINT)  # as the child starts
    return pid

os.fork = fork_then_ctrl_c
try:
    print(forking.forked_map(abs, [-1, -2]), flush=True)
except KeyboardInterrupt:
    print("interrupted", os.getpid(), flush=True)
"""
    run = [sys.executable, "-c", script]
    done = subprocess.run(run, check=True, capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines() == ["[1, 2]"]


def test_ctrl_c_while_a_result_is_awaited_stops_and_reaps_the_child(
    monkeypatch: pytest.MonkeyPatch,
):
    """Ctrl-C while the parent waits for a child's result (or a bug there) leaves no child
    working for nobody, nor unreaped, whoever calls `forked_map`."""
    started = forking.Forked(time.sleep, 60)
    assert started.child is not None
    pid = started.child[0]

    class Interrupted(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fdopen", lambda *_, **__: Interrupted())
    with pytest.raises(KeyboardInterrupt):
        started.result()
    monkeypatch.undo()
    with pytest.raises(ChildProcessError):  # stopped and reaped
        os.waitpid(pid, os.WNOHANG)


def test_the_memory_free_for_work_counts_the_caches_linux_can_drop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A machine whose memory is mostly page cache can still have a child made for it."""
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal: 8000000 kB\nMemFree: 100000 kB\nMemAvailable: 6000000 kB\n")
    monkeypatch.setattr(forking, "MEMINFO", meminfo)
    assert forking.free_memory() == 6_000_000 * 1024
    meminfo.write_text("MemTotal: 8000000 kB\n")  # an old kernel: free memory alone
    monkeypatch.setattr(forking.os, "sysconf", {"SC_AVPHYS_PAGES": 10, "SC_PAGE_SIZE": 4096}.get)
    assert forking.free_memory() == 40960
