"""Stage 5, search: parse a query, rank articles, cut highlighted snippets, count facets.

Only Whoosh and the schema are imported here: a search never pays for the HTML parser or the
extractor.
"""

from __future__ import annotations

import heapq
import math
import re
import weakref
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, partial

from whoosh import highlight, matching, query, scoring, searching, sorting
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser, OrGroup, PlusMinusPlugin, syntax
from whoosh.qparser.plugins import Plugin

from searchidx.dates import find_date
from searchidx.errors import QueryError
from searchidx.postings import (
    BlockPhrase,
    ScoreList,
    every_match_scored,
    length_norms,
    postings_by_block,
)
from searchidx.schema import (
    DEFAULT_FIELD_BOOSTS,
    STEM_BOOST,
    STOP_WORDS,
    exact_analyzer,
    exact_word_counts,
    snowball_stem,
)

# Matched words in snippets are wrapped in these markers; the CLI turns them into bold on a
# terminal, and `--json` keeps them so scripts can render highlights their own way.
MARK_START, MARK_END = "[[", "]]"
FACET_FIELDS = {
    "speaker": "speaker_facet",
    "organization": "organization_facet",
    "source": "source_facet",
}
SNIPPET_COUNT = 3
SNIPPET_CHARS = 240
_TOKEN = re.compile(r"\w+(?:\.?\w+)*")  # the indexed words (Whoosh's default tokenizer)
# The end of a sentence: . ! or ? (and closing quotes or brackets) before a capital or digit,
# or a paragraph break.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n")
# A full stop that ends an abbreviation or an initial, not a sentence: "Mr. Kimball", "J. Doe".
_ABBREVIATION = re.compile(
    r"(?:^|\s)(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Prof|No|Mt|[A-Z])\.$"
)
_ABBREVIATION_CHARS = len(" Capt.")  # the longest text `_ABBREVIATION` matches
_OPERATOR = re.compile(r"\b(?:AND|OR|NOT)\b")
_OPERATORS = {"AND", "OR", "NOT", "TO"}
# A word of a query that spelling may correct: letters only, not a field name or value.
_QUERY_WORD = re.compile(r"(?<![\w:~*?])[^\W\d_]{3,}(?![\w:~*?])")
SPELLING_FIELD = "body"
# Fields of names whose words the body writes as they are (lower-cased, not stemmed).
NAME_FIELDS = ("speaker", "person", "organization")
_WORD_START = r"(?<![^\s(])"
_SYNTAX = re.compile(r"[\"():\[\]{}^~*?+\\-]|\b(AND|OR|NOT|TO)\b")


class NewsBM25(scoring.BM25F):
    """BM25 with the Robertson-Sparck Jones idf that Lucene uses, log(1 + (N - n + .5) /
    (n + .5)). Whoosh's own idf, log(N / (n + 1)) + 1, still gives a word found in every
    article a weight of 1, so the "the", "which" and "between" of a natural-language query
    outweighed a rare word that a relevant article held once."""

    def idf(self, searcher, fieldname, text):  # type: ignore[no-untyped-def]
        """Weight of a term by how few articles carry it."""
        articles = searcher.doc_count_all()
        carrying = searcher.doc_frequency(fieldname, text)
        return math.log(1 + (articles - carrying + 0.5) / (carrying + 0.5))


RANKING = NewsBM25(B=0.9, K1=1.2)

# Pseudo-relevance feedback (RM3): the words that best characterise the top articles of a first
# ranking re-rank the articles matching the query. Measured on TIME (benchmarks/README.md).
FEEDBACK_FIELD = "body"
FEEDBACK_ARTICLES = 10
FEEDBACK_WORDS = 40
FEEDBACK_QUERY_WEIGHT = 0.7  # the typed words' share of the final query, as in RM3
# Words in more than this share of the articles say nothing about a topic.
FEEDBACK_MAX_SHARE = 0.1
FEEDBACK_DEPTH = 50  # how many articles of the first ranking feedback re-ranks
# Feedback assumes the top articles are mostly on topic, which needs them to be a small part of
# the index: below this size the first ranking is kept.
FEEDBACK_MIN_ARTICLES = 100
# A query of one or two words is mostly a name or a pair, meant as typed. On TIME's queries cut
# to their first or their rarest one or two words, feedback changed MAP by -0.006 to +0.022,
# about as many queries losing as gaining; cut to three words +0.034 and -0.003, whole +0.044
# (`rank_eval.py --short-queries`). Below this many typed words the first ranking is kept.
FEEDBACK_MIN_WORDS = 3


@dataclass(frozen=True)
class Hit:
    """One ranked article."""

    id: str
    path: str
    title: str
    source: str
    byline: str
    published: date | None
    score: float
    speakers: tuple[str, ...]
    organizations: tuple[str, ...]
    people: tuple[str, ...]
    snippets: tuple[str, ...]
    url: str = ""

    def to_json(self) -> dict:
        """The hit as JSON-ready data (one line of `searchidx search --json`)."""
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "source": self.source,
            "byline": self.byline,
            "published": self.published.isoformat() if self.published else None,
            "score": round(self.score, 4),
            "speakers": list(self.speakers),
            "organizations": list(self.organizations),
            "people": list(self.people),
            "snippets": list(self.snippets),
            "url": self.url,
        }


@dataclass(frozen=True)
class Results:
    """The hits shown, how many articles matched in all, and facet counts over all of them."""

    query: str
    hits: tuple[Hit, ...]
    total: int
    # When nothing matched but a close spelling of the query's words would: "missile defense"
    # for "missle defence".
    suggestion: str | None = None
    # Counts the facets on first use of `facets`: counting over every matching article costs
    # far more than the search (0.6 s against 20 ms on 16k articles), and most callers never
    # look at them.
    count_facets: Callable[[], dict[str, dict[str, int]]] | None = field(
        default=None, repr=False, compare=False
    )

    @cached_property
    def facets(self) -> dict[str, dict[str, int]]:
        """Speaker, organization and source counts over all matching articles."""
        return self.count_facets() if self.count_facets else {}

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.hits)

    def __getitem__(self, index: int) -> Hit:
        return self.hits[index]


def search_index(
    whoosh_index,  # type: ignore[no-untyped-def]
    text: str,
    *,
    limit: int = 10,
    speaker: str | None = None,
    organization: str | None = None,
    source: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
) -> Results:
    """Rank the articles of an open Whoosh index for a query and optional filters."""
    typed = parse_query(text, whoosh_index.schema)
    restriction = filter_query(speaker, organization, source, since, until)
    with whoosh_index.searcher(weighting=RANKING) as searcher:
        parsed = with_stems(typed, searcher.reader())
        feedback = wants_feedback(searcher, parsed)
        depth = max(limit, FEEDBACK_DEPTH) if feedback else limit
        found, total = first_ranking(searcher, parsed, depth, restriction)
        ranked = [(hit, hit.score) for hit in found]
        if feedback:
            ranked = rerank_with_feedback(searcher, parsed, ranked)
        words = marked_words(parsed, searcher.reader())
        hits = tuple(_hit(result, score, words) for result, score in ranked[:limit])
        return Results(
            query=text,
            hits=hits,
            total=total,
            suggestion=None if hits else suggest_spelling(searcher, text, restriction),
            count_facets=partial(count_facets, whoosh_index, parsed, restriction),
        )


def first_ranking(searcher, parsed: query.Query, depth: int, restriction: query.Query | None):  # type: ignore[no-untyped-def]
    """The top `depth` articles for a query, as Whoosh `Results`, and how many articles match.

    Every match is scored, a part of the query at a time (`every_match_scored`: words and
    phrases from whole blocks of postings), which counts the matches too. Whoosh's skipping
    search, then a second pass over the postings to count, took 2-3x as long at 100k
    articles."""
    scores = every_match_scored(searcher, _union_parts(parsed, 1.0))
    if restriction is not None:
        allowed = set(searcher.docs_for_query(restriction))
        scores = {docnum: score for docnum, score in scores.items() if docnum in allowed}
    # Best first, ties to the earlier article, as Whoosh's collector orders them.
    top = heapq.nlargest(depth, scores.items(), key=lambda item: (item[1], -item[0]))
    found = searching.Results(searcher, parsed, [(score, docnum) for docnum, score in top])
    return found, len(scores)


def _union_parts(parsed: query.Query, boost: float) -> list[tuple[query.Query, float]]:
    """The parts of a query whose scores add up to its score (the parts of its ORs), each
    with the boosts of the ORs holding it."""
    if type(parsed) is query.Or and not parsed.scale:
        boost *= parsed.boost
        return [part for child in parsed.subqueries for part in _union_parts(child, boost)]
    return [(parsed, boost)]


def suggest_spelling(searcher, text: str, restriction: query.Query | None) -> str | None:  # type: ignore[no-untyped-def]
    """The query with each word the index does not hold replaced by the most frequent indexed
    word one edit away (two for words of five letters or more), if that query finds articles.

    Corrections come from the unstemmed body words, so they are real words ("defense", not the
    stem "defens"). Field names, field values and operators are left as typed.
    """
    corrected = _QUERY_WORD.sub(lambda match: _closest_word(searcher, match.group()), text)
    if corrected.lower() == text.lower():
        return None
    found = searcher.search(parse_query(corrected, searcher.schema), limit=1, filter=restriction)
    return corrected if found.scored_length() else None


def _closest_word(searcher, word: str) -> str:  # type: ignore[no-untyped-def]
    lower = word.lower()
    if word in _OPERATORS or lower in STOP_WORDS or searcher.doc_frequency(SPELLING_FIELD, lower):
        return word
    closest = closest_indexed_word(searcher.reader(), lower, 2 if len(lower) >= 5 else 1)
    return _in_case_of(word, closest) if closest else word


def closest_indexed_word(reader, word: str, most: int) -> str | None:  # type: ignore[no-untyped-def]
    """The body word fewest edits away from `word` (at most `most`; an edit is a letter
    inserted, deleted, replaced or two swapped), the most frequent of those, first in the
    alphabet on a tie: what Whoosh's `suggest` answers asked for one edit, then two.

    Most misspellings keep the first letter, so only words sharing it are compared, in C
    (rapidfuzz): Whoosh's pure-Python distance over the ~15k words of a letter in 100k
    articles took 40-70 ms, on every query that found nothing."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    found = process.extract(
        word, _words_starting(reader, word[0]), scorer=OSA.distance, score_cutoff=most, limit=None
    )
    distances = {candidate: distance for candidate, distance, _ in found if distance}
    if not distances:
        return None
    nearest = min(distances.values())
    return min(
        (candidate for candidate, distance in distances.items() if distance == nearest),
        key=lambda candidate: (-reader.frequency(SPELLING_FIELD, candidate), candidate),
    )


# The body words by first letter, per reader (a snapshot kept open for many searches).
_WORDS_BY_LETTER: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _words_starting(reader, letter: str) -> list[str]:  # type: ignore[no-untyped-def]
    known = _WORDS_BY_LETTER.setdefault(reader, {})
    if letter not in known:
        known[letter] = [_as_text(w) for w in reader.expand_prefix(SPELLING_FIELD, letter)]
    return known[letter]


def _in_case_of(typed: str, word: str) -> str:
    """`word` in the capitals of the word it replaces: "Khramchikn" -> "Khramchikin"."""
    if typed.isupper():
        return word.upper()
    return word.capitalize() if typed[:1].isupper() else word


def count_facets(whoosh_index, parsed: query.Query, restriction: query.Query | None) -> dict:  # type: ignore[no-untyped-def]
    """Speaker, organization and source counts over every article matching a query."""
    facets = sorting.Facets()
    for name, fieldname in FACET_FIELDS.items():
        facets.add_field(fieldname, allow_overlap=True)
        facets.facets[name] = facets.facets.pop(fieldname)
    with whoosh_index.searcher() as searcher:
        found = searcher.search(
            parsed, limit=1, filter=restriction, groupedby=facets, maptype=sorting.Count
        )
        return {name: _sorted_counts(found.groups(name)) for name in FACET_FIELDS}


def rerank_with_feedback(searcher, parsed: query.Query, ranked: list) -> list:  # type: ignore[no-untyped-def]
    """RM3 pseudo-relevance feedback: re-rank the first FEEDBACK_DEPTH of `ranked` ((hit,
    score) pairs, best first) by the query plus its top articles' most characteristic words.

    Each word of the top articles counts by its share of the article's words times the
    article's score; the heaviest that are not common everywhere join as optional terms whose
    weights sum to (1 - FEEDBACK_QUERY_WEIGHT) of the query's. Only articles the query matched
    are re-ranked, so every result still holds a typed word. For the queries `wants_feedback`
    accepts.
    """
    typed = _typed_words(parsed)
    head = ranked[:FEEDBACK_DEPTH]
    # The words of each article re-ranked, counted from its stored text as `FEEDBACK_FIELD`'s
    # analyzer counts them: Whoosh's matcher over 40 words' postings, skipped to these 50
    # articles, was a third of a search's time at 16k articles.
    counts = {hit.docnum: exact_word_counts(hit.get("body", "")) for hit, _ in head}
    words = _feedback_words(
        searcher, [(hit.score, counts[hit.docnum]) for hit, _ in head[:FEEDBACK_ARTICLES]]
    )
    if not typed or not words:
        return ranked
    # Each typed word scores with weight 1, so the typed words weigh len(typed) in all.
    scale = len(typed) * (1 - FEEDBACK_QUERY_WEIGHT) / FEEDBACK_QUERY_WEIGHT / sum(words.values())
    boosts = {word: weight * scale for word, weight in words.items()}
    extra = word_scores(searcher, FEEDBACK_FIELD, boosts, counts)
    rescored = [(hit, score + extra.get(hit.docnum, 0.0)) for hit, score in head]
    rescored.sort(key=lambda pair: -pair[1])
    return rescored + ranked[FEEDBACK_DEPTH:]


def wants_feedback(searcher, parsed: query.Query) -> bool:  # type: ignore[no-untyped-def]
    """True for a query that feedback re-ranks: FEEDBACK_MIN_WORDS plain words or more, in an
    index of FEEDBACK_MIN_ARTICLES or more. Phrases, fields, wildcards and boolean operators
    are a precise request, and one or two words a name or a pair: their ranking is kept."""
    return (
        _plain_words(parsed)
        and len(set(_typed_words(parsed))) >= FEEDBACK_MIN_WORDS
        and searcher.doc_count() >= FEEDBACK_MIN_ARTICLES
    )


def _typed_words(parsed: query.Query) -> list[str]:
    """The words of a query as typed (its terms of FEEDBACK_FIELD, not the words sharing
    their stems that `with_stems` added)."""
    if isinstance(parsed, StemUnion):
        return []
    if type(parsed) is query.Term:
        return [parsed.text] if parsed.fieldname == FEEDBACK_FIELD else []
    return [word for child in parsed.children() for word in _typed_words(child)]


def word_scores(
    searcher,  # type: ignore[no-untyped-def]
    fieldname: str,
    boosts: dict[str, float],
    counts: dict[int, Counter[str]],
) -> dict[int, float]:
    """The RANKING scores that the OR of `boosts`' words (each a Term of `fieldname` with its
    boost) gives the articles of `counts` (docnum: how often each word of `fieldname` occurs
    in it) that hold one of them: what a search filtered to those articles gives."""
    average_length = searcher.avg_field_length(fieldname) or 1
    idfs = {word: searcher.idf(fieldname, word) for word in boosts}
    scores = {}
    for docnum, words in counts.items():
        # Whoosh scores with the field length as its index stores it, in one byte.
        length = searcher.doc_field_length(docnum, fieldname, 1)
        found = [(word, words[word]) for word in boosts if word in words]
        if found:
            scores[docnum] = sum(
                scoring.bm25(idfs[word], tf, length, average_length, RANKING.B, RANKING.K1)
                * boosts[word]
                for word, tf in found
            )
    return scores


def _feedback_words(searcher, top: list[tuple[float, Counter[str]]]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The FEEDBACK_WORDS words with most weight in the top articles ((score, word counts),
    RM3's relevance model), leaving out words found in more than FEEDBACK_MAX_SHARE of all
    articles."""
    relevance: Counter[str] = Counter()
    for score, words in top:
        length = sum(words.values())
        for word, count in words.items():
            relevance[word] += score * count / length
    common = FEEDBACK_MAX_SHARE * searcher.doc_count_all()
    chosen: dict[str, float] = {}
    for word, weight in relevance.most_common():
        if len(chosen) == FEEDBACK_WORDS:
            break
        if feedback_frequency(searcher, word) <= common:
            chosen[word] = weight
    return chosen


# How many articles hold each word feedback looked at, per reader: a reader kept open serves
# many searches (`searchidx.store.KeptOpenIndex`), and the heavy words of top articles ("said",
# "year", "percent") come back in most of them; each lookup costs a hash probe per segment.
_FEEDBACK_FREQUENCIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def feedback_frequency(searcher, word: str) -> int:  # type: ignore[no-untyped-def]
    """How many articles hold `word` in FEEDBACK_FIELD, remembered for the searcher's reader
    (a snapshot: a build's commit opens a new one)."""
    known = _FEEDBACK_FREQUENCIES.setdefault(searcher.reader(), {})
    frequency = known.get(word)
    if frequency is None:
        frequency = known[word] = searcher.doc_frequency(FEEDBACK_FIELD, word)
    return frequency


def _plain_words(parsed: query.Query) -> bool:
    """True for a query of words only: terms OR-ed together, no phrase, wildcard, fuzzy term,
    range or boolean operator."""
    if type(parsed) is query.Term or type(parsed) is StemUnion:
        return True
    return type(parsed) is query.Or and all(_plain_words(child) for child in parsed.children())


# The body is indexed as written; a body word also matches the words sharing its stem. Which
# words those are, and how many articles hold one of them, per reader (a snapshot kept open
# for many searches): a lookup scans the index's words with the stem's first letters.
_STEM_FAMILIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
STEM_FAMILY_FIELD = "body"  # the field whose words also match their stem family


def with_stems(parsed: query.Query, reader) -> query.Query:  # type: ignore[no-untyped-def]
    """The query with each body word joined by a `StemUnion` of the indexed words sharing its
    stem, at STEM_BOOST of its boost: "nations" also finds "nation" and "national", scored as
    one stemmed term would be, so the word as typed counts 1 + STEM_BOOST and its variants
    STEM_BOOST. Phrases match the body as written."""
    if type(parsed) is query.Term and parsed.fieldname == STEM_FAMILY_FIELD:
        return query.Or([parsed, _stem_union(parsed, reader)])
    if type(parsed) is query.Or:
        children = []
        for child in parsed.subqueries:
            if type(child) is query.Term and child.fieldname == STEM_FAMILY_FIELD:
                children += [child, _stem_union(child, reader)]
            else:
                children.append(with_stems(child, reader))
        return query.Or(children, boost=parsed.boost, minmatch=parsed.minmatch, scale=parsed.scale)
    if isinstance(parsed, query.And | query.AndNot | query.Not | query.AndMaybe | query.Require):
        return parsed.apply(lambda child: with_stems(child, reader))
    return parsed


def _stem_union(term: query.Term, reader) -> StemUnion:  # type: ignore[no-untyped-def]
    stem = snowball_stem(term.text)
    words, articles = stem_family(reader, stem)
    return StemUnion(
        [query.Term(STEM_FAMILY_FIELD, word) for word in words],
        boost=term.boost * STEM_BOOST,
        articles=articles,
    )


def stem_family(reader, stem: str) -> tuple[list[str], int]:  # type: ignore[no-untyped-def]
    """The body words of `reader` whose Snowball stem is `stem`, and how many articles hold
    one of them. A stem is the word's beginning but for its last letter or two ("possibl" of
    "possibility", "happi" of "happy"), so the words starting with all but its last two
    letters (at least three) hold the family."""
    known = _STEM_FAMILIES.setdefault(reader, {})
    family = known.get(stem)
    if family is None:
        prefix = stem[: max(3, len(stem) - 2)]
        words = [_as_text(word) for word in reader.expand_prefix(STEM_FAMILY_FIELD, prefix)]
        words = [word for word in words if snowball_stem(word) == stem]
        if len(words) == 1:
            articles = reader.doc_frequency(STEM_FAMILY_FIELD, words[0])
        else:
            articles = sum(_holding_any(leaf, words) for leaf, _ in reader.leaf_readers())
        family = known[stem] = (words, articles)
    return family


def _holding_any(reader, words: list[str]) -> int:  # type: ignore[no-untyped-def]
    """How many articles of a segment hold one of the body `words`. A segment at a time: the
    postings of a whole multi-segment index come one matcher call at a time."""
    holding: set[int] = set()
    for word in words:
        if (STEM_FAMILY_FIELD, word) in reader:
            for ids, _ in postings_by_block(reader, STEM_FAMILY_FIELD, word):
                holding.update(ids)
    return len(holding)


class StemUnion(query.Or):
    """The words sharing a stem, scored as the one stemmed term an index of stems would hold:
    RANKING's BM25 of their summed frequency in an article, with the idf of the articles
    holding any of them. An OR of the words would add each word's score, with each word's own
    idf, and lost on TIME (MAP 0.690 → 0.661, benchmarks/README.md)."""

    def __init__(self, subqueries, boost: float = 1.0, articles: int = 0) -> None:  # type: ignore[no-untyped-def]
        super().__init__(subqueries, boost=boost)
        self.articles = articles

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.articles == getattr(other, "articles", None)

    def __hash__(self) -> int:
        return super().__hash__() ^ hash(self.articles)

    def apply(self, fn):  # type: ignore[no-untyped-def]
        return type(self)([fn(q) for q in self.subqueries], self.boost, self.articles)

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        """A matcher over the words' postings in one segment, scored against the collection."""
        reader = searcher.reader()
        words = [q.text for q in self.subqueries if (STEM_FAMILY_FIELD, q.text) in reader]
        if not words:
            return matching.NullMatcher()
        if len(self.subqueries) == 1:
            # One word: its own term scores the same, with Whoosh's faster, skipping matcher.
            word = query.Term(STEM_FAMILY_FIELD, words[0], boost=self.boost)
            return word.matcher(searcher, context)
        collection = searcher.get_parent()
        total = collection.doc_count_all()
        idf = math.log(1 + (total - self.articles + 0.5) / (self.articles + 0.5))
        average = collection.avg_field_length(STEM_FAMILY_FIELD) or 1
        return ScoreList(*family_scores(reader, words, self.boost * idf, average))


def family_scores(
    reader,  # type: ignore[no-untyped-def]
    words: list[str],
    weighted_idf: float,
    average: float,
) -> tuple[list[int], list[float]]:
    """The articles of a segment holding any of `words`, in order, and each one's RANKING
    score for their summed frequency, from the words' postings read a block at a time."""
    frequencies: dict[int, float] = {}
    get = frequencies.get
    for word in words:
        for ids, weights in postings_by_block(reader, STEM_FAMILY_FIELD, word):
            for docnum, weight in zip(ids, weights, strict=True):
                frequencies[docnum] = get(docnum, 0.0) + weight
    docnums = sorted(frequencies)
    k1 = RANKING.K1
    lengths, beyond, norms = length_norms(reader, STEM_FAMILY_FIELD, k1, RANKING.B, average)
    scores = []
    for docnum in docnums:
        tf = frequencies[docnum]
        # `whoosh.scoring.bm25`, inlined: a call per article was a fifth of the time.
        norm = norms[lengths[docnum]] if docnum < beyond else norms[0]
        scores.append(weighted_idf * ((tf * (k1 + 1)) / (tf + norm)))
    return docnums, scores


def parse_query(
    text: str, schema, field_boosts: dict[str, float] = DEFAULT_FIELD_BOOSTS
) -> query.Query:  # type: ignore[no-untyped-def]
    """The Whoosh query for what a user typed.

    Words are OR-ed with a coordination bonus, so a long natural-language query ranks the
    articles matching most of its words first and never comes back empty for one missing word.
    Lucene syntax works: AND/OR/NOT, "phrases", field:value, word~ (fuzzy), prefix*, ranges.
    Text the parser cannot make sense of is searched as plain words instead. `field_boosts`
    names the fields a word without a field searches (the quote index has its own).
    """
    if not text or not text.strip():
        raise QueryError("empty query: give some words to search for")
    check_query_size(text)
    parser = MultifieldParser(
        list(field_boosts),
        schema,
        fieldboosts=field_boosts,
        group=OrGroup.factory(0.9),
        phraseclass=BlockPhrase,
    )
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(UnsearchedWordsPlugin())
    # + and - mark required and excluded words only at the start of a word: the hyphen of
    # "Sino-Soviet" is part of the word, not "Sino NOT Soviet".
    parser.add_plugin(PlusMinusPlugin(plusexpr=_WORD_START + r"\+", minusexpr=_WORD_START + "-"))
    text = operators_as_words_if_shouted(text)
    try:
        parsed = parser.parse(text)
    except Exception:  # Whoosh's parser raises assorted errors on odd input
        parsed = None
    if parsed is None or _has_errors(parsed):
        plain = _SYNTAX.sub(" ", text)
        if not plain.strip():
            raise QueryError(f"nothing to search for in {text!r}")
        parsed = parser.parse(plain)
    checked = bounded_expansion(searchable_terms(parsed, schema))
    return exclude_negations(checked)


class UnsearchedWordsPlugin(Plugin):
    """Drops a word without a field that the body and title do not index (a stop word such as
    "of", a single letter) before it is searched in every default field. The names fields keep
    such words, so that `organization:"Bank of England"` is a phrase, but as a plain word "of"
    of "price of oil" matched every article naming a "... of ..." organization."""

    def filters(self, parser):  # type: ignore[no-untyped-def]
        # Before MultifieldPlugin (110) copies each unfielded word into every default field.
        return [(self.drop_unsearched, 105)]

    def drop_unsearched(self, parser, group):  # type: ignore[no-untyped-def]
        kept = []
        for node in group:
            if isinstance(node, syntax.GroupNode):
                kept.append(self.drop_unsearched(parser, node))
            elif not _unsearched_word(node):
                kept.append(node)
        group.nodes = kept
        return group


_INDEXED_WORDS = exact_analyzer()


def _unsearched_word(node: syntax.SyntaxNode) -> bool:
    """True for a plain word without a field that the text analyser drops."""
    if type(node) is not syntax.WordNode or node.fieldname is not None:
        return False
    return not any(True for _ in _INDEXED_WORDS(node.text))


# Whoosh's query parser slows down quadratically on very long words, and every word costs a
# walk of its postings: past these sizes a query takes seconds and is a paste gone wrong.
MAX_QUERY_CHARACTERS = 8_000
MAX_QUERY_WORDS = 1_000
# Each wildcard or fuzzy word expands to every matching term of the index (`*a*` to most of
# them); Lucene likewise caps fuzzy matching at two edits.
MAX_EXPANDING_WORDS = 10
MAX_EDITS = 2


def check_query_size(text: str) -> None:
    """Refuse a query too long to answer in bounded time, saying what the limit is."""
    if len(text) > MAX_QUERY_CHARACTERS:
        raise QueryError(
            f"query too long: {len(text):,} characters (the limit is {MAX_QUERY_CHARACTERS:,})"
        )
    words = len(text.split())
    if words > MAX_QUERY_WORDS:
        raise QueryError(f"query too long: {words:,} words (the limit is {MAX_QUERY_WORDS:,})")


def searchable_terms(parsed: query.Query, schema) -> query.Query:  # type: ignore[no-untyped-def]
    """Refuse a term its field cannot hold (`published:""`, `published:soon`): Whoosh would
    raise a bare Exception in the middle of the search."""
    for leaf in parsed.leaves():
        if isinstance(leaf, query.Term) and leaf.fieldname in schema:
            try:
                schema[leaf.fieldname].to_bytes(leaf.text)
            except Exception:  # Whoosh raises bare Exceptions for unparseable dates
                raise QueryError(
                    f"{leaf.fieldname}:{leaf.text!r} cannot be searched (a date is YYYY-MM-DD)"
                ) from None
    return parsed


def bounded_expansion(parsed: query.Query) -> query.Query:
    """Cap fuzzy edits (`word~9` would match nearly every term) and refuse queries with more
    wildcard or fuzzy words than `MAX_EXPANDING_WORDS`."""
    patterns = set()
    for leaf in parsed.leaves():
        if isinstance(leaf, query.FuzzyTerm):
            leaf.maxdist = min(leaf.maxdist, MAX_EDITS)
        if isinstance(leaf, query.MultiTerm):
            patterns.add(str(getattr(leaf, "text", leaf)))
    if len(patterns) > MAX_EXPANDING_WORDS:
        raise QueryError(
            f"too many wildcard or fuzzy words: {len(patterns)} (the limit is "
            f"{MAX_EXPANDING_WORDS})"
        )
    return parsed


def operators_as_words_if_shouted(text: str) -> str:
    """An all-capitals query ("TALKS BETWEEN PORTUGAL AND THE U.S .") is typed with caps lock
    or pasted from wire copy: its AND, OR and NOT are words, not operators. Only a query with
    lower-case letters elsewhere ("missile AND Serdyukov") uses them as operators."""
    others = _OPERATOR.sub(" ", text)
    if any(c.islower() for c in others) or not any(c.isupper() for c in others):
        return text
    return _OPERATOR.sub(lambda match: match.group().lower(), text)


def exclude_negations(parsed: query.Query) -> query.Query:
    """Make `a b NOT c` mean "a or b, but never c", as in Lucene.

    Under an OR group Whoosh reads it as "a or b or anything without c", which returns nearly
    every article.
    """
    if not isinstance(parsed, query.And | query.Or):
        return parsed
    children = [exclude_negations(child) for child in parsed.subqueries]
    if isinstance(parsed, query.Or):
        negated = [child.query for child in children if isinstance(child, query.Not)]
        positive = [child for child in children if not isinstance(child, query.Not)]
        if negated and positive:
            kept = positive[0] if len(positive) == 1 else query.Or(positive, boost=parsed.boost)
            excluded = negated[0] if len(negated) == 1 else query.Or(negated)
            return query.AndNot(kept, excluded)
    return type(parsed)(children, boost=parsed.boost)


def _has_errors(parsed: query.Query) -> bool:
    return any(
        isinstance(q, query.qcore._NullQuery) or type(q).__name__ == "ErrorQuery"
        for q in parsed.leaves()
    )


def filter_query(
    speaker: str | None,
    organization: str | None,
    source: str | None,
    since: str | date | None,
    until: str | date | None,
) -> query.Query | None:
    """The query for the filter options (`--speaker`, `--since`, ...), or None without any.
    The quote index has fields of the same names, so the same filters work there."""
    parts: list[query.Query] = []
    for fieldname, value in (
        ("speaker", speaker),
        ("organization", organization),
        ("source", source),
    ):
        if value:
            parts.append(_name_query(fieldname, value))
    if since or until:
        start = _as_datetime(since, "--since") if since else None
        end = _as_datetime(until, "--until", end_of_day=True) if until else None
        parts.append(query.DateRange("published", start, end))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


def _name_query(fieldname: str, value: str) -> query.Query:
    """All words of a name, in order, in one of the article's names: "Kimball" matches
    "Daryl Kimball"."""
    words = re.findall(r"\w+(?:[.'’-]\w+)*", value.lower())
    if not words:
        raise QueryError(f"--{fieldname} needs a name, got {value!r}")
    return query.Term(fieldname, words[0]) if len(words) == 1 else BlockPhrase(fieldname, words)


def _as_datetime(value: str | date, option: str, end_of_day: bool = False) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        day = value
    else:
        day = _parse_day(value)
        if day is None:
            raise QueryError(f"{option}: {value!r} is not a date (use YYYY-MM-DD)")
    return (
        datetime(day.year, day.month, day.day, 23, 59, 59)
        if end_of_day
        else datetime(day.year, day.month, day.day)
    )


def _parse_day(value: str) -> date | None:
    value = value.strip()
    if re.fullmatch(r"\d{4}", value):
        return date(int(value), 1, 1)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        try:
            return date(int(value[:4]), int(value[5:]), 1)
        except ValueError:
            return None
    return find_date(value)


# Where a quotation sits in an article body, and who said it: (start, end, speaker).
QuoteSpan = tuple[int, int, str]


class MarkerFormatter(highlight.Formatter):
    """Wraps matched words in [[ ]] and separates fragments with a record separator (for
    Whoosh's highlighter, which the quote index uses)."""

    between = "\x1e"

    def format_token(self, text, token, replace=False):  # type: ignore[no-untyped-def]
        return f"{MARK_START}{highlight.get_text(text, token, replace)}{MARK_END}"


def quote_spans(body: str, quotes: Sequence[tuple[str, str]]) -> tuple[QuoteSpan, ...]:
    """Where each (speaker, quotation) of an article lies in its body.

    The extractor reads “curly” quotes as straight ones (same length, so offsets hold) and
    joins a quotation that runs over paragraphs with a space, so it is found by its opening
    words and ends at its closing words.
    """
    plain = body.replace("“", '"').replace("”", '"')
    spans = []
    for speaker, text in quotes:
        start = plain.find(text[:60]) if text else -1
        if start < 0:
            continue
        tail = text[-30:]
        tail_at = plain.find(tail, start)
        end = tail_at + len(tail) if tail_at >= 0 else start + len(text)
        spans.append((start, end, speaker))
    return tuple(spans)


def _hit(result, score: float, words: tuple[set[str], set[str]]) -> Hit:  # type: ignore[no-untyped-def]
    stored = result.fields()
    published = stored.get("published")
    return Hit(
        id=stored["id"],
        path=stored["path"],
        title=stored.get("title", ""),
        source=stored.get("source", ""),
        byline=stored.get("byline", ""),
        published=published.date() if published else None,
        score=float(score or 0.0),
        speakers=_split(stored.get("speaker_facet")),
        organizations=_split(stored.get("organization_facet")),
        people=_split(stored.get("person_facet")),
        snippets=ranked_snippets(
            stored.get("body", ""),
            words,
            [(q[0], q[1]) for q in (stored.get("details") or {}).get("quotes", [])],
        ),
        url=stored.get("url", ""),
    )


def ranked_snippets(
    body: str, words: tuple[set[str], set[str]], quotes: Sequence[tuple[str, str]] = ()
) -> tuple[str, ...]:
    """Up to three sentences of the body holding the query's `words` (exact words, stems),
    densest first, with the words marked; a sentence longer than SNIPPET_CHARS is cut around
    its matches. The opening of the body when the match was elsewhere (title, speaker). A
    snippet whose matched words fall inside one of the (speaker, quotation) `quotes` names the
    speaker first."""
    exact, stems = words
    scored = []
    for start, end in sentence_spans(body):
        marks = _marks(body, start, end, exact, stems)
        if marks:
            words = len(_TOKEN.findall(body, start, end))
            distinct = len({body[a:b].lower() for a, b in marks})
            scored.append((-distinct, -len(marks) / max(words, 8), start, end, marks))
    if not scored:
        return _opening(body)
    spans = quote_spans(body, quotes)
    return tuple(
        _snippet(body, start, end, marks, spans)
        for *_, start, end, marks in sorted(scored)[:SNIPPET_COUNT]
    )


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a text: split after . ! ? before a capital or digit,
    and at paragraph breaks, but not after an abbreviation such as "Mr." or an initial."""
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in _SENTENCE_BREAK.finditer(text):
        end = boundary.start()
        # An abbreviation must end the sentence, so only its last few characters are searched
        # (searching from the sentence's start was a quarter of a search's snippet time).
        if _ABBREVIATION.search(text, max(start, end - _ABBREVIATION_CHARS), end):
            continue
        if text[start:end].strip():
            spans.append((start, end))
        start = boundary.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def marked_words(parsed: query.Query, reader) -> tuple[set[str], set[str]]:  # type: ignore[no-untyped-def]
    """The words a snippet marks: the query's exact words and Snowball stems (wildcard and
    fuzzy words as the index words they stand for), not those it excludes. The words of a
    name searched (`speaker:Kimball`) are marked where the body writes them, so the snippets
    show what Kimball said rather than the article's opening. Taken from the
    query, not from Whoosh's matched terms (`terms=True`), which it records for every matching
    article, not only the ten shown: 15% of a search's time. A word of the query an article
    lacks is in no sentence of its body, so the marks are the same."""
    exact, stems = set(), set()
    for fieldname, term in _wanted_terms(parsed, reader):
        word = _as_text(term)
        if fieldname == "body" or (fieldname in NAME_FIELDS and word not in STOP_WORDS):
            exact.add(word)
        elif fieldname in ("title", "quotes"):
            stems.add(word)
    return exact, stems


def _wanted_terms(q: query.Query, reader) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The (field, word) terms of a query outside its NOT parts."""
    if isinstance(q, query.Not):
        return []
    if isinstance(q, query.AndNot):
        return _wanted_terms(q.a, reader)
    if isinstance(q, query.MultiTerm):
        return list(q.existing_terms(reader, expand=True))
    if q.is_leaf():
        return list(q.terms(phrases=True)) if q.has_terms() else []
    return [term for child in q.children() for term in _wanted_terms(child, reader)]


def _as_text(term: bytes | str) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def _marks(body: str, start: int, end: int, exact: set[str], stems: set[str]) -> list:
    """(start, end) of each matched word between two offsets of the body."""
    marks = []
    for token in _TOKEN.finditer(body, start, end):
        word = token.group().lower()
        if word in exact or (word not in STOP_WORDS and snowball_stem(word) in stems):
            marks.append(token.span())
    return marks


def _snippet(body: str, start: int, end: int, marks: list, quotes: Sequence[QuoteSpan]) -> str:
    """One sentence with its matched words in markers, cut to about SNIPPET_CHARS around
    them when longer."""
    if end - start > SNIPPET_CHARS:
        first = marks[0][0]
        start = max(start, body.rfind(" ", start, max(start, first - SNIPPET_CHARS // 4)) + 1)
        limit = min(end, start + SNIPPET_CHARS)
        cut = body.rfind(" ", start, limit)
        end = cut if cut > marks[0][1] else limit
    pieces, at = [], start
    for mark_start, mark_end in marks:
        if mark_start < start or mark_end > end:
            continue
        pieces += [body[at:mark_start], MARK_START, body[mark_start:mark_end], MARK_END]
        at = mark_end
    pieces.append(body[at:end])
    text = " ".join("".join(pieces).split())
    speakers = dict.fromkeys(
        speaker
        for mark_start, _ in marks
        for quote_start, quote_end, speaker in quotes
        if start <= mark_start < end and quote_start <= mark_start < quote_end
    )
    return f"quoting {', '.join(speakers)}: {text}" if speakers else text


def _opening(body: str) -> tuple[str, ...]:
    """The body's first SNIPPET_CHARS, cut at a word: like any snippet an excerpt, which the
    CLI frames in "…" (an ellipsis here made it "… …")."""
    body = " ".join(body[: 2 * SNIPPET_CHARS].split())
    if len(body) > SNIPPET_CHARS:
        body = body[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return (body,) if body else ()


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(name for name in (value or "").split(",") if name)


def _sorted_counts(groups: dict) -> dict[str, int]:
    counted = {str(name): count for name, count in groups.items() if name}
    return dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))
