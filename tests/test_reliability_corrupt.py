"""A damaged or foreign index gives one line saying to run `searchidx build --rebuild`, and
the rebuild recovers."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEEDS, run_cli
from searchidx.api import Index
from searchidx.cli import main
from searchidx.errors import IndexNotFound, IndexUnreadable
from searchidx.store import CURRENT_FILE, META_FILE

REBUILD = "run `searchidx build --rebuild` to rebuild it from the article files"


@pytest.fixture(scope="module")
def good_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(articles, index): the seeds, built once, to copy and damage."""
    root = tmp_path_factory.mktemp("good")
    articles = root / "articles"
    shutil.copytree(Path(__file__).resolve().parent.parent / "seeds", articles)
    Index(root / "index").build([articles])
    return articles, root / "index"


def generation(index: Path) -> Path:
    return index / (index / CURRENT_FILE).read_text().strip()


def truncate_segment(index: Path) -> None:
    (terms,) = generation(index).glob("*.trm")  # a segment's term dictionary
    os.truncate(terms, terms.stat().st_size // 2)


def delete_table_of_contents(index: Path) -> None:
    for toc in generation(index).glob("*.toc"):
        toc.unlink()


def garble_table_of_contents(index: Path) -> None:
    for toc in generation(index).glob("*.toc"):
        toc.write_bytes(b"\x00\x01garbage" * 50)


def bump_schema_version(index: Path) -> None:
    meta_path = generation(index) / META_FILE
    meta = json.loads(meta_path.read_text())
    meta["schema_version"] += 100
    meta_path.write_text(json.dumps(meta))


def delete_generation(index: Path) -> None:
    shutil.rmtree(generation(index))


def garble_current(index: Path) -> None:
    (index / CURRENT_FILE).write_text("../../etc\n")


def replace_with_foreign_folder(index: Path) -> None:
    shutil.rmtree(index)
    index.mkdir()
    (index / "holiday.jpg").write_bytes(b"\xff\xd8\xff")
    (index / "notes").mkdir()


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated segment": truncate_segment,
    "missing table of contents": delete_table_of_contents,
    "garbled table of contents": garble_table_of_contents,
    "other schema version": bump_schema_version,
    "missing generation": delete_generation,
    "garbled CURRENT": garble_current,
    "not an index": replace_with_foreign_folder,
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_damaged_index_says_to_rebuild_and_rebuild_recovers(
    tmp_path: Path, good_index: tuple[Path, Path], damage: str
) -> None:
    articles, good = good_index
    index = tmp_path / "index"
    shutil.copytree(good, index)
    DAMAGE[damage](index)
    runner = CliRunner()
    for command in (["search", "missile"], ["stats"], ["build", str(articles)]):
        result = runner.invoke(main, [*command, "--index", str(index)])
        assert result.exit_code == 2, (command, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), (command, result.stderr)
        assert REBUILD in lines[0], lines[0]
    rebuilt = runner.invoke(main, ["build", str(articles), "--index", str(index), "--rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "2 articles" in rebuilt.stdout
    assert Index(index).search("missile defense").total == 2
    if damage == "not an index":
        assert (index / "holiday.jpg").exists(), "a rebuild must not delete other files"


def test_damaged_index_error_from_a_real_process_is_one_line(
    tmp_path: Path, good_index: tuple[Path, Path]
) -> None:
    index = tmp_path / "index"
    shutil.copytree(good_index[1], index)
    truncate_segment(index)
    result = run_cli("search", "missile", "--index", str(index))
    assert result.returncode == 2
    message = re.escape(f"Error: the index at {index} is damaged (") + r"\w+" + re.escape(")")
    assert re.fullmatch(message + re.escape(f"; {REBUILD}\n"), result.stderr), result.stderr


def test_folder_with_only_hidden_files_is_an_empty_index_not_a_foreign_one(
    tmp_path: Path,
) -> None:
    index = tmp_path / "index"
    index.mkdir()
    (index / ".gitignore").write_text("*\n!.gitignore\n")
    with pytest.raises(IndexNotFound):
        Index(index).search("missile")
    assert not Index(index).exists()


def test_damage_inside_a_segment_found_while_searching_says_to_rebuild(
    tmp_path: Path, good_index: tuple[Path, Path]
) -> None:
    index = tmp_path / "index"
    shutil.copytree(good_index[1], index)
    (postings,) = generation(index).glob("*.pst")
    data = bytearray(postings.read_bytes())
    data[16:] = bytes(len(data) - 16)  # zero the postings, keep the file's header
    postings.write_bytes(bytes(data))
    with pytest.raises(IndexUnreadable, match="damaged"):
        Index(index).search("missile defense")


def test_index_folder_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    index = tmp_path / "a-file" / "index"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--index", str(index)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: cannot write the index at {index}: Not a directory\n"
