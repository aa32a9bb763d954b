"""Stage 1, load: find article files and decode their bytes to text.

Everything that can go wrong with a file on disk is turned into a `LoadError` with a reason a
user can act on, so one bad file never stops a build.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from searchidx.model import SourceDocument

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES

# A news article is a few hundred KB at most, even as a saved page with inline scripts; anything
# far larger is a log, a dump or a mistake, and would stall the single index writer.
MAX_FILE_BYTES = 16 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class LoadError(Exception):
    """A file that cannot be read as an article; `reason` is written for the user."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def is_article_file(path: Path) -> bool:
    """True for the file kinds searchidx reads (.txt, .text, .html, .htm)."""
    return path.suffix.lower() in ARTICLE_SUFFIXES


def find_article_files(paths: Iterable[Path]) -> Iterator[Path | LoadError]:
    """Yield every article file under `paths` (folders are walked recursively, sorted).

    A path that does not exist is yielded as a `LoadError`. Symbolic links to folders are not
    followed, so a link loop cannot make the walk endless; hidden folders (.git) are skipped.
    """
    for root in paths:
        if root.is_file():
            yield root
        elif root.is_dir():
            yield from _walk(root)
        else:
            yield LoadError(root, "no such file or folder")


def _walk(root: Path) -> Iterator[Path]:
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        base = Path(folder)
        for name in sorted(files):
            # Names are checked before a Path is made: building 100k Paths took a second.
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES:
                yield base / name


def read_source(path: Path) -> SourceDocument:
    """Read and decode one article file, or raise `LoadError` saying why it cannot be used."""
    try:
        # O_NONBLOCK: a named pipe called "x.txt" must not hang the build waiting for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise LoadError(path, "not a regular file")
            if status.st_size > MAX_FILE_BYTES:
                size = status.st_size // 1_000_000
                raise LoadError(path, f"file too large ({size} MB; limit 16 MB)")
            # Asking for the file's size (plus one byte, to see it grew) rather than for the 16 MB
            # limit: a read of 16 MB allocates 16 MB, a third of the time of indexing a file.
            data = handle.read(min(status.st_size, MAX_FILE_BYTES) + 1)
    except LoadError:
        raise
    except FileNotFoundError:
        raise LoadError(path, "file disappeared before it could be read") from None
    except PermissionError:
        raise LoadError(path, "permission denied") from None
    except OSError as error:
        raise LoadError(path, f"cannot read file ({error.strerror or error})") from None
    kind = "html" if path.suffix.lower() in HTML_SUFFIXES else "text"
    text, encoding = decode_bytes(path, data, kind)
    return SourceDocument(
        path=path,
        text=text,
        kind=kind,
        encoding=encoding,
        size=status.st_size,
        mtime_ns=status.st_mtime_ns,
    )


def decode_bytes(path: Path, data: bytes, kind: str = "text") -> tuple[str, str]:
    """Decode file bytes: byte-order mark, then UTF-8, then the HTML's declared charset, then
    a statistical guess. Returns (text, encoding name)."""
    if not data.strip():
        raise LoadError(path, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _clean_decoded(path, _decode(path, data, encoding)), encoding
    sample = data[:8192]
    # Binary formats are full of NUL bytes; a text file may carry a stray few (a bad copy, a
    # truncated download): those are dropped below with the other control characters.
    if sample.count(b"\x00") > len(sample) // 100:
        raise LoadError(path, "binary file (contains NUL bytes)")
    try:
        return _clean_decoded(path, data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data) if kind == "html" else None
    if declared:
        try:
            return _clean_decoded(path, data.decode(declared)), declared
        except (LookupError, UnicodeDecodeError):
            pass
    encoding = _guess_encoding(data)
    if encoding is None:
        raise LoadError(path, "cannot detect the text encoding (not UTF-8 and no charset fits)")
    return _clean_decoded(path, _decode(path, data, encoding)), encoding


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        raise LoadError(path, f"invalid {encoding} text") from None


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def _guess_encoding(data: bytes) -> str | None:
    # Imported here: only files that are not UTF-8 pay for loading the detector.
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:65536]))
    if not matches:
        return None
    best = matches[0]
    # On short texts the detector cannot tell the Latin-script code pages apart (it reads
    # "Genève" as cp1257 "Genčve"). Western news text that is not UTF-8 is nearly always cp1252
    # (a superset of Latin-1's printable range), so Latin-script text is read as cp1252;
    # Cyrillic, Greek, Hebrew or CJK guesses are kept.
    if _is_latin_script(str(best)) and _decodes(data, "cp1252"):
        return "cp1252"
    return best.encoding


def _is_latin_script(text: str) -> bool:
    return all(
        unicodedata.name(char, "").startswith("LATIN")
        for char in set(text)
        if char.isalpha() and not char.isascii()
    )


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _clean_decoded(path: Path, text: str) -> str:
    """Drop stray control characters; refuse text that is mostly control characters (binary)."""
    sample = text[:8192]
    if sample and len(_CONTROL_CHARS.findall(sample)) > len(sample) * 0.05:
        raise LoadError(path, "binary file (too many control characters)")
    text = _CONTROL_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise LoadError(path, "empty file")
    return text
