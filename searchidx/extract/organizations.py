"""Organizations named in a text: capitalised runs ending in an organization word, acronyms
outside all-caps headlines, wire services, the clubs of players' lists, and the teams of
results lines and standings rows; and whether a text has letter case at all (all-caps wire
copy has none, so its capitals say nothing)."""

from __future__ import annotations

import re

from searchidx.extract.words import (
    COUNTRIES,
    LOWER,
    LOWER_WORD,
    NOT_NAME_WORDS,
    ORG_HEADS,
    PLACE_WORDS,
    UPPER,
    ends_sentence,
)

_ORG_CONNECTORS = r"(?:of|and|for|on|the|de|&)"
_ORG_WORD = r"(?:[A-Z][\w'’.-]*[A-Za-z.]|[A-Z]{2,}|&)"
_ORG_SPAN = re.compile(rf"(?<![\w-]){_ORG_WORD}(?:\s+(?:{_ORG_CONNECTORS}\s+)*{_ORG_WORD})*")
_ACRONYM = re.compile(r"(?<![\w.-])([A-Z][A-Z&]{1,5})(?:'s|’s)?(?![\w-]|\.\w)")
# All-caps words that are not organizations in news text.
NOT_ORG_ACRONYMS = {
    "US", "USA", "UK", "TV", "AM", "PM", "CEO", "GDP", "OK", "ID", "PC", "DC", "AIDS", "HIV",
    "CFO", "COO", "VP", "II", "III", "IV", "PS", "PPS", "ET", "PT", "GMT", "UTC", "CST", "EST",
    "MP", "MPS", "THE", "AND", "FOR", "NEW", "ISBN", "PDF", "URL", "FAQ", "DVD", "CD", "RSS",
    "UAE", "USSR", "LA", "NY", "Q", "A", "I", "RE", "PST", "EDT", "PDT", "CDT",
    "MST", "MDT", "BST", "CET", "AD", "BC", "OF", "IN", "ON", "TO", "AT", "BY", "IS", "IT",
    "NO", "MR", "MRS", "MS", "DR", "JR", "SR", "ST", "VS", "RS", "OR", "AN", "AS", "BE",
}  # fmt: skip


def find_organizations(text: str) -> tuple[str, ...]:
    """Organizations named in `text`: capitalised names ending in an organization word
    (Association, Fund, Council, Institute, ...), acronyms such as NATO, and the teams of
    results and standings lines ("Leeds 2 Chelsea 1")."""
    found: list[str] = []
    for match in _ORG_SPAN.finditer(text):
        for part in _separate_organizations(match.group()):
            organization = _organization_in_span(part)
            if organization:
                found.append(organization)
    found.extend(match.group() for match in _NEWS_AGENCY.finditer(text))
    found.extend(
        club
        for match in _CLUB_OF_PLAYER.finditer(text)
        if (club := match.group("club")) not in COUNTRIES and club.split()[0] not in PLACE_WORDS
    )
    lower_words = set(LOWER_WORD.findall(text))
    for paragraph in text.split("\n\n"):
        found.extend(
            team
            for team in teams_in_results(paragraph)
            if not any(w.lower() in lower_words for w in team.split()) and team not in COUNTRIES
        )
        acronyms = list(_ACRONYM.finditer(paragraph))
        if not acronyms or not has_letter_case(paragraph):
            continue  # in an all-caps headline every word looks like an acronym
        for match in acronyms:
            acronym = match.group(1)
            if (
                acronym in NOT_ORG_ACRONYMS
                or acronym.lower() in lower_words
                or _inside_capitalised_name(paragraph, match.start())
                or (match.start() == 0 and _DATELINE.match(paragraph, match.end()))
            ):
                continue
            found.append(acronym)
    return tuple(dict.fromkeys(found))


def sides_in_context(text: str) -> list[str]:
    """Capitalised names that the words before them make a team or a company: "against
    Liverpool", "playing for Feyenoord", "shares in Toyo Trust" (not countries or places)."""
    return [
        side
        for match in _SIDE_CONTEXT.finditer(text)
        if (side := match.group("side")) not in COUNTRIES
        and side.split()[0] not in PLACE_WORDS
        and side.split()[0] not in NOT_NAME_WORDS
    ]


# Words after which a capitalised name is a team or a company.
_SIDE_CONTEXT = re.compile(
    r"\b(?:against|beat|beating|defeat by|defeated|draw with|drew with|win over|victory over"
    r"|lost to|loss to|playing for|play for|played for|joined|signed for|signed by|shares in"
    r"|shares of|stake in|owned by|a unit of|subsidiary of)\s+(?:the\s+)?"
    r"(?P<side>[A-Z][\w'-]+(?:\s[A-Z][\w'-]+){0,2})"
)
# The wire services news archives quote by name, which carry no organization word.
_NEWS_AGENCY = re.compile(
    r"\b(?:Reuters|Xinhua|Interfax|Itar-Tass|Tass|Kyodo|Yonhap|Bernama|Antara|Anadolu)\b"
)
# A player and his club in a squad list or scorers' table: "Ian Wright (Arsenal)", "Vitor Baia
# (Barcelona, Spain)". A country there ("Colin Montgomerie (Scotland)") is a nationality, and
# a party and state ("(R-Ohio)") never match.
_CLUB_OF_PLAYER = re.compile(
    r"[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)+\s\("
    r"(?P<club>[A-Z][\w.'’]+(?:\s[A-Z][\w.'’]+){0,2})(?:,\s[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)?\)"
)
# What follows the place that opens a wire story: "VAIL, Colo. 1996-12-06", "ROME 1996".
_DATELINE = re.compile(r"(?:,\s[A-Z][\w.]*(?:\s[A-Z][\w.]*)*)?\s+\d")
# A team and its score in a results line: "Leeds 2 Chelsea 1", "CHICAGO 4 Dallas 2",
# "Charleroi (Belgium) 75 Estudiantes Madrid (Spain) 82".
_TEAM_SCORE = re.compile(
    r"(?:^|(?<=\d )|(?<=\) )|(?<=\. ))(?P<team>(?:[A-Z][\w.'-]*\s){0,2}[A-Z][\w'-]*[a-zA-Z])"
    r"(?:\s\([A-Z][\w ]*\))?\s(?P<score>\d{1,3})(?=\s|$|\.|,)"
    r"(?!\s*(?:[-:]|percent|%|years|points|pct))"
)
# A standings row: an all-caps team and its columns of numbers, "PHILADELPHIA 19 13 3 104",
# "HOUSTON 16 2 .889 -" (won, lost, percentage),
# or any team and a full row of them (played, won, drawn, lost, for, against, points),
# "Werder Bremen 17 6 4 7 29 28 22", "1. FC Cologne 16 8 2 6 31 27 26": five or more whole
# numbers and nothing else, which no sentence and no golf or tennis score line has.
_STANDINGS_ROW = re.compile(
    r"^(?P<team>[A-Z][A-Z.'-]+(?:\s[A-Z][A-Z.'-]+){0,2})(?:(?:\s\d+){3,}|(?:\s\d+){2}\s\.\d{3}\b)"
    r"|^(?P<club>(?:\d\.\s)?[A-Z][\w.'-]*(?:\s(?:\d+\s)?[A-Z][\w.'-]*){0,3})(?:\s\d+){5,}\s*$"
)


def _separate_organizations(span: str) -> list[str]:
    """ "Traditions Ltd and Creative Marketing Inc" is two organizations: an "and" right after
    an organization word starts another ("Institute of Political and Military Analysis" is
    one)."""
    parts = [[]]
    words = span.split()
    for index, word in enumerate(words):
        previous = words[index - 1].strip(".,") if index else ""
        if word in {"and", "&"} and previous in ORG_HEADS:
            parts.append([])
        else:
            parts[-1].append(word)
    return [" ".join(part) for part in parts if part]


def teams_in_results(paragraph: str) -> list[str]:
    """The teams of a paragraph that reads as a results line (at least two capitalised names
    each followed by a score) or a standings row."""
    row = _STANDINGS_ROW.match(paragraph)
    if row:
        return [row.group("team") or row.group("club")]
    matches = [
        m
        for m in _TEAM_SCORE.finditer(paragraph)
        if m.group("team").split()[0] not in NOT_NAME_WORDS
    ]
    if len(matches) < 2 or "(" in paragraph[: matches[0].start()]:
        return []
    return [m.group("team") for m in matches]


def has_letter_case(text: str) -> bool:
    """True unless the text is (almost) all upper case, as wire copy and old archives are:
    capitals then say nothing about names or acronyms."""
    lower = len(_LOWER_LETTER.findall(text))
    upper = len(_UPPER_LETTER.findall(text))
    return not lower + upper or lower / (lower + upper) > 0.2


_LOWER_LETTER = re.compile(rf"[{LOWER}]")
_UPPER_LETTER = re.compile(rf"[{UPPER}]")


def _organization_in_span(span: str) -> str | None:
    """The organization in a capitalised run: "Kimball of the Arms Control Association" gives
    "Arms Control Association"; "Institute of Political and Military Analysis" stays whole."""
    words = span.split()
    owners = [i for i, w in enumerate(words[:-1]) if w.endswith(("’s", "'s"))]
    words = words[owners[-1] + 1 :] if owners else words  # "Buthelezi's Inkatha Freedom Party"
    for index, word in enumerate(words[:-1]):
        if word.endswith(".") and ends_sentence(word[:-1]) and word[:-1] not in ORG_HEADS:
            words = words[: index + 1]  # "University of Singapore. At" ends at the period
            break
    words = [w for w in words if not re.search(r"[a-z]-[a-z]", w)] if words else words
    heads = [i for i, w in enumerate(words) if w.strip(".,") in ORG_HEADS]
    if not heads:
        return None
    first, last = heads[0], heads[-1]
    connectors = [i for i in range(first) if words[i] in _CONNECTOR_WORDS]
    start = connectors[-1] + 1 if connectors else 0
    while start < first and (words[start] in NOT_NAME_WORDS or words[start] in _CONNECTOR_WORDS):
        start += 1
    end = len(words) if last + 1 < len(words) and words[last + 1] == "of" else last + 1
    while end > last + 1 and words[end - 1] in _CONNECTOR_WORDS:
        end -= 1
    organization = words[start:end]
    if len(organization) == 1:
        return None  # a bare "Council" or "Party" names nothing
    return " ".join(organization).rstrip(".")


_CONNECTOR_WORDS = {"of", "and", "for", "on", "the", "de", "&"}


def _inside_capitalised_name(text: str, offset: int) -> bool:
    """ "New START treaty": an acronym right after a capitalised word is part of another name."""
    before = text[:offset].rstrip()
    if not before or before[-1] in '.!?"“':
        return False
    previous = before.split()[-1] if before.split() else ""
    return previous[:1].isupper() and not previous.isupper() and previous not in NOT_NAME_WORDS
