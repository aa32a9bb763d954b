"""A small run of benchmarks/perf.py, so the benchmark cannot rot (its speed bars are checked
by running it at full size, not here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SHARED_DATA

BENCHMARK = REPO / "benchmarks" / "perf.py"
SMOKE_OPTIONS = "--articles 300 --queries 20 --shell-queries 2"


@pytest.mark.skipif(
    not (SHARED_DATA / "bbc-news").is_dir() or not (SHARED_DATA / "reuters21578").is_dir(),
    reason="needs ../shared/data/bbc-news and reuters21578",
)
def test_benchmark_measures_every_figure_on_a_few_hundred_articles(tmp_path: Path) -> None:
    figures_file, work = tmp_path / "figures.json", tmp_path / "work"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCHMARK),
            *SMOKE_OPTIONS.split(),
            "--work",
            str(work),
            "--json",
            str(figures_file),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "| searchidx build, articles/s |" in done.stdout
    [figures] = json.loads(figures_file.read_text())
    assert figures["articles"] == 300
    for name in (
        "build_rate",
        "whoosh_rate",
        "fts5_rate",
        "build_peak_rss_mb",
        "noop_seconds",
        "add_seconds",
        "query_p50_ms",
        "whoosh_query_p50_ms",
        "shell_median_ms",
        "index_mb",
        "whoosh_index_mb",
    ):
        assert figures[name] > 0, name
    assert not any("adding" in note for note in figures["notes"]), figures["notes"]
