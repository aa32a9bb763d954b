"""The plain data that flows between the pipeline stages.

load (`sources`) -> clean (`clean`) -> extract (`extract`) -> index (`index`) -> search (`search`).
Every stage takes one of these frozen dataclasses and returns another, so each stage can be
tested alone with a value written by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class SourceDocument:
    """A file read from disk and decoded to text, before any cleaning.

    `kind` is "html" or "text"; it decides which cleaner runs.
    """

    path: Path
    text: str
    kind: str
    encoding: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class LoadFailure:
    """A file that could not be read as an article, with a reason written for the user."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Quote:
    """A direct quotation and the person (canonical full name) it is attributed to.

    `position` is the index of the paragraph of the body the quote starts in.
    """

    speaker: str
    text: str
    position: int = 0


@dataclass(frozen=True)
class Affiliation:
    """What the article says a speaker is: "director" of "Arms Control Association"."""

    speaker: str
    title: str = ""
    organization: str = ""

    def describe(self) -> str:
        """The affiliation as one phrase, e.g. "director, Arms Control Association"."""
        return ", ".join(part for part in (self.title, self.organization) if part)


@dataclass(frozen=True)
class Article:
    """A cleaned article, optionally enriched by the extractor.

    `body` keeps paragraphs separated by blank lines; section headings stay in it as their own
    paragraphs and are also listed in `headings`.
    """

    title: str
    body: str
    byline: str = ""
    published: date | None = None
    source: str = ""
    url: str = ""
    path: str = ""
    headings: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    affiliations: tuple[Affiliation, ...] = field(default=())

    @property
    def paragraphs(self) -> list[str]:
        """The body split into its paragraphs."""
        return [p for p in self.body.split("\n\n") if p.strip()]

    def affiliation_of(self, speaker: str) -> Affiliation | None:
        """The affiliation recorded for `speaker`, if the article gave one."""
        return next((a for a in self.affiliations if a.speaker == speaker), None)

    def to_json(self) -> dict:
        """The article as JSON-ready data (the shape `searchidx clean --json` prints)."""
        return {
            "path": self.path,
            "title": self.title,
            "byline": self.byline,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "url": self.url,
            "body": self.body,
            "headings": list(self.headings),
            "speakers": list(self.speakers),
            "organizations": list(self.organizations),
            "people": list(self.people),
            "quotes": [
                {"speaker": q.speaker, "text": q.text, "position": q.position} for q in self.quotes
            ],
            "affiliations": [
                {"speaker": a.speaker, "title": a.title, "organization": a.organization}
                for a in self.affiliations
            ],
        }
