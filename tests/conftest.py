"""Shared fixtures: the bundled seed articles and indexes built from them in temp folders."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from searchidx.api import Index

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
NPR_SEED = SEEDS / "000_21dfe173d3e53bdd.txt"
CSM_SEED = SEEDS / "002_10fedb5682b2282c.txt"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """A folder holding copies of the two seed articles."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def seed_index(tmp_path: Path, articles: Path) -> Index:
    """An index built from the seed copies."""
    index = Index(tmp_path / "index")
    index.build([articles])
    return index


@pytest.fixture(scope="session")
def shared_index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    """One read-only seed index for the many search tests."""
    root = tmp_path_factory.mktemp("shared")
    folder = root / "articles"
    shutil.copytree(SEEDS, folder)
    index = Index(root / "index")
    index.build([folder])
    return index


def write(path: Path, content: str | bytes) -> Path:
    """Write a test file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


BBC_DEV = SHARED_DATA / "bbc-news" / "bbc_dev.jsonl"


def write_bbc_articles(folder: Path, count: int, start: int = 0) -> list[Path]:
    """Write `count` BBC dev articles (title line, blank line, text) as .txt files; skip the
    test when the shared data is absent."""
    if not BBC_DEV.is_file():
        pytest.skip(f"{BBC_DEV} not available")
    paths = []
    with BBC_DEV.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number < start:
                continue
            if number >= start + count:
                break
            record = json.loads(line)
            name = record["id"].replace("/", "_") + ".txt"
            paths.append(write(folder / name, f"{record['title']}\n\n{record['text']}\n"))
    return paths


def run_cli(*args: str, timeout: float = 120, **popen) -> subprocess.CompletedProcess:
    """Run `searchidx ARGS` in a real child process."""
    return subprocess.run(
        [sys.executable, "-c", CLI_ENTRY, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        **popen,
    )


def start_cli(*args: str) -> subprocess.Popen:
    """Start `searchidx ARGS` in a child process without waiting for it, in a process group of
    its own (with any workers it starts), as a shell runs a command."""
    return subprocess.Popen(
        [sys.executable, "-c", INTERRUPTIBLE_CLI_ENTRY, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        process_group=0,
    )


CLI_ENTRY = "from searchidx.cli import main; main()"
# A test run started in the background (`pytest &`) ignores SIGINT, and so would its children;
# a shell gives a foreground command the default Ctrl-C handling, as this does.
INTERRUPTIBLE_CLI_ENTRY = (
    f"import signal; signal.signal(signal.SIGINT, signal.default_int_handler); {CLI_ENTRY}"
)


def visible_quotes_per_article(index: Index) -> dict[str, int]:
    """Article id -> how many of its quotes a quote search can return now (stale versions
    masked as `searchidx.quotes` masks them)."""
    from searchidx.quotes import hidden_quotes
    from searchidx.store import open_quotes

    article_index = index.directory.open()
    quote_index = open_quotes(article_index)
    counts: dict[str, int] = {}
    with article_index.searcher() as articles, quote_index.searcher() as quotes:
        mask = hidden_quotes(articles, quotes, in_step=None)
        hidden = set(mask.docs(quotes)) if mask is not None else set()
        for docnum, fields in quotes.reader().iter_docs():
            if docnum not in hidden:
                counts[fields["article_id"]] = counts.get(fields["article_id"], 0) + 1
    return counts


def quotes_per_article(index: Index) -> dict[str, int]:
    """Article id -> how many quotes the article index says the article has."""
    with index.directory.open().searcher() as searcher:
        return {
            fields["id"]: len(fields["details"]["quotes"])
            for fields in searcher.reader().all_stored_fields()
            if fields["details"]["quotes"]
        }
