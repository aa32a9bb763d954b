"""The shortcuts taken for speed give exactly what the slow, obvious way gives."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import re
from pathlib import Path

import pytest
from whoosh import query
from whoosh.fields import TEXT

from conftest import BBC_DEV, SEEDS, SHARED_DATA, write
from searchidx.api import Index
from searchidx.index import (
    article_fields,
    article_version,
    content_hash,
    index_key,
    quote_documents,
)
from searchidx.pipeline import prepare
from searchidx.postings import BlockPhrase
from searchidx.schema import AnalysedText, exact_word_counts
from searchidx.search import (
    RANKING,
    closest_indexed_word,
    first_ranking,
    parse_query,
    with_stems,
    word_scores,
)
from searchidx.segments import TermSegmentWriter
from searchidx.sources import read_source
from searchidx.store import DurableStorage


def test_scoring_by_stored_words_matches_a_filtered_search(
    shared_index: Index,
) -> None:
    boosts = {"missile": 0.5, "russia": 0.25, "treaty": 1.0, "kimball": 0.125, "zeppelin": 1.0}
    whoosh_index = shared_index.directory.open()
    with whoosh_index.searcher(weighting=RANKING) as searcher:
        scored = query.Or([query.Term("body", w, boost=b) for w, b in boosts.items()])
        docnums = list(searcher.document_numbers())[1::2]
        expected = {
            hit.docnum: hit.score
            for hit in searcher.search(scored, limit=None, filter=set(docnums))
        }
        counts = {
            docnum: exact_word_counts(searcher.stored_fields(docnum)["body"]) for docnum in docnums
        }
        scores = word_scores(searcher, "body", boosts, counts)
        assert expected and scores == pytest.approx(expected, rel=1e-12)


def test_a_linked_article_is_stored_under_its_target(tmp_path: Path) -> None:
    target = write(tmp_path / "real" / "story.txt", "Harbour news\n\nThe quay is busy again.\n")
    (tmp_path / "in").mkdir()
    os.symlink(target, tmp_path / "in" / "link.txt")
    index = Index(tmp_path / "index")
    index.build([tmp_path / "in"])
    [hit] = index.search("quay").hits
    assert hit.path == index_key(target) == str(target.resolve())
    assert index.build([tmp_path / "in"]).skipped == 1


def test_queries_rank_and_count_as_whooshs_search_after_updates(
    tmp_path: Path, articles: Path
) -> None:
    """Scoring a query a part at a time gives Whoosh's own top ten, scores and count, in two
    segments with a deleted article, with and without a filter."""
    for number, text in enumerate(_bbc_texts(200)):
        write(articles / f"bbc{number:03d}.txt", f"Story {number}\n\n{text}\n")
    index = Index(tmp_path / "index")
    index.build([articles])
    changed = next(articles.glob("002_*"))
    changed.write_text(changed.read_text() + "\n\nA postscript about missile zeppelins.\n")
    write(articles / "late.txt", "Late news\n\nMissile talks on the economy and the election.\n")
    index.build([articles])  # the old version is now a deleted document
    whoosh_index = index.directory.open()
    texts = ["missile", "missile defense Russia", "zeppelins Kimball", "nothingatall"]
    texts += ["economy growth^3 title:election", "Kimball said the treaty would help security"]
    texts += ['"missile defense" Russia', "missile NOT Kimball", "elect* (tax OR vote)"]
    with whoosh_index.searcher(weighting=RANKING) as searcher:
        assert searcher.reader().has_deletions() and not searcher.reader().is_atomic()
        for text, restriction in itertools.product(texts, [None, query.Term("source", "csm")]):
            parsed = with_stems(parse_query(text, searcher.schema), searcher.reader())
            found, total = first_ranking(searcher, parsed, 10, restriction)
            expected = searcher.search(parsed, limit=None, filter=restriction)
            assert total == len(expected), text
            assert [hit.docnum for hit in found] == [hit.docnum for hit in expected[:10]], text
            scores = [hit.score for hit in found]
            assert scores == pytest.approx([hit.score for hit in expected[:10]], rel=1e-9)


@pytest.mark.parametrize("limit", [1, 10])
@pytest.mark.parametrize(
    "text", ['"arms race"', "title:battle", "missile NOT Kimball", "Cirinc*", "nothingatall"]
)
def test_counting_other_queries_matches_an_unlimited_search(
    shared_index: Index, text: str, limit: int
) -> None:
    whoosh_index = shared_index.directory.open()
    with whoosh_index.searcher(weighting=RANKING) as searcher:
        parsed = parse_query(text, searcher.schema)
        _, total = first_ranking(searcher, parsed, limit, None)
        assert total == searcher.search(parsed, limit=None).scored_length()


def _phrases_of(analyzer, text: str, every: int) -> list[list[str]]:
    """Runs of two and three adjacent indexed words of `text`, every `every`th start."""
    words = [token.text for token in analyzer(text)]
    starts = range(0, max(0, len(words) - 2), every)
    return [words[i : i + size] for i in starts for size in (2, 3)]


def test_block_phrases_find_and_score_what_whooshs_phrases_do(tmp_path: Path) -> None:
    """Every phrase of adjacent words, in two segments with a deleted article: the same
    articles as Whoosh's span matcher, with the same scores, boosted or not."""
    folder = tmp_path / "in"
    for number, text in enumerate(_bbc_texts(300)):
        write(folder / f"bbc{number:03d}.txt", f"Story {number}\n\n{text}\n")
    for seed in SEEDS.glob("*.txt"):
        write(folder / seed.name, seed.read_text(encoding="utf-8"))
    index = Index(tmp_path / "index")
    index.build([folder])
    changed = folder / next(SEEDS.glob("002_*")).name
    changed.write_text(changed.read_text() + "\n\nMissile defense, missile defense again.\n")
    write(folder / "late.txt", "Late news\n\nThe arms race and the arms race again.\n")
    index.build([folder])  # a second segment; the old version of 002 is deleted
    whoosh_index = index.directory.open()
    with whoosh_index.searcher(weighting=RANKING) as searcher:
        assert searcher.reader().has_deletions() and not searcher.reader().is_atomic()
        phrases = []
        docnums = list(searcher.document_numbers())
        for docnum in docnums[:: max(1, len(docnums) // 30)]:
            stored = searcher.stored_fields(docnum)
            for fieldname, every in (("body", 23), ("title", 1)):
                analyzer = searcher.schema[fieldname].analyzer
                phrases += [(fieldname, w) for w in _phrases_of(analyzer, stored[fieldname], every)]
        phrases += [("body", ["missile", "defense"]), ("body", ["arms", "race"])]
        assert len(phrases) > 60
        for (fieldname, words), boost in zip(phrases, [1.0, 2.5] * len(phrases), strict=False):
            whooshs = query.Phrase(fieldname, words, boost=boost)
            ours = BlockPhrase(fieldname, words, boost=boost)
            expected = {h.docnum: h.score for h in searcher.search(whooshs, limit=None)}
            found = {h.docnum: h.score for h in searcher.search(ours, limit=None)}
            assert expected, words
            assert found == pytest.approx(expected, rel=1e-9), words


def _misspellings(word: str) -> list[str]:
    """A letter dropped, two swapped, one replaced, one added, two replaced."""
    return [
        word[:2] + word[3:],
        word[:1] + word[2] + word[1] + word[3:],
        word[:3] + "x" + word[4:],
        word[:2] + "e" + word[2:],
        word[:2] + "qz" + word[4:],
    ]


def _edits(a: str, b: str) -> int:
    """Optimal-string-alignment distance, the textbook dynamic programme."""
    rows = [list(range(len(b) + 1))] + [[i] + [0] * len(b) for i in range(1, len(a) + 1)]
    for i, j in itertools.product(range(1, len(a) + 1), range(1, len(b) + 1)):
        rows[i][j] = min(
            rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] != b[j - 1])
        )
        if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
            rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


def test_spelling_suggestion_is_the_nearest_then_most_frequent_word(
    tmp_path: Path, articles: Path
) -> None:
    """Against a plain reading of the rule over the whole word list. (Whoosh's own `suggest`
    is not a reference: in a one-segment index it misses swapped letters, "aigng" -> "aging",
    and in several segments it finds them.)"""
    for number, text in enumerate(_bbc_texts(150)):
        write(articles / f"bbc{number:03d}.txt", f"Story {number}\n\n{text}\n")
    index = Index(tmp_path / "index")
    index.build([articles])
    whoosh_index = index.directory.open()
    with whoosh_index.searcher() as searcher:
        reader = searcher.reader()
        words = [w.decode() for w in reader.lexicon("body")]
        every = max(1, len(words) // 80)  # ~80 words, with or without the BBC articles
        typed = {m for word in words[::every] if len(word) >= 5 for m in _misspellings(word)}
        typed = sorted(t for t in typed if not reader.doc_frequency("body", t))
        assert len(typed) > 20
        for word in typed:
            most = 2 if len(word) >= 5 else 1
            alike = [w for w in words if w[0] == word[0] and abs(len(w) - len(word)) <= most]
            near = [(_edits(word, w), w) for w in alike]
            near = [(d, -reader.frequency("body", w), w) for d, w in near if 0 < d <= most]
            expected = min(near)[2] if near else None
            assert closest_indexed_word(reader, word, most) == expected, word


# Stop words, one-letter words, Whoosh's "*" letters, dotted words, Unicode case folding.
_AWKWARD_TEXTS = [
    "",
    "The a I",
    "The cat sat. THE CAT SAT on the mat, the mat.",
    "****SANTO DOMINGO, March 4 - U.S. sugar 3.5 pct x.y.z e-mail it's don't",
    "ΟΔΟΣ ΟΔΟΣ.Α İstanbul ǅemal ﬁnance Straße",
]


def _bbc_texts(count: int) -> list[str]:
    if not BBC_DEV.is_file():
        return []
    with BBC_DEV.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for _, line in zip(range(count), lines, strict=False)]


@pytest.mark.parametrize("stem", [True, False])
@pytest.mark.parametrize("phrase", [True, False])
def test_analysed_text_makes_the_postings_of_its_whoosh_analyser(stem: bool, phrase: bool) -> None:
    fast = AnalysedText(stem=stem, phrase=phrase)
    whoosh = TEXT(analyzer=fast.analyzer, phrase=phrase)
    texts = _AWKWARD_TEXTS + [p.read_text() for p in sorted(SEEDS.glob("*.txt"))] + _bbc_texts(200)
    for text in texts:
        assert sorted(fast.index(text)) == sorted(whoosh.index(text)), text[:60]


def _segment_contents(folder: Path, writer_class, documents: list[dict], schema, **options):  # type: ignore[no-untyped-def]
    """Write `documents` into a new segment in `folder`; return what a reader finds in it:
    each term's statistics and postings, and the bytes of every other file (stored fields,
    columns, lengths), segment id left out of the names."""
    folder.mkdir()
    index = DurableStorage(str(folder)).create_index(schema)
    writer = writer_class(index, _lk=False, compound=False, **options)
    for fields in documents:
        writer.add_document(**fields)
    segment = writer._finalize_segment()
    writer._commit_toc([segment])
    writer._finish()
    terms = {}
    with index.reader() as reader:
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            postings = reader.postings(fieldname, text)
            terms[fieldname, text] = (
                (info.doc_frequency(), info.weight(), info.min_length(), info.max_length()),
                (info.max_weight(), info.min_id(), info.max_id()),
                [(docnum, postings.weight(), postings.value()) for docnum in postings.all_ids()],
            )
    files = {
        path.name.replace(segment.segment_id(), ""): path.read_bytes()
        for path in folder.iterdir()
        if segment.segment_id() in path.name and path.suffix not in (".trm", ".pst")
    }
    return terms, files


@pytest.mark.parametrize("limitmb", [64, 0])  # 0: every field spills a run, merged at the end
def test_term_segment_writer_writes_what_whoosh_writes(tmp_path: Path, limitmb: int) -> None:
    from whoosh.writing import SegmentWriter

    from searchidx.schema import build_quote_schema, build_schema

    folder = tmp_path / "articles"
    paths = sorted(SEEDS.glob("*.txt"))
    stories = _bbc_texts(40)  # none without ../shared/data: the seeds alone are still compared
    for number, text in enumerate(stories):
        paths.append(write(folder / f"{number}.txt", f"Story {number}\n\n{text}\n"))
    articles, quotes = [], []
    for path in paths:
        document = read_source(path)
        article, digest, key = prepare(document), content_hash(document.text), index_key(path)
        articles.append(article_fields(article, document, key, digest))
        quotes.extend(quote_documents(article, key, article_version(key, digest)))
    assert len(quotes) > (20 if stories else 10)
    for name, schema, documents in (
        ("articles", build_schema(), articles),
        ("quotes", build_quote_schema(), quotes),
    ):
        whooshs = _segment_contents(tmp_path / f"whoosh-{name}", SegmentWriter, documents, schema)
        ours = _segment_contents(
            tmp_path / f"ours-{name}", TermSegmentWriter, documents, schema, limitmb=limitmb
        )
        assert len(ours[0]) == len(whooshs[0]) > (1000 if stories else 100)
        assert ours[0] == whooshs[0], name
        assert ours[1] == whooshs[1], name


def test_call_to_action_and_cookie_shortcuts_match_the_full_regex_search() -> None:
    from searchidx.clean import (
        _CALL_TO_ACTION,
        _COOKIE_NOTICE,
        is_call_to_action,
        is_cookie_notice,
        normalize_space,
    )

    lines = [
        "Follow Pam Key on Twitter @pamkeyNEN.",
        "Subscribe now for the full story.",
        "Already a subscriber? Log in",
        "H/t Reuters",
        "Download our free app for the latest news",
        "Please write us a letter to the editor",
        "Sign up for our newsletter in your inbox",
        "  - Get the latest news",
        "To read the full story, click here",
        "This site uses cookies. COOKIE POLICY",
        "He said he would follow the talks and download the data.",
    ]
    lines += [normalize_space(line) for text in _bbc_texts(300) for line in text.split("\n")]
    for line in filter(None, lines):
        assert is_call_to_action(line) == (
            len(line.split()) <= 40 and bool(_CALL_TO_ACTION.search(line))
        ), line
        assert is_cookie_notice(line) == bool(_COOKIE_NOTICE.search(line)), line
    assert sum(map(is_call_to_action, lines[:10])) == 9


def test_writers_sharing_a_temporary_folder_keep_their_spilled_runs_apart(tmp_path: Path) -> None:
    from whoosh.filedb.filestore import FileStorage

    from searchidx.segments import TermPool

    storage = FileStorage(str(tmp_path))
    first, second = TermPool(storage, 0), TermPool(storage, 0)
    for docnum, pool in enumerate((first, second, first)):
        pool.add("body", docnum, [(b"word", 1, 1.0, b"")])
    assert len(first.runs) == 2 and len(set(first.runs + second.runs)) == 3
    assert [list(t) for t in first.terms()] == [["body", b"word", [0, 1.0, b"", 2, 1.0, b""]]]
    first.cleanup()
    assert [list(t) for t in second.terms()] == [["body", b"word", [1, 1.0, b""]]]


# --- the HTML path ---------------------------------------------------------------------------

AEB_PAGES = SHARED_DATA / "article-extraction-benchmark" / "html"


def _real_pages(count: int = 25) -> list[str]:
    """The first saved news pages of the article-extraction benchmark, decoded."""
    if not AEB_PAGES.is_dir():
        pytest.skip("article-extraction-benchmark data not available")
    paths = sorted(AEB_PAGES.glob("*.html.gz"))[:count]
    return [gzip.decompress(path.read_bytes()).decode("utf-8", "replace") for path in paths]


def test_trafilatura_reads_our_trees_as_it_reads_lxml_html_trees() -> None:
    """Our parser's C element lookup gives trafilatura the same main text as lxml.html's own."""
    import trafilatura
    from lxml.html import HTMLParser, document_fromstring

    from searchidx.html import _parse

    plain = HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True, collect_ids=False)
    for page in _real_pages():
        texts = [
            trafilatura.bare_extraction(
                tree, fast=True, include_comments=False, include_tables=True
            ).text
            for tree in (_parse(page), document_fromstring(page, parser=plain))
        ]
        assert texts[0] and texts[0] == texts[1]


def test_trafilaturas_text_is_its_body_as_plain_text() -> None:
    """The text bare_extraction hands back is what xmltotxt makes of its body, unformatted."""
    import trafilatura
    from trafilatura.xml import xmltotxt

    from searchidx.html import _parse

    for page in _real_pages(10):
        document = trafilatura.bare_extraction(
            _parse(page), fast=True, include_comments=False, include_tables=True
        )
        assert document.text == xmltotxt(document.body, include_formatting=False)


def test_byline_walk_finds_the_elements_the_xpath_found() -> None:
    from lxml.etree import XPath

    from searchidx.html import _byline_elements, _parse

    xpath = XPath(
        '//*[@rel="author" or @itemprop="author" or contains(@class, "author") '
        'or contains(@class, "byline")][not(ancestor-or-self::*[contains(@class, "comment") '
        'or contains(@id, "comment")])]'
    )
    found = 0
    for page in _real_pages():
        tree = _parse(page)
        assert list(_byline_elements(tree)) == xpath(tree)
        found += len(xpath(tree))
    assert found > 0


def test_furniture_class_words_match_the_case_blind_pattern() -> None:
    from lxml.etree import XPath

    from searchidx.html import _names_furniture, _parse

    case_blind = re.compile(
        r"(^|[\s_-])(share|sharing|social|related|recommend\w*|promo|advert\w*|ads?|"
        r"sponsor\w*|newsletter|subscribe|subscription|cookie\w*|popup|modal|outbrain|"
        r"taboola|byline-share)($|[\s_-])",
        re.I,
    )
    names = [
        f"{element.get('class', '')} {element.get('id', '')}"
        for page in _real_pages()
        for element in XPath("//*[@class or @id]")(_parse(page))
    ]
    names += ["Share-Bar", "ad_slot x", "AdvertBox", "ſhare", "ads\u212a", "shared", "sidebar"]
    assert sum(map(_names_furniture, names)) > 20
    assert [_names_furniture(n) for n in names] == [bool(case_blind.search(n)) for n in names]
