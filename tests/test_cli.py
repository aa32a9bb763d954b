"""The command line end to end, through click's CliRunner, on the seeds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CSM_SEED, NPR_SEED, SEEDS, write
from searchidx.cli import main

RESULT_KEYS = {
    "id", "path", "title", "source", "byline", "published", "score", "speakers",
    "organizations", "snippets",
}  # fmt: skip
CLEAN_KEYS = {
    "path", "title", "byline", "published", "source", "body", "speakers", "organizations",
    "quotes",
}  # fmt: skip


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def built(runner: CliRunner, tmp_path: Path, articles: Path) -> Path:
    index = tmp_path / "index"
    result = runner.invoke(main, ["build", str(articles), "--index", str(index)])
    assert result.exit_code == 0, result.output
    return index


def test_every_command_has_help(runner: CliRunner) -> None:
    for command in (
        ["--help"],
        *(
            [name, "--help"]
            for name in ("build", "search", "quotes", "speakers", "show", "clean", "stats")
        ),
    ):
        result = runner.invoke(main, command)
        assert result.exit_code == 0
        assert "Usage:" in result.output


def test_build_prints_counts(runner: CliRunner, tmp_path: Path, articles: Path) -> None:
    write(articles / "empty.txt", "")
    result = runner.invoke(main, ["build", str(articles), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0
    assert "2 added, 0 updated, 0 removed, 0 unchanged, 1 failed" in result.output
    assert "empty.txt: empty file" in result.output
    strict = runner.invoke(
        main, ["build", str(articles), "--index", str(tmp_path / "ix"), "--strict"]
    )
    assert strict.exit_code == 1


def test_build_json_report(runner: CliRunner, tmp_path: Path, articles: Path) -> None:
    result = runner.invoke(
        main, ["build", str(articles), "--index", str(tmp_path / "ix"), "--json"]
    )
    report = json.loads(result.output)
    assert (report["added"], report["documents"], report["failed"]) == (2, 2, 0)


def test_build_with_nothing_indexable_fails(runner: CliRunner, tmp_path: Path) -> None:
    write(tmp_path / "in" / "empty.txt", "")
    result = runner.invoke(main, ["build", str(tmp_path / "in"), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1


def test_search_json_lines(runner: CliRunner, built: Path) -> None:
    result = runner.invoke(main, ["search", "missile defense", "--index", str(built), "--json"])
    assert result.exit_code == 0
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert len(hits) == 2
    assert all(set(hit) >= RESULT_KEYS for hit in hits)
    assert any("[[missile]]" in s.lower() for hit in hits for s in hit["snippets"])


def test_search_text_output(runner: CliRunner, built: Path) -> None:
    result = runner.invoke(main, ["search", "Khramchikin", "--index", str(built)])
    assert result.exit_code == 0
    assert "1. New US-Russia arms race? Battle lines grow over missile defense." in result.output
    assert "[[Khramchikin]]" in result.output
    assert "\x1b[" not in result.output  # no colour when not on a terminal


def test_speaker_query_and_option_return_only_npr(runner: CliRunner, built: Path) -> None:
    for args in (["speaker:Kimball"], ["missile", "--speaker", "Kimball"]):
        result = runner.invoke(main, ["search", *args, "--index", str(built), "--json"])
        paths = [json.loads(line)["path"] for line in result.output.splitlines()]
        assert [Path(p).name for p in paths] == [NPR_SEED.name]


def test_no_match_exits_1(runner: CliRunner, built: Path) -> None:
    result = runner.invoke(main, ["search", "zeppelin", "--index", str(built)])
    assert result.exit_code == 1
    assert "no articles match" in result.output


def test_match_count_agrees_in_number(runner: CliRunner, built: Path) -> None:
    one = runner.invoke(main, ["search", "Khramchikin", "--index", str(built)])
    two = runner.invoke(main, ["search", "missile", "--index", str(built)])
    assert "1 article matches; showing 1" in one.output
    assert "2 articles match; showing 2" in two.output


def test_bad_query_and_bad_date_are_one_line_errors(runner: CliRunner, built: Path) -> None:
    for args in (["(((("], ["missile", "--since", "soon"]):
        result = runner.invoke(main, ["search", *args, "--index", str(built)])
        assert result.exit_code == 2
        assert result.output.startswith("Error: ") and result.output.count("\n") == 1
        assert "Traceback" not in result.output


def test_missing_index_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["search", "x", "--index", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "run `searchidx build" in result.output


def test_index_location_from_environment(runner: CliRunner, built: Path) -> None:
    result = runner.invoke(main, ["stats", "--json"], env={"SEARCHIDX_INDEX": str(built)})
    assert json.loads(result.output)["documents"] == 2


def test_first_search_builds_the_default_index_from_seeds(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEARCHIDX_INDEX", raising=False)
    result = runner.invoke(main, ["search", "missile defense"])
    assert result.exit_code == 0
    assert "no index yet: building index/ from seeds/" in result.output
    assert (tmp_path / "index" / "CURRENT").exists()


def test_show_prints_the_whole_article(runner: CliRunner, built: Path) -> None:
    found = runner.invoke(main, ["search", "Khramchikin", "--index", str(built), "--json"])
    article_id = json.loads(found.output)["id"]
    result = runner.invoke(main, ["show", article_id, "--index", str(built), "--json"])
    article = json.loads(result.output)
    assert article["title"].startswith("New US-Russia arms race?")
    assert article["body"].endswith('face the fact."')
    text = runner.invoke(main, ["show", article_id, "--index", str(built)])
    assert "Anatoly Serdyukov" in text.output
    assert runner.invoke(main, ["show", "nope", "--index", str(built)]).exit_code == 2


def test_clean_json_on_the_seeds(runner: CliRunner) -> None:
    result = runner.invoke(main, ["clean", str(CSM_SEED), str(NPR_SEED), "--json"])
    csm, npr = (json.loads(line) for line in result.output.splitlines())
    assert set(csm) >= CLEAN_KEYS
    assert csm["title"] == "New US-Russia arms race? Battle lines grow over missile defense."
    assert csm["published"] == "2011-06-08"
    assert "Skip to" not in csm["body"] and "Read Comments" not in csm["body"]
    assert npr["source"] == "NPR"
    assert set(npr["speakers"]) == {
        "Dmitry Medvedev",
        "Ivo Daalder",
        "Daryl Kimball",
        "Joe Cirincione",
    }
    assert {
        "speaker": "Daryl Kimball",
        "text": "I don't think that this is the beginning of a new arms race",
    } in [{"speaker": q["speaker"], "text": q["text"]} for q in npr["quotes"]]


def test_clean_reports_bad_files(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["clean", str(write(tmp_path / "e.txt", ""))])
    assert result.exit_code == 1
    assert "e.txt: empty file" in result.output


def test_stats(runner: CliRunner, built: Path) -> None:
    result = runner.invoke(main, ["stats", "--index", str(built)])
    assert result.exit_code == 0
    assert result.output.startswith("2 articles in")
    assert "NATO (2)" in result.output


def test_search_suggests_a_spelling_on_stderr(runner: CliRunner, built: Path) -> None:
    result = runner.invoke(main, ["search", "missle defence", "--index", str(built)])
    assert result.exit_code == 1
    assert 'did you mean "missile defense"?' in result.stderr
    assert "did you mean" not in result.stdout


def test_an_opening_snippet_is_framed_by_one_ellipsis(runner: CliRunner, built: Path) -> None:
    result = runner.invoke(main, ["search", "source:NPR", "--index", str(built)])
    assert result.exit_code == 0, result.output
    assert "   … The U.S. and Russia" in result.output
    assert "… …" not in result.output


def test_facets_count_every_match_not_only_the_hits_shown(runner: CliRunner, built: Path) -> None:
    args = ["search", "missile", "--limit", "1", "--facets", "--index", str(built)]
    text = runner.invoke(main, args)
    assert text.exit_code == 0, text.output
    assert "organizations: NATO (2), " in text.output
    assert "sources: NPR (1)" in text.output
    lines = runner.invoke(main, [*args, "--json"]).output.splitlines()
    assert len(lines) == 2  # the one hit, then the counts
    counts = json.loads(lines[-1])
    assert counts["total"] == 2
    assert counts["facets"]["organization"]["NATO"] == 2
    assert set(counts["facets"]) == {"speaker", "organization", "source"}


def test_building_a_missing_folder_is_an_error_that_changes_nothing(
    runner: CliRunner, built: Path, tmp_path: Path
) -> None:
    result = runner.invoke(main, ["build", str(tmp_path / "typo"), "--index", str(built)])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output and "not changed" in result.output
    stats = runner.invoke(main, ["stats", "--index", str(built), "--json"])
    assert json.loads(stats.output)["documents"] == 2
