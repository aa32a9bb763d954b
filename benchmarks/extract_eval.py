"""Issue 8: how well the extractor finds speakers, quotes, people and organizations.

Scores what `searchidx clean` extracts (the cleaner, then `searchidx.extract.extract`) on two
annotated corpora in ../shared/data (see each README):

- PolNeAR (US political news, every attribution annotated):
  * quote attribution: each gold attribution with quote marks whose source is named (its head
    is a capitalised word: "Daryl Kimball, director of ...", "The New York Times", not "he",
    "a campaign spokesman" or "Others") is matched to the predicted quote sharing words with
    its content; the match is correct when the predicted speaker's surname is the gold
    source's head word;
  * speakers per article: gold = the distinct named sources of quoted attributions, compared
    with the predicted `speakers` by surname (micro precision, recall, F1).
- CoNLL++ (Reuters news, dev part): ORG and PER entity precision, recall, F1 against the
  predicted `organizations` and `people`, per document, exact string after whitespace
  normalisation, on documents detokenised back to running text (one sentence per paragraph).
  `people` holds canonical names, so a gold PER mention that is a word-suffix of a longer gold
  PER of the same document ("Clinton" beside "Bill Clinton") counts once, as the longer form.
- Speed: words per second of `extract` alone (CPU time of one process, fastest of three
  rounds), over the PolNeAR bodies.
- Spread: speakers F1 on two fixed halves of the PolNeAR articles (by a hash of the article
  id) and a bootstrap 90 % interval over articles, at dev's size and at the held-out split's
  (336 articles): how far a figure measured here may move on articles it has not seen.

Run: `python benchmarks/extract_eval.py [--limit N]`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from searchidx.clean import clean_text
from searchidx.extract import extract
from searchidx.model import Article

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
POLNEAR = DATA / "polnear" / "polnear_dev.jsonl.gz"
CONLLPP = DATA / "conllpp" / "conllpp_test.dev.txt"
HELD_OUT_ARTICLES = 336  # the size of PolNeAR's held-out split (its README)

_QUOTE_MARKS = '"“”'
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_POSTMODIFIER = re.compile(r"\s(?:of|at|from|in|for|on|with)\s")
# Titles that take "of": "Secretary of State John Kerry" is not cut after "Secretary".
_TITLES = {
    "secretary", "minister", "president", "director", "chairman", "chairwoman", "chair",
    "leader", "governor", "mayor", "head", "chief", "speaker", "member", "ambassador",
    "professor", "editor", "founder", "counsel", "attorney", "general", "commissioner",
}  # fmt: skip
_NOT_A_NAME = {
    "I", "He", "She", "It", "They", "We", "You", "The", "A", "An", "This", "That",
    # indefinite pronouns, capitalised only because they open a sentence ("Others shouted")
    "Someone", "Somebody", "Anyone", "Everyone", "Everybody", "Nobody", "None", "Another",
    "Other", "Others", "Many", "Some", "Most", "Few", "Both", "Each", "All", "Several", "One",
}  # fmt: skip


@dataclass(frozen=True)
class Score:
    """Counts of one precision/recall measurement."""

    true_positive: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.true_positive + other.true_positive,
            self.predicted + other.predicted,
            self.gold + other.gold,
        )


@dataclass(frozen=True)
class QuoteScore:
    """Quote attribution: how many gold quotes were found, and how many of those were given
    the right speaker."""

    gold: int
    found: int
    correct: int

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def accuracy(self) -> float:
        return self.correct / self.found if self.found else 0.0

    def __add__(self, other: QuoteScore) -> QuoteScore:
        return QuoteScore(
            self.gold + other.gold, self.found + other.found, self.correct + other.correct
        )


# --- PolNeAR -------------------------------------------------------------------------------


def polnear_records(limit: int | None = None) -> Iterator[dict]:
    """The dev articles of PolNeAR, in file order."""
    with gzip.open(POLNEAR, "rt", encoding="utf-8") as lines:
        for count, line in enumerate(lines):
            if limit is not None and count >= limit:
                return
            yield json.loads(line)


def surname(name: str) -> str:
    """The comparison key of a name: its last word, lower-cased, without "Jr." or "'s"."""
    words = [w.strip(".,’'").lower() for w in name.split()]
    words = [re.sub(r"[’']s$", "", w) for w in words if w]
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else ""


def named_source(source: str) -> str | None:
    """The surname of a gold source that names someone ("Rep. Jim Jordan (R-Ohio)" ->
    "jordan", "The New York Post" -> "post"), or None for a pronoun or a description ("a
    campaign spokesman", "The Florida senator"): the head, before any comma, parenthesis,
    relative clause or prepositional phrase after the name, must be a capitalised word."""
    head = re.split(r",|\(|\s(?:who|which|whose)\s", source, maxsplit=1)[0].strip()
    for cut in _POSTMODIFIER.finditer(head):
        before = head[: cut.start()].split()
        if before and before[-1].lower().strip(".") not in _TITLES:
            head = head[: cut.start()]  # "Gov. Phil Bryant of Mississippi", not "Secretary of"
            break
    words = [w for w in head.split() if w.strip(".’'").lower() not in _NAME_SUFFIXES]
    if not words:
        return None
    last = re.sub(r"[’']s?$", "", words[-1].strip(".,:;"))
    if not last[:1].isupper() or last in _NOT_A_NAME or (len(words) == 1 and len(last) < 2):
        return None
    return surname(last)


def words_of(text: str) -> list[str]:
    """The lower-cased words of a text, for matching quotes whatever their marks."""
    return re.findall(r"\w+", text.lower())


def shares_a_run(gold: list[str], predicted: list[str]) -> bool:
    """Whether two word lists share a run of four words (or the whole of the shorter one)."""
    size = min(4, len(gold), len(predicted))
    if size == 0:
        return False
    grams = {tuple(gold[i : i + size]) for i in range(len(gold) - size + 1)}
    return any(tuple(predicted[i : i + size]) in grams for i in range(len(predicted) - size + 1))


def gold_quotes(record: dict, pronouns: bool = False) -> list[tuple[str, str]]:
    """(content text, source surname) of each quoted attribution with a named source; with
    `pronouns`, instead those whose source is "he" or "she", each with the surname of the
    person it refers to (see `pronoun_referents`)."""
    referents = pronoun_referents(record) if pronouns else {}
    found = []
    for index, attribution in enumerate(record["attributions"]):
        if not attribution["has_quote_marks"] or not attribution["source"]:
            continue
        key = referents.get(index) if pronouns else named_source(attribution["source"]["text"])
        if key:
            content = " ".join(part["text"] for part in attribution["content"])
            found.append((content, key))
    return found


def pronoun_referents(record: dict) -> dict[int, str]:
    """For each attribution whose source is a bare "he" or "she", the surname of the person it
    refers to, established from the annotation itself: the source of the nearest attribution
    before it (quoted or not) that is named, when that is no more than two paragraphs back."""
    text = record["text"]
    named: list[tuple[int, str]] = []
    for attribution in record["attributions"]:
        source = attribution["source"]
        key = named_source(source["text"]) if source else None
        if key:
            named.append((source["spans"][0][0], key))
    named.sort()
    referents = {}
    for index, attribution in enumerate(record["attributions"]):
        source = attribution["source"]
        if not source or source["text"].lower() not in {"he", "she"}:
            continue
        start = source["spans"][0][0]
        earlier = [(at, key) for at, key in named if at < start]
        if earlier and text.count("\n\n", earlier[-1][0], start) <= 2:
            referents[index] = earlier[-1][1]
    return referents


def score_quotes(record: dict, article: Article, pronouns: bool = False) -> QuoteScore:
    """Quote recall and speaker accuracy of one article (named sources, or with `pronouns`
    the quotes whose source is "he" or "she")."""
    predicted = [(words_of(q.text), surname(q.speaker)) for q in article.quotes]
    gold = gold_quotes(record, pronouns)
    found = correct = 0
    for content, key in gold:
        words = words_of(content)
        matches = [speaker for text, speaker in predicted if shares_a_run(words, text)]
        if matches:
            found += 1
            correct += key in matches
    return QuoteScore(len(gold), found, correct)


def score_speakers(record: dict, article: Article) -> Score:
    """The people quoted in an article — named as the source, or "he"/"she" referring to a
    named person — against the predicted speakers, by surname."""
    gold = {key for _, key in gold_quotes(record) + gold_quotes(record, pronouns=True)}
    predicted = {surname(s) for s in article.speakers}
    return Score(len(gold & predicted), len(predicted), len(gold))


def clean_polnear(record: dict) -> Article:
    """The article as `searchidx clean` sees it: the text through the cleaner, no extraction."""
    return clean_text(record["text"], path=record["id"])


# --- CoNLL++ -------------------------------------------------------------------------------

_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "n't", "'", "'re"}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}


@dataclass(frozen=True)
class ConllDocument:
    """A detokenised CoNLL document: its text and its gold entities by type."""

    text: str
    entities: dict[str, set[str]]


def conll_documents(path: Path = CONLLPP, limit: int | None = None) -> list[ConllDocument]:
    """The documents of a CoNLL file, detokenised, with gold entity strings."""
    documents: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            documents.append([])
            continue
        if not line.strip():
            if sentence:
                documents[-1].append(sentence)
            sentence = []
            continue
        token, *_, tag = line.split()
        sentence.append((token, tag))
    if sentence:
        documents[-1].append(sentence)
    documents = [d for d in documents if d]
    return [_detokenise(d) for d in documents[:limit]]


def _detokenise(sentences: list[list[tuple[str, str]]]) -> ConllDocument:
    paragraphs: list[str] = []
    entities: dict[str, set[str]] = {}
    for sentence in sentences:
        text, offsets = _join_tokens([token for token, _ in sentence])
        for kind, first, last in _entity_tokens([tag for _, tag in sentence]):
            name = " ".join(text[offsets[first][0] : offsets[last][1]].split())
            entities.setdefault(kind, set()).add(name)
        paragraphs.append(text)
    people = entities.get("PER", set())
    entities["PER"] = {
        name
        for name in people
        if not any(other != name and other.endswith(" " + name) for other in people)
    }
    return ConllDocument("\n\n".join(paragraphs), entities)


def _join_tokens(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Running text from tokens ("U.S. , ( Reuters )" -> "U.S., (Reuters)") and each token's
    character span in it."""
    text = ""
    offsets: list[tuple[int, int]] = []
    open_quote = False
    previous = ""
    for token in tokens:
        glue = not text or token in _NO_SPACE_BEFORE or previous in _NO_SPACE_AFTER
        if token == '"':
            glue = not text or open_quote
            open_quote = not open_quote
        elif previous == '"' and open_quote:
            glue = True
        if not glue:
            text += " "
        offsets.append((len(text), len(text) + len(token)))
        text += token
        previous = token
    return text, offsets


def _entity_tokens(tags: list[str]) -> list[tuple[str, int, int]]:
    """(type, first token, last token) of each IOB2 entity."""
    entities: list[tuple[str, int, int]] = []
    for index, tag in enumerate(tags):
        kind = tag[2:]
        continues = (
            tag.startswith("I-")
            and entities
            and entities[-1][0] == kind
            and entities[-1][2] == index - 1
        )
        if continues:
            entities[-1] = (kind, entities[-1][1], index)
        elif tag != "O":
            entities.append((kind, index, index))
    return entities


def score_conll(document: ConllDocument) -> dict[str, Score]:
    """ORG and PER scores of one document."""
    article = extract(Article(title="", body=document.text))
    predicted = {
        "ORG": {" ".join(o.split()) for o in article.organizations},
        "PER": {" ".join(p.split()) for p in article.people},
    }
    return {
        kind: Score(
            len(predicted[kind] & document.entities.get(kind, set())),
            len(predicted[kind]),
            len(document.entities.get(kind, set())),
        )
        for kind in predicted
    }


# --- the run -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """All the figures of one run."""

    quotes: QuoteScore
    pronoun_quotes: QuoteScore
    speakers: Score
    organizations: Score
    people: Score
    words_per_second: float
    articles: int
    documents: int
    speakers_by_article: tuple[tuple[str, Score], ...] = ()


def evaluate(polnear_limit: int | None = None, conll_limit: int | None = None) -> Report:
    """Score the extractor on PolNeAR dev and the CoNLL++ dev part."""
    quotes, pronoun_quotes = QuoteScore(0, 0, 0), QuoteScore(0, 0, 0)
    by_article: list[tuple[str, Score]] = []
    cleaned_articles: list[Article] = []
    for record in polnear_records(polnear_limit):
        cleaned = clean_polnear(record)
        cleaned_articles.append(cleaned)
        article = extract(cleaned)
        quotes += score_quotes(record, article)
        pronoun_quotes += score_quotes(record, article, pronouns=True)
        by_article.append((record["id"], score_speakers(record, article)))
    organizations, people = Score(0, 0, 0), Score(0, 0, 0)
    documents = conll_documents(limit=conll_limit)
    for document in documents:
        scores = score_conll(document)
        organizations += scores["ORG"]
        people += scores["PER"]
    return Report(
        quotes,
        pronoun_quotes,
        sum((score for _, score in by_article), Score(0, 0, 0)),
        organizations,
        people,
        extractor_speed(cleaned_articles),
        len(cleaned_articles),
        len(documents),
        tuple(by_article),
    )


def half_of(article_id: str) -> int:
    """Which of two fixed halves an article falls in: by a hash of its id, so the halves
    mix publishers and dates and do not move when articles are added or reordered."""
    return zlib.crc32(article_id.encode("utf-8")) % 2


def halves(by_article: tuple[tuple[str, Score], ...]) -> tuple[Score, Score]:
    """The summed scores of each half of the articles (`half_of`)."""
    sums = [Score(0, 0, 0), Score(0, 0, 0)]
    for article_id, score in by_article:
        sums[half_of(article_id)] += score
    return sums[0], sums[1]


def bootstrap_f1(
    scores: list[Score], size: int | None = None, rounds: int = 2000, seed: int = 1
) -> tuple[float, float]:
    """A 90 % interval of micro F1 over samples of `size` articles drawn with replacement
    (all of them by default): the spread a figure has from which articles were annotated."""
    draw = random.Random(seed)
    size = size or len(scores)
    figures = sorted(sum(draw.choices(scores, k=size), Score(0, 0, 0)).f1 for _ in range(rounds))
    return figures[int(rounds * 0.05)], figures[int(rounds * 0.95) - 1]


def extractor_speed(articles: list[Article], rounds: int = 3) -> float:
    """Words per second of `extract` alone over cleaned articles, by the CPU time of this one
    process (other jobs on a shared machine do not count against it): the fastest of a few
    rounds."""
    words = sum(len(article.body.split()) for article in articles)
    fastest = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for article in articles:
            extract(article)
        fastest = min(fastest, time.process_time() - started)
    return words / fastest if articles and fastest else 0.0


def _line(name: str, score: Score) -> str:
    return f"{name:<32} P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N items")
    args = parser.parse_args()
    report = evaluate(args.limit, args.limit)
    q = report.quotes
    print(f"PolNeAR dev: {report.articles} articles; CoNLL++ dev: {report.documents} documents")
    print(
        f"{'quote attribution':<32} recall {q.recall:.3f} ({q.found}/{q.gold})  "
        f"speaker accuracy {q.accuracy:.3f} ({q.correct}/{q.found})  "
        f"product {q.recall * q.accuracy:.3f}"
    )
    p = report.pronoun_quotes
    print(
        f"{'  quotes by he/she (resolved)':<32} recall {p.recall:.3f} ({p.found}/{p.gold})  "
        f"speaker accuracy {p.accuracy:.3f} ({p.correct}/{p.found})"
    )
    print(_line("speakers per article", report.speakers))
    first, second = halves(report.speakers_by_article)
    scores = [score for _, score in report.speakers_by_article]
    low, high = bootstrap_f1(scores)
    held_low, held_high = bootstrap_f1(scores, size=HELD_OUT_ARTICLES)
    print(
        f"{'  spread':<32} halves F1 {first.f1:.3f} / {second.f1:.3f}; 90% interval "
        f"[{low:.3f}, {high:.3f}]; for {HELD_OUT_ARTICLES} articles "
        f"[{held_low:.3f}, {held_high:.3f}]"
    )
    print(_line("CoNLL++ ORG", report.organizations))
    print(_line("CoNLL++ PER", report.people))
    print(f"{'extractor speed':<32} {report.words_per_second:,.0f} words/s")


if __name__ == "__main__":
    main()
