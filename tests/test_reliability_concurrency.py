"""Two builds at once, searches during builds, locks left by killed builds."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_reliability_interrupts import indexed_paths, on_disk, wait_for_lock

from conftest import run_cli, start_cli, write_bbc_articles
from searchidx.api import Index
from searchidx.cli import main


def test_second_build_gives_up_after_its_wait_with_a_clear_message(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_bbc_articles(folder, 100)
    index = tmp_path / "index"
    first = start_cli("build", str(folder), "--index", str(index))
    wait_for_lock(index, first)
    started = time.monotonic()
    args = ["build", str(folder), "--index", str(index), "--wait", "0.3"]
    second = CliRunner().invoke(main, args)
    assert time.monotonic() - started < 0.3 + 0.5  # the wait, not the whole first build
    assert second.exit_code == 2
    assert second.stderr.strip() == (
        f"Error: another searchidx build is writing to {index}; waited 0 s. "
        "Try again when it has finished."
    )
    first.communicate(timeout=120)
    assert first.returncode == 0
    assert indexed_paths(index) == on_disk(folder)


def test_second_build_waits_for_the_first_then_runs(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_bbc_articles(folder, 50)
    more = tmp_path / "more"
    write_bbc_articles(more, 20, start=50)
    index = tmp_path / "index"
    first = start_cli("build", str(folder), "--index", str(index))
    wait_for_lock(index, first)
    second = run_cli("build", str(more), "--index", str(index), "--wait", "60")
    first.communicate(timeout=120)
    assert (first.returncode, second.returncode) == (0, 0), second.stderr
    assert "20 added" in second.stdout
    assert indexed_paths(index) == on_disk(folder) | on_disk(more)


def test_searches_during_builds_see_the_old_or_the_new_index(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_bbc_articles(folder, 40)
    index = Index(tmp_path / "index")
    index.build([folder])
    write_bbc_articles(folder, 20, start=40)
    counts = set()
    searches = 0
    for args in (["build"], ["build", "--rebuild"]):
        builder = start_cli(*args, str(folder), "--index", str(index.path))
        while builder.poll() is None:
            results = index.search("government")
            counts.add(index.stats().documents)
            assert results.total > 0
            searches += 1
        assert builder.returncode == 0, builder.communicate()
    assert counts <= {40, 60}
    assert searches > 10


# Builds one after another, each adding or deleting one small article, so that commits (and
# Whoosh's merges, which delete the segments they merge) follow each other closely.
CHURN = """
import sys
from pathlib import Path
from searchidx.api import Index
folder, index, stop = (Path(arg) for arg in sys.argv[1:])
n = 0
while not stop.exists():
    extra = folder / f"extra{n % 7}.txt"
    if extra.exists():
        extra.unlink()
    else:
        extra.write_text(f"Extra {n}\\n\\nThe government said {n} things about the economy.\\n")
    Index(index).build([folder])
    n += 1
print(n)
"""


def reads_during_churning_builds(tmp_path: Path, seconds: float) -> tuple[int, int, list[str]]:
    """(builds, reads, errors) of `show`, `stats`, `search` and `quotes` run in a loop for
    `seconds` while another process commits build after build to the same index."""
    folder = tmp_path / "articles"
    write_bbc_articles(folder, 40)
    index = Index(tmp_path / "index")
    index.build([folder])
    ids = [hit.id for hit in index.search("government", limit=5)]
    stop = tmp_path / "stop"
    args = [sys.executable, "-c", CHURN, str(folder), str(index.path), str(stop)]
    builder = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    reads = [
        lambda: index.get(ids[0]),
        lambda: index.stats(),
        lambda: index.search("government said"),
        lambda: index.quotes("economy"),
    ]
    errors, done = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            reads[done % len(reads)]()
        except Exception as error:  # every failure is the finding, whatever its type
            errors.append(f"{type(error).__name__}: {error}")
        done += 1
    stop.touch()
    out, _ = builder.communicate(timeout=60)
    return int(out), done, errors


def test_reads_while_builds_commit_never_fail(tmp_path: Path) -> None:
    # A read opening the index or reading a segment that a commit has just merged away
    # (before: 'NoneType' is not subscriptable, or "index damaged", ~1 read in 2,000).
    builds, reads, errors = reads_during_churning_builds(tmp_path, seconds=6)
    assert builds >= 10 and reads >= 200
    assert errors == []


@pytest.mark.slow
def test_reads_while_builds_commit_never_fail_for_a_minute(tmp_path: Path) -> None:
    builds, reads, errors = reads_during_churning_builds(tmp_path, seconds=60)
    assert builds >= 100 and reads >= 2_000
    assert errors == []


def test_lock_of_a_killed_build_is_recovered_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_bbc_articles(folder, 60)
    index = tmp_path / "index"
    victim = start_cli("build", str(folder), "--index", str(index))
    wait_for_lock(index, victim)
    victim.send_signal(signal.SIGKILL)
    victim.communicate()
    started = time.monotonic()
    after = run_cli("build", str(folder), "--index", str(index), "--wait", "30")
    assert after.returncode == 0, after.stderr
    assert time.monotonic() - started < 30
    assert "60 added" in after.stdout
    assert indexed_paths(index) == on_disk(folder)
