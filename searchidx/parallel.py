"""Stage 4, index, on every core: worker processes read, clean, extract and index files, each
into a Whoosh segment of its own; the one writer then commits those segments together with its
deletions, in one atomic table-of-contents write.

Whoosh's own multi-process writer (`writer(procs=N)`) only spreads the analysis of documents
that the parent has already cleaned and extracted; here the costly part runs in the workers too,
and the parent merely walks the folder and counts. Workers are started with a module-level
function and plain, picklable arguments, so any start method works (fork, forkserver, spawn).
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
import traceback
from multiprocessing.queues import Queue

from searchidx.index import FileJob, FileOutcome, worker_count

# Outcomes are sent to the parent in batches of this many files (for the progress bar).
REPORT_EVERY = 25
# The multiprocessing start method; None is the platform's default (forkserver from 3.14).
START_METHOD: str | None = None


class WorkerFailed(RuntimeError):
    """A worker process raised an error or died; the build is abandoned."""


def index_in_workers(
    whoosh_index, jobs: list[FileJob], progress
) -> tuple[tuple[list, list], list[FileOutcome]]:  # type: ignore[no-untyped-def]
    """Index `jobs` in one worker process per core. Returns the new (not yet committed)
    segments, of the article index and of the quote index, and what happened to each file;
    `progress.advance(files, path)` is called as batches finish."""
    context = multiprocessing.get_context(START_METHOD)
    results: Queue = context.Queue()
    count = max(1, min(worker_count(), len(jobs)))
    workers = [
        context.Process(
            target=_index_share,
            args=(whoosh_index.storage.folder, whoosh_index.indexname, jobs[n::count], results, n),
            name=f"searchidx-index-{n}",
            daemon=True,
        )
        for n in range(count)
    ]
    for worker in workers:
        worker.start()
    segments: tuple[list, list] = ([], [])
    outcomes: list[FileOutcome] = []
    unfinished = set(range(count))
    try:
        while unfinished:
            kind, number, payload = _next_message(results, workers, unfinished)
            if kind == "outcomes":
                outcomes.extend(payload)
                progress.advance(len(payload), payload[-1].path)
            elif kind == "segments":
                unfinished.discard(number)
                for found, segment in zip(segments, payload, strict=True):
                    if segment is not None:
                        found.append(segment)
            else:
                raise WorkerFailed(f"an indexing process failed:\n{payload}")
        for worker in workers:
            worker.join()
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
                worker.join()
        results.close()
    return segments, outcomes


def _next_message(results: Queue, workers: list, unfinished: set[int]) -> tuple:  # type: ignore[type-arg]
    """The next message from a worker; raises `WorkerFailed` if one died without a word."""
    while True:
        try:
            return results.get(timeout=1.0)
        except queue.Empty:
            dead = [n for n in unfinished if workers[n].exitcode is not None]
            if dead:
                try:
                    return results.get(timeout=1.0)  # its last words may still be in the pipe
                except queue.Empty:
                    code = workers[dead[0]].exitcode
                    raise WorkerFailed(f"an indexing process died (exit code {code})") from None


def _index_share(  # type: ignore[type-arg]
    folder: str, indexname: str, jobs: list[FileJob], results: Queue, number: int
) -> None:
    """Worker: index `jobs` into a new segment of the article index in `folder` (and one of
    its quote index) and send back the outcomes, in batches, and the segments. Stops early if
    the parent build died."""
    # Ctrl-C reaches the whole process group: the parent stops the build and terminates the
    # workers, which must not each print a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        from searchidx.index import COMPOUND_SEGMENTS, WRITER_LIMIT_MB, index_file
        from searchidx.pipeline import prepare
        from searchidx.segments import TermSegmentWriter
        from searchidx.store import QUOTES_FOLDER, DurableStorage, InliningCodec

        # No locks: the parent holds the index's write lock for the whole build.
        writer, quote_writer = (
            TermSegmentWriter(
                DurableStorage(place).open_index(indexname),
                _lk=False,
                limitmb=limit,
                compound=COMPOUND_SEGMENTS,
                codec=InliningCodec(),
            )
            for place, limit in ((folder, WRITER_LIMIT_MB), (f"{folder}/{QUOTES_FOLDER}", 64))
        )
        parent = multiprocessing.parent_process()
        batch: list[FileOutcome] = []
        for job in jobs:
            batch.append(index_file(writer, quote_writer, job, prepare))
            if len(batch) == REPORT_EVERY:
                if parent is not None and not parent.is_alive():
                    return
                results.put(("outcomes", number, batch))
                batch = []
        if batch:
            results.put(("outcomes", number, batch))
        results.put(("segments", number, (_finish(writer), _finish(quote_writer))))
    except BaseException:
        results.put(("error", number, traceback.format_exc()))
        raise


def _finish(writer):  # type: ignore[no-untyped-def]
    """Close a worker's writer: its finished segment, or None if it got no documents."""
    if writer._added:
        return writer._finalize_segment()
    writer._close_segment()
    return None


def commit_with_segments(writer, segments: list, optimize: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Commit `writer` (its deletions and documents, small old segments merged as Whoosh's
    `commit()` does, all of them with `optimize`) together with segments written by workers.
    Mirrors `whoosh.multiproc.MpWriter._commit` with `multisegment=True`: whoosh-reloaded is
    frozen, so these writer internals do not move."""
    final = writer._merge_segments(None, optimize, None)
    final.extend(segments)
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(final)
    writer._finish()
