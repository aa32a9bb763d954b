"""The Python API: `Index` ties the stages together; the CLI is a thin layer over it."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from whoosh import query

from searchidx.errors import IndexUnreadable, SearchidxError
from searchidx.store import IndexDirectory, KeptOpenIndex, default_index_path, open_quotes

# A search that loses a race with a build's commit is run again, up to this many times in all.
SEARCH_ATTEMPTS = 3


@dataclass(frozen=True)
class StoredArticle:
    """An article as the index holds it (what `searchidx show` prints)."""

    id: str
    path: str
    title: str
    body: str
    byline: str
    published: date | None
    source: str
    url: str
    speakers: tuple[str, ...]
    organizations: tuple[str, ...]
    people: tuple[str, ...]
    quotes: tuple[tuple[str, str], ...]
    affiliations: tuple[tuple[str, str, str], ...]

    def to_json(self) -> dict:
        """The stored article as JSON-ready data."""
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "byline": self.byline,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "url": self.url,
            "body": self.body,
            "speakers": list(self.speakers),
            "organizations": list(self.organizations),
            "people": list(self.people),
            "quotes": [{"speaker": s, "text": t} for s, t in self.quotes],
            "affiliations": [
                {"speaker": s, "title": t, "organization": o} for s, t, o in self.affiliations
            ],
        }


@dataclass(frozen=True)
class IndexStats:
    """Size and content summary of an index."""

    documents: int
    last_build: str | None
    top_speakers: dict[str, int]
    top_organizations: dict[str, int]
    top_sources: dict[str, int]

    def to_json(self) -> dict:
        """The statistics as JSON-ready data."""
        return {
            "documents": self.documents,
            "last_build": self.last_build,
            "top_speakers": self.top_speakers,
            "top_organizations": self.top_organizations,
            "top_sources": self.top_sources,
        }


class Index:
    """A searchidx index on disk.

    >>> index = Index("index")
    >>> index.build(["seeds"])              # doctest: +SKIP
    >>> index.search("missile defense")     # doctest: +SKIP
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.directory = IndexDirectory(path if path is not None else default_index_path())
        self._kept = threading.local()

    @property
    def path(self) -> Path:
        """The index folder."""
        return self.directory.root

    def exists(self) -> bool:
        """True when a built index is present."""
        return self.directory.exists()

    def build(
        self,
        paths: str | Path | Iterable[str | Path],
        rebuild: bool = False,
        progress=None,  # type: ignore[no-untyped-def]
        lock_timeout: float = 60.0,
    ):  # type: ignore[no-untyped-def]
        """Index the article files under `paths`, one folder or file or several (new, changed
        and deleted files; unchanged ones are skipped). Returns a `BuildReport`.

        A single path may be given bare: `build("articles")` must not be read as the paths
        "a", "r", ... (the folder "/" among them)."""
        from searchidx.index import build_index

        if isinstance(paths, (str, Path)):
            paths = [paths]
        return build_index(
            self.directory, paths, rebuild=rebuild, progress=progress, lock_timeout=lock_timeout
        )

    def search(self, query: str, limit: int = 10, **filters):  # type: ignore[no-untyped-def]
        """Ranked `Results` for a query; filters: speaker, organization, source, since, until."""
        from searchidx.search import search_index

        for _ in range(SEARCH_ATTEMPTS - 1):
            searchable = self._searchable()
            try:
                with self.directory.reading():  # damage past the segment headers shows here
                    return search_index(searchable, query, limit=limit, **filters)
            except (IndexUnreadable, TypeError):
                # Whoosh opens a segment's stored-field columns only when first read; a build
                # that committed meanwhile may have deleted that merged segment's files (the
                # missing column is a TypeError). Then search the new state.
                if searchable.is_current(self.directory.current_generation()):
                    raise
        with self.directory.reading():
            return search_index(self._searchable(), query, limit=limit, **filters)

    def _searchable(self) -> KeptOpenIndex:
        """The live index, its reader kept open from one search to the next in this thread
        (opening the readers of 100k articles costs more than a search) and reopened once a
        build has committed or a rebuild swapped generations."""
        kept = getattr(self._kept, "index", None)
        if kept is None or not kept.is_current(self.directory.current_generation()):
            if kept is not None:
                kept.close()
            kept = self._kept.index = KeptOpenIndex(self.directory.open())
        return kept

    def quotes(self, query: str | None = None, limit: int = 10, **filters):  # type: ignore[no-untyped-def]
        """Ranked `QuoteResults` of the quotations matching `query`; filters: speaker,
        organization (the speaker's), source, since, until. Without a query, every quote the
        filters let through, newest article first."""
        from searchidx.quotes import search_quotes

        return self._on_live(
            lambda articles, quotes, in_step: search_quotes(
                articles, quotes, query, in_step=in_step, limit=limit, **filters
            )
        )

    def speakers(self, organization: str | None = None):  # type: ignore[no-untyped-def]
        """Everyone quoted, most quoted first (`Speaker`s with their counts and affiliations);
        with `organization`, only those quoted as speaking for it."""
        from searchidx.quotes import list_speakers

        return self._on_live(
            lambda articles, quotes, in_step: list_speakers(
                articles, quotes, in_step=in_step, organization=organization
            )
        )

    def _on_live(self, run):  # type: ignore[no-untyped-def]
        """`run(article index, quote index, generations in step)` on the live generation; like
        `search`, run again on the new state when a build's commit deleted files it was
        reading (Whoosh opens a segment's stored fields only when first read), and say the
        index is damaged when no build explains the failure."""
        for _ in range(SEARCH_ATTEMPTS - 1):
            opened, commits = self._open_with_quotes()
            try:
                with self.directory.reading():
                    return run(*opened)
            except (IndexUnreadable, TypeError):
                if not self._changed_since(opened[0], opened[1], commits):
                    raise
        opened, _ = self._open_with_quotes()
        with self.directory.reading():
            return run(*opened)

    def _open_with_quotes(self):  # type: ignore[no-untyped-def]
        """(article index, quote index, the generations the last build recorded as consistent)
        of the live generation, and the commit generations found on opening."""
        article_index = self.directory.open()
        meta = self.directory.read_meta(Path(article_index.storage.folder))
        quote_index = open_quotes(article_index)
        commits = (article_index.latest_generation(), quote_index.latest_generation())
        return (article_index, quote_index, meta.get("quotes_in_step")), commits

    def _changed_since(self, article_index, quote_index, commits) -> bool:  # type: ignore[no-untyped-def]
        """True when a build committed to, or replaced, the indexes opened at `commits`."""
        live = self.directory.current_generation()
        now = (article_index.latest_generation(), quote_index.latest_generation())
        return now != commits or live != Path(article_index.storage.folder)

    def get(self, key: str) -> StoredArticle:
        """One stored article by id, unique id prefix, or file path."""
        resolved = str(Path(key).resolve()) if Path(key).exists() else None
        matches = self._on_live(
            lambda articles, _quotes, _in_step: _stored_matches(articles, key, resolved)
        )
        if not matches:
            raise SearchidxError(f"no article with id {key!r} in {self.path}")
        exact = [m for m in matches if m["id"] == key or m["path"] == resolved]
        if len(exact) != 1 and len(matches) > 1:
            raise SearchidxError(f"id {key!r} is ambiguous: {len(matches)} articles start with it")
        return _stored_article((exact or matches)[0])

    def stats(self, top: int = 10) -> IndexStats:
        """Document count, last build time and the most frequent speakers, organizations and
        sources."""
        documents, counts = self._on_live(
            lambda articles, _quotes, _in_step: _counts(articles, top)
        )
        return IndexStats(
            documents=documents,
            last_build=self.directory.read_meta().get("last_build"),
            top_speakers=counts["speaker"],
            top_organizations=counts["organization"],
            top_sources=counts["source"],
        )


def _stored_matches(whoosh_index, key: str, resolved: str | None) -> list[dict]:  # type: ignore[no-untyped-def]
    """The stored fields of the articles `key` names: the article at path `resolved`, or those
    whose id is or starts with `key`. Looked up in the id and path terms: reading every stored
    article took seconds at 100k."""
    with whoosh_index.searcher() as searcher:
        if resolved:
            found = searcher.document_number(path=resolved)
            if found is not None:
                return [searcher.stored_fields(found)]
        docnums = query.Prefix("id", key).docs(searcher)
        return [searcher.stored_fields(docnum) for docnum in docnums]


def _counts(whoosh_index, top: int) -> tuple[int, dict[str, dict[str, int]]]:  # type: ignore[no-untyped-def]
    """How many articles the index holds, and the `top` names of each facet field."""
    from searchidx.search import FACET_FIELDS

    with whoosh_index.searcher() as searcher:
        counts = {
            name: _term_frequencies(searcher, fieldname, top)
            for name, fieldname in FACET_FIELDS.items()
        }
        return searcher.doc_count(), counts


def _term_frequencies(searcher, fieldname: str, top: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """How many documents carry each term of a facet field, most frequent first."""
    reader = searcher.reader()
    counts = {
        term.decode("utf-8") if isinstance(term, bytes) else term: reader.doc_frequency(
            fieldname, term
        )
        for term in reader.lexicon(fieldname)
    }
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return dict(ordered[:top])


def _stored_article(fields: dict) -> StoredArticle:
    details = fields.get("details") or {}
    published = fields.get("published")
    return StoredArticle(
        id=fields["id"],
        path=fields["path"],
        title=fields.get("title", ""),
        body=fields.get("body", ""),
        byline=fields.get("byline", ""),
        published=published.date() if published else None,
        source=fields.get("source", ""),
        url=fields.get("url", ""),
        speakers=tuple(n for n in (fields.get("speaker_facet") or "").split(",") if n),
        organizations=tuple(n for n in (fields.get("organization_facet") or "").split(",") if n),
        people=tuple(n for n in (fields.get("person_facet") or "").split(",") if n),
        quotes=tuple((s, t) for s, t, *_ in details.get("quotes", [])),
        affiliations=tuple(tuple(a) for a in details.get("affiliations", [])),
    )


def search(query: str, index: str | Path | None = None, limit: int = 10, **filters):  # type: ignore[no-untyped-def]
    """One-off search: `searchidx.search("missile defense", index="index")`."""
    return Index(index).search(query, limit=limit, **filters)
