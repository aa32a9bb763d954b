"""The cleaner benchmark's metrics on hand-made pairs, and a quick smoke run on real pages."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import REPO, SHARED_DATA


def _load_benchmark():
    spec = importlib.util.spec_from_file_location(
        "clean_eval", REPO / "benchmarks" / "clean_eval.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["clean_eval"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


clean_eval = _load_benchmark()

STORY = "The council approved the budget on Tuesday after a long debate about libraries."


def test_identical_text_scores_one() -> None:
    score = clean_eval.shingle_score([(STORY, STORY)])
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_extra_furniture_costs_precision_not_recall() -> None:
    score = clean_eval.shingle_score([(STORY, STORY + " Share this story on Facebook and Twitter")])
    assert score.recall == 1.0
    assert 0.5 < score.precision < 1.0


def test_missing_half_costs_recall_not_precision() -> None:
    half = " ".join(STORY.split()[:7])
    score = clean_eval.shingle_score([(STORY, half)])
    assert score.precision == 1.0
    assert score.recall == pytest.approx(4 / 10)  # 4 of the 10 four-word shingles survive


def test_pages_weigh_the_same_whatever_their_length() -> None:
    long_story = " ".join([STORY] * 20)
    score = clean_eval.shingle_score([(STORY, STORY), (long_story, "")])
    assert score.recall == 0.5  # the empty long page counts once, not twenty times
    assert score.precision == 1.0  # a page with nothing predicted has no precision to average


def test_snippet_metric_counts_kept_lost_and_leaked_snippets() -> None:
    counts = clean_eval.snippet_counts(
        "The budget  passed.\nShare to Facebook",
        keep=["The budget passed.", "Libraries gain."],
        drop=["Share to Facebook", "Subscribe now"],
    )
    assert (counts.tp, counts.fn, counts.fp, counts.tn) == (1, 1, 1, 1)
    assert counts.score.f1 == pytest.approx(2 * 1 / (2 * 1 + 1 + 1))


def test_discard_span_is_removed_when_most_of_its_words_are_gone() -> None:
    text = "Body text of the story is here.\n\nFollow Pam Key on Twitter @pamkeyNEN."
    span = [text.index("Follow"), len(text)]
    assert clean_eval.discard_counts(text, [span], "Body text of the story is here.")[:2] == (1, 1)
    assert clean_eval.discard_counts(text, [span], text)[:2] == (1, 0)


def test_visible_text_puts_blocks_on_lines_and_skips_hidden_parts() -> None:
    page = (
        "<html><head><title>T</title><script>var x;</script></head><body>"
        "<nav><a>Home</a> <a>News</a></nav><p>First <b>bold</b> line.</p>"
        '<div style="display: none">hidden</div><p>Second<br>third</p></body></html>'
    )
    assert clean_eval.visible_text(page) == "Home News\nFirst bold line.\nSecond\nthird"


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is absent")
def test_smoke_on_a_few_benchmark_pages() -> None:
    pages = clean_eval.load_article_benchmark(SHARED_DATA, limit=6)
    scores = clean_eval.evaluate_article_benchmark(pages)
    ours, trafilatura = scores["searchidx html"][0], scores["trafilatura html"][0]
    assert ours.f1 >= trafilatura.f1 - 0.02
    assert scores["searchidx text mode"][0].f1 > scores["all visible text"][0].f1


def test_timed_pair_warms_up_untimed_and_takes_turns_going_first() -> None:
    calls: list[tuple[str, str]] = []

    def side(name: str):
        return lambda page: calls.append((name, page)) or page.upper()

    ours, our_speed, theirs, _ = clean_eval.timed_pair(
        side("ours"), side("theirs"), ["a", "b"], warm_up=("w",)
    )
    warm_up = [("ours", "w"), ("theirs", "w"), ("ours", "a"), ("theirs", "a")]
    timed = [("ours", "a"), ("theirs", "a"), ("theirs", "b"), ("ours", "b")]  # first goes second
    assert calls == warm_up + timed
    assert ours == theirs == ["A", "B"] and our_speed > 0


def test_the_warm_up_page_makes_trafilatura_load_its_fallback_word_lists(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import trafilatura
    import trafilatura.external

    monkeypatch.setattr(trafilatura.external, "JT_STOPLIST", None)  # as in a fresh process
    trafilatura.extract(clean_eval.WARM_UP_PAGE, include_comments=False, include_tables=True)
    assert trafilatura.external.JT_STOPLIST
