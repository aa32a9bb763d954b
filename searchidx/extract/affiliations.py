"""What an article calls a speaker: the title and organization of an appositive ("Daryl
Kimball, director of the Arms Control Association") or of the title before the name ("the
U.S. ambassador to NATO, Ivo Daalder", "Russian President Dmitry Medvedev")."""

from __future__ import annotations

import re

from searchidx.extract.organizations import find_organizations
from searchidx.extract.words import HONORIFICS, NOT_NAME_WORDS, ROLE_WORDS, ROLES, ends_sentence
from searchidx.model import Affiliation


def find_affiliation(body: str, speaker: str) -> Affiliation | None:
    """What the article calls `speaker`: "director of the Arms Control Association" gives
    title "director", organization "Arms Control Association"."""
    full = list(_occurrences(body, speaker))
    by_surname = list(_occurrences(body, speaker.split()[-1]))
    phrases = [
        # "Daryl Kimball, director of the Arms Control Association in Washington,"
        *(_AFFILIATION_AFTER_NAME.match(body, end) for _, end in full),
        # "Kimball of the Arms Control Association"
        *(_AFFILIATION_OF.match(body, end) for _, end in by_surname),
        # "the U.S. ambassador to NATO, Ivo Daalder"
        *(_AFFILIATION_BEFORE_COMMA.search(body[max(0, s - 80) : s]) for s, _ in full),
        # "Russian President Dmitry Medvedev"
        *(_AFFILIATION_BEFORE.search(body[max(0, s - 60) : s]) for s, _ in full),
        # "Bank of England governor Mervyn King"
        *(_ORGANIZATION_ROLE_BEFORE.search(body[max(0, s - 80) : s]) for s, _ in full),
    ]
    for match in phrases:
        if match:
            affiliation = _affiliation_from_phrase(speaker, match.group("phrase"))
            if affiliation:
                return affiliation
    return None


_AFFILIATION_AFTER_NAME = re.compile(
    r",\s+(?P<phrase>(?:the\s+|a\s+|an\s+)?[a-z][^,.;\"“”]{2,120})"
)
_AFFILIATION_OF = re.compile(r"\s+(?P<phrase>of\s+the\s+[A-Z][^,.;\"“”]{2,100})")
_AFFILIATION_BEFORE_COMMA = re.compile(r"\bthe\s+(?P<phrase>[A-Za-z.]+(?: [A-Za-z.]+){0,6}),\s+$")
_AFFILIATION_BEFORE = re.compile(r"(?P<phrase>(?:[A-Z][a-z.]+\s+){0,2}[A-Z][a-z]+)\s+$")
# Capitalised words (an organization or a place) and a lower-case role before a name, as
# British news writes titles: "Bank of England governor Mervyn King", "Wales coach Mike Ruddock".
_ORGANIZATION_ROLE_BEFORE = re.compile(
    r"(?<![\w.])(?P<phrase>(?:[A-Z][\w&.’'-]*[ ]+(?:(?:of|for)[ ]+(?:the[ ]+)?)?){1,5}"
    rf"(?:(?!(?:and|or|but|with|to|the|a|an)[ ])[a-z-]+[ ]+)?(?:{ROLES}))[ ]+$"
)


def _occurrences(text: str, word: str):
    """(start, end) of each occurrence of `word` in `text` that starts and ends at a word
    boundary."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if (start == 0 or not text[start - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            yield start, end
        start = text.find(word, end)


def _affiliation_from_phrase(speaker: str, phrase: str) -> Affiliation | None:
    """The title and organization in an appositive or a title phrase ("director of the Arms
    Control Association"), or None when the phrase holds no role and no organization."""
    phrase = re.sub(r"^(?:[Tt]he|an?|An?)\s+", "", _after_last_sentence_end(phrase.strip()))
    words = phrase.split()
    if not words or (
        not any(w.lower().strip(".,") in ROLE_WORDS for w in words) and " of " not in f" {phrase} "
    ):
        return None
    organization = next(iter(find_organizations(phrase)), "")
    title = phrase
    if organization and phrase.startswith(organization):
        title = re.sub(r"^(?:'s|’s)\s+", "", phrase[len(organization) :].strip())  # "BBC's head"
    elif organization:
        title = phrase[: phrase.find(organization)]
        title = re.sub(
            r"\s+(?:of|at|to|for|with|from)(?:\s+the)?(?:\s+independent)?\s*$", "", title.strip()
        )
        title = re.sub(r"\s+the\s*$", "", title)
    title = _bare_title(title.strip(" ,"))
    if not organization and not any(w.lower().strip(".,") in ROLE_WORDS for w in title.split()):
        return None
    return Affiliation(speaker=speaker, title=title, organization=organization)


def _after_last_sentence_end(phrase: str) -> str:
    """A title phrase read before a name, from after the last sentence that ends inside it:
    "Wilson. Prime Minister" (of "...the resignation of Harold Wilson. Prime Minister Tony
    Blair") is "Prime Minister"; the period of "Gen." or "U.S." ends nothing."""
    words = phrase.split()
    for place in range(len(words) - 1, -1, -1):
        if words[place].endswith(".") and ends_sentence(words[place][:-1]):
            return " ".join(words[place + 1 :])
    return phrase


# Capitalised at a sentence's start, not part of a title: "Earlier Foreign Secretary Jack
# Straw said". "Former" and "Late" stay ("Former President").
_SENTENCE_OPENERS = (NOT_NAME_WORDS - {"Former", "Late"}) | {
    "Earlier", "Later", "Separately", "Elsewhere", "Previously", "Recently", "Afterwards",
}  # fmt: skip


def _bare_title(title: str) -> str:
    """A title without the sentence adverb before it ("Earlier Foreign Secretary" is "Foreign
    Secretary") or the honorific of the name after it ("Lord Chancellor Lord Falconer" gives
    "Lord Chancellor"); an honorific alone stays the title ("Lord")."""
    words = title.split()
    while len(words) > 1 and words[0] in _SENTENCE_OPENERS and words[0].lower() not in HONORIFICS:
        words.pop(0)
    while len(words) > 1 and words[-1].rstrip(".").lower() in HONORIFICS:
        words.pop()
    return " ".join(words)
