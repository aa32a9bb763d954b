"""The Whoosh schema: the one place that says what the index holds and how text is analysed.

Whoosh pickles the schema into the index, so everything referenced here (the stemming
function, the filters) lives at module level under a stable import path.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

import Stemmer
from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StandardAnalyzer,
    StemmingAnalyzer,
)
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

# Bump when the fields or analysers change: an index written under another version must be
# rebuilt (`searchidx build --rebuild`), and opening it says so instead of answering wrongly.
SCHEMA_VERSION = 8

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


# The Snowball project's English stop list (without its contractions, which the tokenizer
# splits anyway) plus the few extra words of Whoosh's list. Whoosh's list alone (34 words)
# left "what", "which", "his", "its" and "between" in natural-language queries.
STOP_WORDS = frozenset(
    {
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
        "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
        "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
        "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
        "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "would",
        "should", "could", "ought", "a", "an", "the", "and", "but", "if", "or", "because", "as",
        "until", "while", "of", "at", "by", "for", "with", "about", "against", "between", "into",
        "through", "during", "before", "after", "above", "below", "to", "from", "up", "down", "in",
        "out", "on", "off", "over", "under", "again", "further", "then", "once", "here", "there",
        "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other",
        "some", "such", "no", "nor", "not", "only", "own", "same", "so", "than", "too", "very",
        "can", "will", "may", "yet", "tbd",
    }
)  # fmt: skip


def _text_analyzer():  # type: ignore[no-untyped-def]
    return StemmingAnalyzer(stemfn=snowball_stem, stoplist=STOP_WORDS, cachesize=100_000)


def exact_analyzer():  # type: ignore[no-untyped-def]
    """The text analyser without the stemmer: words as written, lower-cased."""
    return StandardAnalyzer(stoplist=STOP_WORDS)


_WORD = re.compile(r"\w+(?:\.?\w+)*")  # Whoosh's default tokenizer pattern
# Whoosh's default tokenizer pattern as its analysers use it: a "*" counts as a letter.
_TOKEN = re.compile(r"[\w*]+(?:\.?[\w*]+)*")
# Words stemmed so far in this process: a news vocabulary repeats, so most words are found here.
_stems: dict[str, str] = {}
_MAX_CACHED_STEMS = 500_000


def stems_of(words: list[str]) -> list[str]:
    """The Snowball stem of each word, each distinct word new to this process stemmed once, in
    one call of PyStemmer's batch `stemWords`."""
    cache = _stems
    new = [word for word in set(words) if word not in cache]
    if new:
        if len(cache) + len(new) > _MAX_CACHED_STEMS:
            cache.clear()
        cache.update(zip(new, _snowball.stemWords(new), strict=True))
    return [cache[word] for word in words]


def _kept_words(text: str) -> tuple[int, list[str]]:
    """The lower-cased words of `text` that are not stop words or one character long, and the
    position of the first."""
    lowered = [token.lower() for token in _TOKEN.findall(text)]
    kept = [
        (place, word)
        for place, word in enumerate(lowered)
        if len(word) > 1 and word not in STOP_WORDS
    ]
    return (kept[0][0] if kept else 0), [word for _, word in kept]


def indexed_positions(text: str, stem: bool) -> dict[str, list[int]]:
    """Each term the text analyser makes of `text` (stemmed or not) and its positions, exactly
    as Whoosh's analyser chain gives them: words lower-cased, stop words and one-character
    words dropped, and positions renumbered the way `StopFilter` does (the first kept word
    keeps its place, the following ones count on from it)."""
    first, words = _kept_words(text)
    terms = stems_of(words) if stem else words
    positions: dict[str, list[int]] = {}
    for position, term in enumerate(terms, first):
        found = positions.get(term)
        if found is None:
            positions[term] = [position]
        else:
            found.append(position)
    return positions


@functools.lru_cache(maxsize=65_536)
def _one_position(position: int) -> bytes:
    """The Positions encoding of a word found once, at `position` (most postings are)."""
    return Positions().encode([position])


class AnalysedText(TEXT):
    """A TEXT field of article text whose postings are made without Whoosh's token stream.

    Whoosh runs every word through a chain of generator filters, one `Token` object at a time;
    that was the biggest single cost of indexing. `index` here makes the very same postings
    (terms, frequencies, weights, encoded positions) with one regular expression and a batch
    stemmer; queries and highlights still use `analyzer`, which gives the same terms.
    """

    def __init__(self, stem: bool = True, **options) -> None:  # type: ignore[no-untyped-def]
        super().__init__(analyzer=_text_analyzer() if stem else exact_analyzer(), **options)
        self.stem = stem

    def index(self, value, **kwargs):  # type: ignore[no-untyped-def]
        """(term bytes, frequency, weight, encoded value) of each distinct term of `value`."""
        form = self.format
        if not isinstance(value, str) or type(form) not in (Positions, Frequency):
            yield from super().index(value, **kwargs)
            return
        boost = form.field_boost
        with_positions = type(form) is Positions
        for term, places in indexed_positions(value, self.stem).items():
            frequency = len(places)
            if not with_positions:
                encoded = pack_uint(frequency)
            elif frequency == 1:
                encoded = _one_position(places[0])
            else:
                encoded = form.encode(places)
            yield term.encode("utf-8"), frequency, frequency * boost, encoded


def exact_word_counts(text: str) -> Counter[str]:
    """How often each term `exact_analyzer` makes of a text occurs in it, several times faster
    than running the analyzer (for reading a few stored articles at search time)."""
    counts = Counter(_WORD.findall(text.lower()))
    for word in [w for w in counts if len(w) < 2 or w in STOP_WORDS]:
        del counts[word]
    return counts


def build_schema() -> Schema:
    """The schema of an article index."""
    names = _names_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True, unique=True),
        title=AnalysedText(stored=True),
        # The body's words as written: an article with the very words of a query ranks above
        # one that only shares their stems ("nations" vs "national"). Stems are matched at
        # query time (`searchidx.search.StemUnion`), so the body is indexed once, not twice.
        body=AnalysedText(stored=True, stem=False),
        quotes=AnalysedText(),
        byline=TEXT(analyzer=names, stored=True),
        source=TEXT(analyzer=names, stored=True),
        speaker=TEXT(analyzer=names),
        organization=TEXT(analyzer=names),
        person=TEXT(analyzer=names),
        published=DATETIME(stored=True, sortable=True),
        # Whole names, one term each, for facet counts and exact filters.
        speaker_facet=KEYWORD(commas=True, stored=True),
        organization_facet=KEYWORD(commas=True, stored=True),
        # Display only: no facet counts people, and a person is searched as `person:`.
        person_facet=STORED(),
        source_facet=ID(stored=False),
        url=STORED(),
        details=STORED(),  # quotes, affiliations and headings, for display
        # size, modification time, content hash and path of the article file, as a column:
        # a build reads it for every file, and a column reads ~50x faster than stored fields.
        # Its key and hash are also the version of the article its quotes must match.
        file_state=COLUMN(VarBytesColumn()),
    )


# Quotes are a second Whoosh index inside each generation folder, not a second kind of document
# in the article index. Whoosh computes BM25's average field length and idf over every document
# in an index (`Searcher.avg_field_length` divides by `doc_count_all`), so quote documents beside
# the articles would shift article scores, enlarge every facet and sort column, and let any
# query without a field (`NOT x`, a date range) return quote documents. Nested parent/child
# documents have the same costs. Two indexes keep article search exactly as it was; how they
# stay consistent is told in `searchidx.index` and `searchidx.quotes`.
QUOTE_KEY_SEPARATOR = "\x1f"


def build_quote_schema() -> Schema:
    """The schema of the quote index: one document per attributed quotation."""
    names = _names_analyzer()
    return Schema(
        text=AnalysedText(stored=True),
        # Who said it: name and organization for exact filters, title and organization as words.
        speaker=TEXT(analyzer=names),
        organization=TEXT(analyzer=names),
        affiliation=AnalysedText(),
        source=TEXT(analyzer=names),
        published=DATETIME(stored=True, sortable=True),
        # The publication day's ordinal, 0 when unknown, so "newest first" puts undated last.
        day=NUMERIC(sortable=True),
        position=NUMERIC(stored=True, sortable=True),
        article_id=ID(stored=True, sortable=True),
        # The article version the quote was extracted from, "<id>:<content hash>" (see
        # `file_state` above).
        article_version=ID(),
        speaker_name=ID(stored=True),
        # "name<sep>title<sep>organization" and "name<sep>article id", for `speakers` counts.
        speaker_affiliation=ID(sortable=True),
        speaker_article=ID(sortable=True),
        details=STORED(),  # title, organization, article title, source, path, for display
    )


# What a plain quote query searches, and how much a match in each counts. Not the affiliation:
# "arms race" would find every quote of the director of the Arms Control Association.
QUOTE_FIELD_BOOSTS = {"text": 1.0, "speaker": 1.0}

# The fields a plain query searches, and how much a match in each counts. Not the quotes,
# speakers and people: their words are in the body already, and searching them too cost a
# third of a search's time for no change in ranking on TIME (benchmarks/README.md); `quotes:`,
# `speaker:` and `person:` search them.
DEFAULT_FIELD_BOOSTS = {
    "title": 2.0,
    "body": 1.0,
    "organization": 1.0,
}
# A body word also matches the words sharing its stem, at this share of its boost.
STEM_BOOST = 0.5
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
