"""Stage 4 on every core: big builds run in worker processes, and give the same index."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import write
from searchidx import parallel
from searchidx.api import Index
from searchidx.index import PARALLEL_MIN_FILES


def article(number: int, extra: str = "") -> str:
    return (
        f"Harbour report number {number}\n\n"
        f'"The quay{number} cranes are busy," said Ann Lee, director of the Port Authority. '
        f"Ships came and went all week. {extra}\n"
    )


@pytest.fixture
def many_articles(tmp_path: Path) -> list[Path]:
    """Enough article files for a build to use worker processes."""
    return [
        write(tmp_path / "in" / f"{n:04d}.txt", article(n)) for n in range(PARALLEL_MIN_FILES + 20)
    ]


@pytest.mark.parametrize("start_method", ["forkserver", "spawn"])
def test_big_build_in_workers_indexes_every_file(
    tmp_path: Path, many_articles: list[Path], start_method: str, monkeypatch
) -> None:
    monkeypatch.setattr(parallel, "START_METHOD", start_method)
    write(tmp_path / "in" / "empty.txt", b"")
    index = Index(tmp_path / "index")
    seen = []
    report = index.build([tmp_path / "in"], progress=lambda done, total, path: seen.append(done))
    assert (report.added, report.documents) == (len(many_articles), len(many_articles))
    assert [f.path.name for f in report.failures] == ["empty.txt"]
    assert seen[-1] == len(many_articles) + 1
    hit = index.search("quay7").hits[0]
    assert hit.title == "Harbour report number 7"
    assert hit.speakers == ("Ann Lee",)
    assert index.search("speaker:Lee").total == len(many_articles)
    assert index.quotes("quay7").hits[0].speaker == "Ann Lee"


def test_workers_replace_changed_files_and_skip_touched_ones(
    tmp_path: Path, many_articles: list[Path]
) -> None:
    index = Index(tmp_path / "index")
    index.build([tmp_path / "in"])
    for number, path in enumerate(many_articles):
        if number % 2:
            path.write_text(article(number, "A tugboat sank."))
        else:
            status = path.stat()
            os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 10**9))
    report = index.build([tmp_path / "in"])
    changed = len(many_articles) // 2
    assert (report.added, report.updated, report.skipped) == (
        0,
        changed,
        len(many_articles) - changed,
    )
    assert report.documents == len(many_articles)
    assert index.search("tugboat").total == changed
    assert index.quotes("cranes").total == len(many_articles)
    assert index.build([tmp_path / "in"]).skipped == len(many_articles)


def test_a_kept_open_index_sees_new_builds_and_rebuilds(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "a.txt", article(1))
    index = Index(tmp_path / "index")
    index.build([folder])
    assert index.search("quay1").total == 1
    write(folder / "b.txt", article(2))
    index.build([folder])
    assert index.search("quay2").total == 1
    write(folder / "c.txt", article(3))
    index.build([folder], rebuild=True)
    assert [index.search(f"quay{n}").total for n in (1, 2, 3)] == [1, 1, 1]
