"""Issue 5 soak: builds, incremental updates, deletions, kills and searches all at once for a
bounded time, then a check that the index holds exactly the files on disk, each once.

    python benchmarks/soak.py                          # 3,000 files, 5 minutes (README figures)
    python benchmarks/soak.py --files 200 --seconds 15 # smoke run (the test suite)

The archive is the BBC dev split of ../shared/data/bbc-news (1,485 articles) as one .txt file
each; beyond that, copies under distinct names with a distinct first line. While it runs:

- two builders loop `searchidx build` (every fifth a `--rebuild`) as real processes, so they
  contend for the write lock (`--wait`);
- a mutator adds, edits and deletes files between and during builds;
- a killer SIGKILLs a running build now and then (`--kill-every`);
- searchers (threads, through the API) search in a loop; every search must succeed.

The first build runs before all that starts (a build commits once, at its end: one of thousands
of files killed every ~20 s would never finish). At the end the mutator stops, one last build
runs, and the index must hold exactly the files on disk, each once, each with the content now
on disk. Everything is written under --work (default: a temporary folder). Prints a Markdown
summary and, with --json, the raw figures.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BBC = REPO.parent / "shared" / "data" / "bbc-news" / "bbc_dev.jsonl"
CLI = [sys.executable, "-c", "from searchidx.cli import main; main()"]
QUERIES = [
    "government", "minister said", '"prime minister"', "market shares", "film award",
    "title:election", "broadband OR mobile", "chelsea -arsenal", "econom*", "tax~1",
]  # fmt: skip


@dataclass
class Tally:
    """What happened during the soak, counted by the threads that did it."""

    builds: Counter = field(default_factory=Counter)
    searches: int = 0
    search_errors: list[str] = field(default_factory=list)
    added: int = 0
    edited: int = 0
    deleted: int = 0
    kills: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count_build(self, outcome: str) -> None:
        with self.lock:
            self.builds[outcome] += 1


def write_archive(folder: Path, spare: Path, files: int, pool: int) -> list[Path]:
    """`files` articles in `folder` and `pool` more in `spare` (moved in by the mutator)."""
    records = [json.loads(line) for line in BBC.read_text(encoding="utf-8").splitlines()]
    folder.mkdir(parents=True)
    spare.mkdir(parents=True)
    unused = []
    for number in range(files + pool):
        record = records[number % len(records)]
        copy = number // len(records)
        title = record["title"] + (f" (copy {copy})" if copy else "")
        name = f"{record['id'].replace('/', '_')}_{copy}.txt"
        path = (folder if number < files else spare) / name
        path.write_text(f"{title}\n\n{record['text']}\n", encoding="utf-8")
        if number >= files:
            unused.append(path)
    return unused


def builder(index: Path, folder: Path, stop: threading.Event, tally: Tally, running: list) -> None:
    """Build in a loop, as cron would; every fifth build is a --rebuild."""
    rounds = 0
    while not stop.is_set():
        rounds += 1
        args = [*CLI, "build", str(folder), "--index", str(index), "--wait", "600", "--json"]
        if rounds % 5 == 0:
            args.append("--rebuild")
        process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, process_group=0
        )
        running.append(process)
        _, err = process.communicate()
        running.remove(process)
        if process.returncode == 0:
            tally.count_build("rebuilt" if "--rebuild" in args else "built")
        elif process.returncode == -signal.SIGKILL:
            tally.count_build("killed")
        else:
            tally.count_build(f"failed {process.returncode}: {err.strip()[-200:]}")


def mutator(folder: Path, unused: list[Path], stop: threading.Event, tally: Tally) -> None:
    """Add, edit and delete files at random, a few a second."""
    rng = random.Random(5)
    while not stop.is_set():
        present = sorted(folder.glob("*.txt"))
        choice = rng.random()
        if choice < 0.4 and unused:
            source = unused.pop(rng.randrange(len(unused)))
            source.rename(folder / source.name)
            tally.added += 1
        elif choice < 0.7 and present:
            path = rng.choice(present)
            path.write_text(path.read_text() + f"\nUpdate {rng.randrange(10**6)}.\n")
            tally.edited += 1
        elif present:
            rng.choice(present).unlink()
            tally.deleted += 1
        time.sleep(rng.uniform(0.05, 0.4))


def killer(running: list, stop: threading.Event, every: float, tally: Tally) -> None:
    """SIGKILL a running build (and its workers) every `every` seconds on average."""
    rng = random.Random(9)
    while not stop.wait(rng.expovariate(1 / every)):
        for process in list(running):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):  # it finished just now
                    os.killpg(process.pid, signal.SIGKILL)
                    with tally.lock:
                        tally.kills += 1
                break


def searcher(index: Path, stop: threading.Event, tally: Tally, seed: int) -> None:
    """Search in a loop; any exception is an error (an empty index before the first build is
    not: there is nothing to search yet)."""
    from searchidx.api import Index
    from searchidx.errors import IndexNotFound

    rng = random.Random(seed)
    while not stop.is_set():
        query = rng.choice(QUERIES)
        try:
            Index(index).search(query, limit=10)
        except IndexNotFound:
            time.sleep(0.1)
            continue
        except Exception as error:  # the soak counts every failure, whatever its kind
            where = traceback.extract_tb(error.__traceback__)[-3:]
            frames = " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(where))
            with tally.lock:
                tally.search_errors.append(f"{query!r}: {type(error).__name__}: {error} ({frames})")
        with tally.lock:
            tally.searches += 1


def final_check(index: Path, folder: Path) -> dict:
    """One last build, then compare the index with the folder: each file once, current text."""
    from searchidx.index import FileState, content_hash
    from searchidx.store import IndexDirectory

    last = subprocess.run(
        [*CLI, "build", str(folder), "--index", str(index), "--json"],
        capture_output=True,
        text=True,
    )
    whoosh_index = IndexDirectory(index).open()
    stored = []
    with whoosh_index.searcher() as searcher:
        for reader, _ in searcher.reader().leaf_readers():
            column = reader.column_reader("file_state", translate=False)
            for docnum, value in enumerate(column):
                if not reader.is_deleted(docnum):
                    path, state = FileState.from_bytes(value)
                    stored.append((path, state.content_hash))
    on_disk = {
        str(p.resolve()): content_hash(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt")
    }
    counted = Counter(path for path, _ in stored)
    stale = [path for path, digest in stored if on_disk.get(path) not in (None, digest)]
    return {
        "last_build_exit": last.returncode,
        "files_on_disk": len(on_disk),
        "documents": len(stored),
        "missing": len(set(on_disk) - set(counted)),
        "extra": len(set(counted) - set(on_disk)),
        "duplicated": sum(1 for n in counted.values() if n > 1),
        "stale_content": len(stale),
        "exact": set(counted) == set(on_disk) and len(stored) == len(on_disk) and not stale,
        "fingerprint": hashlib.sha1("".join(sorted(on_disk)).encode()).hexdigest()[:8],
    }


def soak(work: Path, files: int, seconds: float, kill_every: float, searchers: int) -> dict:
    """Run the soak in `work`; returns its figures."""
    folder, index = work / "articles", work / "index"
    unused = write_archive(folder, work / "spare", files, pool=files // 3)
    # The first build runs alone: killed every ~20 s, a build of thousands of files that takes
    # longer would never finish (a build commits once, at its end), and there would be
    # nothing to search.
    first_started = time.monotonic()
    first = subprocess.run(
        [*CLI, "build", str(folder), "--index", str(index)], capture_output=True, text=True
    )
    if first.returncode != 0:
        raise SystemExit(f"the first build failed: {first.stderr.strip()}")
    first_build_seconds = time.monotonic() - first_started
    tally, stop, running = Tally(), threading.Event(), []
    threads = [
        threading.Thread(target=builder, args=(index, folder, stop, tally, running)),
        threading.Thread(target=builder, args=(index, folder, stop, tally, running)),
        threading.Thread(target=mutator, args=(folder, unused, stop, tally)),
        *(
            threading.Thread(target=searcher, args=(index, stop, tally, n))
            for n in range(searchers)
        ),
    ]
    if kill_every > 0:
        threads.append(threading.Thread(target=killer, args=(running, stop, kill_every, tally)))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return {
        "files_at_start": files,
        "first_build_seconds": round(first_build_seconds, 1),
        "seconds": round(time.monotonic() - started, 1),
        "builds": dict(tally.builds),
        "searches": tally.searches,
        "search_errors": tally.search_errors[:10],
        "search_error_count": len(tally.search_errors),
        "kills_sent": tally.kills,
        "files_added": tally.added,
        "files_edited": tally.edited,
        "files_deleted": tally.deleted,
        "final": final_check(index, folder),
    }


def markdown(figures: dict) -> str:
    final = figures["final"]
    builds = ", ".join(f"{n} {what}" for what, n in sorted(figures["builds"].items()))
    return "\n".join(
        [
            f"| soak ({figures['files_at_start']:,} files, {figures['seconds']:.0f} s) | |",
            "|---|---|",
            f"| first build, alone | {figures['first_build_seconds']:.0f} s |",
            f"| builds | {builds} |",
            f"| searches | {figures['searches']:,} ({figures['search_error_count']} errors) |",
            f"| files added / edited / deleted | {figures['files_added']} / "
            f"{figures['files_edited']} / {figures['files_deleted']} |",
            f"| final index | {final['documents']:,} documents for {final['files_on_disk']:,} "
            f"files: {final['missing']} missing, {final['extra']} extra, "
            f"{final['duplicated']} duplicated, {final['stale_content']} stale |",
            f"| exactly the files on disk | {'yes' if final['exact'] else 'NO'} |",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=3000, help="articles at the start")
    parser.add_argument("--seconds", type=float, default=300, help="how long to soak")
    parser.add_argument("--kill-every", type=float, default=20, help="mean seconds between kills")
    parser.add_argument("--searchers", type=int, default=2, help="searching threads")
    parser.add_argument("--work", type=Path, help="folder for the archive and index")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    args = parser.parse_args()
    if not BBC.is_file():
        print(f"{BBC} not found", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="searchidx-soak-") as temporary:
        work = args.work or Path(temporary)
        figures = soak(work, args.files, args.seconds, args.kill_every, args.searchers)
    print(json.dumps(figures, indent=2) if args.json else markdown(figures))
    healthy = figures["final"]["exact"] and not figures["search_error_count"]
    failed_builds = [what for what in figures["builds"] if what.startswith("failed")]
    return 0 if healthy and not failed_builds else 1


if __name__ == "__main__":
    sys.exit(main())
