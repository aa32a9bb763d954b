"""Stage 4: incremental builds, rebuilds that swap in whole, the write lock."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
import whoosh.writing
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import Phrase, Term

from conftest import write
from searchidx.api import Index
from searchidx.errors import ArticlesNotFound, IndexBusy, IndexNotFound, IndexUnreadable
from searchidx.store import CURRENT_FILE, DurableStorage

NEW_ARTICLE = (
    "Arctic shipping lanes open\n\n"
    'Ice melted early this year, and "the route is open for business," said Erik Lund, '
    "director of the Polar Shipping Council.\n"
)


def test_first_build_adds_every_article(seed_index: Index) -> None:
    assert seed_index.stats().documents == 2


def test_unchanged_files_are_skipped(seed_index: Index, articles: Path) -> None:
    report = seed_index.build([articles])
    assert (report.added, report.updated, report.removed, report.skipped) == (0, 0, 0, 2)


def test_one_folder_may_be_given_bare(tmp_path: Path, articles: Path) -> None:
    # A str is an iterable of one-letter paths, "/" among them: it must mean the one folder.
    report = Index(tmp_path / "bare").build(str(articles))
    assert (report.added, report.documents) == (2, 2)
    assert Index(tmp_path / "bare-path").build(articles).documents == 2


def test_new_file_is_indexed_alone(seed_index: Index, articles: Path) -> None:
    write(articles / "new" / "arctic.txt", NEW_ARTICLE)
    report = seed_index.build([articles])
    assert (report.added, report.skipped, report.documents) == (1, 2, 3)
    assert [h.title for h in seed_index.search("arctic shipping")] == ["Arctic shipping lanes open"]


def test_changed_file_is_updated(seed_index: Index, articles: Path) -> None:
    path = next(articles.glob("002_*"))
    path.write_text(path.read_text() + "\n\nA postscript about zeppelins.\n")
    report = seed_index.build([articles])
    assert (report.updated, report.skipped, report.documents) == (1, 1, 2)
    assert seed_index.search("zeppelins").total == 1


def test_touched_but_unchanged_file_is_not_counted_as_updated(
    seed_index: Index, articles: Path
) -> None:
    path = next(articles.glob("002_*"))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    report = seed_index.build([articles])
    assert (report.updated, report.skipped) == (0, 2)


def test_deleted_file_is_removed(seed_index: Index, articles: Path) -> None:
    next(articles.glob("000_*")).unlink()
    report = seed_index.build([articles])
    assert (report.removed, report.documents) == (1, 1)
    assert seed_index.search("Kimball").total == 0


def test_a_missing_folder_changes_nothing(seed_index: Index, articles: Path) -> None:
    # A renamed folder or a drive not mounted: its articles were all "deleted" from the index.
    articles.rename(articles.with_name("away"))
    with pytest.raises(ArticlesNotFound, match="the index was not changed"):
        seed_index.build([articles])
    assert seed_index.stats().documents == 2
    assert seed_index.search("Kimball").total == 1


def test_a_missing_folder_beside_others_keeps_its_articles(
    seed_index: Index, articles: Path, tmp_path: Path
) -> None:
    other = write(tmp_path / "other" / "note.txt", "Pension reform\n\nThe pension plan.").parent
    assert seed_index.build([articles, other]).added == 1
    articles.rename(articles.with_name("away"))
    report = seed_index.build([articles, other])
    assert (report.removed, report.documents) == (0, 3)
    assert [(f.path, f.reason) for f in report.failures] == [(articles, "no such file or folder")]


def test_a_first_build_of_a_missing_folder_makes_no_index(tmp_path: Path) -> None:
    index = Index(tmp_path / "index")
    with pytest.raises(ArticlesNotFound, match=r"no such file or folder: .*typo"):
        index.build([tmp_path / "typo"])
    assert not index.exists()


def test_bad_files_are_reported_and_the_rest_indexed(tmp_path: Path, articles: Path) -> None:
    write(articles / "empty.txt", b"")
    write(articles / "image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(
        articles / "latin.txt",
        "Caf\xe9 owners protest\n\nThe caf\xe9 owners of Gen\xe8ve marched on Friday.".encode(
            "latin-1"
        ),
    )
    report = Index(tmp_path / "ix").build([articles])
    assert report.documents == 3
    assert sorted((f.path.name, f.reason.split(" (")[0]) for f in report.failures) == [
        ("empty.txt", "empty file"),
        ("image.html", "binary file"),
    ]
    assert Index(tmp_path / "ix").search("Genève").hits[0].title == "Café owners protest"


def test_rebuild_swaps_in_a_new_generation(seed_index: Index, articles: Path) -> None:
    before = (seed_index.path / CURRENT_FILE).read_text()
    report = seed_index.build([articles], rebuild=True)
    assert report.rebuilt and report.added == 2
    assert (seed_index.path / CURRENT_FILE).read_text() != before
    assert seed_index.search("missile").total == 2


def test_interrupted_rebuild_leaves_the_old_index_searchable(
    seed_index: Index, articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import searchidx.pipeline

    calls = 0
    real_prepare = searchidx.pipeline.prepare

    def interrupt_on_second(document):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 2:
            raise KeyboardInterrupt
        return real_prepare(document)

    monkeypatch.setattr(searchidx.pipeline, "prepare", interrupt_on_second)
    with pytest.raises(KeyboardInterrupt):
        seed_index.build([articles], rebuild=True)
    assert seed_index.search("missile defense").total == 2
    monkeypatch.undo()
    assert seed_index.build([articles], rebuild=True).documents == 2
    assert len(list(seed_index.path.glob("gen-*"))) <= 2


def test_second_writer_waits_then_fails_clearly(seed_index: Index, articles: Path) -> None:
    holding = threading.Event()
    release = threading.Event()

    def hold_lock() -> None:
        with seed_index.directory.write_lock():
            holding.set()
            release.wait(5)

    holder = threading.Thread(target=hold_lock)
    holder.start()
    holding.wait(5)
    try:
        with pytest.raises(IndexBusy, match="another searchidx build"):
            Index(seed_index.path).build([articles], lock_timeout=0.3)
    finally:
        release.set()
        holder.join()


def test_missing_index_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound, match="searchidx build"):
        Index(tmp_path / "nothing").search("x")


def test_damaged_index_says_to_rebuild(seed_index: Index, articles: Path) -> None:
    generation = seed_index.directory.current_generation()
    assert generation is not None
    for toc in generation.glob("*.toc"):
        toc.unlink()
    with pytest.raises(IndexUnreadable, match="--rebuild"):
        seed_index.search("missile")
    assert seed_index.build([articles], rebuild=True).documents == 2
    assert seed_index.search("missile").total == 2


def test_folder_that_is_not_an_index(tmp_path: Path) -> None:
    write(tmp_path / "ix" / CURRENT_FILE, "../etc\n")
    with pytest.raises(IndexUnreadable, match="not a searchidx index"):
        Index(tmp_path / "ix").search("x")
    shutil.rmtree(tmp_path / "ix")


def test_postings_of_one_document_are_inlined_and_survive_merges(tmp_path: Path) -> None:
    schema = Schema(id=ID(stored=True, unique=True), body=TEXT(stored=True))
    whoosh_index = DurableStorage(str(tmp_path)).create_index(schema)
    for batch in range(3):  # three segments, merged into one below
        with whoosh_index.writer() as writer:
            for number in range(batch * 4, batch * 4 + 4):
                writer.add_document(id=f"doc{number}", body=f"rare{number} shared words")
    with whoosh_index.writer() as writer:
        writer.update_document(id="doc5", body="shared words, rewritten")
        writer.mergetype = whoosh.writing.OPTIMIZE
    with whoosh_index.searcher() as searcher:
        [(segment, _)] = searcher.reader().leaf_readers()
        assert segment.term_info("body", "rare7").is_inlined()
        assert not segment.term_info("body", "shared").is_inlined()
        assert searcher.document(id="doc7")["body"] == "rare7 shared words"
        found = searcher.search(Phrase("body", ["rare9", "shared"]))
        assert [hit["id"] for hit in found] == ["doc9"]
        assert searcher.search(Term("body", "rare5")).scored_length() == 0
        assert searcher.doc_count() == 12
