"""Search the quotations themselves: who said what, ranked, and who is quoted how often.

Quotes live in their own Whoosh index beside the articles (`gen-N/quotes/`, see
`searchidx.schema` for why). A quote is shown only while the article version it was extracted
from is the live one in the article index (see `searchidx.index`): between the two commits of
a build, or after a build died between them, the quotes of other versions are masked out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from whoosh import highlight, query, sorting

from searchidx.errors import QueryError
from searchidx.schema import QUOTE_FIELD_BOOSTS, QUOTE_KEY_SEPARATOR
from searchidx.search import RANKING, MarkerFormatter, filter_query, parse_query
from searchidx.store import stale_quote_versions


@dataclass(frozen=True)
class QuoteHit:
    """One quotation, who said it, and the article it comes from.

    `text` has the matched words between [[ ]]; `position` is the paragraph of the article
    body the quote starts in.
    """

    text: str
    speaker: str
    title: str
    organization: str
    article_id: str
    article_title: str
    source: str
    published: date | None
    position: int
    path: str
    score: float

    @property
    def affiliation(self) -> str:
        """Title and organization as one phrase: "director, Arms Control Association"."""
        return ", ".join(part for part in (self.title, self.organization) if part)

    def to_json(self) -> dict:
        """The quote as JSON-ready data (one line of `searchidx quotes --json`)."""
        return {
            "text": self.text,
            "speaker": self.speaker,
            "title": self.title,
            "organization": self.organization,
            "article": {
                "id": self.article_id,
                "title": self.article_title,
                "source": self.source,
                "published": self.published.isoformat() if self.published else None,
                "path": self.path,
            },
            "position": self.position,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class QuoteResults:
    """The quotes shown and how many matched in all."""

    query: str
    hits: tuple[QuoteHit, ...]
    total: int

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.hits)

    def __getitem__(self, index: int) -> QuoteHit:
        return self.hits[index]


@dataclass(frozen=True)
class SpeakerAffiliation:
    """One way the articles describe a speaker, and how many of their quotes carry it."""

    title: str
    organization: str
    quotes: int

    def describe(self) -> str:
        """Title and organization as one phrase: "director, Ploughshares Fund"."""
        return ", ".join(part for part in (self.title, self.organization) if part)


@dataclass(frozen=True)
class Speaker:
    """A quoted person: how many quotes in how many articles, and their affiliations."""

    name: str
    quotes: int
    articles: int
    affiliations: tuple[SpeakerAffiliation, ...]

    @property
    def organizations(self) -> tuple[str, ...]:
        """The organizations the speaker is quoted for, most quotes first."""
        return tuple(dict.fromkeys(a.organization for a in self.affiliations if a.organization))

    def to_json(self) -> dict:
        """The speaker as JSON-ready data (one line of `searchidx speakers --json`)."""
        return {
            "name": self.name,
            "quotes": self.quotes,
            "articles": self.articles,
            "affiliations": [
                {"title": a.title, "organization": a.organization, "quotes": a.quotes}
                for a in self.affiliations
            ],
            "organizations": list(self.organizations),
        }


def search_quotes(
    article_index,  # type: ignore[no-untyped-def]
    quote_index,  # type: ignore[no-untyped-def]
    text: str | None = None,
    *,
    in_step: list | None = None,
    limit: int = 10,
    speaker: str | None = None,
    organization: str | None = None,
    source: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
) -> QuoteResults:
    """Rank the quotes matching `text` and the filters; without `text`, every quote passing
    the filters, newest article first and in article order.

    `in_step` is the pair of (article, quote) index generations the last build recorded as
    consistent, which spares checking article versions.
    """
    restriction = filter_query(speaker, organization, source, since, until)
    if text and text.strip():
        parsed = parse_query(text, quote_index.schema, QUOTE_FIELD_BOOSTS)
        order = None
    elif restriction is not None:
        parsed = query.Every()
        order = [
            sorting.FieldFacet("day", reverse=True),
            sorting.FieldFacet("article_id"),
            sorting.FieldFacet("position"),
        ]
    else:
        raise QueryError("give words to search quotes for, or --speaker, --organization, --source")
    with (
        article_index.searcher() as articles,
        quote_index.searcher(weighting=RANKING) as quotes,
    ):
        found = quotes.search(
            parsed,
            limit=max(limit, 1),
            filter=restriction,
            mask=hidden_quotes(articles, quotes, in_step),
            sortedby=order,
        )
        found.fragmenter = highlight.WholeFragmenter(charlimit=None)
        found.formatter = MarkerFormatter()
        hits = tuple(_quote_hit(result, ranked=order is None) for result in found[:limit])
        return QuoteResults(query=text or "", hits=hits, total=len(found))


def list_speakers(
    article_index,  # type: ignore[no-untyped-def]
    quote_index,  # type: ignore[no-untyped-def]
    *,
    in_step: list | None = None,
    organization: str | None = None,
) -> tuple[Speaker, ...]:
    """Everyone quoted (optionally only for an organization), most quoted first."""
    facets = sorting.Facets()
    facets.add_field("speaker_affiliation")
    facets.add_field("speaker_article")
    with article_index.searcher() as articles, quote_index.searcher() as quotes:
        found = quotes.search(
            query.Every(),
            limit=1,
            filter=filter_query(None, organization, None, None, None),
            mask=hidden_quotes(articles, quotes, in_step),
            groupedby=facets,
            maptype=sorting.Count,
        )
        by_affiliation = found.groups("speaker_affiliation")
        by_article = found.groups("speaker_article")
    return speakers_from_counts(by_affiliation, by_article)


def speakers_from_counts(by_affiliation: dict, by_article: dict) -> tuple[Speaker, ...]:
    """Speakers from quote counts keyed "name<sep>title<sep>organization" and
    "name<sep>article id"."""
    affiliations: dict[str, list[SpeakerAffiliation]] = {}
    for key, count in by_affiliation.items():
        name, title, organization = _text(key).split(QUOTE_KEY_SEPARATOR)
        affiliations.setdefault(name, []).append(SpeakerAffiliation(title, organization, count))
    articles: dict[str, int] = {}
    for key in by_article:
        name = _text(key).split(QUOTE_KEY_SEPARATOR)[0]
        articles[name] = articles.get(name, 0) + 1
    speakers = [
        Speaker(
            name=name,
            quotes=sum(a.quotes for a in described),
            articles=articles.get(name, 0),
            affiliations=tuple(
                sorted(described, key=lambda a: (-a.quotes, not a.organization, a.title))
            ),
        )
        for name, described in affiliations.items()
    ]
    return tuple(sorted(speakers, key=lambda s: (-s.quotes, s.name)))


def hidden_quotes(articles, quotes, in_step: list | None) -> query.Query | None:  # type: ignore[no-untyped-def]
    """A mask for quotes whose article version is not the live one, or None when all match.

    After a completed build the two generations are the ones recorded as in step and nothing
    is checked; otherwise the article versions of both indexes are compared.
    """
    generations = [articles.reader().generation(), quotes.reader().generation()]
    if in_step is not None and list(in_step) == generations:
        return None
    stale = stale_quote_versions(articles.reader(), quotes.reader())
    if not stale:
        return None
    return query.Or([query.Term("article_version", version) for version in stale])


def _quote_hit(result, ranked: bool) -> QuoteHit:  # type: ignore[no-untyped-def]
    """A stored quote as a hit; a sorted listing has no relevance score (Whoosh gives the sort
    key instead), so its score is 0."""
    stored = result.fields()
    details = stored.get("details") or {}
    published = stored.get("published")
    highlighted = result.highlights("text", top=1)
    return QuoteHit(
        text=" ".join((highlighted or stored["text"]).split()),
        speaker=stored["speaker_name"],
        title=details.get("title", ""),
        organization=details.get("organization", ""),
        article_id=stored["article_id"],
        article_title=details.get("article_title", ""),
        source=details.get("source", ""),
        published=published.date() if published else None,
        position=int(stored.get("position", 0)),
        path=details.get("path", ""),
        score=float(result.score or 0.0) if ranked else 0.0,
    )


def _text(key: str | bytes) -> str:
    return key.decode("utf-8") if isinstance(key, bytes) else key
