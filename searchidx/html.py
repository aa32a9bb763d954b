"""HTML input for the cleaner: a saved news page reduced to its article blocks and metadata.

The metadata comes from what publishers put there for machines (Open Graph and article meta
tags, JSON-LD). The main text comes from trafilatura's main-content extraction, which beat our
own tree scoring on the article-extraction benchmark (benchmarks/README.md, "Cleaner"); its
blocks then go through the same line rules as pasted text (`clean.py`), which drop the
furniture trafilatura keeps (bylines, credits, share and subscribe lines, repeated pull quotes).
The page is parsed once, with lxml, and that tree serves both.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from datetime import date
from html import unescape

import trafilatura
from htmldate import find_date
from lxml.etree import Element, ElementDefaultClassLookup, ParserError, XPath
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    document_fromstring,
)

from searchidx.clean import PageText, normalize_space
from searchidx.dates import parse_iso_date


def page_text(html: str) -> PageText:
    """Metadata and main-content blocks of an HTML page."""
    tree = _parse(html)
    if tree is None:
        return PageText(blocks=_text_between_tags(html))
    meta = _metadata(tree)
    _remove_furniture(tree)
    blocks, headings = _main_text(tree)
    if meta["published"] is None:
        meta["published"] = _date_in_page(tree)
    return PageText(blocks=blocks or _text_between_tags(html), headings=headings, **meta)


# Comments and processing instructions go at parse time: trafilatura drops them later together
# with their tails, which loses the text after an inline comment. huge_tree lifts libxml2's
# nesting limit (255), past which it silently drops the rest of a deeply nested page.
# Every element gets lxml.html's plain HtmlElement class (form fields included, which nothing
# here treats apart) from a lookup written in C: lxml.html's own lookup is a Python method called
# for each element proxy made, by our tree walks and trafilatura's alike (~3 % of the HTML path).
_PARSER = HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True, collect_ids=False)
_PARSER.set_element_class_lookup(
    ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
)


def _parse(html: str) -> HtmlElement | None:
    try:
        return document_fromstring(html, parser=_PARSER)
    except ValueError:  # a string that declares its encoding (<?xml encoding=...?>)
        return _parse_bytes(html.encode("utf-8"))
    except ParserError:  # nothing to parse
        return None


_INVISIBLE = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")


def _text_between_tags(html: str) -> list[str]:
    """Last resort for a page lxml cannot build (nested deeper than libxml2's 2048 levels, or
    broken): the text between its tags, one line per run of text."""
    text = unescape(_TAG.sub("\n", _INVISIBLE.sub(" ", html)))
    return [line for line in map(normalize_space, text.split("\n")) if line]


def _parse_bytes(data: bytes) -> HtmlElement | None:
    try:
        return document_fromstring(data, parser=_PARSER)
    except (ValueError, ParserError):
        return None


# --- main content --------------------------------------------------------------------------

# class/id words of page furniture: share bars, ads, newsletter boxes, related links, as a
# whole word between start, end, spaces, "_" or "-".
_FURNITURE_WORDS = (
    r"(?<![^\s_-])(share|sharing|social|related|recommend\w*|promo|advert\w*|ads?|sponsor\w*|"
    r"newsletter|subscribe|subscription|cookie\w*|popup|modal|outbrain|taboola|byline-share)"
    r"(?![^\s_-])"
)
_FURNITURE_ATTR = re.compile(_FURNITURE_WORDS, re.I)
# The same on lower-cased ASCII text: a third faster than a case-blind search, and for ASCII
# exactly the same matches (re.I also folds a few non-ASCII letters such as "ſ" and the Kelvin
# sign, which is why other text takes the case-blind pattern).
_FURNITURE_ATTR_LOWER = re.compile(_FURNITURE_WORDS)
_NEVER_REMOVED = {"html", "body", "article", "main"}
# descendant-or-self from the root element rather than "//": the same elements, in half the time.
_WITH_CLASS_OR_ID = XPath("descendant-or-self::*[@class or @id]")


def _remove_furniture(tree: HtmlElement) -> None:
    """Drop elements whose class or id names them as furniture, before trafilatura looks.

    trafilatura keeps a short block inside the article element ("Buy one, get one free" in a
    <div class="advert">) when its text looks like prose; the page's own markup says otherwise.
    """
    doomed = [
        element
        for element in _WITH_CLASS_OR_ID(tree)
        if element.tag not in _NEVER_REMOVED
        and _names_furniture(f"{element.get('class', '')} {element.get('id', '')}")
        and _is_small_or_links(element)
    ]
    for element in doomed:
        element.drop_tree()


def _names_furniture(class_and_id: str) -> bool:
    """A class or id word of `_FURNITURE_WORDS` ("share-bar", "ad_slot", "newsletter")."""
    if class_and_id.isascii():
        return bool(_FURNITURE_ATTR_LOWER.search(class_and_id.lower()))
    return bool(_FURNITURE_ATTR.search(class_and_id))


def _main_text(tree: HtmlElement) -> tuple[list[str], set[str]]:
    """The article's blocks (one paragraph, heading, list item or table row each) and headings.

    `fast` skips trafilatura's second opinions (readability, jusText): on the benchmark they
    changed no score but cost time, except on pages where the fast pass returns the whole page
    (hundreds of short menu lines); those are asked again with them. Comments are furniture
    for a news archive.
    """
    blocks, headings = _trafilatura_blocks(tree, fast=True)
    if _looks_like_whole_page(blocks):
        blocks, headings = _trafilatura_blocks(tree, fast=False)
    return blocks or _all_paragraphs(tree), headings


def _trafilatura_blocks(tree: HtmlElement, fast: bool) -> tuple[list[str], set[str]]:
    document = trafilatura.bare_extraction(
        tree, fast=fast, include_comments=False, include_tables=True, with_metadata=False
    )
    if document is None or document.body is None:
        return [], set()
    # Its plain text (`xmltotxt` of the body, formatting off for "python" output): made once.
    text = document.text or ""
    blocks = [line for line in text.split("\n") if line.strip()]
    headings = {normalize_space(" ".join(h.itertext())) for h in document.body.iter("head")}
    return blocks, headings


_MANY_BLOCKS = 100
_SENTENCE_WORDS = 10


def _looks_like_whole_page(blocks: list[str]) -> bool:
    """Hundreds of blocks with little of their text in sentence-length ones: menus and link
    lists, not a story (a long list article of jokes or names still has a fifth of its text in
    sentences; a page of menus under a short story, a tenth)."""
    if len(blocks) < _MANY_BLOCKS:
        return False
    total = sum(map(len, blocks))
    in_sentences = sum(len(b) for b in blocks if len(b.split()) >= _SENTENCE_WORDS)
    return in_sentences < total / 6


def _all_paragraphs(tree: HtmlElement) -> list[str]:
    """Every <p> of the page: the fallback when no main content stands out (a bare fragment)."""
    paragraphs = (normalize_space(p.text_content()) for p in tree.iter("p"))
    return [p for p in paragraphs if p]


def _is_small_or_links(element: HtmlElement) -> bool:
    """Short, or mostly link text: a wrapper that happens to say "social" can hold the story."""
    raw = element.text_content()
    if len(raw) < 200:  # normalising only ever shortens it
        return True
    text = len(normalize_space(raw))
    if text < 200:
        return True
    links = sum(len(normalize_space(a.text_content())) for a in element.iter("a"))
    return links > 0.5 * text


# --- metadata ------------------------------------------------------------------------------


def _metadata(tree: HtmlElement) -> dict:
    metas = _meta_tags(tree)
    ld = _json_ld(tree)
    source = metas.get("og:site_name") or _person_names(ld.get("publisher"))
    title = _headline(
        metas.get("og:title")
        or _text(ld.get("headline"))
        or metas.get("twitter:title")
        or _first_text(tree, "title"),
        _first_text(tree, "h1"),
        source,
    )
    published_text = (
        metas.get("article:published_time")
        or _text(ld.get("datePublished"))
        or metas.get("date")
        or metas.get("pubdate")
        or metas.get("dc.date")
        or _time_datetime(tree)
    )
    return {
        "title": title,
        "byline": _author(metas, ld) or _byline_element(tree),
        "published": parse_iso_date(published_text) if published_text else None,
        "source": source,
        "url": metas.get("og:url") or _canonical_url(tree),
    }


# " | Site", " - Site": the site's name that <title> and og:title often carry after the headline.
_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s+::\s+")


def _headline(title: str, h1: str, source: str) -> str:
    """The story's headline: the page's <h1> when the title merely wraps it, else the title less
    a trailing site name."""
    if h1 and len(h1.split()) >= 2 and h1 in title:
        return h1
    if not title:
        return h1
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) > 1:
        last = parts[-1]
        if (source and last.lower() == source.lower()) or (
            len(last.split()) <= 4 and len(" ".join(parts[:-1]).split()) >= 3
        ):
            return title[: title.rfind(last)].rstrip(" |–—-:")
    return title


# Meta tags that name the author, in order of trust; some hold a profile URL or a handle.
_AUTHOR_KEYS = (
    "author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl",
    "article:author_name", "cse_author", "og:author",
)  # fmt: skip


def _author(metas: dict[str, str], ld: dict) -> str:
    for key in _AUTHOR_KEYS[:1]:
        if _is_name(metas.get(key, "")):
            return _strip_by(metas[key])
    from_ld = _person_names(ld.get("author"))
    if from_ld:
        return from_ld
    for key in _AUTHOR_KEYS[1:]:
        if _is_name(metas.get(key, "")):
            return _strip_by(metas[key])
    return ""


def _is_name(value: str) -> bool:
    return bool(value) and not value.startswith(("http", "@", "/")) and value != "No Author"


def _strip_by(value: str) -> str:
    return re.sub(r"^by:?\s*", "", value, flags=re.I).strip()


_BYLINE_END = re.compile(r"\s*(\||•|\s-\s|\s-$|\d|\bupdated\b|\bpublished\b).*$", re.I)


def _byline_element(tree: HtmlElement) -> str:
    """The author named in the page's byline element, when the meta tags name none."""
    for element in itertools.islice(_byline_elements(tree), 10):
        name = _BYLINE_END.sub("", _strip_by(normalize_space(element.text_content())))
        words = name.split()
        if 1 <= len(words) <= 6 and name[:1].isupper():
            return name
    return ""


def _byline_elements(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Elements with rel or itemprop "author", or a class naming an author or byline, outside
    the comment thread (whose authors are readers), in page order.

    A walk in Python that stops at the first good name: the same test as an XPath expression
    cost libxml2 two milliseconds a page.
    """
    for element in tree.iter(Element):
        names = element.get("class", "")
        if (
            element.get("rel") == "author"
            or element.get("itemprop") == "author"
            or "author" in names
            or "byline" in names
        ) and not _in_comment_thread(element):
            yield element


def _in_comment_thread(element: HtmlElement) -> bool:
    """The element or one around it has "comment" in its class or id."""
    return any(
        "comment" in e.get("class", "") or "comment" in e.get("id", "")
        for e in itertools.chain((element,), element.iterancestors())
    )


def _date_in_page(tree: HtmlElement) -> date | None:
    """The publication date htmldate finds in the page's markup and text, when no meta tag or
    JSON-LD gives one (asked only then: it reads the whole page). A page lxml can parse but
    htmldate cannot rewrite (a control character after a dropped <script>) has no date."""
    try:
        found = find_date(tree, extensive_search=False, original_date=True)
    except ValueError:
        return None
    return parse_iso_date(found) if found else None


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in tree.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        value = normalize_space(tag.get("content") or "")
        if key and value and key not in found:
            found[key] = value
    return found


def _json_ld(tree: HtmlElement) -> dict:
    """The first JSON-LD object describing an article (NewsArticle, Article, ...)."""
    for script in tree.iter("script"):
        if script.get("type") != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, TypeError):
            continue
        for item in _ld_items(data):
            kind = item.get("@type", "")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(str(k).endswith("Article") or k == "Report" for k in kinds):
                return item
    return {}


def _ld_items(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _ld_items(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _ld_items(data["@graph"])


def _text(value: object) -> str:
    return normalize_space(value) if isinstance(value, str) else ""


def _person_names(value: object) -> str:
    """ "author" / "publisher" in JSON-LD: a string, an object with a name, or a list."""
    if isinstance(value, str):
        return normalize_space(value)
    if isinstance(value, dict):
        return _text(value.get("name"))
    if isinstance(value, list):
        return ", ".join(name for name in map(_person_names, value) if name)
    return ""


def _first_text(tree: HtmlElement, name: str) -> str:
    tag = next(tree.iter(name), None)
    return normalize_space(tag.text_content()) if tag is not None else ""


def _time_datetime(tree: HtmlElement) -> str:
    tag = next((t for t in tree.iter("time") if t.get("datetime")), None)
    return tag.get("datetime") if tag is not None else ""


def _canonical_url(tree: HtmlElement) -> str:
    link = next((t for t in tree.iter("link") if t.get("rel") == "canonical"), None)
    return link.get("href") or "" if link is not None else ""
