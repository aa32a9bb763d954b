"""A quick run of benchmarks/extract_eval.py on a slice of the annotated corpora."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from conftest import REPO, SHARED_DATA


def _benchmark():
    if "extract_eval" in sys.modules:
        return sys.modules["extract_eval"]
    path = REPO / "benchmarks" / "extract_eval.py"
    spec = importlib.util.spec_from_file_location("extract_eval", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["extract_eval"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is absent")


def test_gold_source_names_reduce_to_surnames_and_descriptions_to_nothing() -> None:
    bench = _benchmark()
    assert bench.named_source("Rep. Jim Jordan (R-Ohio)") == "jordan"
    assert bench.named_source("Dan Centinello, Romney’s deputy national political director,") == (
        "centinello"
    )
    assert bench.named_source("FBI Director James Comey's") == "comey"
    assert bench.named_source("The New York Post") == "post"
    assert bench.named_source("Gov. Phil Bryant of Mississippi, a Cruz backer") == "bryant"
    assert bench.named_source("Secretary of State John Kerry") == "kerry"
    assert bench.named_source("a campaign spokesman") is None
    assert bench.named_source("The Florida senator") is None
    assert bench.named_source("he") is None
    assert bench.named_source("Others") is None  # "Others shouted": no name
    assert bench.named_source("None") is None


def test_conll_tokens_are_joined_back_into_running_text() -> None:
    text, offsets = _benchmark()._join_tokens(
        ["Leeds", "'s", "Lee", "Bowyer", "(", "19", ")", "said", '"', "no", '"', "."]
    )
    assert text == 'Leeds\'s Lee Bowyer (19) said "no".'
    assert text[offsets[2][0] : offsets[3][1]] == "Lee Bowyer"


def test_articles_fall_in_fixed_halves_and_the_interval_holds_the_figure() -> None:
    bench = _benchmark()
    perfect, poor = bench.Score(2, 2, 2), bench.Score(0, 2, 2)
    ids = [f"article-{n}" for n in range(40)]
    by_article = tuple((i, perfect if bench.half_of(i) else poor) for i in ids)
    first, second = bench.halves(by_article)
    assert (first.f1, second.f1) == (0.0, 1.0)
    assert first.gold + second.gold == 80 and 0 < first.gold < 80
    scores = [score for _, score in by_article]
    low, high = bench.bootstrap_f1(scores)
    overall = sum(scores, bench.Score(0, 0, 0)).f1
    assert 0.0 < low < overall < high < 1.0
    assert bench.bootstrap_f1([perfect] * 10, size=5) == (1.0, 1.0)


def test_benchmark_smoke_on_a_slice_of_polnear_and_conll() -> None:
    _need(SHARED_DATA / "polnear" / "polnear_dev.jsonl.gz")
    _need(SHARED_DATA / "conllpp" / "conllpp_test.dev.txt")
    report = _benchmark().evaluate(polnear_limit=60, conll_limit=20)
    assert report.articles == 60 and report.documents == 20
    assert report.quotes.recall > 0.7
    assert report.quotes.accuracy > 0.85
    assert report.speakers.f1 > 0.65
    assert report.people.f1 > 0.4


def test_error_listing_names_each_missed_and_false_speaker_with_its_text() -> None:
    _need(SHARED_DATA / "polnear" / "polnear_dev.jsonl.gz")
    bench = _benchmark()
    path = REPO / "benchmarks" / "extract_errors.py"
    spec = importlib.util.spec_from_file_location("extract_errors", path)
    errors = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(errors)
    blocks = [b for r in bench.polnear_records(20) for b in errors.article_errors(r)]
    assert blocks and all(b.split()[0] in {"MISSED", "FALSE"} for b in blocks)
    assert all("[[" in b or "predicted quotes: []" in b for b in blocks)
