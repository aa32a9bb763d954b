"""Ranking quality on the TIME test collection (issue 4), beside a plain BM25 baseline.

Each TIME document is written as an article file, indexed with the same `Index.build` the
`searchidx build` command calls, and every dev query is run through `Index.search` exactly as
`searchidx search` runs it: the raw query text, upper case and punctuation included. The
baseline is `rank_bm25`'s BM25Okapi (k1=1.2, b=0.75) over lower-cased `[a-z0-9]+` tokens with
the collection's stop list and no stemming, computed in the same run on the same documents.

    python benchmarks/rank_eval.py                 # table of MAP, nDCG@10, P@10, recall@100
    python benchmarks/rank_eval.py --per-query     # and each query's AP, ours vs baseline
    python benchmarks/rank_eval.py --folds         # and each half of the queries (odd, even qid)
    python benchmarks/rank_eval.py --significance  # paired randomization test of the gains
    python benchmarks/rank_eval.py --json          # figures as one JSON object
    python benchmarks/rank_eval.py --short-queries # feedback on queries cut to 1-3 words

The halves are for 2-fold cross-validation of a parameter: choose it on the odd qids, measure
it on the even ones, and the other way round. 53 queries are few, and the figures are
re-measured on held-out queries, so a setting that only wins on the whole dev set is noise.
`--significance` says how likely a difference between two rankings' per-query figures is to be
chance: a paired randomization (sign-flip) test, as Smucker et al. (CIKM 2007) recommend for IR.

Needs the data set at ../shared/data/time-ir (beside the repo) and the `bench` extra.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from searchidx.api import Index

# `searchidx.search` is also the package's one-off search function; this is the module.
search_module = importlib.import_module("searchidx.search")

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "time-ir"
# Deep enough to rank every document of the collection, as the published anchor figures do.
DEPTH = 1000
LATENCY_LIMIT = 10  # what `searchidx search` shows by default


@dataclass(frozen=True)
class Collection:
    """Documents (judgment-space id -> text), queries (qid -> text) and judgments."""

    documents: dict[str, str]
    queries: dict[str, str]
    relevant: dict[str, set[str]]


@dataclass(frozen=True)
class Scores:
    """Mean figures over the queries that have at least one relevant document."""

    map: float
    ndcg10: float
    p10: float
    recall100: float
    queries: int
    per_query_ap: dict[str, float]
    per_query_ndcg10: dict[str, float]

    def to_json(self) -> dict:
        """The mean figures, rounded, for `--json`."""
        return {
            "MAP": round(self.map, 4),
            "nDCG@10": round(self.ndcg10, 4),
            "P@10": round(self.p10, 4),
            "recall@100": round(self.recall100, 4),
            "queries": self.queries,
        }


def load_collection(data: Path, qrels_name: str = "qrels.dev.txt") -> Collection:
    """Read docs.jsonl, queries.dev.tsv and one qrels file of the time-ir data set."""
    documents = {}
    for line in (data / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        documents[record["id"]] = record["text"]
    queries = {}
    for line in (data / "queries.dev.tsv").read_text(encoding="utf-8").splitlines():
        qid, text = line.split("\t", 1)
        queries[qid] = text
    relevant: dict[str, set[str]] = {}
    for line in (data / qrels_name).read_text(encoding="utf-8").splitlines():
        qid, _, docid, grade = line.split()
        if int(grade) > 0:
            relevant.setdefault(qid, set()).add(docid)
    return Collection(documents, queries, relevant)


def write_articles(documents: dict[str, str], folder: Path) -> None:
    """One plain-text article file per document, named by its judgment-space id."""
    folder.mkdir(parents=True, exist_ok=True)
    for docid, text in documents.items():
        (folder / f"{int(docid):04d}.txt").write_text(text + "\n", encoding="utf-8")


def searchidx_ranking(index: Index, text: str, depth: int = DEPTH) -> list[str]:
    """Document ids in the order `searchidx search` ranks them for the raw query text."""
    return [str(int(Path(hit.path).stem)) for hit in index.search(text, limit=depth)]


def bm25_baseline(documents: dict[str, str], stop_words: set[str]) -> Callable[[str], list[str]]:
    """A ranker for the plain BM25 baseline: BM25Okapi, k1=1.2, b=0.75, no stemming."""
    from rank_bm25 import BM25Okapi

    def tokens(text: str) -> list[str]:
        return [t for t in re.findall(r"[a-z0-9]+", text.lower()) if t not in stop_words]

    ids = list(documents)
    model = BM25Okapi([tokens(documents[d]) for d in ids], k1=1.2, b=0.75)

    def rank(text: str) -> list[str]:
        scores = model.get_scores(tokens(text))
        order = sorted(range(len(ids)), key=lambda i: -scores[i])
        return [ids[i] for i in order if scores[i] > 0][:DEPTH]

    return rank


def average_precision(ranking: Sequence[str], relevant: set[str]) -> float:
    """Mean of the precision at each relevant document's rank (unretrieved ones count 0)."""
    found, total = 0, 0.0
    for rank, docid in enumerate(ranking, start=1):
        if docid in relevant:
            found += 1
            total += found / rank
    return total / len(relevant)


def ndcg_at(ranking: Sequence[str], relevant: set[str], k: int = 10) -> float:
    """Binary-gain nDCG at rank k."""
    gain = sum(1 / math.log2(r + 1) for r, d in enumerate(ranking[:k], start=1) if d in relevant)
    ideal = sum(1 / math.log2(r + 1) for r in range(1, min(k, len(relevant)) + 1))
    return gain / ideal


def fold_of(qid: str) -> str:
    """The half of the dev queries a query belongs to, for 2-fold cross-validation."""
    return "odd" if int(qid) % 2 else "even"


def by_fold(rankings: dict[str, list[str]], relevant: dict[str, set[str]]) -> dict[str, Scores]:
    """`evaluate` on each half of the queries."""
    return {
        fold: evaluate(rankings, {q: r for q, r in relevant.items() if fold_of(q) == fold})
        for fold in ("odd", "even")
    }


def evaluate(rankings: dict[str, list[str]], relevant: dict[str, set[str]]) -> Scores:
    """MAP, nDCG@10, P@10 and recall@100 over the judged queries."""
    judged = [qid for qid in rankings if relevant.get(qid)]
    ap = {qid: average_precision(rankings[qid], relevant[qid]) for qid in judged}
    ndcg = {qid: ndcg_at(rankings[qid], relevant[qid]) for qid in judged}
    return Scores(
        map=statistics.mean(ap.values()),
        ndcg10=statistics.mean(ndcg.values()),
        p10=statistics.mean(len(set(rankings[q][:10]) & relevant[q]) / 10 for q in judged),
        recall100=statistics.mean(
            len(set(rankings[q][:100]) & relevant[q]) / len(relevant[q]) for q in judged
        ),
        queries=len(judged),
        per_query_ap=ap,
        per_query_ndcg10=ndcg,
    )


def randomization_p(
    first: dict[str, float], second: dict[str, float], rounds: int = 20_000, seed: int = 0
) -> float:
    """Two-sided paired randomization test: the share of random sign flips of the per-query
    differences whose summed difference is at least as far from zero as the observed one. If
    the two systems were interchangeable, each query's difference would be as likely negated.
    53 queries move MAP by 0.01 on a couple of them, so a gain needs this besides its size."""
    differences = [first[qid] - second[qid] for qid in first]
    observed = abs(sum(differences)) - 1e-12
    draw = random.Random(seed).getrandbits
    as_extreme = 0
    for _ in range(rounds):
        signs = draw(len(differences)) if differences else 0
        flipped = sum(-d if signs >> i & 1 else d for i, d in enumerate(differences))
        as_extreme += abs(flipped) >= observed
    return as_extreme / rounds


@contextmanager
def feedback_off() -> Iterator[None]:
    """Search without pseudo-relevance feedback, to show what it adds and costs."""
    saved = search_module.FEEDBACK_MIN_ARTICLES
    search_module.FEEDBACK_MIN_ARTICLES = sys.maxsize
    try:
        yield
    finally:
        search_module.FEEDBACK_MIN_ARTICLES = saved


def mean_latency_ms(
    index: Index, queries: Sequence[str], rounds: int = 3, limit: int = LATENCY_LIMIT
) -> tuple[float, float]:
    """Mean wall time of one `Index.search` (top `limit` with snippets) with feedback and
    without, each query timed both ways in turn so that both see the same load on the
    machine; after a warm-up."""
    index.search(queries[0], limit=limit)
    spent = [0.0, 0.0]
    for _ in range(rounds):
        for text in queries:
            started = time.perf_counter()
            index.search(text, limit=limit)
            spent[0] += time.perf_counter() - started
            with feedback_off():
                started = time.perf_counter()
                index.search(text, limit=limit)
                spent[1] += time.perf_counter() - started
    return spent[0] * 1000 / rounds / len(queries), spent[1] * 1000 / rounds / len(queries)


@contextmanager
def feedback_for_any_length() -> Iterator[None]:
    """Feedback for queries of any number of words, to measure what it does to short ones."""
    saved = search_module.FEEDBACK_MIN_WORDS
    search_module.FEEDBACK_MIN_WORDS = 1
    try:
        yield
    finally:
        search_module.FEEDBACK_MIN_WORDS = saved


def short_queries(data: Path) -> list[str]:
    """Does feedback pay on short queries? Each dev query cut to its first, or its rarest, one,
    two or three words (of three letters or more, not stop words), ranked with feedback and
    without: Markdown rows of MAP, nDCG@10 and how many queries gain and lose."""
    from searchidx.schema import STOP_WORDS

    collection = load_collection(data)
    carrying = Counter(w for text in collection.documents.values() for w in set(_words(text)))
    rows = ["| query words | feedback MAP / nDCG@10 | without | queries better / worse |"]
    rows.append("|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="rank-eval-") as tmp:
        write_articles(collection.documents, Path(tmp) / "articles")
        index = Index(Path(tmp) / "index")
        index.build([Path(tmp) / "articles"])
        for choice in ("first", "rarest"):
            for count in (1, 2, 3):
                cut = {}
                for qid, text in collection.queries.items():
                    words = [w for w in dict.fromkeys(_words(text)) if w not in STOP_WORDS]
                    if choice == "rarest":
                        words.sort(key=lambda word: carrying[word])
                    cut[qid] = " ".join(words[:count])
                with feedback_for_any_length():
                    on = evaluate(
                        {q: searchidx_ranking(index, t) for q, t in cut.items()},
                        collection.relevant,
                    )
                with feedback_off():
                    off = evaluate(
                        {q: searchidx_ranking(index, t) for q, t in cut.items()},
                        collection.relevant,
                    )
                gains = [on.per_query_ap[q] - off.per_query_ap[q] for q in on.per_query_ap]
                rows.append(
                    f"| {choice} {count} | {on.map:.3f} / {on.ndcg10:.3f} "
                    f"| {off.map:.3f} / {off.ndcg10:.3f} "
                    f"| {sum(g > 1e-9 for g in gains)} / {sum(g < -1e-9 for g in gains)} |"
                )
    return rows


def _words(text: str) -> list[str]:
    return [word for word in re.findall(r"[a-z]+", text.lower()) if len(word) > 2]


def run(data: Path) -> dict:
    """Build the index, rank every dev query both ways, and score both rankings."""
    collection = load_collection(data)
    stop_words = set((data / "TIME.STP.txt").read_text(encoding="utf-8").lower().split())
    with tempfile.TemporaryDirectory(prefix="rank-eval-") as tmp:
        articles = Path(tmp) / "articles"
        write_articles(collection.documents, articles)
        index = Index(Path(tmp) / "index")
        started = time.perf_counter()
        report = index.build([articles])
        build_seconds = time.perf_counter() - started
        ours = {qid: searchidx_ranking(index, text) for qid, text in collection.queries.items()}
        latency, no_feedback_latency = mean_latency_ms(index, list(collection.queries.values()))
        with feedback_off():
            no_feedback = {
                qid: searchidx_ranking(index, text) for qid, text in collection.queries.items()
            }
    baseline_rank = bm25_baseline(collection.documents, stop_words)
    started = time.perf_counter()
    baseline = {qid: baseline_rank(text) for qid, text in collection.queries.items()}
    baseline_ms = (time.perf_counter() - started) * 1000 / len(baseline)
    relevant_all = load_collection(data, "qrels_relall.dev.txt").relevant
    return {
        "documents": report.documents,
        "build_seconds": round(build_seconds, 2),
        "searchidx": evaluate(ours, collection.relevant),
        "no_feedback": evaluate(no_feedback, collection.relevant),
        "bm25": evaluate(baseline, collection.relevant),
        "searchidx_relall": evaluate(ours, relevant_all),
        "bm25_relall": evaluate(baseline, relevant_all),
        "searchidx_folds": by_fold(ours, collection.relevant),
        "no_feedback_folds": by_fold(no_feedback, collection.relevant),
        "bm25_folds": by_fold(baseline, collection.relevant),
        "searchidx_ms": latency,
        "no_feedback_ms": no_feedback_latency,
        "bm25_ms": baseline_ms,
        "queries": collection.queries,
    }


def print_table(
    result: dict, per_query: bool, folds: bool = False, significance: bool = False
) -> None:
    """The figures as a Markdown table (as pasted into benchmarks/README.md)."""
    print(f"TIME dev: {result['documents']} documents, built in {result['build_seconds']} s")
    print("| system | qrels | queries | MAP | nDCG@10 | P@10 | recall@100 | ms/query |")
    print("|---|---|---|---|---|---|---|---|")
    for name, key, qrels, ms in (
        ("searchidx", "searchidx", "TIME.REL", result["searchidx_ms"]),
        ("searchidx, feedback off", "no_feedback", "TIME.REL", result["no_feedback_ms"]),
        ("BM25 baseline", "bm25", "TIME.REL", result["bm25_ms"]),
        ("searchidx", "searchidx_relall", "REL.ALL", None),
        ("BM25 baseline", "bm25_relall", "REL.ALL", None),
    ):
        s: Scores = result[key]
        latency = f"{ms:.1f}" if ms is not None else ""
        print(
            f"| {name} | {qrels} | {s.queries} | {s.map:.3f} | {s.ndcg10:.3f} | {s.p10:.3f} "
            f"| {s.recall100:.3f} | {latency} |"
        )
    if folds:
        print("| system | half | queries | MAP | nDCG@10 |")
        print("|---|---|---|---|---|")
        for name, key in (
            ("searchidx", "searchidx_folds"),
            ("searchidx, feedback off", "no_feedback_folds"),
            ("BM25 baseline", "bm25_folds"),
        ):
            for fold, s in result[key].items():
                print(f"| {name} | {fold} qid | {s.queries} | {s.map:.3f} | {s.ndcg10:.3f} |")
    if significance:
        print("| searchidx against | MAP gain | p | nDCG@10 gain | p |")
        print("|---|---|---|---|---|")
        ours = result["searchidx"]
        for name, key in (("BM25 baseline", "bm25"), ("feedback off", "no_feedback")):
            other: Scores = result[key]
            p_map = randomization_p(ours.per_query_ap, other.per_query_ap)
            p_ndcg = randomization_p(ours.per_query_ndcg10, other.per_query_ndcg10)
            print(
                f"| {name} | {ours.map - other.map:+.3f} | {p_map:.3f} "
                f"| {ours.ndcg10 - other.ndcg10:+.3f} | {p_ndcg:.3f} |"
            )
    if per_query:
        ours, base = result["searchidx"].per_query_ap, result["bm25"].per_query_ap
        for qid in sorted(ours, key=lambda q: ours[q] - base[q]):
            text = result["queries"][qid][:80]
            print(f"{qid:>4} {ours[qid]:.3f} {base[qid]:.3f} {ours[qid] - base[qid]:+.3f}  {text}")


def _as_json(value):  # type: ignore[no-untyped-def]
    if isinstance(value, Scores):
        return value.to_json()
    if isinstance(value, dict) and all(isinstance(v, Scores) for v in value.values()):
        return {key: scores.to_json() for key, scores in value.items()}
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the time-ir data folder")
    parser.add_argument("--per-query", action="store_true", help="AP of each query, both ways")
    parser.add_argument("--folds", action="store_true", help="figures on odd and even qids")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--significance", action="store_true", help="paired randomization test of the gains"
    )
    parser.add_argument(
        "--short-queries", action="store_true", help="feedback on queries cut to 1-3 words"
    )
    args = parser.parse_args(argv)
    if not (args.data / "docs.jsonl").is_file():
        print(f"no TIME data at {args.data}", file=sys.stderr)
        return 2
    if args.short_queries:
        print("\n".join(short_queries(args.data)))
        return 0
    result = run(args.data)
    if args.json:
        figures = {key: _as_json(value) for key, value in result.items() if key != "queries"}
        print(json.dumps(figures, indent=2))
    else:
        print_table(result, args.per_query, args.folds, args.significance)
    return 0


if __name__ == "__main__":
    sys.exit(main())
