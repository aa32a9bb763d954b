"""Quotes as search results: who said what, the speakers facet, and the quote index kept in
step with the articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import quotes_per_article, visible_quotes_per_article, write
from searchidx.api import Index
from searchidx.cli import main
from searchidx.errors import QueryError
from searchidx.index import article_version, quote_documents, sweep_stale_quotes
from searchidx.model import Affiliation, Article, Quote
from searchidx.search import quote_spans
from searchidx.store import open_quotes

KIMBALL_RACE = "I don't think that this is the beginning of a new arms race"
LATER_KIMBALL = (
    "Arms talks resume\n\n"
    "March 3, 2012\n\n"
    "Negotiators met again in Geneva on Monday. "
    '"The talks are back on track," said Daryl Kimball, director of the Arms Control '
    "Association.\n"
)


def test_kimball_arms_race_quote_comes_with_his_affiliation(shared_index: Index) -> None:
    results = shared_index.quotes("arms race", speaker="Kimball")
    assert [hit.text.replace("[[", "").replace("]]", "") for hit in results] == [KIMBALL_RACE]
    hit = results[0]
    assert "new [[arms]] [[race]]" in hit.text
    assert (hit.speaker, hit.title, hit.organization) == (
        "Daryl Kimball",
        "director",
        "Arms Control Association",
    )
    assert hit.source == "NPR" and hit.position == 22
    assert (
        Path(hit.path).name.startswith("000_") and hit.article_id == shared_index.get(hit.path).id
    )


def test_organization_finds_the_quotes_of_who_speaks_for_it(shared_index: Index) -> None:
    results = shared_index.quotes(organization="Ploughshares Fund", limit=50)
    assert results.total == 5
    assert {hit.speaker for hit in results} == {"Joe Cirincione"}
    assert "Russia is definitely trying to get our attention" in [hit.text for hit in results]


def test_speakers_lists_everyone_quoted_with_affiliations(shared_index: Index) -> None:
    found = {speaker.name: speaker for speaker in shared_index.speakers()}
    assert set(found) == {
        "Dmitry Medvedev",
        "Ivo Daalder",
        "Daryl Kimball",
        "Joe Cirincione",
        "Alexander Khramchikin",
    }
    assert found["Daryl Kimball"].organizations == ("Arms Control Association",)
    assert found["Joe Cirincione"].organizations == ("Ploughshares Fund",)
    assert found["Alexander Khramchikin"].organizations == (
        "Institute of Political and Military Analysis",
    )
    assert found["Ivo Daalder"].organizations == ("NATO",)
    assert (found["Joe Cirincione"].quotes, found["Joe Cirincione"].articles) == (5, 1)
    assert [s.name for s in shared_index.speakers(organization="NATO")] == ["Ivo Daalder"]


def test_plain_words_do_not_match_the_affiliation(shared_index: Index) -> None:
    # "arms" is in "Arms Control Association", not in Kimball's other quotes.
    assert shared_index.quotes("arms race", speaker="Kimball").total == 1


def test_a_speakers_quotes_without_query_come_newest_first(
    seed_index: Index, articles: Path
) -> None:
    write(articles / "later.txt", LATER_KIMBALL)
    seed_index.build([articles])
    listed = seed_index.quotes(speaker="Kimball", limit=50)
    assert listed.total == 5
    assert listed[0].text == "The talks are back on track"
    assert str(listed[0].published) == "2012-03-03"
    undated = [hit.position for hit in listed.hits[1:]]
    assert undated == sorted(undated)


def test_quote_query_needs_words_or_a_filter(shared_index: Index) -> None:
    with pytest.raises(QueryError):
        shared_index.quotes()


def test_article_search_is_unchanged_by_the_quote_index(shared_index: Index) -> None:
    assert shared_index.stats().documents == 2
    everything = shared_index.search("published:[1990 TO 2030] OR missile", limit=50)
    assert everything.total == 2
    assert all(hit.id and hit.path for hit in everything)
    assert everything.facets["speaker"]["Daryl Kimball"] == 1


def test_article_snippet_names_who_said_the_matched_words(shared_index: Index) -> None:
    hit = next(h for h in shared_index.search("arms race") if h.source == "NPR")
    quoted = [s for s in hit.snippets if "new [[arms]] [[race]]" in s]
    assert quoted and quoted[0].startswith("quoting Daryl Kimball: ")
    unquoted = [s for s in hit.snippets if "Kimball of the [[Arms]] Control" in s]
    assert unquoted and not unquoted[0].startswith("quoting")


def test_quote_spans_find_quotes_in_the_body() -> None:
    body = 'Intro.\n\n“We are ready,” said Ann Lee.\n\n"Not yet," Bo Park said.'
    spans = quote_spans(body, [("Ann Lee", "We are ready"), ("Bo Park", "Not yet"), ("X", "gone")])
    assert [(body[s:e], who) for s, e, who in spans] == [
        ("We are ready", "Ann Lee"),
        ("Not yet", "Bo Park"),
    ]


def test_changed_file_replaces_its_quotes(seed_index: Index, articles: Path) -> None:
    path = next(articles.glob("002_*"))
    path.write_text(
        path.read_text().replace("growing disappointed", "growing impatient"), encoding="utf-8"
    )
    seed_index.build([articles])
    assert visible_quotes_per_article(seed_index) == quotes_per_article(seed_index)
    texts = [hit.text for hit in seed_index.quotes(speaker="Khramchikin")]
    assert any("growing impatient" in t for t in texts)
    assert not any("disappointed" in t for t in texts)


def test_deleted_file_takes_its_quotes_along(seed_index: Index, articles: Path) -> None:
    next(articles.glob("000_*")).unlink()
    seed_index.build([articles])
    assert [s.name for s in seed_index.speakers()] == ["Alexander Khramchikin"]
    assert seed_index.quotes("arms race").total == 0


def test_quotes_of_an_uncommitted_article_version_stay_hidden(seed_index: Index) -> None:
    """The state a build killed between its quote commit and its article commit leaves: the
    quotes of a version the article index does not hold must not be shown."""
    orphan = Article(
        title="Never committed",
        body='"Zeppelins will return," said Ann Lee, director of the Airship Council.',
        quotes=(Quote("Ann Lee", "Zeppelins will return", 0),),
        affiliations=(Affiliation("Ann Lee", "director", "Airship Council"),),
    )
    key = str(seed_index.path / "never.txt")
    quote_index = open_quotes(seed_index.directory.open())
    writer = quote_index.writer()
    for fields in quote_documents(orphan, key, article_version(key, "0" * 40)):
        writer.add_document(**fields)
    writer.commit()
    assert visible_quotes_per_article(seed_index) == quotes_per_article(seed_index)
    assert seed_index.quotes("zeppelins").total == 0
    assert "Ann Lee" not in {s.name for s in seed_index.speakers()}
    assert seed_index.quotes("arms race", speaker="Kimball").total == 1
    assert sweep_stale_quotes(seed_index.directory.open(), quote_index) == 1


def test_rebuild_swaps_articles_and_quotes_in_together(seed_index: Index, articles: Path) -> None:
    before = seed_index.directory.current_generation()
    seed_index.build([articles], rebuild=True)
    after = seed_index.directory.current_generation()
    assert after != before and (after / "quotes").is_dir()
    assert seed_index.quotes("arms race", speaker="Kimball").total == 1


@pytest.fixture
def cli_index(tmp_path: Path, articles: Path) -> Path:
    index = tmp_path / "index"
    assert CliRunner().invoke(main, ["build", str(articles), "--index", str(index)]).exit_code == 0
    return index


def test_quotes_command_prints_speaker_affiliation_and_article(cli_index: Path) -> None:
    result = CliRunner().invoke(
        main, ["quotes", "arms race", "--speaker", "Kimball", "--index", str(cli_index)]
    )
    assert result.exit_code == 0
    assert "1. Daryl Kimball (director, Arms Control Association)" in result.output
    assert '"I don\'t think that this is the beginning of a new [[arms]] [[race]]"' in (
        result.output
    )
    assert "NPR · 000_21dfe173d3e53bdd.txt" in result.output


def test_quotes_command_json_lines(cli_index: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["quotes", "--organization", "Ploughshares Fund", "--json", "--index", str(cli_index)],
    )
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 5 and {line["speaker"] for line in lines} == {"Joe Cirincione"}
    assert set(lines[0]["article"]) == {"id", "title", "source", "published", "path"}


def test_quotes_command_without_query_or_filter_is_a_usage_error(cli_index: Path) -> None:
    result = CliRunner().invoke(main, ["quotes", "--index", str(cli_index)])
    assert result.exit_code == 2
    assert "give words to search quotes for" in result.output


def test_speakers_command(cli_index: Path) -> None:
    result = CliRunner().invoke(main, ["speakers", "--index", str(cli_index)])
    assert result.exit_code == 0
    assert "Joe Cirincione  5 quotes in 1 article  (director, Ploughshares Fund)" in result.output
    assert "Dmitry Medvedev  2 quotes in 1 article  (Russian President)" in result.output
    as_json = CliRunner().invoke(
        main, ["speakers", "--organization", "NATO", "--json", "--index", str(cli_index)]
    )
    assert [json.loads(line)["name"] for line in as_json.output.splitlines()] == ["Ivo Daalder"]


def test_a_speaker_quoted_for_four_organizations(tmp_path: Path) -> None:
    for number, council in enumerate(("Harbor", "River", "Forest", "Desert")):
        write(
            tmp_path / "in" / f"{number}.txt",
            f"{council} report\n\nThe board met on Monday. "
            f'"We have work to do on the {council.lower()} plan," said Ann Lee, director of the '
            f"{council} Council.\n",
        )
    index = tmp_path / "index"
    CliRunner().invoke(main, ["build", str(tmp_path / "in"), "--index", str(index)])
    [ann] = Index(index).speakers()
    assert (ann.name, ann.quotes, ann.articles) == ("Ann Lee", 4, 4)
    assert len(ann.organizations) == 4
    shown = CliRunner().invoke(main, ["speakers", "--index", str(index)]).output
    assert shown.startswith("Ann Lee  4 quotes in 4 articles  (director, ")
    assert shown.count("director, ") == 3  # the rest are in --json
