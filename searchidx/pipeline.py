"""The first three stages in one call: file -> load -> clean -> extract -> Article."""

from __future__ import annotations

from pathlib import Path

from searchidx.clean import clean_document
from searchidx.extract import extract
from searchidx.model import Article, SourceDocument
from searchidx.sources import read_source


def prepare(document: SourceDocument) -> Article:
    """Clean and extract a loaded file."""
    return extract(clean_document(document))


def clean_file(path: str | Path) -> Article:
    """Read, clean and extract one article file.

    Raises `searchidx.LoadError` when the file cannot be read as an article.
    """
    return prepare(read_source(Path(path)))
