"""Ranking on an index big enough for pseudo-relevance feedback, and the TIME benchmark."""

from __future__ import annotations

import importlib
import importlib.util
import random
import sys
from pathlib import Path

import pytest

from conftest import REPO, SHARED_DATA, write
from searchidx.api import Index

# `searchidx.search` is also the name of the one-off search function the package exports.
search_module = importlib.import_module("searchidx.search")

FILLER_WORDS = (
    "council", "budget", "school", "river", "concert", "museum", "railway", "harbour", "festival",
    "election", "court", "hospital", "bridge", "library", "theatre", "orchestra", "painting",
    "garden", "village", "mayor", "novel", "film", "stadium", "airport", "factory", "union",
    "teacher", "doctor", "farmer", "sailor", "poet", "island", "mountain",
)  # fmt: skip
# Four articles about a grain deal, each naming wheat and its trade vocabulary.
GRAIN_DEAL = (
    "The wheat sale to Moscow goes ahead: {n} million bushels of grain leave the elevators "
    "at Duluth, and the harvest surplus finds Soviet buyers. Grain traders expect more "
    "bushels to follow once the elevators refill after the harvest."
)
ON_TOPIC = (
    "Canadian elevators hold a record harvest. Traders say bushels of grain from the "
    "prairies, wheat among them, could follow the Soviet buyers east."
)
OFF_TOPIC = "A painting of a wheat field hangs in the museum."


@pytest.fixture(scope="module")
def grain_index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    """120 short articles: filler, four about a wheat sale, one more on the grain trade that
    never says "sale", and one naming wheat in passing."""
    root = tmp_path_factory.mktemp("grain")
    draw = random.Random(4)
    for number in range(114):
        words = " ".join(draw.choice(FILLER_WORDS) for _ in range(40))
        write(root / "articles" / f"filler{number:03d}.txt", words.capitalize() + ".\n")
    for number in range(4):
        write(root / "articles" / f"deal{number}.txt", GRAIN_DEAL.format(n=number + 2) + "\n")
    write(root / "articles" / "on_topic.txt", ON_TOPIC + "\n")
    write(root / "articles" / "off_topic.txt", OFF_TOPIC + "\n")
    index = Index(root / "index")
    index.build([root / "articles"])
    return index


def ranked_names(index: Index, query: str) -> list[str]:
    return [Path(hit.path).stem for hit in index.search(query, limit=20)]


def test_feedback_lifts_the_article_on_the_topic_of_the_top_hits(grain_index: Index) -> None:
    found = ranked_names(grain_index, "wheat sale Moscow")
    assert set(found[:4]) == {"deal0", "deal1", "deal2", "deal3"}
    assert found.index("on_topic") < found.index("off_topic")


def test_without_feedback_the_shorter_passing_mention_ranks_first(
    grain_index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The comparison that shows the feedback above is what lifts the on-topic article.
    monkeypatch.setattr(search_module, "FEEDBACK_MIN_ARTICLES", 10**9)
    found = ranked_names(grain_index, "wheat sale Moscow")
    assert found.index("off_topic") < found.index("on_topic")


def test_a_two_word_query_keeps_its_first_ranking(grain_index: Index) -> None:
    found = ranked_names(grain_index, "wheat sale")
    assert found.index("off_topic") < found.index("on_topic")


def test_feedback_only_reranks_articles_holding_a_typed_word(grain_index: Index) -> None:
    results = grain_index.search("wheat sale Moscow", limit=50)
    assert results.total == 6
    assert {Path(hit.path).stem for hit in results} == {
        "deal0", "deal1", "deal2", "deal3", "on_topic", "off_topic",
    }  # fmt: skip


def test_boolean_query_keeps_the_first_ranking(grain_index: Index) -> None:
    found = ranked_names(grain_index, "wheat NOT zebra")
    assert found.index("off_topic") < found.index("on_topic")


def load_rank_eval():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("rank_eval", REPO / "benchmarks" / "rank_eval.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["rank_eval"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_average_precision_and_ndcg_by_hand() -> None:
    rank_eval = load_rank_eval()
    # Relevant at ranks 1 and 3, a third never retrieved: (1/1 + 2/3) / 3.
    assert rank_eval.average_precision(["a", "x", "b"], {"a", "b", "c"}) == pytest.approx(5 / 9)
    assert rank_eval.ndcg_at(["x", "a"], {"a"}) == pytest.approx(1 / 1.58496, abs=1e-4)
    assert rank_eval.ndcg_at(["a", "x"], {"a"}) == 1.0


@pytest.mark.slow
@pytest.mark.skipif(
    not (SHARED_DATA / "time-ir" / "docs.jsonl").is_file(), reason="TIME data not present"
)
def test_time_collection_ranks_above_the_bm25_baseline() -> None:
    """The issue's targets, on the whole TIME dev set (about a minute)."""
    pytest.importorskip("rank_bm25", reason="the BM25 baseline needs the bench extra")
    result = load_rank_eval().run(SHARED_DATA / "time-ir")
    ours, baseline = result["searchidx"], result["bm25"]
    assert baseline.map == pytest.approx(0.644, abs=0.001)
    assert ours.map > baseline.map + 0.03
    assert ours.ndcg10 > baseline.ndcg10 + 0.03


def test_folds_split_the_queries_by_odd_and_even_qid() -> None:
    rank_eval = load_rank_eval()
    rankings = {"1": ["a"], "2": ["x", "b"], "3": ["x"]}
    relevant = {"1": {"a"}, "2": {"b"}, "3": {"c"}}
    folds = rank_eval.by_fold(rankings, relevant)
    assert (folds["odd"].queries, folds["even"].queries) == (2, 1)
    assert folds["odd"].map == pytest.approx(0.5)  # query 1 perfect, query 3 found nothing
    assert folds["even"].map == pytest.approx(0.5)  # query 2's only relevant is second


def test_randomization_test_tells_a_steady_gain_from_a_tie() -> None:
    rank_eval = load_rank_eval()
    before = {str(q): 0.5 for q in range(20)}
    steady = {q: ap + 0.1 for q, ap in before.items()}
    # Two of the 2^20 sign patterns are as extreme as twenty gains of one size.
    assert rank_eval.randomization_p(steady, before) < 0.001
    assert rank_eval.randomization_p(before, dict(before)) == 1.0
    # One query up by as much as another is down: nothing to tell apart.
    mixed = dict(before, **{"0": 0.9, "1": 0.1})
    assert rank_eval.randomization_p(mixed, before) == 1.0
