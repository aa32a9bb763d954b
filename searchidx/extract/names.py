"""The people of an article: which capitalised runs name a person (a title or role before
it, a common given name, an appositive or a speech verb beside it, its place inside a
sentence), and whom a short form ("Kimball", "Mr. Kimball") or a "he"/"she" refers to.
`NameBook` reads the article once and answers both for `attribution` and `extract`."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from searchidx.extract.words import (
    COUNTRIES,
    GIVEN_NAMES,
    HONORIFICS,
    LOWER,
    LOWER_WORD,
    NAME_RUN,
    NAME_WORD,
    NOT_NAME_WORDS,
    ORG_HEADS,
    PLACE_WORDS,
    PREPOSITIONS,
    ROLE_WORDS,
    ROLES,
    SPEECH_VERBS,
    TITLE_WORDS,
    UPPER,
    US_STATES,
    VERB_LEAD,
    ends_sentence,
)

# Given names that are a woman's, so that "she said" skips the men named since.
_FEMALE_NAMES = {
    "Alexandra", "Alice", "Alicia", "Alison", "Amanda", "Amy", "Andrea", "Angela", "Ann", "Anna",
    "Anne", "Ashley", "Barbara", "Betty", "Brenda", "Carla", "Carmen", "Carol", "Caroline",
    "Catherine", "Christina", "Christine", "Cindy", "Claire", "Claudia", "Cynthia", "Daniela",
    "Deborah", "Debbie", "Diana", "Diane", "Donna", "Elena", "Elizabeth", "Ellen", "Emily", "Emma",
    "Gloria", "Heather", "Helen", "Jane", "Janet", "Jennifer", "Jessica", "Joan", "Judith",
    "Julia", "Julie", "Karen", "Kate", "Katherine", "Kathleen", "Kathy", "Kelly", "Laura",
    "Lauren", "Linda", "Lisa", "Margaret", "Maria", "Martha", "Mary", "Megan", "Melissa",
    "Michelle", "Nancy", "Pamela", "Patricia", "Paula", "Rachel", "Rebecca", "Rosa", "Ruth",
    "Sally", "Sandra", "Sara", "Sarah", "Sharon", "Stephanie", "Susan", "Valerie", "Hillary",
    "Nikki", "Carly", "Hope",
    "Theresa", "Marine", "Katie", "Kristen", "Jill", "Kelli", "Dana", "Kirsten", "Tammy", "Jeanne",
    "Maggie", "Heidi", "Shelley", "Cathy", "Virginia", "Mia", "Madeleine",
    "Loretta", "Penny", "Gina", "Samantha", "Cheryl",
    "Nina", "Michele", "Gwen", "Maxine", "Dianne", "Patty", "Lindsey", "Erin", "Meghan",
    "Gretchen", "Greta", "Kimberly", "Sheryl", "Marissa",
    "Sonia", "Alexandria", "Tina",
}  # fmt: skip


@dataclass(frozen=True)
class _Mention:
    """A capitalised run of the text that may name a person: where, and its words."""

    start: int
    end: int
    name: str
    evidence: bool


class NameBook:
    """The person names of one article, with where each is mentioned, to resolve "Kimball" or
    "Mr. Kimball" to "Daryl Kimball" and "he" to the person named last."""

    def __init__(self, paragraphs: list[str]) -> None:
        self.text = "\n\n".join(paragraphs)
        self.starts: list[int] = []
        offset = 0
        for paragraph in paragraphs:
            self.starts.append(offset)
            offset += len(paragraph) + 2
        mentions = list(_name_mentions(self.text))
        speaking = _speaking_words(self.text)
        honoured = {
            m.name.split()[-1]
            for m in mentions
            if _word_before(self.text, m.start) in {"mr", "mrs", "ms", "dr"}
        }
        full = {m.name for m in mentions if len(m.name.split()) > 1 and plausible_name(m.name)}
        initialled = {name for name in full if _INITIAL.match(name)}
        scorers = set(_SCORER.findall(self.text))
        evidenced = {m.name for m in mentions if m.evidence and plausible_name(m.name)}
        self.sentence_starts = _sentence_starts(self.text)
        self._places = {match.group(1) for match in _AFTER_PLACE_PREPOSITION.finditer(self.text)}
        inside = {m.name for m in mentions if self._inside_sentence(m.start)}
        self._inside = inside
        self.persons: set[str] = set()
        for name in full:
            words = name.split()
            if (
                name in evidenced
                or name in initialled
                or words[0] in GIVEN_NAMES
                or _surname(name) in speaking
                or _surname(name) in honoured
                or (
                    name in inside
                    and sum(w[0].isupper() for w in words) <= 3
                    and not self.is_place(name)
                )
            ):
                self.persons.add(name)
        surnames = {_surname(name) for name in self.persons}
        articled = {m.name for m in mentions if _word_before(self.text, m.start) == "the"}
        # One-word names that act as people ("Vitter demanded", "Mr. Moffett") with no full
        # form in the article.
        for mention in mentions:
            word = mention.name
            if " " in word or word in surnames or not plausible_name(word):
                continue
            if (
                word in honoured
                or word in scorers
                or (
                    word in speaking
                    and word not in articled
                    and not _GROUP_NOUN.search(word)
                    and not self.is_place(word)
                )
            ):
                self.persons.add(word)
        self._by_surname: dict[str, list[str]] = {}
        for name in sorted(self.persons, key=len, reverse=True):
            self._by_surname.setdefault(_surname(name), []).append(name)
        self.mentions: list[tuple[int, str]] = []
        latest: dict[str, str] = {}
        for mention in mentions:
            resolved = self._resolve_at(mention.name, latest)
            if resolved:
                latest[_surname(resolved)] = resolved
                self.mentions.append((mention.start, resolved))
        self._canonical = _canonical_forms(self.persons)
        self._mentions_by_surname: dict[str, list[tuple[int, str]]] = {}
        for offset, person in self.mentions:
            self._mentions_by_surname.setdefault(_surname(person), []).append((offset, person))
        self.gender = {
            self._canonical[person]: _gender_of_given_name(person.split()[0])
            for person in self.persons
        }
        for mention in mentions:
            title = _word_before(self.text, mention.start)
            person = self.resolve(mention.name, mention.start + 1)
            if person and title in {"mrs", "ms", "mr"}:
                self.gender[person] = "he" if title == "mr" else "she"
        self.outside_quotes = self.mentions
        self._lower_words: set[str] | None = None

    def _inside_sentence(self, offset: int) -> bool:
        """Whether a capitalised word at `offset` is inside a sentence (so capitalised because
        it is a name) and not after "the"."""
        start = self.sentence_starts[bisect.bisect_right(self.sentence_starts, offset) - 1]
        return offset - start > 2 and _word_before(self.text, offset) not in _BEFORE_NON_PERSON

    def set_quotations(self, spans: list[tuple[int, int]]) -> None:
        """Remember where the quotations are: "he said" never refers to a name quoted."""
        opens = [start for start, _ in spans]
        outside = []
        for offset, person in self.mentions:
            index = bisect.bisect_right(opens, offset) - 1
            if index < 0 or offset > spans[index][1]:
                outside.append((offset, person))
        self.outside_quotes = outside

    def _resolve_at(self, name: str, latest: dict[str, str]) -> str | None:
        """The person a mention names while the book is built: itself, the latest full name
        of its surname, or the longest one."""
        if name in self.persons:
            return name
        surname = _surname(name)
        if surname in latest:
            return latest[surname]
        candidates = self._by_surname.get(surname)
        return candidates[0] if candidates else None

    def resolve(self, name: str, offset: int | None = None) -> str | None:
        """The canonical person `name` refers to at `offset` ("Kimball" -> "Daryl Kimball"):
        the most recent person of that surname named before, else any of that surname."""
        name = strip_name(name)
        if not name:
            return None
        surname = _surname(name)
        if offset is not None:
            earlier = self._mentions_by_surname.get(surname, [])
            position = bisect.bisect_left(earlier, (offset, ""))
            for _, person in reversed(earlier[:position]):
                if " " not in name or name.split()[0] == person.split()[0]:
                    return self._canonical[person]
        if name in self.persons:
            return self._canonical[name]
        candidates = self._by_surname.get(surname)
        return self._canonical[candidates[0]] if candidates else None

    def last_before(
        self, offset: int, pronoun: str = "", previous: str | None = None
    ) -> str | None:
        """Who "he" or "she" at `offset` refers to: going back sentence by sentence, the first
        person (outside quotations) named in the sentence — its subject, as a rule — whose
        gender, when known, fits the pronoun. Past the last two sentences of the paragraph
        before, the speaker of the quotes just before (`previous`) comes first."""
        paragraph_start = self.starts[self.paragraph_of(offset)]
        sentence = bisect.bisect_right(self.sentence_starts, offset) - 1
        opening = bisect.bisect_left(self.sentence_starts, paragraph_start)
        for index in range(sentence, max(-1, sentence - 8), -1):
            start = self.sentence_starts[index]
            if index < opening - _PRONOUN_LOOKBACK and previous and self.fits(previous, pronoun):
                return previous
            end = offset if index == sentence else self.sentence_starts[index + 1]
            if index < sentence and pronoun and _led_by(self.text[start:end], pronoun):
                continue  # "However, he could not explain why Ivanka Trump ...": "he" again
            if index == sentence and self.text[start:offset].rstrip().endswith(","):
                continue  # "Also, Trump isn't a conservative, he said": his words, not him
            if index < sentence and _ROLE_OPENS.match(self.text, start):
                continue  # "The Florida senator sought to calm ... at Trump's rallies."
            low = bisect.bisect_left(self.outside_quotes, (start, ""))
            high = bisect.bisect_left(self.outside_quotes, (end, ""))
            fitting = [
                (offset, self._canonical[person])
                for offset, person in self.outside_quotes[low:high]
                if self.fits(self._canonical[person], pronoun)
                and not self._modifies_a_role(offset)
                and not self._names_a_thing(offset, self._canonical[person])
            ]
            speaking = [person for offset, person in fitting if self._speaks_at(offset)]
            if speaking:
                return speaking[0]
            subjects = [person for offset, person in fitting if not self._is_dependent(offset)]
            if subjects:
                return subjects[0]
            if fitting:
                return fitting[0][1]
        return previous if previous and self.fits(previous, pronoun) else None

    def _names_a_thing(self, offset: int, person: str) -> bool:
        """Whether the name at `offset` is a country, or a thing the article writes after
        "the" ("Mexico", "told the Palo Alto Weekly"), however it was read: never "he" or
        "she"."""
        return (
            _word_before(self.text, offset) == "the" or person in COUNTRIES or person in US_STATES
        )

    def _speaks_at(self, offset: int) -> bool:
        """Whether the name at `offset` is the subject or object of a speech verb ("Viguerie
        argues", "said Viguerie"): the speaker of its sentence."""
        return (
            _NAME_THEN_SPEECH.match(self.text, offset) is not None
            or _word_before(self.text, offset) in _INVERTED_SPEECH_VERBS
        )

    def _is_dependent(self, offset: int) -> bool:
        """Whether the name at `offset` is a possessor or the object of a preposition
        ("Trump's plan", "a letter to Obama"): not the subject "he" or "she" goes back to."""
        run = NAME_RUN.match(self.text, offset)
        possessor = run is not None and self.text.startswith(("'s", "’s"), run.end())
        return possessor or _word_before(self.text, offset) in PREPOSITIONS

    def _modifies_a_role(self, offset: int) -> bool:
        """Whether the name at `offset` only qualifies a role ("McConnell spokesman Don
        Stewart", "Trump's campaign manager"): the one who then speaks is the role's holder."""
        run = NAME_RUN.match(self.text, offset)
        return run is not None and _BEFORE_A_ROLE.match(self.text, run.end()) is not None

    def fits(self, person: str, pronoun: str) -> bool:
        """Whether `person` can be "he" or "she": their gender is unknown or matches."""
        return self.gender.get(person, "") in {"", pronoun}

    def add_person(self, name: str, offset: int) -> None:
        """Record a person known only from attribution ("said Ramil Carr")."""
        self.persons.add(name)
        self._canonical[name] = name
        self._by_surname.setdefault(_surname(name), []).append(name)
        bisect.insort(self.mentions, (offset, name))
        bisect.insort(self._mentions_by_surname.setdefault(_surname(name), []), (offset, name))
        bisect.insort(self.outside_quotes, (offset, name))

    def inside_sentence(self, name: str) -> bool:
        """Whether `name` is written somewhere inside a sentence, not only first in one
        (where "Wait" or "Placing" are capitalised too)."""
        return name in self._inside

    def is_place(self, word: str) -> bool:
        """Whether the article writes `word` as a place: "in Ohio", "from Florida"."""
        return word in self._places

    def is_proper(self, word: str) -> bool:
        """Whether a capitalised word is a name here: "Placing" or "Guns" at the start of a
        sentence are not when the article also writes them in lower case."""
        if self._lower_words is None:
            self._lower_words = set(LOWER_WORD.findall(self.text))
        return word.lower() not in self._lower_words

    def paragraph_of(self, offset: int) -> int:
        """The index of the paragraph that holds `offset`."""
        return bisect.bisect_right(self.starts, offset) - 1

    def people(self) -> tuple[str, ...]:
        """Every person named, by canonical name, in order of first mention."""
        return tuple(dict.fromkeys(self._canonical[person] for _, person in self.mentions))


# A sentence whose subject is a role ("The Florida senator"): it takes up someone named before.
_ROLE_OPENS = re.compile(rf"\s*(?:But\s|And\s)?The\s+(?:[\w.’'-]+\s+){{0,3}}(?:{ROLES})\b")
_BEFORE_A_ROLE = re.compile(
    r"(?:['’]s)?\s+(?:(?:campaign|running|press|senior|chief|top|deputy|former|longtime)\s+)*"
    rf"(?:mate|{ROLES})\b"
)
_AFTER_PLACE_PREPOSITION = re.compile(
    rf"\b(?:in|at|across)\s+({NAME_WORD}(?:\s{NAME_WORD}){{0,2}})(?![\w’'-])"
)


# How many sentences of the paragraph before "he"/"she" may name its referent before the speaker
# of the quotes just before is taken instead.
_PRONOUN_LOOKBACK = 2
_SENTENCE_LEAD = r"(?:(?:But|And|However|Still|Yet|So|Then|Instead|Now|Later|Also|Though)\b,?\s+)?"


def _led_by(sentence: str, pronoun: str) -> bool:
    """Whether `pronoun` is the subject a sentence opens with ("He said...", "But she
    added...") or the subject after its lead-in ("Inspired by Sanders, he is committed"):
    its names are then not who a following "he"/"she" means."""
    return (
        re.match(rf"\s*{_SENTENCE_LEAD}{pronoun}\b", sentence, re.I) is not None
        or re.search(rf",\s{pronoun}(?:['’]s)?\s[a-z]", sentence) is not None
    )


# Words after which a capitalised run is a thing or the tail of a longer name: "the Senate",
# "Institute of Political and Military Analysis" (see also `extract`).
_BEFORE_NON_PERSON = {"the", "of", "for", "a", "an"}


def _sentence_starts(text: str) -> list[int]:
    """Where each sentence of the text starts (a period after "Mr" or "U.S" ends none)."""
    starts = [0]
    for boundary in _SENTENCE_BREAK.finditer(text):
        if ends_sentence(boundary.group("word")):
            starts.append(boundary.end())
    return starts


_SENTENCE_BREAK = re.compile(r"\n\n|(?P<word>[\w.]*\w)[.!?][\"’”]?\s+")


def _gender_of_given_name(given: str) -> str:
    """ "she" for a woman's given name, "he" for another common given name, "" when unknown."""
    if given in _FEMALE_NAMES:
        return "she"
    return "he" if given in GIVEN_NAMES else ""


def _canonical_forms(persons: set[str]) -> dict[str, str]:
    """Each person name mapped to the longest form of the same person in the article:
    "Hillary Clinton" -> "Hillary Rodham Clinton", "Clinton" -> itself unless a full form
    exists."""
    canonical: dict[str, str] = {}
    for name in persons:
        words = name.split()
        longer = [
            other
            for other in persons
            if _surname(other) == _surname(name)
            and len(other) > len(name)
            and (len(words) == 1 or other.split()[0] == words[0])
        ]
        canonical[name] = max(longer, key=len) if longer else name
    return canonical


_APPOSITIVE_AFTER = re.compile(
    r"^(?:,\s+(?:\d{1,3}\b|(?:the|a|an|who|whose|one)\s|(?:(?:former|then|now|longtime|"
    r"retired|acting|senior|chief|deputy|executive|assistant|associate|vice)\s+)*"
    rf"(?:{ROLES})\b)"
    r"|\s+\((?:[RDI]|R-|D-|I-)[^)]{0,12}\)|\s+\([A-Z][a-z]+(?: [A-Z][a-z]+)?\))"
)


def _name_mentions(text: str):
    """Every capitalised run that could name a person, with leading titles stripped and a flag
    for local evidence that it is a person (title or role before, appositive after)."""
    for match in NAME_RUN.finditer(text):
        words = [(w.start(), w.group()) for w in re.finditer(r"\S+", match.group())]
        skip = 0
        evidence = False
        while skip < len(words) - 1 and is_title_word(words[skip][1]):
            evidence = True
            skip += 1
        while skip < len(words) and words[skip][1].rstrip(".") in NOT_NAME_WORDS:
            evidence = evidence or words[skip][1].rstrip(".").lower() in HONORIFICS
            skip += 1
        if skip == len(words):
            continue
        start = match.start() + words[skip][0]
        name = strip_name(" ".join(word for _, word in words[skip:]))
        if not name:
            continue
        after = text[match.end() : match.end() + 60]
        evidence = (
            evidence
            or _word_before(text, start) in TITLE_WORDS
            or _APPOSITIVE_AFTER.match(after) is not None
        )
        yield _Mention(start, match.end(), name, evidence)


def _word_before(text: str, offset: int) -> str:
    """The word right before `offset`, lower-cased, without a trailing period ("Sen." ->
    "sen"); empty when punctuation other than a period comes between."""
    head = text[max(0, offset - 30) : offset]
    if not head[-1:].isspace():
        return ""
    words = head.split()
    return words[-1].rstrip(".").lower() if words else ""


def is_title_word(word: str) -> bool:
    """A capitalised title inside a run: "President", "Sen.", "Secretary", "Gov."."""
    bare = word.rstrip(".").lower()
    return bare in ROLE_WORDS or bare in HONORIFICS


_NAME_THEN_SPEECH = re.compile(
    rf"{NAME_WORD}(?:\s{NAME_WORD}){{0,3}}(?:,[^,]{{1,80}},)?\s+{VERB_LEAD}(?:{SPEECH_VERBS})\b"
)
# The verbs a speaker follows ("said Viguerie"); after the others the name is their object
# ("praised Obama", "told Kimball"), not who speaks.
_INVERTED_SPEECH_VERBS = {
    "said", "says", "added", "adds", "asked", "asks", "wrote", "writes", "explained",
    "explains", "continued", "continues", "noted", "notes", "argued", "argues", "recalled",
    "recalls", "insisted", "insists", "replied", "replies", "answered", "countered",
}  # fmt: skip


def _speaking_words(text: str) -> set[str]:
    """Surnames that are the subject or object of a speech verb somewhere in the text
    ("Daalder said", "said Kimball")."""
    found: set[str] = set()
    for match in _SPEAKER_NEXT_TO_VERB.finditer(text):
        who = match.group("a") or match.group("b")
        if who:
            found.add(who.split()[-1])
    return found


# The verbs that make the word before them a speaker on their own ("Vitter said"); "Italy
# recalled" or "Talks began" need more.
_CORE_SPEECH_VERBS = (
    "said|says|told|tells|added|adds|asked|asks|wrote|writes|explained|explains|insisted|"
    "argued|argues|noted|notes|stressed|tweeted|testified|conceded|acknowledged|quipped|joked|"
    "admitted|admits|replied|replies|responded|responds|insists|countered|counters|"
    "complained|complains"
)
_SPEAKER_NEXT_TO_VERB = re.compile(
    rf"(?P<a>{NAME_WORD})\s+{VERB_LEAD}(?:[a-z]+ly\s+)?(?:{_CORE_SPEECH_VERBS})\b"
    rf"|\b(?:said|says|added|told|asked|wrote)\s+(?P<b>{NAME_WORD}(?:\s{NAME_WORD}){{0,3}})"
)


def strip_name(name: str) -> str:
    """Drop titles, leading non-name words and a possessive: "Russian President Dmitry
    Medvedev's" -> "Dmitry Medvedev", "Mr. Trump" -> "Trump"."""
    words = re.sub(r"(?:’s|'s|’|')$", "", name.strip()).split()
    titles = [i for i, w in enumerate(words[:-1]) if is_title_word(w)]
    if titles:
        words = words[titles[-1] + 1 :]
    while words and (
        words[0].rstrip(".") in NOT_NAME_WORDS or (len(words) > 1 and words[0].endswith("ing"))
    ):
        words.pop(0)  # "The", "Following Sanders"
    while words and words[-1].rstrip(".,") in {"Jr", "Sr", "III", "II", "IV"}:
        words.pop()
    if len(words) >= 3 and words[0] not in GIVEN_NAMES and _DESCRIPTOR.search(words[0]):
        words.pop(0)  # "Frenchman Patrick Vieira", "Top-seeded Ian Eyles"
    elif len(words) >= 3 and words[0].endswith("ly") and words[1] in GIVEN_NAMES:
        words.pop(0)  # "Certainly Donald Trump": an adverb that opens the sentence
    return " ".join(w.rstrip(",") for w in words)


# "B. Young", "J. Vaughan": an initial and a surname.
_INITIAL = re.compile(rf"[{UPPER}]\.\s[{UPPER}][{LOWER}]")
# The scorers of a results line: "Sunderland 1 (Melville 83) Wimbledon 3 (Ekoku 8, 29)".
_SCORER = re.compile(
    rf"(?<=[(,] )?(?:(?<=\()|(?<=, ))([{UPPER}][{LOWER}]+)\s\d{{1,3}}(?=[,)]| pen)"
)
# A capitalised word that describes rather than names: "Frenchman", "Queenslander",
# "Moroccan", "Top-seeded", "Third-stringer".
_DESCRIPTOR = re.compile(r"(?:man|woman|er|an|ese|ish|-\w+)$")
# Capitalised plurals that are groups, not people: "Dealers said", "Witnesses told".
_GROUP_NOUN = re.compile(r"(?:ers|ors|ists|ants|ents|ics|ies|ives|ians|ses|ates)$")


def _surname(name: str) -> str:
    """The last word of a name: what "Kimball" and "Daryl Kimball" share."""
    return name.split()[-1] if name else ""


def plausible_name(name: str, lenient: bool = False) -> bool:
    """A run that could be a person's name: up to four words, no organization word, no
    sentence word, no all-caps word, and no place word ("Street", "Black") unless `lenient`
    (the run is the subject of a speech verb) or it starts with a given name ("Charlie
    Black")."""
    words = name.split()
    if not 1 <= len(words) <= 4:
        return False
    lenient = lenient or words[0] in GIVEN_NAMES
    for word in words:
        bare = word.rstrip(".")
        if len(bare) == 1 and word.endswith("."):
            continue  # a middle initial: "Jill A. Martin"
        if bare in ORG_HEADS or bare in NOT_NAME_WORDS or (bare in PLACE_WORDS and not lenient):
            return False
        if len(bare) > 2 and bare.isupper() and "." not in bare:
            return False
    return not (len(words) == 1 and (len(name) < 3 or name.endswith(".")))
