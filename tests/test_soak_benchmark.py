"""A short run of benchmarks/soak.py: builds, kills, edits and searches at once, then the index
must hold exactly the files on disk (the full run is `python benchmarks/soak.py`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SHARED_DATA

BENCHMARK = REPO / "benchmarks" / "soak.py"


@pytest.mark.skipif(not (SHARED_DATA / "bbc-news").is_dir(), reason="needs ../shared/data/bbc-news")
def test_short_soak_ends_with_exactly_the_files_on_disk(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARK), "--files", "80", "--seconds", "5", "--kill-every", "2",
         "--searchers", "1", "--work", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(done.stdout)
    assert figures["final"]["exact"]
    assert figures["search_error_count"] == 0
    assert figures["files_added"] + figures["files_edited"] + figures["files_deleted"] > 0
