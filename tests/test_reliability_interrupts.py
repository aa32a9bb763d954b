"""Builds killed at random points (SIGKILL) or stopped with Ctrl-C (SIGINT) never lose an
article that was indexed before they started, and the next build finishes their work."""

from __future__ import annotations

import fcntl
import os
import random
import shutil
import signal
import time
from pathlib import Path

import pytest

from conftest import (
    quotes_per_article,
    run_cli,
    start_cli,
    visible_quotes_per_article,
    write_bbc_articles,
)
from searchidx.api import Index
from searchidx.store import LOCK_FILE, IndexDirectory


def indexed_paths(index: Path) -> set[str]:
    """The article paths the live index holds, after checking that it answers a search (of
    articles and of quotes) and that the quotes it shows are exactly those of its articles."""
    Index(index).search("government minister")
    Index(index).quotes("government")
    assert visible_quotes_per_article(Index(index)) == quotes_per_article(Index(index))
    whoosh_index = IndexDirectory(index).open()
    with whoosh_index.searcher() as searcher:
        paths = [fields["path"] for fields in searcher.reader().all_stored_fields()]
    assert len(paths) == len(set(paths)), "an article is indexed twice"
    return set(paths)


def on_disk(folder: Path) -> set[str]:
    return {str(p.resolve()) for p in folder.glob("*.txt")}


def holds_write_lock(index: Path) -> bool:
    """True while another process holds the index's write lock (a build is past start-up)."""
    lock = index / LOCK_FILE
    if not lock.exists():
        return False
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def wait_for_lock(index: Path, process, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not holds_write_lock(index):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the build never took the write lock"
        time.sleep(0.01)


class Archive:
    """A folder of BBC articles that changes between builds: new, edited and deleted files."""

    def __init__(self, root: Path, size: int, pool: int, seed: int) -> None:
        self.folder = root / "articles"
        self.spare = root / "spare"
        self.random = random.Random(seed)
        write_bbc_articles(self.folder, size)
        self.unused = write_bbc_articles(self.spare, pool, start=size)

    def change(self, adds: int, edits: int, deletes: int) -> None:
        present = sorted(self.folder.glob("*.txt"))
        for path in self.random.sample(present, min(deletes, len(present) - 1)):
            path.unlink()
        for path in self.random.sample(sorted(self.folder.glob("*.txt")), edits):
            path.write_text(path.read_text() + "\nA later correction to this report.\n")
        for _ in range(min(adds, len(self.unused))):
            source = self.unused.pop()
            shutil.move(source, self.folder / source.name)


def kill_builds_at_random(tmp_path: Path, rounds: int, size: int, seed: int) -> int:
    """Change the archive, start a build (every third one a --rebuild), SIGKILL it at a random
    moment (the first at once); the index must hold exactly the old or exactly the new set of
    articles. Returns how many builds were killed before they finished."""
    archive = Archive(tmp_path, size=size, pool=rounds * 6, seed=seed)
    index = tmp_path / "index"
    assert run_cli("build", str(archive.folder), "--index", str(index)).returncode == 0
    before = indexed_paths(index)
    assert before == on_disk(archive.folder)
    # A build of `size` articles takes about size/100 s after ~0.5 s of start-up.
    longest = 0.5 + size / 80
    stopped = 0
    for round_number in range(rounds):
        archive.change(adds=6, edits=3, deletes=3)
        after = on_disk(archive.folder)
        args = ["build", str(archive.folder), "--index", str(index)]
        if round_number % 3 == 2:
            args.append("--rebuild")
        process = start_cli(*args)
        time.sleep(archive.random.uniform(0, longest) if round_number else 0)
        process.send_signal(signal.SIGKILL)
        process.communicate()
        now = indexed_paths(index)
        assert now in (before, after), f"round {round_number}: a mix of old and new state"
        stopped += now == before
        before = now
    finished = run_cli("build", str(archive.folder), "--index", str(index))
    assert finished.returncode == 0, finished.stderr
    assert indexed_paths(index) == on_disk(archive.folder)
    return stopped


def test_builds_killed_at_random_points_lose_nothing(tmp_path: Path) -> None:
    assert kill_builds_at_random(tmp_path, rounds=4, size=40, seed=1) >= 1


@pytest.mark.slow
def test_thirty_builds_killed_at_random_points_lose_nothing(tmp_path: Path) -> None:
    # How many builds finish before their kill depends on the machine's speed (8 to 21 of 36
    # seen); the guard only proves the loop really interrupted builds.
    assert kill_builds_at_random(tmp_path, rounds=36, size=300, seed=2) >= 5


def interrupt_builds(tmp_path: Path, rounds: int, size: int, seed: int) -> int:
    """Ctrl-C a running build at a random moment after it took the lock (the first at once):
    one line on stderr, exit 130, and an index that is the old or the new state. Returns how
    many builds were interrupted before they finished."""
    archive = Archive(tmp_path, size=size, pool=rounds * 10, seed=seed)
    index = tmp_path / "index"
    started = time.monotonic()
    assert run_cli("build", str(archive.folder), "--index", str(index)).returncode == 0
    # Moments are drawn within what a build takes on this machine, so that a faster machine
    # (or faster code) still sees builds stopped midway: a rebuild redoes the whole archive,
    # an update only its few changes.
    whole_build = time.monotonic() - started
    before = indexed_paths(index)
    stopped = 0
    for round_number in range(rounds):
        archive.change(adds=10, edits=5, deletes=2)
        after = on_disk(archive.folder)
        args = ["build", str(archive.folder), "--index", str(index)]
        if round_number % 2:
            args.append("--rebuild")
        process = start_cli(*args)
        wait_for_lock(index, process)
        longest = whole_build if round_number % 2 else whole_build / 5
        time.sleep(archive.random.uniform(0, longest) if round_number else 0)
        os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C does: the build and its workers
        _, stderr = process.communicate(timeout=60)
        assert "Traceback" not in stderr
        if process.returncode == 130:
            assert stderr.strip().splitlines() == [
                "interrupted: the index holds the last completed build; run the build again "
                "to finish"
            ]
            now = indexed_paths(index)
            assert now in (before, after), f"round {round_number}: a mix of old and new state"
            stopped += 1
        else:
            # The build had finished; the signal came as it exited (-SIGINT during
            # interpreter shutdown, when Python no longer turns it into KeyboardInterrupt).
            assert process.returncode in (0, -signal.SIGINT), stderr
            now = indexed_paths(index)
            assert now == after, f"round {round_number}: {process.returncode}, {stderr}"
        before = now
    assert run_cli("build", str(archive.folder), "--index", str(index)).returncode == 0
    assert indexed_paths(index) == on_disk(archive.folder)
    return stopped


def test_ctrl_c_stops_a_build_cleanly(tmp_path: Path) -> None:
    assert interrupt_builds(tmp_path, rounds=2, size=60, seed=3) >= 1


@pytest.mark.slow
def test_ctrl_c_at_many_points_stops_builds_cleanly(tmp_path: Path) -> None:
    assert interrupt_builds(tmp_path, rounds=12, size=300, seed=4) >= 3
