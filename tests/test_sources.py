"""Stage 1: finding and decoding article files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from conftest import write
from searchidx.sources import LoadError, find_article_files, read_source

CAFE = "Le café a ouvert à Genève, a déclaré le maire."


def test_utf8_article_is_read_as_text(tmp_path: Path) -> None:
    document = read_source(write(tmp_path / "a.txt", CAFE))
    assert document.text == CAFE
    assert document.kind == "text"


def test_latin1_article_is_decoded(tmp_path: Path) -> None:
    document = read_source(write(tmp_path / "a.txt", (CAFE + " " + CAFE).encode("latin-1")))
    assert CAFE in document.text


def test_cp1252_curly_quotes_are_decoded(tmp_path: Path) -> None:
    text = "“We will not back down,” the minister said — twice. Café owners agreed."
    document = read_source(write(tmp_path / "a.txt", text.encode("cp1252")))
    assert document.text == text


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + CAFE.encode("utf-16-le")
    assert read_source(write(tmp_path / "a.txt", data)).text == CAFE


def test_html_meta_charset_is_used(tmp_path: Path) -> None:
    html = f'<html><head><meta charset="iso-8859-1"></head><body><p>{CAFE}</p></body></html>'
    document = read_source(write(tmp_path / "a.html", html.encode("latin-1")))
    assert CAFE in document.text
    assert document.kind == "html"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
    ],
)
def test_unusable_files_raise_load_error_with_reason(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = write(tmp_path / "bad.txt", content)
    with pytest.raises(LoadError) as caught:
        read_source(path)
    assert reason in caught.value.reason
    assert caught.value.path == path


def test_control_characters_are_dropped(tmp_path: Path) -> None:
    text = "Moscow\x07 said\x1b no to the plan on Tuesday.\r\nThen the ministers said yes."
    document = read_source(write(tmp_path / "a.txt", text))
    assert document.text == "Moscow said no to the plan on Tuesday.\nThen the ministers said yes."


def test_folders_are_walked_recursively_for_article_files(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "x")
    write(tmp_path / "sub" / "deeper" / "b.HTML", "x")
    write(tmp_path / "notes.md", "x")
    write(tmp_path / ".git" / "c.txt", "x")
    found = [p.relative_to(tmp_path).as_posix() for p in find_article_files([tmp_path])]
    assert found == ["a.txt", "sub/deeper/b.HTML"]


def test_missing_path_is_reported_not_raised(tmp_path: Path) -> None:
    (item,) = list(find_article_files([tmp_path / "nope"]))
    assert isinstance(item, LoadError)
    assert "no such file" in item.reason


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "x")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [p.name for p in find_article_files([tmp_path])] == ["a.txt"]
