"""Stage 4, index: put articles into the Whoosh index, incrementally.

A build compares the folder with what the index holds: new and changed files are (re)indexed,
files gone from the folder are removed, unchanged ones (same size and modification time, or
same content) are skipped. The article files are the source of truth; the index can always be
rebuilt from them.

Each generation holds two Whoosh indexes, articles and their quotes (see `searchidx.schema`).
A quote carries the version (`<id>:<content hash>`) of the article it came from and is shown
only while that version is the one in the article index, so the two commits of a build never
show a half-written state: quotes are committed first (invisible until their article is), then
the articles (the commit point: the new quotes appear, the old ones vanish, together), then the
quotes of versions no longer live are deleted. A build interrupted between the commits is
completed by the next one, which re-indexes files whose article commit was lost and sweeps
stale quotes. A rebuild writes both indexes into the new generation, swapped in together.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from searchidx.model import Affiliation, Article, LoadFailure, SourceDocument
from searchidx.schema import NAME_SEPARATOR, QUOTE_KEY_SEPARATOR
from searchidx.sources import LoadError, find_article_files, read_source
from searchidx.store import IndexDirectory, open_quotes, stale_quote_versions

# Called after each file with (files done, files in all, path).
ProgressCallback = Callable[[int, int, Path], None]


@dataclass(frozen=True)
class BuildReport:
    """What a build did, file by file counted."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    skipped: int = 0
    failures: tuple[LoadFailure, ...] = ()
    documents: int = 0
    seconds: float = 0.0
    rebuilt: bool = False

    @property
    def failed(self) -> int:
        """How many files could not be indexed."""
        return len(self.failures)

    @property
    def indexed(self) -> int:
        """How many files were written to the index by this build."""
        return self.added + self.updated

    def to_json(self) -> dict:
        """The report as JSON-ready data."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "skipped": self.skipped,
            "failed": self.failed,
            "failures": [{"path": str(f.path), "reason": f.reason} for f in self.failures],
            "documents": self.documents,
            "seconds": round(self.seconds, 3),
            "rebuilt": self.rebuilt,
        }


@dataclass
class _Tally:
    added: int = 0
    updated: int = 0
    removed: int = 0
    skipped: int = 0
    failures: list[LoadFailure] = field(default_factory=list)


def document_id(path: Path) -> str:
    """A stable id for an article file: a short hash of its absolute path."""
    return hashlib.sha1(index_key(path).encode("utf-8")).hexdigest()[:12]


def index_key(path: Path) -> str:
    """The absolute, symlink-free path an article is stored under. `os.path.realpath`, not
    `Path.resolve`: a symlink loop must give a path (whose read then fails), not a crash."""
    return os.path.realpath(path)


def content_hash(text: str) -> str:
    """Fingerprint of a file's decoded text, to tell a touched file from a changed one."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def build_index(
    directory: IndexDirectory,
    paths: Iterable[str | Path],
    *,
    rebuild: bool = False,
    progress: ProgressCallback | None = None,
    lock_timeout: float = 60.0,
) -> BuildReport:
    """Bring the index at `directory` up to date with the article files under `paths`.

    With `rebuild`, a new index is written beside the live one and swapped in when complete.
    """
    from searchidx.pipeline import prepare

    started = time.monotonic()
    roots = [Path(p) for p in paths]
    with directory.write_lock(timeout=lock_timeout):
        directory.discard_unpublished()
        fresh = rebuild or not directory.exists()
        whoosh_index = directory.new_generation() if fresh else directory.open()
        with directory.reading():
            known = {} if fresh else _indexed_files(whoosh_index)
        tally = _Tally()
        files: list[Path] = []
        for item in find_article_files(roots):
            if isinstance(item, LoadError):
                tally.failures.append(LoadFailure(item.path, item.reason))
            else:
                files.append(item)
        quote_index = open_quotes(whoosh_index)
        writer = whoosh_index.writer(limitmb=128)
        quote_writer = quote_index.writer(limitmb=64)
        try:
            for done, path in enumerate(files, start=1):
                key = index_key(path)
                _index_one(writer, quote_writer, path, key, known.get(key), tally, prepare)
                if progress:
                    progress(done, len(files), path)
            for key in _removed_paths(known, roots):
                writer.delete_by_term("path", key)
                tally.removed += 1
            with directory.reading():
                quote_writer.commit(optimize=fresh)
                writer.commit(optimize=fresh)
        except BaseException:
            _abandon(quote_writer)
            _abandon(writer)
            raise
        sweep_stale_quotes(whoosh_index, quote_index)
        documents = whoosh_index.doc_count()
        generation = Path(whoosh_index.storage.folder)
        meta = _build_meta(directory, generation, documents)
        meta["quotes_in_step"] = [whoosh_index.latest_generation(), quote_index.latest_generation()]
        directory.write_meta(generation, meta)
        if fresh:
            directory.publish(generation)
    return BuildReport(
        added=tally.added,
        updated=tally.updated,
        removed=tally.removed,
        skipped=tally.skipped,
        failures=tuple(tally.failures),
        documents=documents,
        seconds=time.monotonic() - started,
        rebuilt=fresh,
    )


def _abandon(writer) -> None:  # type: ignore[no-untyped-def]
    """Drop an unfinished writer's documents. Nothing it wrote is live until its commit renames
    the new table of contents; leftover files are cleaned by the next commit. Called while an
    error or Ctrl-C is on its way up: a failure to cancel (say, half-way through a commit) must
    not replace it."""
    with contextlib.suppress(Exception):
        writer.cancel()


def _index_one(
    writer, quote_writer, path: Path, key: str, known: dict | None, tally: _Tally, prepare
) -> None:  # type: ignore[no-untyped-def]
    """Index one file unless it is unchanged; count what happened."""
    if known and _same_size_and_time(path, known):
        tally.skipped += 1
        return
    try:
        document = read_source(path)
    except LoadError as error:
        tally.failures.append(LoadFailure(path, error.reason))
        return
    digest = content_hash(document.text)
    if known and known["content_hash"] == digest:
        tally.skipped += 1  # touched, not changed: record the new mtime only
    try:
        article = prepare(document)
    except RecursionError:
        tally.failures.append(LoadFailure(path, "page too deeply nested to parse"))
        return
    version = article_version(key, digest)
    quote_writer.delete_by_term("article_version", version)  # left by an interrupted build
    for fields in quote_documents(article, key, version):
        quote_writer.add_document(**fields)
    writer.update_document(**article_fields(article, document, key, digest))
    if known is None:
        tally.added += 1
    elif known["content_hash"] != digest:
        tally.updated += 1


def _same_size_and_time(path: Path, known: dict) -> bool:
    try:
        status = path.stat()
    except OSError:
        return False  # gone or unreadable: `read_source` says why
    return known["size"] == status.st_size and known["mtime_ns"] == status.st_mtime_ns


def article_fields(article: Article, document: SourceDocument, key: str, digest: str) -> dict:
    """The Whoosh fields of one article (see `searchidx.schema`)."""
    published = _published(article)
    fields = {
        "id": document_id(Path(key)),
        "path": key,
        "title": article.title,
        "body": article.body,
        "quotes": "\n".join(q.text for q in article.quotes),
        "byline": article.byline,
        "source": article.source,
        "speaker": NAME_SEPARATOR.join(article.speakers),
        "organization": NAME_SEPARATOR.join(article.organizations),
        "person": NAME_SEPARATOR.join(article.people),
        "speaker_facet": _keywords(article.speakers),
        "organization_facet": _keywords(article.organizations),
        "person_facet": _keywords(article.people),
        "url": article.url,
        "details": {
            "headings": list(article.headings),
            "quotes": [[q.speaker, q.text, q.position] for q in article.quotes],
            "affiliations": [[a.speaker, a.title, a.organization] for a in article.affiliations],
        },
        "content_hash": digest,
        "version": article_version(key, digest),
        "size": document.size,
        "mtime_ns": document.mtime_ns,
    }
    if published:
        fields["published"] = published
    if article.source:
        fields["source_facet"] = article.source
    return fields


def article_version(key: str, digest: str) -> str:
    """Which version of which article a quote belongs to: the article id and content hash."""
    return f"{document_id(Path(key))}:{digest}"


def quote_documents(article: Article, key: str, version: str) -> list[dict]:
    """The Whoosh fields of each quote of an article (see `build_quote_schema`)."""
    article_id = document_id(Path(key))
    published = _published(article)
    documents = []
    for quote in article.quotes:
        affiliation = article.affiliation_of(quote.speaker) or Affiliation(quote.speaker)
        fields = {
            "text": quote.text,
            "speaker": quote.speaker,
            "organization": affiliation.organization,
            "affiliation": affiliation.describe(),
            "source": article.source,
            "day": article.published.toordinal() if article.published else 0,
            "position": quote.position,
            "article_id": article_id,
            "article_version": version,
            "speaker_name": quote.speaker,
            "speaker_affiliation": QUOTE_KEY_SEPARATOR.join(
                (quote.speaker, affiliation.title, affiliation.organization)
            ),
            "speaker_article": f"{quote.speaker}{QUOTE_KEY_SEPARATOR}{article_id}",
            "details": {
                "title": affiliation.title,
                "organization": affiliation.organization,
                "article_title": article.title,
                "source": article.source,
                "path": key,
            },
        }
        if published:
            fields["published"] = published
        documents.append(fields)
    return documents


def sweep_stale_quotes(whoosh_index, quote_index) -> int:  # type: ignore[no-untyped-def]
    """Delete the quotes of article versions no longer in the index (replaced or removed files,
    or left by an interrupted build); returns how many quotes were deleted."""
    with whoosh_index.reader() as articles, quote_index.reader() as quotes:
        stale = stale_quote_versions(articles, quotes)
    if not stale:
        return 0
    writer = quote_index.writer()
    try:
        deleted = sum(writer.delete_by_term("article_version", v) for v in stale)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return deleted


def _published(article: Article) -> datetime | None:
    """The publication day as the naive datetime Whoosh's DATETIME field wants."""
    if article.published is None:
        return None
    return datetime(article.published.year, article.published.month, article.published.day)


def _keywords(names: Iterable[str]) -> str:
    # KEYWORD(commas=True) splits on commas; a comma inside a name ("Acme, Inc.") must go.
    return ",".join(name.replace(",", "") for name in names)


def _indexed_files(whoosh_index) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """path -> stored size, mtime and content hash, for every indexed file."""
    with whoosh_index.searcher() as searcher:
        return {
            fields["path"]: fields
            for fields in searcher.reader().all_stored_fields()
            if "path" in fields
        }


def _removed_paths(known: dict[str, dict], roots: list[Path]) -> list[str]:
    """Indexed files under the roots being built that are no longer on disk, including those
    that vanished while this build was reading them."""
    prefixes = [index_key(root) for root in roots]
    removed = []
    for key in known:
        under_root = any(key == p or key.startswith(p.rstrip("/") + "/") for p in prefixes)
        if under_root and not Path(key).exists():
            removed.append(key)
    return removed


def _build_meta(directory: IndexDirectory, generation: Path, documents: int) -> dict:
    meta = directory.read_meta(generation)
    meta["last_build"] = datetime.now(UTC).isoformat(timespec="seconds")
    meta["documents"] = documents
    return meta
