"""The shortcuts taken for speed give exactly what the slow, obvious way gives."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import write
from searchidx.api import Index
from searchidx.index import index_key
from searchidx.search import RANKING, count_matches, parse_query, scores_of


def test_scoring_a_few_articles_matches_a_filtered_search(shared_index: Index) -> None:
    whoosh_index = shared_index.directory.open()
    with whoosh_index.searcher(weighting=RANKING) as searcher:
        scored = parse_query("missile Russia treaty Kimball", searcher.schema)
        docnums = list(searcher.document_numbers())
        expected = {
            hit.docnum: hit.score
            for hit in searcher.search(scored, limit=None, filter=set(docnums))
        }
        assert scores_of(searcher, scored, docnums) == expected


def test_a_linked_article_is_stored_under_its_target(tmp_path: Path) -> None:
    target = write(tmp_path / "real" / "story.txt", "Harbour news\n\nThe quay is busy again.\n")
    (tmp_path / "in").mkdir()
    os.symlink(target, tmp_path / "in" / "link.txt")
    index = Index(tmp_path / "index")
    index.build([tmp_path / "in"])
    [hit] = index.search("quay").hits
    assert hit.path == index_key(target) == str(target.resolve())
    assert index.build([tmp_path / "in"]).skipped == 1


def test_counting_word_queries_matches_whooshs_count_after_updates(
    tmp_path: Path, articles: Path
) -> None:
    index = Index(tmp_path / "index")
    index.build([articles])
    changed = next(articles.glob("002_*"))
    changed.write_text(changed.read_text() + "\n\nA postscript about missile zeppelins.\n")
    index.build([articles])  # the old version is now a deleted document
    whoosh_index = index.directory.open()
    with whoosh_index.searcher(weighting=RANKING) as searcher:
        assert searcher.reader().has_deletions()
        for text in ("missile", "missile defense Russia", "zeppelins Kimball", "nothingatall"):
            parsed = parse_query(text, searcher.schema)
            found = searcher.search(parsed, limit=1)
            assert count_matches(searcher, parsed, found, None) == len(found), text
