"""Messy folders: every bad file is indexed correctly or reported by path with a reason, and
never stops the build of the others."""

from __future__ import annotations

import codecs
import json
import os
import random
from pathlib import Path

import pytest

from conftest import run_cli, write
from searchidx.api import Index

ARTICLE = (
    "Harbour bridge reopens after repairs\n\n"
    "The harbour bridge reopened on Monday after six months of repairs, the city council said. "
    "Engineers replaced {word} cables and resurfaced the deck, and traffic returned to normal "
    "by the evening rush hour.\n"
)


def article(word: str) -> str:
    """A short, ordinary article that a search for `word` finds."""
    return ARTICLE.format(word=word)


def messy_folder(folder: Path) -> dict[str, str]:
    """Write one file of every awkward kind; returns name -> word to search for, for the
    files that must be indexed."""
    findable = {}
    for number in range(3):
        write(folder / f"good{number}.txt", article(f"zorbling{number}"))
        findable[f"good{number}.txt"] = f"zorbling{number}"
    write(folder / "random.txt", random.Random(5).randbytes(4000))
    write(folder / "empty.txt", b"")
    write(folder / "zero.html", b"")
    write(folder / "big.txt", ("filler words " * 8 + "\n") * (50 * 1024 * 1024 // 105))
    write(folder / "title_only.html", "<html><head><title>Quasarine title</title></head></html>")
    findable["title_only.html"] = "quasarine"
    deep = "<div>" * 10_000 + "<p>" + article("nestorine") + "</p>" + "</div>" * 10_000
    write(folder / "deep.html", f"<html><body>{deep}</body></html>")
    findable["deep.html"] = "nestorine"
    odd = {
        "latin1.txt": ("garçon", article("Genève garçon").encode("latin-1")),
        "cp1252.txt": ("café", article("“curly” café").encode("cp1252")),
        "utf16.txt": ("utf16word", codecs.BOM_UTF16_LE + article("utf16word").encode("utf-16-le")),
        "bad_utf8.txt": ("brokenbytes", article("brokenbytes").encode() + b"\xff\xfe \xc3\x28\n"),
        "long_line.txt": ("longliner", article("longliner") + "word " * 200_000 + "\n"),
        "stray_nul.txt": ("nulword", article("nulword").replace("deck,", "deck,\x00\x00")),
        "control.txt": ("ctrlword", article("ctrlword").replace("the city", "the\x07 city\x1b")),
    }
    for name, (word, content) in odd.items():
        write(folder / name, content)
        findable[name] = word
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder, target_is_directory=True)
    os.mkfifo(folder / "pipe.txt")
    return findable


EXPECTED_FAILURES = {
    "random.txt": ("binary", "encoding"),
    "empty.txt": ("empty file",),
    "zero.html": ("empty file",),
    "big.txt": ("file too large",),
    "loop.txt": ("symbolic links",),
    "pipe.txt": ("not a regular file",),
}


def test_messy_folder_indexes_every_good_file_and_reports_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    findable = messy_folder(folder)
    index = tmp_path / "index"
    result = run_cli("build", str(folder), "--index", str(index), "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    reasons = {Path(f["path"]).name: f["reason"] for f in report["failures"]}
    assert set(reasons) == set(EXPECTED_FAILURES)
    for name, words in EXPECTED_FAILURES.items():
        assert any(word in reasons[name] for word in words), (name, reasons[name])
    assert report["failed"] == len(EXPECTED_FAILURES)
    assert report["documents"] == len(findable)
    for name, word in findable.items():
        hits = Index(index).search(word)
        assert [Path(h.path).name for h in hits] == [name], word


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("latin1.txt", article("Genève garçon").encode("latin-1"), "Genève garçon cables"),
        ("cp1252.txt", article("“curly” café").encode("cp1252"), "“curly” café cables"),
        ("utf16.txt", codecs.BOM_UTF16_LE + article("x").encode("utf-16-le"), "replaced x cab"),
        ("nul.txt", article("x").replace("deck,", "deck,\x00"), "resurfaced the deck, and"),
        ("ctrl.txt", article("x").replace("the city", "the\x07 city\x1b"), "the city council"),
    ],
)
def test_odd_encodings_and_bytes_are_read_as_the_right_text(
    tmp_path: Path, name: str, content: str | bytes, expected: str
) -> None:
    write(tmp_path / "in" / name, content)
    index = Index(tmp_path / "index")
    index.build([tmp_path / "in"])
    assert expected in index.get(str(tmp_path / "in" / name)).body


def test_summary_line_counts_failures_and_strict_exits_nonzero(tmp_path: Path) -> None:
    write(tmp_path / "in" / "good.txt", article("x"))
    write(tmp_path / "in" / "empty.txt", b"")
    index = str(tmp_path / "index")
    plain = run_cli("build", str(tmp_path / "in"), "--index", index)
    assert plain.returncode == 0
    assert "1 added, 0 updated, 0 removed, 0 unchanged, 1 failed" in plain.stdout
    assert f"skipped {tmp_path / 'in' / 'empty.txt'}: empty file" in plain.stderr
    strict = run_cli("build", str(tmp_path / "in"), "--index", index, "--strict")
    assert strict.returncode == 1


def test_build_of_only_bad_files_exits_nonzero(tmp_path: Path) -> None:
    write(tmp_path / "in" / "empty.txt", b"")
    write(tmp_path / "in" / "random.txt", random.Random(1).randbytes(3000))
    result = run_cli("build", str(tmp_path / "in"), "--index", str(tmp_path / "index"))
    assert result.returncode == 1
    assert "0 added" in result.stdout and "2 failed" in result.stdout


def test_file_deleted_during_the_build_is_reported_and_the_rest_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    paths = [write(folder / f"a{n}.txt", article(f"word{n}")) for n in range(4)]
    index = Index(tmp_path / "index")

    def delete_the_last(done: int, total: int, path: Path) -> None:
        if done == 1:
            paths[-1].unlink()

    report = index.build([folder], progress=delete_the_last)
    assert [(f.path, f.reason) for f in report.failures] == [
        (paths[-1], "file disappeared before it could be read")
    ]
    assert report.documents == 3


def test_indexed_file_deleted_during_the_next_build_leaves_the_index(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    paths = [write(folder / f"a{n}.txt", article(f"word{n}")) for n in range(3)]
    index = Index(tmp_path / "index")
    index.build([folder])
    paths[-1].write_text(article("changed"))

    def delete_the_changed_one(done: int, total: int, path: Path) -> None:
        if done == 1:
            paths[-1].unlink()

    report = index.build([folder], progress=delete_the_changed_one)
    assert (report.removed, report.documents) == (1, 2)
    assert index.search("word2").total == 0


def test_file_unreadable_during_the_build_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    paths = [write(folder / f"a{n}.txt", article(f"word{n}")) for n in range(3)]

    def make_the_last_unreadable(done: int, total: int, path: Path) -> None:
        # chmod cannot lock out root, so swap the file for a folder of the same name
        if done == 1:
            paths[-1].unlink()
            paths[-1].mkdir()

    report = Index(tmp_path / "index").build([folder], progress=make_the_last_unreadable)
    assert [f.path for f in report.failures] == [paths[-1]]
    assert "cannot read file" in report.failures[0].reason or "regular" in report.failures[0].reason
    assert report.documents == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_file_without_read_permission_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "in" / "good.txt", article("x"))
    locked = write(tmp_path / "in" / "locked.txt", article("y"))
    locked.chmod(0)
    report = Index(tmp_path / "index").build([tmp_path / "in"])
    assert [(f.path, f.reason) for f in report.failures] == [(locked, "permission denied")]
    assert report.documents == 1
