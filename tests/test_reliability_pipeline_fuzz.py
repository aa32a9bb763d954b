"""Fuzzing the loader, cleaner and extractor: random text and HTML, and real news pages
mangled at random. Nothing raises except a `LoadError` for bytes that are not an article, and
every field of the result is valid text."""

from __future__ import annotations

import gzip
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHARED_DATA
from searchidx.model import Article, SourceDocument
from searchidx.pipeline import prepare
from searchidx.sources import LoadError, decode_bytes

PAGE_FOLDERS = [
    SHARED_DATA / "article-extraction-benchmark" / "html",
    SHARED_DATA / "trafilatura-eval-en" / "html",
]
# Control characters other than tab and newline have no place in indexed text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TAGS = ["p", "div", "span", "a", "b", "table", "tr", "td", "li", "ul", "script", "style",
         "h1", "article", "main", "blockquote", "br", "meta", "title", "html", "body"]  # fmt: skip


def assert_valid_text(article: Article) -> None:
    """Every string the article carries is encodable text without control characters."""
    values = [
        article.title, article.body, article.byline, article.source, article.url,
        *article.headings, *article.speakers, *article.organizations, *article.people,
        *(q.text for q in article.quotes), *(q.speaker for q in article.quotes),
    ]  # fmt: skip
    for value in values:
        assert isinstance(value, str)
        value.encode("utf-8")  # raises on lone surrogates
        assert not _CONTROL.search(value), repr(value[:200])


def prepare_bytes(data: bytes, kind: str) -> Article | None:
    """Load, clean and extract raw file bytes; None when the loader rejects them."""
    path = Path(f"fuzzed.{'html' if kind == 'html' else 'txt'}")
    try:
        text, encoding = decode_bytes(path, data, kind)
    except LoadError as error:
        assert error.reason and "\n" not in error.reason
        return None
    document = SourceDocument(path, text, kind, encoding, len(data), 0)
    article = prepare(document)
    assert_valid_text(article)
    return article


def real_pages() -> list[bytes]:
    pages = [gzip.decompress(p.read_bytes()) for f in PAGE_FOLDERS for p in sorted(f.glob("*.gz"))]
    if not pages:
        pytest.skip("no HTML pages in ../shared/data")
    return pages


def mutate(page: bytes, rng: random.Random) -> bytes:
    """One to four random edits of the kinds real damage takes: truncation, a lost or doubled
    chunk, stray tags, junk bytes, deep nesting."""
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(page) + 1)
        kind = rng.randrange(7)
        if kind == 0:
            page = page[:at]
        elif kind == 1:
            page = page[:at] + page[at + rng.randint(1, 5000) :]
        elif kind == 2:
            chunk = page[at : at + rng.randint(1, 5000)]
            page = page[:at] + chunk * rng.randint(2, 20) + page[at:]
        elif kind == 3:
            tag = rng.choice(_TAGS)
            stray = rng.choice([f"<{tag}>", f"</{tag}>", f"<{tag} "])
            page = page[:at] + stray.encode() + page[at:]
        elif kind == 4:
            page = page[:at] + rng.randbytes(rng.randint(1, 64)) + page[at:]
        elif kind == 5:
            depth = rng.choice([100, 1000, 10_000])
            page = page[:at] + b"<div><span>" * depth + page[at:]
        else:
            odd = rng.choice(["“", "\u201d", '"', "\u2028", "\ufeff"])
            page = page[:at] + odd.encode() + page[at:]
    return page


def check_mutated_pages(count: int, seed: int) -> None:
    rng = random.Random(seed)
    pages = real_pages()
    for _ in range(count):
        prepare_bytes(mutate(rng.choice(pages), rng), "html")


def test_mutated_real_pages_clean_without_errors() -> None:
    check_mutated_pages(25, seed=11)


@pytest.mark.slow
def test_thousands_of_mutated_real_pages_clean_without_errors() -> None:
    check_mutated_pages(3_000, seed=12)


def test_control_characters_spelled_as_character_references_are_dropped() -> None:
    page = "<html><body><p>The council&#1; said the bridge&#x1b; would reopen on Monday.</p>"
    article = prepare_bytes(page.encode(), "html")
    assert article is not None
    assert "The council said the bridge would reopen on Monday." in article.body


def test_real_page_nested_ten_thousand_deep_keeps_its_text() -> None:
    paragraph = "The council said the bridge, closed since May, would reopen on Monday."
    page = "<html><body>" + "<div>" * 10_000 + f"<p>{paragraph}</p>" + "</div>" * 10_000
    article = prepare_bytes(page.encode(), "html")
    assert article is not None and paragraph in article.body


HTML = st.recursive(
    st.text(max_size=40),
    lambda children: st.builds(
        lambda tag, inner, close: f"<{tag}>{''.join(inner)}" + (f"</{tag}>" if close else ""),
        st.sampled_from(_TAGS),
        st.lists(children, max_size=5),
        st.booleans(),
    ),
    max_leaves=60,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(str.encode)))
def test_random_bytes_as_text_files(data: bytes) -> None:
    prepare_bytes(data, "text")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=HTML)
def test_random_html(html: str) -> None:
    prepare_bytes(html.encode("utf-8", "surrogatepass"), "html")


@pytest.mark.slow
@settings(max_examples=3_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=HTML, text=st.text(max_size=5000))
def test_much_random_html_and_text(html: str, text: str) -> None:
    prepare_bytes(html.encode("utf-8", "surrogatepass"), "html")
    prepare_bytes(text.encode("utf-8", "surrogatepass"), "text")
