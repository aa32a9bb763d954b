"""searchidx: a full-text search engine for archives of news articles.

    import searchidx
    article = searchidx.clean_file("seeds/002_10fedb5682b2282c.txt")
    index = searchidx.Index("index")
    index.build(["seeds"])
    for hit in index.search("missile defense"):
        print(hit.title, hit.snippets)

Names are imported on first use, so `import searchidx` for a search does not load the HTML
parser or the extractor.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS = {
    "Index": "searchidx.api",
    "StoredArticle": "searchidx.api",
    "IndexStats": "searchidx.api",
    "search": "searchidx.api",
    "clean_file": "searchidx.pipeline",
    "Article": "searchidx.model",
    "Quote": "searchidx.model",
    "Affiliation": "searchidx.model",
    "LoadFailure": "searchidx.model",
    "BuildReport": "searchidx.index",
    "Hit": "searchidx.search",
    "Results": "searchidx.search",
    "QuoteHit": "searchidx.quotes",
    "QuoteResults": "searchidx.quotes",
    "Speaker": "searchidx.quotes",
    "LoadError": "searchidx.sources",
    "SearchidxError": "searchidx.errors",
    "ArticlesNotFound": "searchidx.errors",
    "IndexNotFound": "searchidx.errors",
    "IndexUnreadable": "searchidx.errors",
    "IndexUnwritable": "searchidx.errors",
    "IndexBusy": "searchidx.errors",
    "QueryError": "searchidx.errors",
}
__all__ = [
    "Affiliation",
    "Article",
    "ArticlesNotFound",
    "BuildReport",
    "Hit",
    "Index",
    "IndexBusy",
    "IndexNotFound",
    "IndexStats",
    "IndexUnreadable",
    "IndexUnwritable",
    "LoadError",
    "LoadFailure",
    "QueryError",
    "Quote",
    "QuoteHit",
    "QuoteResults",
    "Results",
    "SearchidxError",
    "Speaker",
    "StoredArticle",
    "clean_file",
    "search",
]

if TYPE_CHECKING:
    from searchidx.api import Index, IndexStats, StoredArticle, search
    from searchidx.errors import (
        ArticlesNotFound,
        IndexBusy,
        IndexNotFound,
        IndexUnreadable,
        IndexUnwritable,
        QueryError,
        SearchidxError,
    )
    from searchidx.index import BuildReport
    from searchidx.model import Affiliation, Article, LoadFailure, Quote
    from searchidx.pipeline import clean_file
    from searchidx.quotes import QuoteHit, QuoteResults, Speaker
    from searchidx.search import Hit, Results
    from searchidx.sources import LoadError


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'searchidx' has no attribute {name!r}")
