"""Stage 5: ranking, query syntax, filters, snippets and facets on the seed index."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from whoosh import query
from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from conftest import write
from searchidx.api import Index
from searchidx.errors import QueryError, SearchidxError
from searchidx.schema import build_schema
from searchidx.search import (
    RANKING,
    SNIPPET_CHARS,
    operators_as_words_if_shouted,
    sentence_spans,
    with_stems,
)

NPR, CSM = "000_21dfe173d3e53bdd.txt", "002_10fedb5682b2282c.txt"


def names(index: Index, query: str, **filters) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.path.rsplit("/", 1)[-1] for hit in index.search(query, **filters)]


def test_missile_defense_ranks_both_with_highlighted_snippets(shared_index: Index) -> None:
    results = shared_index.search("missile defense")
    assert sorted(names(shared_index, "missile defense")) == [NPR, CSM]
    assert results.total == 2
    for hit in results:
        assert 1 <= len(hit.snippets) <= 3
        assert any("[[missile]]" in s.lower() for s in hit.snippets)
        assert hit.score > 0


def test_title_match_outranks_body_only_match(shared_index: Index) -> None:
    assert names(shared_index, "battle lines") == [CSM]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("speaker:Kimball", [NPR]),
        ("Kimball", [NPR]),  # a name without a field is found in the body
        ("speaker:kimball", [NPR]),
        ('organization:"Ploughshares Fund"', [NPR]),
        ('organization:"Institute of Political and Military Analysis"', [CSM]),
        ("person:serdyukov", [CSM]),
        ("source:NPR", [NPR]),
        ('"arms race"', [NPR, CSM]),
        ('"race arms"', []),
        ("title:battle", [CSM]),
        ("Serdyukov OR Cirincione", None),
        ("missile AND Serdyukov", [CSM]),
        ("missile NOT Kimball", [CSM]),
        ("missile -Kimball", [CSM]),
        ("Khramchikn~", [CSM]),
        ("Khramchkin~2", [CSM]),
        ("Cirinc*", [NPR]),
        ("published:[2011-01-01 TO 2011-12-31]", [CSM]),
    ],
)
def test_query_syntax(shared_index: Index, query: str, expected: list[str] | None) -> None:
    found = names(shared_index, query)
    if expected is None:
        assert sorted(found) == [NPR, CSM]
    else:
        assert sorted(found) == sorted(expected)


def test_a_stop_word_is_not_searched_in_the_organization_names(shared_index: Index) -> None:
    # CSM names the "Institute of Political and Military Analysis": as a plain word, "of"
    # matched it there (the names fields keep stop words for their phrases).
    assert names(shared_index, "Kimball of") == [NPR]
    assert shared_index.search("of").total == shared_index.search("the").total == 0
    assert names(shared_index, 'organization:"Institute of Political and Military Analysis"') == [
        CSM
    ]


def test_a_match_outside_the_body_shows_the_opening_as_a_plain_excerpt(
    shared_index: Index,
) -> None:
    (hit,) = shared_index.search("source:NPR")
    (opening,) = hit.snippets
    body = " ".join(shared_index.get(hit.id).body.split())
    assert body.startswith(opening)
    assert len(body) > len(opening) > SNIPPET_CHARS // 2
    assert not opening.endswith("…")


def test_long_natural_language_query_does_not_need_every_word(shared_index: Index) -> None:
    found = names(
        shared_index, "what did the Arms Control Association director think about zeppelins"
    )
    assert found[0] == NPR


def test_malformed_queries_are_searched_as_words(shared_index: Index) -> None:
    assert sorted(names(shared_index, '"missile defense')) == [NPR, CSM]
    assert names(shared_index, "speaker: Kimball") == [NPR]
    with pytest.raises(QueryError):
        shared_index.search("((((")


def test_filters(shared_index: Index) -> None:
    assert names(shared_index, "missile", speaker="Kimball") == [NPR]
    assert names(shared_index, "missile", speaker="Daryl Kimball") == [NPR]
    assert names(shared_index, "missile", organization="Russia-NATO Council") == [CSM]
    assert names(shared_index, "missile", source="npr") == [NPR]
    assert names(shared_index, "missile", since="2011-06-01", until="2011-06-30") == [CSM]
    assert names(shared_index, "missile", since=date(2012, 1, 1)) == []
    with pytest.raises(QueryError, match="not a date"):
        shared_index.search("missile", since="soon")


@pytest.mark.parametrize("query", ["missile", '"arms race"', "missil*"])
@pytest.mark.parametrize("limit", [1, 10])
def test_a_filtered_total_counts_only_the_articles_the_filter_keeps(
    shared_index: Index, query: str, limit: int
) -> None:
    assert shared_index.search(query, limit=limit).total == 2
    assert shared_index.search(query, limit=limit, source="npr").total == 1
    assert shared_index.search(query, limit=limit, since=date(2012, 1, 1)).total == 0


def test_facets_count_the_whole_result_set(shared_index: Index) -> None:
    facets = shared_index.search("missile", limit=1).facets
    assert facets["organization"]["NATO"] == 2
    assert facets["speaker"]["Daryl Kimball"] == 1
    assert facets["source"] == {"NPR": 1}


def test_hit_carries_metadata(shared_index: Index) -> None:
    (hit,) = shared_index.search("Khramchikin")
    assert hit.title == "New US-Russia arms race? Battle lines grow over missile defense."
    assert hit.published == date(2011, 6, 8)
    assert hit.speakers == ("Alexander Khramchikin",)
    assert set(hit.to_json()) >= {
        "id", "path", "title", "source", "byline", "published", "score", "speakers",
        "organizations", "snippets",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("speaker:Kimball", "[[Kimball]] says"),
        ('organization:"Ploughshares Fund"', "director of the [[Ploughshares]] [[Fund]]"),
        (
            'organization:"Institute of Political and Military Analysis"',
            "[[Military]] [[Analysis]]",
        ),
        ("person:Serdyukov", "Anatoly [[Serdyukov]]"),
    ],
)
def test_snippets_show_where_the_body_writes_a_name_searched(
    shared_index: Index, query: str, marked: str
) -> None:
    (hit,) = shared_index.search(query)
    assert any(marked in snippet for snippet in hit.snippets), hit.snippets
    assert not any("[[of]]" in snippet or "[[and]]" in snippet for snippet in hit.snippets)


def test_get_by_id_prefix_and_path(shared_index: Index) -> None:
    (hit,) = shared_index.search("Khramchikin")
    assert shared_index.get(hit.id).title == hit.title
    assert shared_index.get(hit.id[:6]).path == hit.path
    assert shared_index.get(hit.path).id == hit.id


def test_get_does_not_find_an_article_removed_from_the_index(
    seed_index: Index, articles: Path
) -> None:
    (hit,) = seed_index.search("Khramchikin")
    Path(hit.path).unlink()
    seed_index.build([articles])  # the id's term stays in the segment until a merge
    for key in (hit.id, hit.id[:6]):
        with pytest.raises(SearchidxError, match="no article with id"):
            seed_index.get(key)


def test_all_caps_query_reads_and_or_not_as_words(shared_index: Index) -> None:
    # Typed with caps lock: "AND" is a word, so the missing ZEPPELINS cannot empty the result.
    assert sorted(names(shared_index, "MISSILE DEFENSE AND ZEPPELINS")) == [NPR, CSM]
    assert names(shared_index, "missile AND zeppelins") == []


def test_hyphen_inside_a_word_does_not_exclude(shared_index: Index) -> None:
    # "Russia-NATO" once meant "Russia NOT NATO", which excluded both seeds.
    assert names(shared_index, "Russia-NATO Council")[0] == CSM
    assert sorted(names(shared_index, "Russia-NATO")) == [NPR, CSM]


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("TALKS BETWEEN PORTUGAL AND THE U.S .", "TALKS BETWEEN PORTUGAL and THE U.S ."),
        ("NOT ONE OR TWO", "not ONE or TWO"),
        ("missile AND Serdyukov", "missile AND Serdyukov"),
        ("NATO AND Kimball", "NATO AND Kimball"),
    ],
)
def test_operators_are_words_only_in_a_shouted_query(typed: str, parsed: str) -> None:
    assert operators_as_words_if_shouted(typed) == parsed


def test_misspelled_query_suggests_the_close_spelling(shared_index: Index) -> None:
    results = shared_index.search("missle defence")
    assert (results.total, results.suggestion) == (0, "missile defense")
    assert shared_index.search("Khramchikn").suggestion == "Khramchikin"


def test_no_suggestion_when_something_matches_or_nothing_is_close(shared_index: Index) -> None:
    assert shared_index.search("missile defence").suggestion is None
    assert shared_index.search("zzyzx").suggestion is None


def test_suggestion_must_find_articles_under_the_same_filters(shared_index: Index) -> None:
    assert shared_index.search("missle defence", since="2012-01-01").suggestion is None


def test_snippets_are_whole_sentences_densest_first(shared_index: Index) -> None:
    npr = next(hit for hit in shared_index.search("missile defense") if hit.source == "NPR")
    assert (
        "So [[missile]] [[defense]] has once again landed high on the diplomatic agenda between "
        "the U.S. and Russia."
    ) in npr.snippets
    assert "[[missiles]] near the borders of NATO" in npr.snippets[0]


@pytest.mark.parametrize(
    ("query", "marked"), [("Cirinc*", "[[Cirincione]]"), ("Khramchikn~", "[[Khramchikin]]")]
)
def test_snippets_mark_the_words_a_wildcard_or_fuzzy_word_stands_for(
    shared_index: Index, query: str, marked: str
) -> None:
    [hit] = shared_index.search(query).hits
    assert any(marked in snippet for snippet in hit.snippets)


def test_snippets_never_mark_an_excluded_word(shared_index: Index) -> None:
    results = shared_index.search("missile -title:Kimball")
    assert NPR in [hit.path.rsplit("/", 1)[-1] for hit in results]
    assert all("[[Kimball]]" not in snippet for hit in results for snippet in hit.snippets)


def test_long_sentences_are_cut_around_their_matches(shared_index: Index) -> None:
    for hit in shared_index.search("missile defense"):
        for snippet in hit.snippets:
            shown = snippet.replace("[[", "").replace("]]", "").split(": ", 1)[-1]
            assert len(shown) <= SNIPPET_CHARS


def test_sentences_do_not_end_at_abbreviations_or_initials() -> None:
    text = "Mr. Kimball told J. Doe and Capt. Rao in the U.S. on Monday. He left!\n\nA new line"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Mr. Kimball told J. Doe and Capt. Rao in the U.S. on Monday.",
        "He left!",
        "A new line",
    ]


def test_parentheses_group_boolean_operators(shared_index: Index) -> None:
    assert names(shared_index, "(Serdyukov OR Cirincione) AND Khramchikin") == [CSM]
    assert sorted(names(shared_index, "(Serdyukov OR Cirincione) AND missile")) == [NPR, CSM]
    assert names(shared_index, "Serdyukov OR (Cirincione AND zeppelins)") == [CSM]


@pytest.fixture(scope="module")
def nations_index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    folder = tmp_path_factory.mktemp("nations")
    texts = {
        "plural": "Talks\n\nThe nations met in Geneva to sign the accord.",
        "singular": "Anthem\n\nThe nation sang as one in Geneva.",
        "adjective": "Parks\n\nA national park opened near the border.",
        "other": "Weather\n\nRain fell on the harbour all week.",
    }
    for name, text in texts.items():
        write(folder / "in" / f"{name}.txt", text)
    index = Index(folder / "index")
    index.build([folder / "in"])
    return index


def test_a_word_finds_its_stem_family_and_ranks_the_typed_form_first(
    nations_index: Index,
) -> None:
    assert names(nations_index, "nations") == ["plural.txt", "singular.txt", "adjective.txt"]
    assert names(nations_index, "body:nation")[0] == "singular.txt"
    assert set(names(nations_index, "body:nation")) == {
        "plural.txt",
        "singular.txt",
        "adjective.txt",
    }
    assert nations_index.search("nations").total == 3
    marked = " ".join(hit.snippets[0] for hit in nations_index.search("nation"))
    assert all(f"[[{word}]]" in marked for word in ("nation", "nations", "national"))


def test_a_body_phrase_matches_the_words_as_written(nations_index: Index) -> None:
    assert names(nations_index, '"nations met"') == ["plural.txt"]
    assert names(nations_index, '"nation met"') == []


def test_a_stem_family_scores_as_one_stemmed_term(nations_index: Index) -> None:
    """The family of "nation" in the unstemmed body scores every article as BM25 of the stem
    would in a stemmed body: summed frequency, the idf of the articles holding any form."""
    whoosh_index = nations_index.directory.open()
    analyzer = build_schema()["title"].analyzer  # the stemming text analyser
    stemmed = RamStorage().create_index(Schema(body=TEXT(analyzer=analyzer)))
    writer = stemmed.writer()
    with whoosh_index.searcher() as searcher:
        paths = {}
        for docnum in searcher.document_numbers():
            fields = searcher.stored_fields(docnum)
            writer.add_document(body=fields["body"])
            paths[len(paths)] = Path(fields["path"]).stem
    writer.commit()
    with stemmed.searcher(weighting=RANKING) as searcher:
        expected = {
            paths[hit.docnum]: hit.score * 0.5
            for hit in searcher.search(query.Term("body", "nation"), limit=None)
        }
    with whoosh_index.searcher(weighting=RANKING) as searcher:
        _, family = with_stems(query.Term("body", "nations"), searcher.reader()).subqueries
        found = {Path(hit["path"]).stem: hit.score for hit in searcher.search(family, limit=None)}
    assert len(expected) == 3 and found == pytest.approx(expected, rel=1e-9)
