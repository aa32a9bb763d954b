"""HTML input for the cleaner: a saved news page reduced to its article blocks and metadata.

The metadata comes from what publishers put there for machines (Open Graph and article meta
tags, JSON-LD); the main text from the part of the tree that holds the most paragraph text and
the fewest links. The blocks then go through the same line rules as pasted text (`clean.py`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag

from searchidx.clean import PageText, normalize_space
from searchidx.dates import parse_iso_date

# Elements that never hold article text.
_NEVER_TEXT = [
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "nav", "form", "button", "select", "input", "textarea", "aside", "footer", "header",
    "figcaption", "menu", "dialog",
]  # fmt: skip
# class/id words of page furniture: menus, share bars, comment threads, ads, related links.
_FURNITURE_ATTR = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|breadcrumbs?|share|sharing|social|comments?|related|"
    r"recommend\w*|promo|advert\w*|ads?|sponsor\w*|newsletter|subscribe|subscription|cookie\w*|"
    r"banner|sidebar|footer|masthead|popup|modal|outbrain|taboola|tags|toolbar|byline-share)"
    r"($|[\s_-])",
    re.I,
)
_BLOCK_TAGS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "dd"]
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def page_text(html: str) -> PageText:
    """Metadata and main-content blocks of an HTML page."""
    soup = BeautifulSoup(html, "lxml")
    meta = _metadata(soup)
    _remove_furniture(soup)
    root = _main_content(soup)
    blocks: list[str] = []
    headings: set[str] = set()
    for element in _blocks(root):
        text = normalize_space(element.get_text(" "))
        if not text:
            continue
        blocks.append(text)
        if element.name in _HEADING_TAGS:
            headings.add(text)
    if not blocks:  # text laid out with <div> and <br> only
        blocks = [line for line in root.get_text("\n").split("\n") if line.strip()]
    return PageText(blocks=blocks, headings=headings, **meta)


# --- metadata ------------------------------------------------------------------------------


def _metadata(soup: BeautifulSoup) -> dict:
    metas = _meta_tags(soup)
    ld = _json_ld(soup)
    title = (
        metas.get("og:title")
        or _text(ld.get("headline"))
        or metas.get("twitter:title")
        or _first_text(soup, "h1")
        or _first_text(soup, "title")
    )
    published_text = (
        metas.get("article:published_time")
        or _text(ld.get("datePublished"))
        or metas.get("date")
        or metas.get("pubdate")
        or metas.get("dc.date")
        or _time_datetime(soup)
    )
    return {
        "title": title,
        "byline": metas.get("author") or _person_names(ld.get("author")),
        "published": parse_iso_date(published_text) if published_text else None,
        "source": metas.get("og:site_name") or _person_names(ld.get("publisher")),
        "url": metas.get("og:url") or _canonical_url(soup),
    }


def _meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        value = normalize_space(str(tag.get("content") or ""))
        if key and value and key not in found:
            found[key] = value
    return found


def _json_ld(soup: BeautifulSoup) -> dict:
    """The first JSON-LD object describing an article (NewsArticle, Article, ...)."""
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
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


def _first_text(soup: BeautifulSoup, name: str) -> str:
    tag = soup.find(name)
    return normalize_space(tag.get_text(" ")) if tag else ""


def _time_datetime(soup: BeautifulSoup) -> str:
    tag = soup.find("time", attrs={"datetime": True})
    return str(tag["datetime"]) if tag else ""


def _canonical_url(soup: BeautifulSoup) -> str:
    link = soup.find("link", rel="canonical", href=True)
    return str(link["href"]) if link else ""


# --- main content --------------------------------------------------------------------------


def _remove_furniture(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(_NEVER_TEXT):
        tag.decompose()
    for tag in soup.find_all(_has_furniture_attr):
        if tag.name not in ("html", "body", "article", "main"):
            tag.decompose()


def _has_furniture_attr(tag: Tag) -> bool:
    if tag.attrs is None:
        return False
    words = " ".join([*tag.get("class", []), str(tag.get("id", ""))])
    return bool(words) and bool(_FURNITURE_ATTR.search(words))


def _main_content(soup: BeautifulSoup) -> Tag:
    """The element whose paragraphs hold the most text, links discounted (readability's idea)."""
    scores: dict[int, float] = {}
    elements: dict[int, Tag] = {}
    for paragraph in soup.find_all("p"):
        text = normalize_space(paragraph.get_text(" "))
        if len(text) < 25:
            continue
        score = 1 + text.count(",") + min(len(text) / 100, 3)
        parent = paragraph.parent
        for share in (1.0, 0.5):
            if not isinstance(parent, Tag):
                break
            scores[id(parent)] = scores.get(id(parent), 0.0) + score * share
            elements[id(parent)] = parent
            parent = parent.parent
    if not scores:
        return soup.body or soup
    best = max(scores, key=lambda key: scores[key] * (1 - _link_density(elements[key])))
    return elements[best]


def _link_density(element: Tag) -> float:
    text_length = len(element.get_text()) or 1
    link_length = sum(len(a.get_text()) for a in element.find_all("a"))
    return min(link_length / text_length, 1.0)


def _blocks(root: Tag) -> Iterator[Tag]:
    """Block elements in document order, innermost only (a <p> inside an <li> counts once)."""
    for element in root.find_all(_BLOCK_TAGS):
        if element.find(_BLOCK_TAGS) is None:
            yield element
