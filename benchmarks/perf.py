"""Issue 7: how fast searchidx builds and searches 10k-500k news articles, side by side with plain
Whoosh and SQLite FTS5 measured in the same run.

    python benchmarks/perf.py --articles 10000 --articles 100000     # the table in README
    python benchmarks/perf.py --scale 32                             # ~500k articles
    python benchmarks/perf.py --articles 300 --queries 20            # smoke run (the test suite)

The corpus is the dev splits of ../shared/data/bbc-news and ../shared/data/reuters21578
(15,871 articles) written as one .txt file per article; larger sizes repeat it under distinct
paths (so distinct ids). Everything is written under --work (default: a temporary folder),
never in the repository. Prints a Markdown table and, with --json, the raw figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
BBC = DATA / "bbc-news" / "bbc_dev.jsonl"
REUTERS = DATA / "reuters21578" / "reuters21578_dev.jsonl.gz"
SEED = 7
ADDED_ARTICLES = 10


@dataclass(frozen=True)
class SourceArticle:
    """One article of the data sets, before it is written out as a file."""

    name: str
    title: str
    body: str


@dataclass
class Figures:
    """Everything measured for one corpus size."""

    articles: int
    build_seconds: float = 0.0
    build_rate: float = 0.0
    build_peak_rss_mb: float = 0.0
    whoosh_seconds: float = 0.0
    whoosh_rate: float = 0.0
    whoosh_peak_rss_mb: float = 0.0
    fts5_seconds: float = 0.0
    fts5_rate: float = 0.0
    noop_seconds: float = 0.0
    add_seconds: float = 0.0
    add_segments_before: int = 0
    add_segments_after: int = 0
    query_p50_ms: float = 0.0
    query_p95_ms: float = 0.0
    whoosh_query_p50_ms: float = 0.0
    whoosh_query_p95_ms: float = 0.0
    fts5_query_p50_ms: float = 0.0
    fts5_query_p95_ms: float = 0.0
    shell_median_ms: float = 0.0
    index_mb: float = 0.0
    whoosh_index_mb: float = 0.0
    fts5_index_mb: float = 0.0
    queries: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def build_ratio(self) -> float:
        """searchidx build throughput over plain single-writer Whoosh's."""
        return self.build_rate / self.whoosh_rate if self.whoosh_rate else 0.0

    @property
    def size_ratio(self) -> float:
        """searchidx index size over plain Whoosh's."""
        return self.index_mb / self.whoosh_index_mb if self.whoosh_index_mb else 0.0


# --- corpus ----------------------------------------------------------------------------------


def load_articles() -> list[SourceArticle]:
    """The dev splits of BBC News and Reuters-21578, in a fixed order."""
    articles = []
    with BBC.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            articles.append(SourceArticle(f"bbc/{record['id']}", record["title"], record["text"]))
    with gzip.open(REUTERS, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            body = record.get("body") or ""
            if record.get("dateline") and body:
                body = f"{record['dateline'].strip()} - {body}"
            newid = int(record["newid"])
            name = f"reuters/{newid // 1000:02d}/{newid}"
            articles.append(SourceArticle(name, (record.get("title") or "").strip(), body))
    return articles


def write_corpus(articles: list[SourceArticle], folder: Path, count: int) -> list[Path]:
    """Write `count` article files under `folder`, repeating the data sets under copy-NN/
    folders as often as needed; returns the paths written."""
    paths = []
    for number in range(count):
        copy, article = divmod(number, len(articles))
        source = articles[article]
        path = folder / f"copy-{copy:02d}" / f"{source.name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{source.title}\n\n{source.body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def write_new_articles(articles: list[SourceArticle], folder: Path, count: int) -> None:
    """`count` articles in a folder of their own, as if just saved from the web."""
    for number, source in enumerate(articles[:count]):
        path = folder / "new" / f"{number:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{source.title}\n\n{source.body}\n", encoding="utf-8")


# --- queries ---------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z][a-z]{3,}")
_NAME = re.compile(r"\b[A-Z][a-z]{3,}\b")


def make_queries(articles: list[SourceArticle], total: int = 300) -> list[str]:
    """A fixed mix of queries drawn from the corpus with a fixed seed: single words, pairs,
    two-word phrases and field queries (title:, person:, organization:), in proportions
    100 : 80 : 70 : 50 of 300."""
    rng = random.Random(SEED)
    sample = rng.sample(articles, 2000)
    words = [w.lower() for a in sample for w in _WORD.findall(a.title)]
    words = [w for w in words if w not in _STOP]
    singles = [rng.choice(words) for _ in range(total * 100 // 300)]
    pairs = [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(total * 80 // 300)]
    phrases = []
    while len(phrases) < total * 70 // 300:
        tokens = rng.choice(sample).body.split()
        if len(tokens) > 10:
            start = rng.randrange(len(tokens) - 2)
            pair = [re.sub(r"\W", "", t).lower() for t in tokens[start : start + 2]]
            if all(len(t) > 2 for t in pair):
                phrases.append(f'"{pair[0]} {pair[1]}"')
    names = [n for a in sample for n in _NAME.findall(a.body)]
    fielded = []
    while len(phrases) + len(singles) + len(pairs) + len(fielded) < total:
        kind = len(fielded) % 3
        if kind == 0:
            fielded.append(f"title:{rng.choice(words)}")
        elif kind == 1:
            fielded.append(f"person:{rng.choice(names)}")
        else:
            fielded.append(f"organization:{rng.choice(names)}")
    queries = singles + pairs + phrases + fielded
    rng.shuffle(queries)
    return queries[:total]


_STOP = frozenset(
    ["with", "from", "that", "this", "have", "will", "were", "been", "they", "their", "said"]
)


# --- running and measuring -------------------------------------------------------------------


def searchidx_command(*args: str) -> list[str]:
    """The `searchidx` console script of this environment, with arguments."""
    script = Path(sys.executable).with_name("searchidx")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "from searchidx.cli import main; main()", *args]


def run_measured(command: list[str]) -> tuple[float, float, str]:
    """Run a command; return (seconds, peak RSS in MB of it and its children together, stdout).

    RSS is sampled from /proc every 50 ms, summed over the process tree (a build's worker
    processes count too)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    finished = threading.Event()

    def sample() -> None:
        while not finished.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(process.pid))
            finished.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    finished.set()
    sampler.join()
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{err}")
    return seconds, peak[0] / 1024, out


def _tree_rss_kb(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def folder_mb(folder: Path) -> float:
    """Bytes of all files under a folder, in MB."""
    if folder.is_file():
        return folder.stat().st_size / 1e6
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


# --- the three engines -----------------------------------------------------------------------


def plain_whoosh_build(corpus: Path, index: Path) -> None:
    """Plain Whoosh, one writer: title and stemmed body, both stored, as a reference."""
    from whoosh import index as whoosh_index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(
        path=ID(stored=True, unique=True),
        title=TEXT(stored=True),
        body=TEXT(analyzer=StemmingAnalyzer(), stored=True),
    )
    index.mkdir(parents=True)
    writer = whoosh_index.create_in(str(index), schema).writer(limitmb=128)
    for path in sorted(corpus.rglob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        writer.add_document(path=str(path), title=title, body=body.strip())
    writer.commit()


def plain_whoosh_queries(index: Path, queries: list[str]) -> list[float]:
    """Milliseconds per query for plain Whoosh: top 10 with 3 highlighted fragments each."""
    from whoosh import highlight
    from whoosh import index as whoosh_index
    from whoosh.qparser import MultifieldParser, OrGroup

    ix = whoosh_index.open_dir(str(index))
    parser = MultifieldParser(["title", "body"], ix.schema, group=OrGroup)
    times = []
    with ix.searcher() as searcher:
        for text in queries:
            started = time.perf_counter()
            results = searcher.search(parser.parse(text), limit=10, terms=True)
            results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=90)
            for hit in results:
                hit.highlights("body", top=3)
            times.append((time.perf_counter() - started) * 1000)
    return times


def fts5_build(corpus: Path, database: Path) -> None:
    """SQLite FTS5 with the Porter stemmer, title and body stored."""
    connection = sqlite3.connect(database)
    connection.execute(
        "CREATE VIRTUAL TABLE articles USING fts5(path UNINDEXED, title, body, "
        "tokenize='porter unicode61')"
    )
    with connection:
        for path in sorted(corpus.rglob("*.txt")):
            title, _, body = path.read_text(encoding="utf-8").partition("\n")
            connection.execute(
                "INSERT INTO articles VALUES (?, ?, ?)", (str(path), title, body.strip())
            )
    connection.close()


def fts5_queries(database: Path, queries: list[str]) -> list[float]:
    """Milliseconds per query for FTS5: top 10 by bm25, with 3 snippets each."""
    connection = sqlite3.connect(database)
    times = []
    for text in queries:
        words = re.findall(r"\w+", text.split(":", 1)[-1])
        if not words:
            continue
        match = " OR ".join(f'"{w}"' for w in words)
        if text.startswith('"'):
            match = '"' + " ".join(words) + '"'
        started = time.perf_counter()
        rows = connection.execute(
            "SELECT path, snippet(articles, 2, '[[', ']]', '…', 20) FROM articles "
            "WHERE articles MATCH ? ORDER BY rank LIMIT 10",
            (match,),
        ).fetchall()
        for path, _ in rows:
            for _ in range(2):  # two more snippets, as searchidx and Whoosh cut three
                connection.execute(
                    "SELECT snippet(articles, 2, '[[', ']]', '…', 20) FROM articles "
                    "WHERE articles MATCH ? AND path = ?",
                    (match, path),
                ).fetchone()
        times.append((time.perf_counter() - started) * 1000)
    connection.close()
    return times


def searchidx_queries(index: Path, queries: list[str]) -> list[float]:
    """Milliseconds per query through the Python API: top 10 with 3 snippets each."""
    import searchidx

    engine = searchidx.Index(index)
    engine.search(queries[0])  # warm the imports once, as a long-running program would be
    times = []
    for text in queries:
        started = time.perf_counter()
        for hit in engine.search(text, limit=10):
            assert len(hit.snippets) <= 3
        times.append((time.perf_counter() - started) * 1000)
    return times


def count_segments(index: Path) -> int:
    """Segments in the live generation of a searchidx index."""
    from searchidx.store import IndexDirectory

    return len(IndexDirectory(index).open()._segments())


# --- one size --------------------------------------------------------------------------------


def measure(
    articles: list[SourceArticle],
    count: int,
    work: Path,
    queries: list[str],
    shell_queries: int,
) -> Figures:
    """Build, rebuild, grow and query a corpus of `count` articles with all three engines."""
    figures = Figures(articles=count, queries=len(queries))
    corpus, index = work / "corpus", work / "index"
    write_corpus(articles, corpus, count)
    warm_page_cache(corpus)

    seconds, rss, out = run_measured(
        searchidx_command("build", str(corpus), "--index", str(index), "--json")
    )
    report = json.loads(out)
    figures.build_seconds, figures.build_peak_rss_mb = seconds, rss
    figures.build_rate = report["documents"] / seconds
    if report["failed"]:
        figures.notes.append(f"{report['failed']} files not indexed (empty Reuters briefs)")

    plain = work / "whoosh"
    seconds, rss, _ = run_measured(
        [sys.executable, __file__, "--plain-whoosh", str(corpus), str(plain)]
    )
    figures.whoosh_seconds, figures.whoosh_peak_rss_mb = seconds, rss
    figures.whoosh_rate = count / seconds

    database = work / "fts5.db"
    started = time.perf_counter()
    fts5_build(corpus, database)
    figures.fts5_seconds = time.perf_counter() - started
    figures.fts5_rate = count / figures.fts5_seconds

    figures.noop_seconds, _, _ = run_measured(
        searchidx_command("build", str(corpus), "--index", str(index), "--json")
    )
    figures.add_segments_before = count_segments(index)
    write_new_articles(articles, corpus, ADDED_ARTICLES)
    figures.add_seconds, _, out = run_measured(
        searchidx_command("build", str(corpus), "--index", str(index), "--json")
    )
    added = json.loads(out)["added"]
    if added != ADDED_ARTICLES:
        figures.notes.append(f"adding {ADDED_ARTICLES} articles indexed {added}")
    figures.add_segments_after = count_segments(index)

    times = searchidx_queries(index, queries)
    figures.query_p50_ms, figures.query_p95_ms = percentile(times, 0.5), percentile(times, 0.95)
    times = plain_whoosh_queries(plain, queries)
    figures.whoosh_query_p50_ms = percentile(times, 0.5)
    figures.whoosh_query_p95_ms = percentile(times, 0.95)
    times = fts5_queries(database, queries)
    figures.fts5_query_p50_ms, figures.fts5_query_p95_ms = (
        percentile(times, 0.5),
        percentile(times, 0.95),
    )

    shell = []
    for text in queries[:shell_queries]:
        seconds, _, _ = run_measured(searchidx_command("search", text, "--index", str(index)))
        shell.append(seconds * 1000)
    figures.shell_median_ms = statistics.median(shell)

    figures.index_mb = folder_mb(index)
    figures.whoosh_index_mb = folder_mb(plain)
    figures.fts5_index_mb = folder_mb(database)
    return figures


def warm_page_cache(corpus: Path) -> None:
    """Read every file once so that all engines start from the same (warm) page cache."""
    for path in corpus.rglob("*.txt"):
        path.read_bytes()


# --- report ----------------------------------------------------------------------------------

ROWS = (
    ("articles", "{articles:,}"),
    ("searchidx build, articles/s", "{build_rate:,.0f}"),
    ("plain Whoosh (one writer), articles/s", "{whoosh_rate:,.0f}"),
    ("SQLite FTS5, articles/s", "{fts5_rate:,.0f}"),
    ("build throughput / plain Whoosh", "{build_ratio:.2f}x"),
    ("build peak RSS (with workers), MB", "{build_peak_rss_mb:,.0f}"),
    ("plain Whoosh peak RSS, MB", "{whoosh_peak_rss_mb:,.0f}"),
    ("no-op rebuild, s", "{noop_seconds:.2f}"),
    (f"add {ADDED_ARTICLES} articles, s", "{add_seconds:.2f}"),
    ("segments before / after adding", "{add_segments_before} / {add_segments_after}"),
    ("query p50 / p95 ms (top 10, 3 snippets)", "{query_p50_ms:.1f} / {query_p95_ms:.1f}"),
    ("plain Whoosh query p50 / p95 ms", "{whoosh_query_p50_ms:.1f} / {whoosh_query_p95_ms:.1f}"),
    ("FTS5 query p50 / p95 ms", "{fts5_query_p50_ms:.1f} / {fts5_query_p95_ms:.1f}"),
    ("`searchidx search` whole process, median ms", "{shell_median_ms:.0f}"),
    ("index MB (searchidx / plain Whoosh / FTS5)", "{index_mb:.0f} / {whoosh_index_mb:.0f} / "),
    ("index size / plain Whoosh", "{size_ratio:.2f}x"),
)


def markdown_table(results: list[Figures]) -> str:
    """One column per corpus size, one row per figure."""
    lines = ["| figure | " + " | ".join(f"{f.articles:,}" for f in results) + " |"]
    lines.append("|---" * (len(results) + 1) + "|")
    for label, template in ROWS[1:]:
        cells = []
        for figures in results:
            values = {**asdict(figures), "build_ratio": figures.build_ratio}
            values["size_ratio"] = figures.size_ratio
            cell = template.format(**values)
            if label.startswith("index MB"):
                cell += f"{figures.fts5_index_mb:.0f}"
            cells.append(cell)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    """Parse arguments, measure each size, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, action="append", help="corpus size (repeatable)")
    parser.add_argument("--scale", type=int, help="one corpus of the data sets repeated K times")
    parser.add_argument("--queries", type=int, default=300, help="in-process queries")
    parser.add_argument("--shell-queries", type=int, default=15, help="`searchidx search` runs")
    parser.add_argument("--work", type=Path, help="folder for corpora and indexes (kept)")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument("--plain-whoosh", nargs=2, type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.plain_whoosh:
        plain_whoosh_build(*options.plain_whoosh)
        return
    if not BBC.exists() or not REUTERS.exists():
        sys.exit(f"data sets not found under {DATA}")
    articles = load_articles()
    sizes = list(options.articles or [])
    if options.scale:
        sizes.append(len(articles) * options.scale)
    sizes = sizes or [10_000]
    queries = make_queries(articles, options.queries)
    results = []
    for count in sizes:
        work = options.work / str(count) if options.work else Path(tempfile.mkdtemp())
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        try:
            figures = measure(articles, count, work, queries, options.shell_queries)
        finally:
            if not options.work:
                shutil.rmtree(work, ignore_errors=True)
        results.append(figures)
        print(f"{count:,} articles measured", file=sys.stderr, flush=True)
    print(markdown_table(results))
    for figures in results:
        for note in figures.notes:
            print(f"- {figures.articles:,}: {note}")
    if options.json:
        options.json.write_text(json.dumps([asdict(f) for f in results], indent=2))


if __name__ == "__main__":
    main()
