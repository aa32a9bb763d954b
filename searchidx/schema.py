"""The Whoosh schema: the one place that says what the index holds and how text is analysed.

Whoosh pickles the schema into the index, so everything referenced here (the stemming
function, the filters) lives at module level under a stable import path.
"""

from __future__ import annotations

import Stemmer
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

# Bump when the fields or analysers change: an index written under another version must be
# rebuilt (`searchidx build --rebuild`), and opening it says so instead of answering wrongly.
SCHEMA_VERSION = 1

# Separates the values of a multi-valued name field ("Daryl Kimball|Joe Cirincione").
NAME_SEPARATOR = "|"

_snowball = Stemmer.Stemmer("english")


def snowball_stem(word: str) -> str:
    """English Snowball stemmer (PyStemmer, in C). Whoosh's bundled Porter stemmer stems
    "estimate" and "estimated" differently, so queries missed documents."""
    return _snowball.stemWord(word)


class ValueGapFilter(Filter):
    """Leaves a wide gap in token positions at each value separator, so that a phrase query
    such as `organization:"Fund Arms"` cannot match across two different names."""

    gap = 100

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ValueGapFilter)

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        shift = 0
        for token in tokens:
            if token.text == NAME_SEPARATOR:
                shift += self.gap
                continue
            if token.positions:
                token.pos += shift
            yield token


def _names_analyzer():  # type: ignore[no-untyped-def]
    """Names: every word findable (`speaker:kimball`), no stemming, no stop words."""
    return RegexTokenizer(r"\w+(?:[.'’-]\w+)*|\|") | ValueGapFilter() | LowercaseFilter()


def _text_analyzer():  # type: ignore[no-untyped-def]
    return StemmingAnalyzer(stemfn=snowball_stem, cachesize=100_000)


def build_schema() -> Schema:
    """The schema of an article index."""
    text = _text_analyzer()
    names = _names_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True, unique=True),
        title=TEXT(analyzer=text, stored=True),
        body=TEXT(analyzer=text, stored=True),
        quotes=TEXT(analyzer=text),
        byline=TEXT(analyzer=names, stored=True),
        source=TEXT(analyzer=names, stored=True),
        speaker=TEXT(analyzer=names),
        organization=TEXT(analyzer=names),
        person=TEXT(analyzer=names),
        published=DATETIME(stored=True, sortable=True),
        # Whole names, one term each, for facet counts and exact filters.
        speaker_facet=KEYWORD(commas=True, stored=True),
        organization_facet=KEYWORD(commas=True, stored=True),
        person_facet=KEYWORD(commas=True, stored=True),
        source_facet=ID(stored=False),
        url=STORED(),
        details=STORED(),  # quotes, affiliations and headings, for display
        content_hash=ID(stored=True),
        size=STORED(),
        mtime_ns=STORED(),
    )


# The fields a plain query searches, and how much a match in each counts.
DEFAULT_FIELD_BOOSTS = {
    "title": 2.0,
    "body": 1.0,
    "quotes": 0.5,
    "speaker": 1.0,
    "organization": 1.0,
    "person": 0.5,
}
# Names a user may write before a colon in a query.
QUERY_FIELDS = (
    "title",
    "body",
    "quotes",
    "byline",
    "source",
    "speaker",
    "organization",
    "person",
    "published",
)
