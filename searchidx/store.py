"""Where an index lives on disk, and how it is opened, locked and swapped.

Layout of an index folder::

    index/
      CURRENT          name of the live generation, replaced atomically
      gen-000003/      a complete Whoosh index (plus searchidx.json: schema version, last build)
        quotes/        the quotes of those articles, a second Whoosh index (see schema.py)
      write.lock       held (flock) by the one process allowed to write

Incremental builds write into the live generation and make their changes live in one Whoosh
commit of the article index (see `searchidx.index` for the quotes): new segment files first,
then a new table of contents renamed into place, so readers and a build killed at any point
see the old or the new state. Whoosh never calls fsync; `DurableStorage` adds it, so the
same holds after a power cut. A full rebuild writes a new generation beside the live one and
only then points CURRENT at it, so an interrupted rebuild leaves the previous index searchable.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import struct
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex

from searchidx.errors import IndexBusy, IndexNotFound, IndexUnreadable, IndexUnwritable
from searchidx.schema import SCHEMA_VERSION

CURRENT_FILE = "CURRENT"
LOCK_FILE = "write.lock"
META_FILE = "searchidx.json"
QUOTES_FOLDER = "quotes"
GENERATION_PREFIX = "gen-"
INDEX_ENV_VAR = "SEARCHIDX_INDEX"
DEFAULT_INDEX = Path("index")
REBUILD_HINT = "run `searchidx build --rebuild` to rebuild it from the article files"
# Opens of an index retried while builds keep committing to it (see `open_whoosh`).
OPEN_ATTEMPTS = 5
# What searchidx itself puts in an index folder; anything else there means it is not ours.
_OWN_NAMES = (CURRENT_FILE, CURRENT_FILE + ".tmp", LOCK_FILE)
# Whoosh reports damaged files with whatever its decoder hit first.
WHOOSH_READ_ERRORS = (EOFError, OSError, ValueError, IndexError, KeyError, struct.error, zlib.error)


def is_whoosh_damage(error: Exception) -> bool:
    """True for the errors Whoosh raises on a damaged file, including its bare
    `Exception("Block tag error ...")`; searchidx itself never raises a bare Exception, and
    queries Whoosh would fail on are refused before searching (`search.searchable_terms`)."""
    return isinstance(error, WHOOSH_READ_ERRORS) or type(error) is Exception


def default_index_path() -> Path:
    """`$SEARCHIDX_INDEX` if set, else ./index."""
    return Path(os.environ.get(INDEX_ENV_VAR) or DEFAULT_INDEX)


class IndexDirectory:
    """An index folder: its live generation, its lock and its metadata."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"IndexDirectory({str(self.root)!r})"

    # --- reading ---------------------------------------------------------------------------

    def current_generation(self) -> Path | None:
        """The folder of the live generation, or None when no index was ever completed."""
        try:
            name = (self.root / CURRENT_FILE).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise IndexUnreadable(f"cannot read index at {self.root}: {error.strerror}") from None
        if not name.startswith(GENERATION_PREFIX) or "/" in name:
            raise IndexUnreadable(f"{self.root} is not a searchidx index; {REBUILD_HINT}")
        return self.root / name

    def exists(self) -> bool:
        """True when something is at the index path: a completed index, or a folder that is
        not one (`open` then says so)."""
        try:
            return self.current_generation() is not None or self.is_foreign()
        except IndexUnreadable:
            return True

    def is_foreign(self) -> bool:
        """True for a folder holding files searchidx did not write and no index: a build must
        not quietly add an index to someone's documents folder. Hidden files (the .gitignore
        that keeps an empty index/ folder in a repository) do not count."""
        if not self.root.is_dir() or (self.root / CURRENT_FILE).exists():
            return False
        return any(
            p.name not in _OWN_NAMES and not p.name.startswith((GENERATION_PREFIX, "."))
            for p in self.root.iterdir()
        )

    def open(self):  # type: ignore[no-untyped-def]
        """Open the live Whoosh index for reading, or raise an error that says what to run.

        A rebuild may swap generations and delete the older one while this runs; then the
        new live generation is opened instead.
        """
        generation = self.current_generation()
        if generation is None:
            if self.is_foreign():
                raise IndexUnreadable(f"{self.root} is not a searchidx index; {REBUILD_HINT}")
            raise IndexNotFound(
                f"no index at {self.root}; run `searchidx build PATH --index {self.root}` first"
            )
        while True:
            try:
                return self._open_generation(generation)
            except IndexUnreadable:
                newer = self.current_generation()
                if newer is None or newer == generation:
                    raise
                generation = newer

    def _open_generation(self, generation: Path):  # type: ignore[no-untyped-def]
        meta = self.read_meta(generation)
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise IndexUnreadable(
                f"the index at {self.root} was built by another version of searchidx; "
                f"{REBUILD_HINT}"
            )
        return open_whoosh(generation)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Turn Whoosh's errors on damaged files met while searching into one clear error."""
        try:
            yield
        except Exception as error:
            if not is_whoosh_damage(error):
                raise
            raise self._damaged(error) from None

    @contextmanager
    def writing(self) -> Iterator[None]:
        """For a build: a full disk or a folder it may not write to is said so in one line
        (that is not damage, and a rebuild would not help); Whoosh's errors on damaged
        segments it merges are the rebuild advice, as in `reading`."""
        try:
            yield
        except OSError as error:
            raise IndexUnwritable(
                f"cannot write the index at {self.root}: {error.strerror or error}"
            ) from None
        except Exception as error:
            if not is_whoosh_damage(error):
                raise
            raise self._damaged(error) from None

    def _damaged(self, error: Exception) -> IndexUnreadable:
        return IndexUnreadable(
            f"the index at {self.root} is damaged ({type(error).__name__}); {REBUILD_HINT}"
        )

    def read_meta(self, generation: Path | None = None) -> dict:
        """The searchidx.json of a generation (schema version, last build)."""
        generation = generation or self.current_generation()
        if generation is None:
            return {}
        try:
            return json.loads((generation / META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise IndexUnreadable(f"the index at {self.root} is damaged; {REBUILD_HINT}") from None

    # --- writing ---------------------------------------------------------------------------

    @contextmanager
    def write_lock(self, timeout: float = 60.0) -> Iterator[None]:
        """Hold the index's write lock, waiting up to `timeout` seconds for another writer.

        An OS file lock: it is released when the holder exits, even when killed, so a lock
        left by a crashed build never needs clearing by hand.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / LOCK_FILE).open("a") as handle:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexBusy(
                            f"another searchidx build is writing to {self.root}; "
                            f"waited {timeout:.0f} s. Try again when it has finished."
                        ) from None
                    time.sleep(0.1)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def new_generation(self):  # type: ignore[no-untyped-def]
        """Create an empty Whoosh index, and its quote index, in a fresh generation folder (not
        yet live)."""
        from searchidx.schema import build_quote_schema, build_schema

        numbers = [int(p.name[len(GENERATION_PREFIX) :]) for p in self._generations()]
        generation = self.root / f"{GENERATION_PREFIX}{max(numbers, default=0) + 1:06d}"
        generation.mkdir(parents=True)
        self.write_meta(generation, {"schema_version": SCHEMA_VERSION})
        (generation / QUOTES_FOLDER).mkdir()
        DurableStorage(str(generation / QUOTES_FOLDER)).create_index(build_quote_schema())
        return DurableStorage(str(generation)).create_index(build_schema())

    def write_meta(self, generation: Path, meta: dict) -> None:
        """Replace a generation's searchidx.json atomically."""
        _atomic_write(generation / META_FILE, json.dumps(meta, indent=2))

    def publish(self, generation: Path) -> None:
        """Make `generation` the live index, then delete older ones except the one just
        replaced (a search that opened it a moment ago may still be reading its files)."""
        try:
            previous = self.current_generation()
        except IndexUnreadable:  # a rebuild replacing a damaged CURRENT
            previous = None
        _atomic_write(self.root / CURRENT_FILE, generation.name + "\n")
        for old in self._generations():
            if old not in (generation, previous):
                shutil.rmtree(old, ignore_errors=True)

    def discard_unpublished(self) -> None:
        """Delete generation folders left by interrupted rebuilds (none while CURRENT is
        unreadable: which generation is live is then unknown, and a rebuild replaces them)."""
        try:
            live = self.current_generation()
        except IndexUnreadable:
            return
        newest_live = int(live.name[len(GENERATION_PREFIX) :]) if live else 0
        for old in self._generations():
            if int(old.name[len(GENERATION_PREFIX) :]) > newest_live:
                shutil.rmtree(old, ignore_errors=True)

    def _generations(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(
            p
            for p in self.root.iterdir()
            if p.is_dir()
            and p.name.startswith(GENERATION_PREFIX)
            and p.name[len(GENERATION_PREFIX) :].isdigit()
        )


class InliningPostingsWriter(W3PostingsWriter):
    """Whoosh's postings writer, keeping the postings of a term found in one document inside
    the term's entry. Whoosh means to (its `inlinelimit`) but the branch calls a method its
    term info lacks (`set_inline`, not `set_inlined`), so the default limit of 1 never
    inlines; each such term cost a block of its own (~50 bytes and an offset) in the postings
    file. Most terms of a news archive are in one article (every id and path, and
    most names and rare words), so this makes an index ~9% smaller. Whoosh's reader reads
    inlined postings as they are."""

    def finish_postings(self):  # type: ignore[no-untyped-def]
        """The term's info, with its postings inside if they fit under the inline limit."""
        if self.written() or len(self) >= self._inlinelimit:
            return super().finish_postings()
        terminfo = self._terminfo
        terminfo.add_block(self)
        # A posting without a value is read back as None, as from a block: Whoosh's merge
        # refuses the "" its list matcher gives for a missing value.
        values = self._values or [None] * len(self._ids)
        terminfo.set_inlined(self._ids, self._weights, values)
        self._terminfo = None
        return terminfo


class InliningCodec(W3Codec):
    """Whoosh's default codec, inlining the postings of terms found in one document. Whoosh
    pickles the codec into each table of contents: it lives here under a stable name."""

    def __init__(self) -> None:
        super().__init__(inlinelimit=2)

    def postings_writer(self, dbfile, byteids=False):  # type: ignore[no-untyped-def]
        """A postings writer that inlines (see `InliningPostingsWriter`)."""
        return InliningPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class InliningIndex(FileIndex):
    """A Whoosh index whose writers write with `InliningCodec`."""

    def writer(self, procs=1, **kwargs):  # type: ignore[no-untyped-def]
        """A writer, as Whoosh's, with the inlining codec unless told otherwise."""
        kwargs.setdefault("codec", InliningCodec())
        return super().writer(procs=procs, **kwargs)


class DurableStorage(FileStorage):
    """Whoosh's file storage with fsync: every file is on disk before it is closed, and a
    rename (Whoosh's commit point, the new table of contents) before it returns. Without it
    a power cut after a commit can leave a table of contents naming empty segment files.
    Its indexes write with `InliningCodec`."""

    def create_index(self, schema, indexname="MAIN", indexclass=None):  # type: ignore[no-untyped-def]
        """A new index in this folder, written with `InliningCodec`."""
        return super().create_index(schema, indexname, indexclass or InliningIndex)

    def open_index(self, indexname="MAIN", schema=None, indexclass=None):  # type: ignore[no-untyped-def]
        """The index in this folder, written with `InliningCodec`."""
        return super().open_index(indexname, schema, indexclass or InliningIndex)

    def create_file(self, name, excl=False, mode="wb", **kwargs):  # type: ignore[no-untyped-def]
        """A new file that is flushed and fsynced when Whoosh closes it."""
        handle = super().create_file(name, excl=excl, mode=mode, **kwargs)
        handle.onclose = _sync_then(handle.onclose)
        return handle

    def rename_file(self, oldname, newname, safe=False):  # type: ignore[no-untyped-def]
        """Rename, then fsync the folder so the new name (and every file created in the
        folder so far) survives a crash."""
        super().rename_file(oldname, newname, safe=safe)
        _sync_folder(Path(self.folder))


def _sync_then(onclose):  # type: ignore[no-untyped-def]
    def sync_and_close(handle) -> None:  # type: ignore[no-untyped-def]
        handle.file.flush()
        os.fsync(handle.file.fileno())
        if onclose:
            onclose(handle)

    return sync_and_close


class KeptOpenIndex:
    """An open Whoosh index whose reader serves many searches, for a long-running program.

    Whoosh opens every segment's files for each new reader, and reads the offsets of all
    stored documents; reusing one reader makes a search on 100k articles ~10 ms faster. A
    reader is a snapshot of one commit: `is_current` says when to open a new one. Not for use
    by two threads at once (a reader's files are shared)."""

    def __init__(self, whoosh_index) -> None:  # type: ignore[no-untyped-def]
        self.whoosh_index = whoosh_index
        self.schema = whoosh_index.schema
        self.generation = Path(whoosh_index.storage.folder)
        self.commit = whoosh_index.latest_generation()
        self.reader = whoosh_index.reader()

    def is_current(self, live_generation: Path | None) -> bool:
        """True while this is the live generation and nothing was committed to it since."""
        return (
            live_generation == self.generation
            and self.whoosh_index.latest_generation() == self.commit
        )

    def searcher(self, **kwargs):  # type: ignore[no-untyped-def]
        """A searcher over the kept reader; closing it leaves the reader open."""
        from whoosh.searching import Searcher

        return Searcher(self.reader, closereader=False, fromindex=self.whoosh_index, **kwargs)

    def close(self) -> None:
        """Close the kept reader."""
        self.reader.close()


def open_whoosh(generation: Path):  # type: ignore[no-untyped-def]
    """Open a Whoosh index folder and one reader over it, turning the many ways a damaged
    index fails (a missing table of contents, a truncated segment) into one clear error.

    A build's commit writes a new table of contents, then deletes the segments it merged: an
    open that read the old table in between finds a segment gone. That is not damage (the
    table of contents changed meanwhile), so the new commit is opened instead."""
    for _ in range(OPEN_ATTEMPTS):
        before = _tables_of_contents(generation)
        try:
            whoosh_index = DurableStorage(str(generation)).open_index()
            whoosh_index.reader().close()
            return whoosh_index
        except Exception as error:  # Whoosh raises bare Exceptions, EOFError, struct errors...
            damage = error
            if _tables_of_contents(generation) == before:
                break
    raise IndexUnreadable(
        f"the index at {generation.parent} is damaged ({type(damage).__name__}); {REBUILD_HINT}"
    ) from None


def _tables_of_contents(folder: Path) -> list[str]:
    """The names of a Whoosh index folder's table-of-contents files: each commit replaces its
    index's one with the next generation's."""
    try:
        return sorted(name for name in os.listdir(folder) if name.endswith(".toc"))
    except OSError:
        return []


def open_quotes(whoosh_index):  # type: ignore[no-untyped-def]
    """The quote index of the same generation as an open article index."""
    return open_whoosh(Path(whoosh_index.storage.folder) / QUOTES_FOLDER)


@dataclass(frozen=True)
class FileState:
    """What the index remembers of an article file, to tell whether it changed."""

    size: int
    mtime_ns: int
    content_hash: str

    def to_bytes(self, key: str) -> bytes:
        """The `file_state` column value of the file stored under `key`."""
        return f"{self.size}\0{self.mtime_ns}\0{self.content_hash}\0{key}".encode()

    @staticmethod
    def from_bytes(value: bytes) -> tuple[str, FileState]:
        """(key, state) from a `file_state` column value."""
        size, mtime_ns, digest, key = value.decode().split("\0", 3)
        return key, FileState(int(size), int(mtime_ns), digest)


def key_id(key: str) -> str:
    """`document_id` of the file stored under `key` (no need to resolve the path again)."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def article_version(key: str, digest: str) -> str:
    """Which version of which article a quote belongs to: the article id and content hash."""
    return f"{key_id(key)}:{digest}"


def indexed_file_states(reader) -> Iterator[tuple[str, FileState]]:  # type: ignore[no-untyped-def]
    """(key, state) of every undeleted article of a reader, from its `file_state` column."""
    for leaf, _ in reader.leaf_readers():
        if not leaf.has_column("file_state"):
            continue
        column = leaf.column_reader("file_state", translate=False)
        for docnum, value in enumerate(column):
            if value and not leaf.is_deleted(docnum):
                yield FileState.from_bytes(value)


def stale_quote_versions(article_reader, quote_reader) -> list[str]:  # type: ignore[no-untyped-def]
    """Article versions that still have quotes but are no longer in the article index.

    The live versions come from the articles' `file_state` column (key and content hash), not
    from a term per article, which cost ~3% of the index. A term stays in Whoosh's term list
    after its documents are deleted (until segments merge), so a quote version counts only
    while an undeleted document carries it.
    """
    live = {
        article_version(key, state.content_hash)
        for key, state in indexed_file_states(article_reader)
    }
    return [
        version
        for version in quote_reader.field_terms("article_version")
        if version not in live and _in_use(quote_reader, "article_version", version)
    ]


def _in_use(reader, fieldname: str, term: str) -> bool:  # type: ignore[no-untyped-def]
    """True when an undeleted document has the term (Whoosh's postings skip deleted ones)."""
    return reader.postings(fieldname, term).is_active()


def _atomic_write(path: Path, text: str) -> None:
    """Write a small file so that readers see the old or the new content, never a mix."""
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
