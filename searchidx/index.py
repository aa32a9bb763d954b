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

Big builds run in worker processes, one per core (see `searchidx.parallel`); each writes its own
segments of both indexes, committed by this process in the same order.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from searchidx.errors import ArticlesNotFound
from searchidx.model import Affiliation, Article, LoadFailure, SourceDocument
from searchidx.schema import NAME_SEPARATOR, QUOTE_KEY_SEPARATOR
from searchidx.sources import LoadError, find_article_files, read_source
from searchidx.store import (
    FileState,
    IndexDirectory,
    article_version,
    indexed_file_states,
    key_id,
    open_quotes,
    stale_quote_versions,
)

# Called after each file with (files done, files in all, path).
ProgressCallback = Callable[[int, int, Path], None]
# Below this many new or changed files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 200
# Memory for each writer's postings buffer before it spills a sorted run to disk.
WRITER_LIMIT_MB = 128
# Segments stay separate files, not one compound file: Whoosh copies every part of a compound
# file into memory each time a reader opens it (~60 ms per search on 16k articles); separate
# files are read in place.
COMPOUND_SEGMENTS = False


def worker_count() -> int:
    """Processes that clean, extract and index at once: one per usable core."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


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


@dataclass(frozen=True)
class FileJob:
    """A file to (re)index, with the content hash of its indexed version if any."""

    path: Path
    key: str
    known_hash: str | None


@dataclass(frozen=True)
class FileOutcome:
    """What indexing one file did: "added", "updated", "touched" (same content, new
    modification time) or "failed" (with a reason)."""

    path: Path
    key: str
    status: str
    reason: str = ""
    version: str = ""


def document_id(path: Path) -> str:
    """A stable id for an article file: a short hash of its absolute path."""
    return key_id(index_key(path))


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
    from searchidx.parallel import commit_with_segments, index_in_workers

    started = time.monotonic()
    roots = [Path(p) for p in paths]
    if roots and not any(root.exists() for root in roots):
        names = ", ".join(str(root) for root in roots)
        raise ArticlesNotFound(f"no such file or folder: {names}; the index was not changed")
    with directory.writing(), directory.write_lock(timeout=lock_timeout):
        directory.discard_unpublished()
        fresh = rebuild or not directory.exists()
        whoosh_index = directory.new_generation() if fresh else directory.open()
        with directory.reading():
            known = {} if fresh else _indexed_files(whoosh_index)
        tally = _Tally()
        advance = _Progress(progress)
        pending, found = _files_to_index(roots, known, tally, advance)
        quote_index = open_quotes(whoosh_index)
        in_step = fresh or directory.read_meta(Path(whoosh_index.storage.folder)).get(
            "quotes_in_step"
        ) == [whoosh_index.latest_generation(), quote_index.latest_generation()]
        writer = whoosh_index.writer(limitmb=WRITER_LIMIT_MB, compound=COMPOUND_SEGMENTS)
        quote_writer = quote_index.writer(limitmb=64, compound=COMPOUND_SEGMENTS)
        try:
            if len(pending) >= PARALLEL_MIN_FILES and worker_count() > 1:
                segments, outcomes = index_in_workers(whoosh_index, pending, advance)
            else:
                segments, outcomes = ([], []), _index_here(writer, quote_writer, pending, advance)
            for outcome in outcomes:
                _count(outcome, tally, writer, quote_writer)
            replaced = [
                article_version(o.key, known[o.key].content_hash)
                for o in outcomes
                if o.status == "updated"
            ]
            read = found - {o.key for o in outcomes if o.status == "failed"}
            for key in _removed_paths(known, roots, read):
                writer.delete_by_term("path", key)
                tally.removed += 1
                replaced.append(article_version(key, known[key].content_hash))
            if outcomes or replaced or fresh:
                # Quotes first: they stay invisible until their article version is committed.
                commit_with_segments(quote_writer, segments[1], optimize=fresh)
                commit_with_segments(writer, segments[0], optimize=fresh)
            else:  # nothing changed: no new commit, so open readers stay current
                _abandon(quote_writer)
                _abandon(writer)
        except BaseException:
            _abandon(quote_writer)
            _abandon(writer)
            raise
        # After a completed build only the versions this build replaced can be stale; after an
        # interrupted one, any: then every version is checked (~2 s per 10k articles).
        sweep_stale_quotes(whoosh_index, quote_index, None if not in_step else replaced)
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


def index_file(writer, quote_writer, job: FileJob, prepare) -> FileOutcome:  # type: ignore[no-untyped-def]
    """Read, clean, extract and add one new or changed file to `writer` and its quotes to
    `quote_writer`. The caller deletes what the outcome replaces (see `_count`)."""
    try:
        document = read_source(job.path)
    except LoadError as error:
        return FileOutcome(job.path, job.key, "failed", error.reason)
    digest = content_hash(document.text)
    try:
        article = prepare(document)
    except RecursionError:
        return FileOutcome(job.path, job.key, "failed", "page too deeply nested to parse")
    version = article_version(job.key, digest)
    for fields in quote_documents(article, job.key, version):
        quote_writer.add_document(**fields)
    writer.add_document(**article_fields(article, document, job.key, digest))
    if job.known_hash is None:
        status = "added"
    else:
        # Touched but not changed: indexed again only to record the new modification time.
        status = "updated" if job.known_hash != digest else "touched"
    return FileOutcome(job.path, job.key, status, version=version)


def _index_here(
    writer, quote_writer, jobs: list[FileJob], progress: _Progress
) -> list[FileOutcome]:  # type: ignore[no-untyped-def]
    """Index a few files in this process (starting workers would cost more)."""
    from searchidx.pipeline import prepare

    outcomes = []
    for job in jobs:
        outcomes.append(index_file(writer, quote_writer, job, prepare))
        progress.advance(1, job.path)
    return outcomes


class _Progress:
    """Reports files done, out of all files found, to a `ProgressCallback`."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self.callback, self.done, self.total = callback, 0, 0

    def advance(self, files: int, path: Path) -> None:
        """`files` more are done, the last of them `path`."""
        self.done += files
        if self.callback:
            self.callback(self.done, self.total, path)


def _count(outcome: FileOutcome, tally: _Tally, writer, quote_writer) -> None:  # type: ignore[no-untyped-def]
    """Add an outcome to the tally and delete the versions it replaces: the article's previous
    version, and quotes of this very version left by an interrupted build."""
    if outcome.status == "failed":
        tally.failures.append(LoadFailure(outcome.path, outcome.reason))
        return
    quote_writer.delete_by_term("article_version", outcome.version)
    if outcome.status != "added":
        writer.delete_by_term("path", outcome.key)
    if outcome.status == "touched":
        tally.skipped += 1
    else:
        setattr(tally, outcome.status, getattr(tally, outcome.status) + 1)


def _files_to_index(
    roots: list[Path], known: dict[str, FileState], tally: _Tally, progress: _Progress
) -> tuple[list[FileJob], set[str]]:
    """The files under `roots` that are new or whose size or modification time changed, and
    the keys of all files found; the others are counted as skipped (and done) unopened."""
    files = []
    for item in find_article_files(roots):
        if isinstance(item, LoadError):
            tally.failures.append(LoadFailure(item.path, item.reason))
        else:
            files.append(item)
    progress.total = len(files)
    jobs: dict[str, FileJob] = {}
    found: set[str] = set()
    real_folders: dict[str, str] = {}
    for path in files:
        key, status = _key_and_status(path, real_folders)
        found.add(key)
        state = known.get(key)
        if state and key not in jobs and _same_size_and_time(status, state):
            tally.skipped += 1
            progress.advance(1, path)
        elif key in jobs:
            progress.advance(1, path)  # the same file reached twice (overlapping paths)
        else:
            jobs[key] = FileJob(path, key, state.content_hash if state else None)
    return list(jobs.values()), found


def _key_and_status(path: Path, real_folders: dict[str, str]) -> tuple[str, os.stat_result | None]:
    """`index_key(path)` and the file's status (None if it cannot be read), in one system call
    for a plain file: the walk does not follow folder links, so only the file itself can be a
    link, and its folder's real path is resolved once per folder. (Resolving every path took
    half of a no-op build of 100k files.)"""
    name = os.fspath(path)
    try:
        status = os.lstat(name)
    except OSError:
        return index_key(path), None
    if stat.S_ISLNK(status.st_mode):
        key = index_key(path)
        try:
            return key, os.stat(key)
        except OSError:
            return key, None
    folder, base = os.path.split(name)
    real = real_folders.get(folder)
    if real is None:
        real = real_folders[folder] = os.path.realpath(folder)
    return os.path.join(real, base), status


def _same_size_and_time(status: os.stat_result | None, known: FileState) -> bool:
    if status is None:
        return False  # gone or unreadable: `read_source` says why
    return known.size == status.st_size and known.mtime_ns == status.st_mtime_ns


def article_fields(article: Article, document: SourceDocument, key: str, digest: str) -> dict:
    """The Whoosh fields of one article (see `searchidx.schema`)."""
    published = _published(article)
    fields = {
        "id": key_id(key),
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
        "file_state": FileState(document.size, document.mtime_ns, digest).to_bytes(key),
    }
    if published:
        fields["published"] = published
    if article.source:
        fields["source_facet"] = article.source
    return fields


def quote_documents(article: Article, key: str, version: str) -> list[dict]:
    """The Whoosh fields of each quote of an article (see `build_quote_schema`)."""
    article_id = key_id(key)
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


def sweep_stale_quotes(whoosh_index, quote_index, stale: list[str] | None = None) -> int:  # type: ignore[no-untyped-def]
    """Delete the quotes of article versions no longer in the index (replaced or removed files,
    or left by an interrupted build): those of the `stale` versions, or when None of every
    version no longer live. Returns how many quotes were deleted."""
    if stale is None:
        with whoosh_index.reader() as articles, quote_index.reader() as quotes:
            stale = stale_quote_versions(articles, quotes)
    if not stale:
        return 0
    writer = quote_index.writer(compound=COMPOUND_SEGMENTS)
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


def _indexed_files(whoosh_index) -> dict[str, FileState]:  # type: ignore[no-untyped-def]
    """path -> size, modification time and content hash of every indexed file.

    Read from the `file_state` column, not the stored fields: unpickling every article's stored
    body to learn its size made a no-op build of 100k files take minutes."""
    with whoosh_index.searcher() as searcher:
        return dict(indexed_file_states(searcher.reader()))


def _removed_paths(known: dict[str, FileState], roots: list[Path], present: set[str]) -> list[str]:
    """Indexed files under the roots being built that are no longer on disk: those the walk
    did not find, and those that vanished while this build was reading them (their keys are
    not in `present`: only files found and read, or found unchanged, are). Not those under a
    root that is itself missing: a folder renamed or a drive not mounted is reported as a
    failure, and emptying the index of its articles would lose them until it is back."""
    prefixes = [index_key(root) for root in roots if root.exists()]
    removed = []
    for key in known:
        if key in present:
            continue
        under_root = any(key == p or key.startswith(p.rstrip("/") + "/") for p in prefixes)
        if under_root and not os.path.exists(key):
            removed.append(key)
    return removed


def _build_meta(directory: IndexDirectory, generation: Path, documents: int) -> dict:
    meta = directory.read_meta(generation)
    meta["last_build"] = datetime.now(UTC).isoformat(timespec="seconds")
    meta["documents"] = documents
    return meta
