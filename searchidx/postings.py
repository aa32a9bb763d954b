"""Reading Whoosh postings a block at a time, for the searches that visit every match.

Whoosh's matcher interface costs several Python calls per posting. That is right for a search
that skips (the top ten of a few words), wrong for one that must see every match: the union of
a word's stem family, the exact number of articles a query finds, a phrase of common words.
These read each decoded block of Whoosh's own postings reader whole, then hand the scores back
to Whoosh as a list matcher. They use the reader's private block fields; whoosh-reloaded is
pinned, and tests compare every result here with Whoosh's own matchers.
"""

from __future__ import annotations

import weakref
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate
from pickle import loads

from whoosh import matching, query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25FScorer, WeightLengthScorer
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

Block = tuple[Sequence[int], Sequence[float], Sequence]


def postings_by_block(reader, fieldname: str, text: str) -> Iterator[tuple[Sequence, Sequence]]:  # type: ignore[no-untyped-def]
    """The (document numbers, weights) of a term's live postings in a segment, a block at a
    time (an inlined term's postings are one block), without deleted documents."""
    for ids, weights, _ in blocks_of(reader, fieldname, text, values=False):
        yield ids, weights


def blocks_of(
    reader,  # type: ignore[no-untyped-def]
    fieldname: str,
    text: str | bytes,
    *,
    values: bool,
    within: Sequence[int] | None = None,
) -> Iterator[Block]:
    """(ids, weights, encoded values or ()) of a term's live postings in a segment, a block at
    a time. With `within` (sorted document numbers) a block holding none of them is passed
    over unread: a phrase's rarest word decides which blocks of a common word are read."""
    return _live_blocks(reader.postings(fieldname, text), values, within)


def _live_blocks(matcher, values: bool, within: Sequence[int] | None) -> Iterator[Block]:  # type: ignore[no-untyped-def]
    """The blocks of a term's postings matcher, without the documents its segment deleted
    (Whoosh wraps the matcher of such a segment in a filter of them)."""
    deleted: frozenset[int] | set[int] = frozenset()
    if isinstance(matcher, FilterMatcher):
        deleted, matcher = matcher._ids, matcher.child
    for ids, weights, encoded in _raw_blocks(matcher, values, within):
        if deleted:
            kept = [i for i, docnum in enumerate(ids) if docnum not in deleted]
            ids = [ids[i] for i in kept]
            weights = [weights[i] for i in kept]
            encoded = [encoded[i] for i in kept] if values else ()
        yield ids, weights, encoded


def _raw_blocks(matcher, values: bool, within: Sequence[int] | None) -> Iterator[Block]:  # type: ignore[no-untyped-def]
    if not isinstance(matcher, W3LeafMatcher):
        ids, weights, encoded = [], [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if values:
                encoded.append(matcher.value())
            matcher.next()
        yield ids, weights, encoded
        return
    after = -1  # every document number in the blocks to come is above this
    while matcher.is_active():
        last = matcher._maxid
        if within is None or bisect_right(within, after) < bisect_right(within, last):
            matcher._read_ids()
            matcher._read_weights()
            if values:
                matcher._read_values()
            yield matcher._ids, matcher._weights, matcher._values if values else ()
        after = last
        matcher._next_block()


class ScoreList(matching.ListMatcher):
    """Articles and their scores, computed beforehand. The best score is found once: Whoosh's
    list matcher looks for it over the whole list whenever a union asks how high this part can
    still score, and at 100k articles that was a fifth of a search."""

    def __init__(self, docnums: list[int], scores: list[float]) -> None:
        super().__init__(docnums, scores)
        self._best = max(scores, default=0.0)

    def score(self) -> float:
        return self.weight()

    def max_quality(self) -> float:
        return self._best

    def block_max_weight(self) -> float:
        return self._best

    def copy(self) -> ScoreList:
        twin = ScoreList.__new__(ScoreList)
        twin.__dict__.update(self.__dict__)
        return twin


class BlockPhrase(query.Phrase):
    """A phrase of adjacent words (the usual "quoted words"), matched from whole blocks of
    postings: the articles holding the rarest word, then only the blocks of the other words
    that can hold them, the positions compared as sets. Scored as Whoosh's phrase matcher
    scores it (the sum of its words' scores), with the same articles; a phrase with slop, or
    in a field without plain positions, is left to Whoosh.

    A phrase of common words ("mln dlrs", 9,675 of 100k articles) must be checked in every
    article holding both words for an exact count: Whoosh's span matcher took 250 ms."""

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        schema = searcher.schema
        if self.slop != 1 or len(self.words) < 2 or self.fieldname not in schema:
            return super().matcher(searcher, context)
        field = schema[self.fieldname]
        if type(field.format) is not Positions:
            return super().matcher(searcher, context)
        reader = searcher.reader()
        try:
            texts = [field.to_bytes(word) for word in self.words]
        except ValueError:
            return matching.NullMatcher()
        if any((self.fieldname, text) not in reader for text in texts):
            return matching.NullMatcher()
        weighting = context.weighting if context is not None else searcher.weighting
        if weighting is None:  # matching only (a filter): no scores wanted
            score_words = [_unscored] * len(texts)
        else:
            scorers = [weighting.scorer(searcher, self.fieldname, text) for text in texts]
            if not all(isinstance(scorer, WeightLengthScorer) for scorer in scorers):
                return super().matcher(searcher, context)
            score_words = [scorer._score for scorer in scorers]
        docnums, scores = phrase_scores(reader, self.fieldname, texts, score_words)
        if not docnums:
            return matching.NullMatcher()
        if self.boost != 1.0:
            scores = [score * self.boost for score in scores]
        return ScoreList(docnums, scores)


def _unscored(weight: float, length: int) -> float:
    return 0.0


def phrase_scores(
    reader,  # type: ignore[no-untyped-def]
    fieldname: str,
    texts: list[bytes],
    score_words: list[Callable[[float, int], float]],
) -> tuple[list[int], list[float]]:
    """The articles of a segment holding `texts` as adjacent words, in order, and each one's
    score: the sum over the words of score_words[i](weight, field length)."""
    order = sorted(range(len(texts)), key=lambda i: reader.doc_frequency(fieldname, texts[i]))
    found: list[dict[int, tuple[float, bytes]]] = [{} for _ in texts]
    within: list[int] | None = None  # the articles holding every word read so far, sorted
    for i in order:
        holding = set(within) if within is not None else None
        postings = found[i]
        for ids, weights, encoded in blocks_of(
            reader, fieldname, texts[i], values=True, within=within
        ):
            for docnum, weight, value in zip(ids, weights, encoded, strict=True):
                if holding is None or docnum in holding:
                    postings[docnum] = (weight, value)
        within = sorted(postings)
        if not within:
            return [], []
    lengths, beyond = _length_bytes(reader, fieldname)
    docnums, scores = [], []
    for docnum in within:
        starts = set(_positions(found[0][docnum][1]))
        for offset in range(1, len(texts)):
            starts.intersection_update(p - offset for p in _positions(found[offset][docnum][1]))
            if not starts:
                break
        if starts:
            words_length = _LENGTHS[lengths[docnum]] if docnum < beyond else 1
            docnums.append(docnum)
            scores.append(
                sum(score(found[i][docnum][0], words_length) for i, score in enumerate(score_words))
            )
    return docnums, scores


def _positions(value: bytes) -> accumulate:
    """The positions of a posting of Whoosh's `Positions` format (`decode_positions`,
    without its per-call overhead: a phrase of common words decodes thousands)."""
    deltas = value[_INT_SIZE:]
    return accumulate(loads(deltas if deltas.endswith(b".") else deltas + b"."))


def every_match_scored(searcher, parts: list[tuple[query.Query, float]]) -> dict[int, float]:  # type: ignore[no-untyped-def]
    """Every article matching any of `parts` ((query, boost) pairs) and its score, the sum
    of the parts' scores as Whoosh's union scores them, by index-wide document number.

    Scored a part at a time, a word's or a phrase's postings read a block at a time:
    Whoosh's union matcher costs several calls per article and part, and the exact count of
    matches (which needs every posting anyway) came on top. Each part scores as its Whoosh
    matcher would; a matcher this does not know is walked one posting at a time."""
    scores: dict[int, float] = {}
    for subsearcher, offset in searcher.leaf_searchers():
        for part, boost in parts:
            matcher = part.matcher(subsearcher)
            if matcher is not None:
                _add_scores(scores, matcher, subsearcher.reader(), offset, boost)
    return scores


def _add_scores(scores: dict[int, float], matcher, reader, offset: int, boost: float) -> None:  # type: ignore[no-untyped-def]
    get = scores.get
    while type(matcher) is matching.WrappingMatcher:  # a boosted word
        boost *= matcher.boost
        matcher = matcher.child
    leaf = matcher.child if isinstance(matcher, FilterMatcher) else matcher
    if isinstance(matcher, ScoreList):
        for docnum, score in zip(matcher._ids, matcher._weights, strict=True):
            docnum += offset
            scores[docnum] = get(docnum, 0.0) + score * boost
    elif isinstance(leaf, W3LeafMatcher) and type(leaf.scorer) is BM25FScorer:
        _add_bm25_scores(scores, matcher, reader, offset, boost)
    else:
        while matcher.is_active():
            docnum = matcher.id() + offset
            scores[docnum] = get(docnum, 0.0) + matcher.score() * boost
            matcher.next()


def _add_bm25_scores(scores: dict[int, float], matcher, reader, offset: int, boost: float) -> None:  # type: ignore[no-untyped-def]
    """A word's BM25 scores from whole blocks, as `whoosh.scoring.bm25` computes them, with
    the length part looked up by the one byte Whoosh keeps of each article's length."""
    leaf = matcher.child if isinstance(matcher, FilterMatcher) else matcher
    scorer = leaf.scorer
    k1, idf = scorer.K1, scorer.idf
    lengths, beyond, norms = length_norms(reader, leaf._term[0], k1, scorer.B, scorer.avgfl)
    get = scores.get
    for ids, weights, _ in _live_blocks(matcher, False, None):
        for docnum, tf in zip(ids, weights, strict=True):
            norm = norms[lengths[docnum]] if docnum < beyond else norms[0]
            global_docnum = docnum + offset
            score = idf * ((tf * (k1 + 1)) / (tf + norm))
            scores[global_docnum] = get(global_docnum, 0.0) + score * boost


# An article's field length as Whoosh keeps it, by its byte; 0 (no length) reads as 1, the
# default Whoosh's scorers ask for.
_LENGTHS = [1] + [byte_to_length(byte) for byte in range(1, 256)]
_LENGTH_BYTES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def length_norms(
    reader,  # type: ignore[no-untyped-def]
    fieldname: str,
    k1: float,
    b: float,
    average: float,
) -> tuple[bytes, int, list[float]]:
    """For BM25 in a segment's field: the length byte of each article, how many articles
    have one (the others count as length 1), and BM25's length part for each byte value,
    k1 * ((1 - b) + b * length / average), as `whoosh.scoring.bm25` computes it."""
    lengths, beyond = _length_bytes(reader, fieldname)
    return lengths, beyond, [k1 * ((1 - b) + b * length / average) for length in _LENGTHS]


def _length_bytes(reader, fieldname: str) -> tuple[bytes, int]:  # type: ignore[no-untyped-def]
    """The length byte of every article of a segment in one field, read once per reader
    (reading it an article at a time was a fifth of a search), and how many it holds."""
    known = _LENGTH_BYTES.setdefault(reader, {})
    if fieldname not in known:
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            known[fieldname] = (b"", 0)
        else:
            known[fieldname] = (column._dbfile.get(column._basepos, column._count), column._count)
    return known[fieldname]
