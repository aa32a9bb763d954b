"""Issue 6: do the quotes `searchidx quotes --speaker` returns belong to that speaker, and does
the quote index slow article search down?

    python benchmarks/quotes_eval.py                   # precision, all 672 PolNeAR dev articles
    python benchmarks/quotes_eval.py --articles 36     # a few dozen (the test suite's size)
    python benchmarks/quotes_eval.py --articles 0 --latency 300 --baseline 2927b83
        # article-search latency on 300 BBC articles: this checkout (or --revision) against a
        # git revision without the quote index, both measured in the same run

Precision: the PolNeAR articles are written as .txt files and indexed; for every speaker
`Index.speakers()` lists, each quote `Index.quotes(speaker=...)` returns is located in the
article text and matched to the hand-annotated attribution whose content covers it most. It is
right when the annotated source names the speaker (their surname, not in a possessive such as
"Trump's campaign"), wrong when the source names someone or something else or when no
annotated attribution covers the quote. A source without a name (a pronoun, "a spokesman")
cannot be checked and is counted apart: PolNeAR annotates the source as written, with no
coreference, so it is left out of the precision rather than guessed. A second, approximate
figure resolves a pronoun source to the latest named source annotated before it (news prose
usually continues with the last named speaker).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
POLNEAR = DATA / "polnear" / "polnear_dev.jsonl.gz"
BBC = DATA / "bbc-news" / "bbc_dev.jsonl"
SEED = 6
# Words that start a source span without naming anyone.
_UNNAMED = {
    "he", "she", "they", "i", "we", "it", "you", "his", "her", "their", "the", "a", "an",
    "this", "that", "these", "those", "some", "many", "one", "both", "each", "all", "most",
}  # fmt: skip
_PRONOUNS = {"he", "she"}


@dataclass
class Precision:
    """How the quotes found for each speaker compare with the gold attributions."""

    articles: int = 0
    speakers: int = 0
    quotes: int = 0
    right: int = 0
    wrong_source: int = 0
    not_an_attribution: int = 0
    unnamed_source: int = 0
    pronoun_right: int = 0
    pronoun_wrong: int = 0
    not_located: int = 0
    other_speaker: int = 0

    @property
    def checked(self) -> int:
        """Quotes whose gold source names someone, or that no attribution covers."""
        return self.right + self.wrong_source + self.not_an_attribution

    @property
    def precision(self) -> float:
        """Right over checked."""
        return self.right / self.checked if self.checked else 0.0

    @property
    def precision_with_pronouns(self) -> float:
        """Right over checked, counting pronoun sources resolved to the last named source."""
        checked = self.checked + self.pronoun_right + self.pronoun_wrong
        return (self.right + self.pronoun_right) / checked if checked else 0.0


def polnear_records(count: int | None) -> list[dict]:
    """PolNeAR dev articles sorted by id; `count` of them evenly spaced (all publishers)."""
    with gzip.open(POLNEAR, "rt", encoding="utf-8") as handle:
        records = sorted((json.loads(line) for line in handle), key=lambda r: r["id"])
    if count is None or count >= len(records):
        return records
    step = len(records) / count
    return [records[int(i * step)] for i in range(count)]


def write_articles(records: list[dict], folder: Path) -> dict[str, dict]:
    """Each record's text as `<id>.txt` (its first line is the headline); path -> record."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for record in records:
        path = folder / f"{record['id']}.txt"
        path.write_text(record["text"], encoding="utf-8")
        written[str(path.resolve())] = record
    return written


def score_speakers(index, records: dict[str, dict]) -> Precision:  # type: ignore[no-untyped-def]
    """Judge every quote the index returns for every speaker it lists."""
    found = Precision(articles=len(records))
    for speaker in index.speakers():
        found.speakers += 1
        for hit in index.quotes(speaker=speaker.name, limit=100_000):
            found.quotes += 1
            if not _names_match(speaker.name, hit.speaker):
                found.other_speaker += 1
                continue
            verdict = judge_quote(_plain(hit.text), hit.speaker, records[hit.path])
            setattr(found, verdict, getattr(found, verdict) + 1)
    return found


def judge_quote(quote: str, speaker: str, record: dict) -> str:
    """One of "right", "wrong_source", "not_an_attribution", "pronoun_right", "pronoun_wrong",
    "unnamed_source", "not_located" for a quote attributed to `speaker` in a PolNeAR article."""
    span = locate(quote, record["text"])
    if span is None:
        return "not_located"
    attribution = covering_attribution(span, record["attributions"])
    if attribution is None:
        return "not_an_attribution"
    source = (attribution.get("source") or {}).get("text", "")
    if names_speaker(source, speaker):
        return "right"
    if has_name(source):
        return "wrong_source"
    if source.lower() in _PRONOUNS:
        named = last_named_source(attribution, record["attributions"])
        if named is not None:
            return "pronoun_right" if names_speaker(named, speaker) else "pronoun_wrong"
    return "unnamed_source"


def last_named_source(attribution: dict, attributions: list[dict]) -> str | None:
    """The latest source with a name annotated before this attribution's source."""
    start = attribution["source"]["spans"][0][0]
    named = [
        (other["source"]["spans"][0][0], other["source"]["text"])
        for other in attributions
        if other.get("source")
        and other["source"]["spans"][0][0] < start
        and has_name(other["source"]["text"])
    ]
    return max(named)[1] if named else None


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Where the quote's words stand in the article text (quote marks and spacing may differ)."""
    words = re.findall(r"\w+", quote)
    if not words:
        return None
    pattern = r"\W+".join(re.escape(w) for w in words)
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None


def covering_attribution(span: tuple[int, int], attributions: list[dict]) -> dict | None:
    """The attribution whose content overlaps the span most, if any does."""
    best, best_overlap = None, 0
    for attribution in attributions:
        overlap = sum(
            max(0, min(end, span[1]) - max(start, span[0]))
            for content in attribution["content"]
            for start, end in content["spans"]
        )
        if overlap > best_overlap:
            best, best_overlap = attribution, overlap
    return best


def names_speaker(source: str, speaker: str) -> bool:
    """The source names the speaker: their surname, not as a possessive ("Trump's aides")."""
    surname = re.escape(speaker.split()[-1])
    return re.search(rf"\b{surname}\b(?!['’]s\b)", source) is not None


def has_name(source: str) -> bool:
    """The source contains a capitalised word that is not a pronoun or determiner."""
    return any(
        word[:1].isupper() and word.lower() not in _UNNAMED
        for word in re.findall(r"[\w'’.-]+", source)
    )


def _names_match(asked: str, found: str) -> bool:
    """`--speaker` matches the words of a name in order: "Donald Trump" also finds "Donald
    Trump Jr."; anything else would be a filter bug."""
    return f" {asked.lower()} " in f" {found.lower()} "


def _plain(text: str) -> str:
    return text.replace("[[", "").replace("]]", "")


def measure_precision(count: int | None, work: Path) -> Precision:
    """Index `count` PolNeAR articles under `work` and score them."""
    from searchidx.api import Index

    records = write_articles(polnear_records(count), work / "polnear")
    index = Index(work / "polnear-index")
    index.build([work / "polnear"])
    return score_speakers(index, records)


def time_quote_searches(index_dir: Path, records: list[dict], count: int) -> dict:  # type: ignore[no-untyped-def]
    """Milliseconds per `Index.quotes` for one- and two-word queries from the headlines (top
    10, highlighted), per `--speaker` listing of a listed speaker, and per `Index.speakers()`."""
    from searchidx.api import Index

    index = Index(index_dir)
    queries = latency_queries(records, count)
    names = [s.name for s in index.speakers()][:count]
    timings: dict[str, list[float]] = {"query": [], "speaker": [], "speakers": []}
    for kind, calls in (
        ("query", [lambda q=q: index.quotes(q) for q in queries]),
        ("speaker", [lambda n=n: index.quotes(speaker=n) for n in names]),
        ("speakers", [index.speakers] * 10),
    ):
        for call in calls:
            started = time.perf_counter()
            call()
            timings[kind].append((time.perf_counter() - started) * 1000)
    return {kind: round(statistics.median(values), 2) for kind, values in timings.items()}


# --- article-search latency ----------------------------------------------------------------


def bbc_articles(count: int) -> list[dict]:
    """The first `count` BBC dev articles that are not exact duplicates."""
    articles = []
    with BBC.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["duplicate_of"] is None:
                articles.append(record)
            if len(articles) == count:
                break
    return articles


def latency_queries(articles: list[dict], count: int) -> list[str]:
    """One- and two-word queries from the articles' headlines, drawn with a fixed seed."""
    chooser = random.Random(SEED)
    words = sorted({w for a in articles for w in re.findall(r"[A-Za-z]{4,}", a["title"])})
    return [" ".join(chooser.sample(words, chooser.choice((1, 2)))) for _ in range(count)]


def time_searches(index_dir: Path, queries: list[str], rounds: int) -> list[float]:
    """Milliseconds per `Index.search` (top 10 with snippets and facets), every query, every
    round, after one warm-up pass."""
    from searchidx.api import Index

    index = Index(index_dir)
    for text in queries:
        index.search(text, limit=10)
    timings = []
    for _ in range(rounds):
        for text in queries:
            started = time.perf_counter()
            index.search(text, limit=10)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def measure_latency(
    articles: int, queries: int, rounds: int, baseline: str, revision: str | None, work: Path
) -> dict:
    """p50/p95 article-search latency of this checkout (or git `revision`) and of `baseline`,
    each building its own index of the same BBC files, alternating rounds in the same run."""
    corpus = bbc_articles(articles)
    folder = work / "bbc"
    folder.mkdir(parents=True, exist_ok=True)
    for record in corpus:
        name = record["id"].replace("/", "_") + ".txt"
        (folder / name).write_text(record["title"] + "\n\n" + record["text"], encoding="utf-8")
    texts = latency_queries(corpus, queries)
    (work / "queries.json").write_text(json.dumps(texts))
    checkouts = {
        "with quotes": _export(revision, work / "revision") if revision else REPO,
        "baseline": _export(baseline, work / "baseline"),
    }
    timings: dict[str, list[float]] = {name: [] for name in checkouts}
    round_p50: dict[str, list[float]] = {name: [] for name in checkouts}
    builds: dict[str, float] = {}
    for name, checkout in checkouts.items():
        builds[name] = _run(checkout, ["build", str(folder), str(work / f"index-{name}")])
    queries_file = str(work / "queries.json")
    for _ in range(rounds):
        for name, checkout in checkouts.items():
            measured = json.loads(
                _run_json(checkout, ["time", str(work / f"index-{name}"), queries_file])
            )
            timings[name] += measured
            round_p50[name].append(statistics.median(measured))
    figures = {
        name: {
            "build_seconds": round(builds[name], 2),
            "p50_ms": round(statistics.median(values), 2),
            "p95_ms": round(statistics.quantiles(values, n=20)[-1], 2),
            "searches": len(values),
        }
        for name, values in timings.items()
    }
    # The machine is shared and noisy: the ratio of the two p50s within each round (the two
    # runs are back to back) is steadier than either figure alone.
    ratios = [a / b for a, b in zip(round_p50["with quotes"], round_p50["baseline"], strict=True)]
    figures["with quotes"]["p50_ratio"] = round(statistics.median(ratios), 3)
    return figures


def _export(revision: str, folder: Path) -> Path:
    """The `searchidx` package of a git revision, unpacked under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / "src.tar"
    subprocess.run(
        ["git", "-C", str(REPO), "archive", "-o", str(archive), revision, "searchidx"], check=True
    )
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder


def _run(checkout: Path, arguments: list[str]) -> float:
    started = time.perf_counter()
    _run_json(checkout, arguments)
    return time.perf_counter() - started


def _run_json(checkout: Path, arguments: list[str]) -> str:
    """Run this script's worker mode with `checkout`'s searchidx first on the import path."""
    environment = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run(
        [sys.executable, __file__, "--worker", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _worker(arguments: list[str]) -> None:
    """`build FOLDER INDEX` or `time INDEX QUERIES_JSON`, in a process of its own."""
    from searchidx.api import Index

    if arguments[0] == "build":
        Index(arguments[2]).build([arguments[1]], rebuild=True)
        print("{}")
    else:
        queries = json.loads(Path(arguments[2]).read_text())
        print(json.dumps(time_searches(Path(arguments[1]), queries, rounds=1)))


def main() -> None:
    """Print the precision table (and the latency table with --latency) as Markdown."""
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _worker(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=None, help="PolNeAR articles (all)")
    parser.add_argument("--latency", type=int, default=0, help="BBC articles for the latency run")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--baseline", default="HEAD", help="git revision to compare against")
    parser.add_argument("--revision", help="git revision to measure instead of this checkout")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        figures: dict = {}
        if options.articles != 0:
            started = time.perf_counter()
            precision = measure_precision(options.articles, work)
            figures["precision"] = {
                **asdict(precision),
                "checked": precision.checked,
                "precision": round(precision.precision, 3),
                "precision_with_pronouns": round(precision.precision_with_pronouns, 3),
                "seconds": round(time.perf_counter() - started, 1),
            }
            print(_precision_table(precision))
            quote_ms = time_quote_searches(
                work / "polnear-index", polnear_records(options.articles), options.queries
            )
            figures["quote_search_ms"] = quote_ms
            print(
                f"\nquote search p50: {quote_ms['query']} ms per query, "
                f"{quote_ms['speaker']} ms per --speaker listing, "
                f"{quote_ms['speakers']} ms per speakers()"
            )
        if options.latency:
            figures["latency"] = measure_latency(
                options.latency,
                options.queries,
                options.rounds,
                options.baseline,
                options.revision,
                work,
            )
            print(_latency_table(figures["latency"], options.latency, options.baseline))
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2))


def _precision_table(found: Precision) -> str:
    rows = [
        ("articles indexed", found.articles),
        ("speakers listed", found.speakers),
        ("quotes returned for them", found.quotes),
        ("right: the gold source names the speaker", found.right),
        ("wrong: the gold source names someone else", found.wrong_source),
        ("wrong: no gold attribution covers the quote", found.not_an_attribution),
        ("pronoun source, the last named source before it is the speaker", found.pronoun_right),
        ("pronoun source, the last named source before it is someone else", found.pronoun_wrong),
        (
            "unchecked: the gold source has no name (description, no earlier name)",
            found.unnamed_source,
        ),
        ("unchecked: quote not found in the article text", found.not_located),
        ("returned for another speaker (a filter bug)", found.other_speaker),
        ("**precision** (right / right + wrong)", f"**{found.precision:.3f}**"),
        ("precision with pronoun sources resolved", f"{found.precision_with_pronouns:.3f}"),
    ]
    return "\n".join(["| PolNeAR dev | |", "|---|---:|", *(f"| {k} | {v} |" for k, v in rows)])


def _latency_table(latency: dict, articles: int, baseline: str) -> str:
    lines = [
        f"| {articles} BBC articles | build s | search p50 ms | search p95 ms | searches "
        "| p50 / baseline p50, median of rounds |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in latency.items():
        label = f"baseline ({baseline})" if name == "baseline" else name
        lines.append(
            f"| {label} | {row['build_seconds']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row['searches']} | {row.get('p50_ratio', 1.0)} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
