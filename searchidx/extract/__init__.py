"""Stage 3, extract: who is quoted, who is named, which organizations appear.

Rules, not a model: they run offline at well over 100,000 words/s and need no download
(`benchmarks/extract_eval.py` measures them). The article body is read as one text
(paragraphs joined by blank lines) in a few linear passes:

1. names (`names`): every capitalised run ("Sen. Ted Cruz", "Mr. Trump", "Daryl Kimball") is
   found once; a run is a person when something says so — a title or role before it ("Defense
   Secretary Robert Gates", "strategist Ryan Williams"), a common given name or an initial, an
   appositive after it ("Kimball, 44," / "Kimball, director of" / "Bowyer (England)"), a speech
   verb next to it ("Kimball said"), an honorific on its surname elsewhere ("Mr. Kimball"), or
   its place inside a sentence, where only names are capitalised (unless the article writes it
   as a place, "in Cape Town", or it is part of an organization's name). Short forms
   ("Kimball", "Mr. Kimball") resolve to the longest form of the same person named before them;
2. quotations are found (`quotations`: "straight" and “curly”, including a quote that runs over
   several paragraphs and only closes in its last one, and partial quotes of a word or two);
3. each is attributed (`attribution`) from the noun phrase its frame names: `"...," Kimball
   said`, `said Joe Cirincione, director of ...`, `Daalder said: "..."`, `according to X`,
   `"..." — X`, the attribution sentence or colon paragraph just before, the subject of the
   sentence that holds a partial quote; "he"/"she" go to the speaker or first person of the
   nearest sentence before whose gender fits. Organizations speak too ("the White House
   said"): they become speakers but never people;
4. affiliations (`affiliations`) come from appositives ("Daryl Kimball, director of the Arms
   Control Association") and titles ("the U.S. ambassador to NATO, Ivo Daalder");
5. organizations (`organizations`) are capitalised runs ending in an organization word
   (Association, Fund, Council, ...), acronyms outside all-caps headlines, and the teams of
   results lines.

The word lists and name patterns several passes share are in `words`. Each module imports only
the ones listed before it (`words`, `quotations`, `organizations`, `names`, `attribution`,
`affiliations`); `extract` here runs them in order.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import chain

from searchidx.extract.affiliations import find_affiliation
from searchidx.extract.attribution import attribute_quotes, reporting_sources
from searchidx.extract.names import NameBook
from searchidx.extract.organizations import (
    find_organizations,
    has_letter_case,
    sides_in_context,
    teams_in_results,
)
from searchidx.extract.quotations import find_quote_spans
from searchidx.model import Article

__all__ = ["extract", "find_organizations", "find_quote_spans"]


def extract(article: Article) -> Article:
    """The article with speakers, quotes, people, organizations and affiliations filled in."""
    if not has_letter_case(article.body):
        # All-caps text (old archives, wire copy): capitals mark no names, so every run of
        # words would pass for a speaker or an organization and be searched as one. Only the
        # rows of a standings table ("DETROIT 15 9 4 81 53 34") still name teams.
        teams = (teams_in_results(paragraph) for paragraph in article.paragraphs)
        return replace(article, organizations=tuple(dict.fromkeys(chain.from_iterable(teams))))
    paragraphs = article.paragraphs
    names = NameBook(paragraphs)
    quotes = attribute_quotes(paragraphs, names)
    body = names.text
    speakers = tuple(dict.fromkeys([*(q.speaker for q in quotes), *reporting_sources(body, names)]))
    affiliations = tuple(
        affiliation
        for speaker in speakers
        if speaker in names.persons and (affiliation := find_affiliation(body, speaker)) is not None
    )
    named_people = names.people()
    person_words = {word for person in named_people for word in person.split()}
    organizations = find_organizations(body) + tuple(
        side for side in sides_in_context(body) if not set(side.split()) & person_words
    )
    spoke_as_org = [s for s in speakers if s not in names.persons]
    organizations = tuple(dict.fromkeys([*organizations, *spoke_as_org]))
    # "Military Analysis" in "Institute of Political and Military Analysis" is nobody.
    people = tuple(
        person
        for person in named_people
        if person in speakers or not any(person in org for org in organizations)
    )
    return replace(
        article,
        speakers=speakers,
        quotes=tuple(quotes),
        people=people,
        organizations=organizations,
        affiliations=affiliations,
    )
