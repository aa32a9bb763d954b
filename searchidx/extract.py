"""Stage 3, extract: who is quoted, who is named, which organizations appear.

Rules, not a model: they run offline at well over 100,000 words/s and need no download. The
article body is read paragraph by paragraph:

1. quotations are found ("straight" and “curly”, including a quote that runs over several
   paragraphs and only closes in its last one);
2. each is attributed to the subject of a speech verb next to it (`"...," Kimball said`,
   `said Joe Cirincione`, `Daalder said ... "..."`, `according to X`); a pronoun ("he added")
   goes to the person named most recently;
3. short names are resolved to the longest form the article uses ("Kimball" -> "Daryl Kimball");
4. affiliations come from appositives ("Daryl Kimball, director of the Arms Control
   Association") and titles ("the U.S. ambassador to NATO, Ivo Daalder").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from searchidx.model import Affiliation, Article, Quote

# --- names ---------------------------------------------------------------------------------

_CAP_WORD = r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]\.)"
_NAME = re.compile(rf"\b{_CAP_WORD}(?: {_CAP_WORD}){{0,3}}\b")
# Words that start a capitalised run without being part of a name.
_NOT_NAME_WORDS = {
    "A", "An", "The", "But", "And", "Or", "So", "If", "In", "On", "At", "As", "For", "Of", "To",
    "By", "With", "From", "When", "While", "After", "Before", "Since", "Last", "This", "That",
    "These", "Those", "It", "He", "She", "They", "We", "I", "You", "His", "Her", "Their", "Our",
    "My", "Its", "There", "Here", "Some", "Many", "Most", "All", "Both", "Each", "No", "Not",
    "Yet", "Still", "Then", "Now", "Also", "Even", "Just", "Only", "What", "Who", "Why", "How",
    "Where", "Which", "Mr", "Mrs", "Ms", "Dr", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December", "According",
}  # fmt: skip
# Titles and roles written before a person's name: "Defense Secretary Robert Gates".
_ROLE_WORDS = {
    "president", "presidents", "secretary", "minister", "ambassador", "director", "chairman",
    "chairwoman", "chair", "senator", "sen", "rep", "representative", "gov", "governor", "mayor",
    "judge", "general", "gen", "admiral", "adm", "colonel", "col", "captain", "capt", "chief",
    "spokesman", "spokeswoman", "spokesperson", "counterpart", "leader", "premier", "king",
    "queen", "prince", "pope", "mr", "mrs", "ms", "dr", "prof", "professor", "analyst",
    "economist", "lawyer", "attorney", "officer", "official", "commissioner", "deputy",
    "candidate", "chancellor", "envoy", "adviser", "advisor", "founder", "executive", "ceo",
    "head", "coach", "author", "editor", "correspondent", "sheriff", "superintendent",
}  # fmt: skip
_PRONOUNS = {"he", "she"}

# --- organizations -------------------------------------------------------------------------

_ORG_HEADS = {
    "Association", "Fund", "Council", "Institute", "Agency", "Committee", "Party", "Ministry",
    "Department", "University", "College", "Bank", "Corporation", "Corp", "Inc", "Company",
    "Co", "Group", "Organization", "Organisation", "Union", "Commission", "Center", "Centre",
    "Foundation", "Reserve", "Court", "Senate", "Congress", "Parliament", "Army", "Navy",
    "Police", "Office", "Service", "Services", "Authority", "Board", "Bureau", "League",
    "Federation", "Alliance", "Coalition", "Society", "Trust", "Partners", "Holdings",
    "Airlines", "Times", "Post", "Journal", "Press", "News", "Network", "Administration",
    "Assembly", "Tribunal", "Guard", "Forces", "Force", "Project", "Initiative", "Program",
    "Programme", "School", "Hospital", "Laboratory", "Laboratories", "Museum", "Church",
    "Exchange", "Ltd", "LLC", "Brigade", "Cabinet",
}  # fmt: skip
_ORG_CONNECTORS = r"(?:of|and|for|on|the|de|&)"
_ORG_SPAN = re.compile(
    rf"\b(?:[A-Z][\w'’.-]*[A-Za-z]|[A-Z]{{2,}})"
    rf"(?:\s+(?:{_ORG_CONNECTORS}\s+)*(?:[A-Z][\w'’.-]*[A-Za-z]|[A-Z]{{2,}}))*"
)
_ACRONYM = re.compile(r"(?<![\w.-])([A-Z]{2,6})(?:'s|’s)?(?![\w.-])")
# All-caps words that are not organizations in news text.
_NOT_ORG_ACRONYMS = {
    "US", "USA", "UK", "TV", "AM", "PM", "CEO", "GDP", "OK", "ID", "PC", "DC", "AIDS", "HIV",
    "CFO", "COO", "VP", "II", "III", "IV", "PS", "PPS", "ET", "PT", "GMT", "UTC", "CST", "EST",
    "MP", "MPS", "THE", "AND", "FOR", "NEW", "ISBN", "PDF", "URL", "FAQ", "DVD", "CD", "RSS",
}  # fmt: skip

# --- quotes and attribution ----------------------------------------------------------------

_SPEECH_VERBS = (
    r"said|says|say|added|adds|told|tells|asked|asks|explained|explains|noted|notes|wrote|"
    r"writes|argued|argues|warned|warns|stated|states|declared|insisted|insists|continued|"
    r"recalled|replied|remarked|acknowledged|admitted|claimed|claims|conceded|observed|"
    r"suggested|announced|cautioned|predicted|complained|conceded|urged|testified|tweeted"
)
_PERSON_REF = rf"(?P<who>he|she|(?:[A-Z][a-z]+\.?\s+)?{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,3}})"
# "..., Kimball said" / "..., he added" / "Kimball says" (subject before verb)
_SUBJECT_VERB = re.compile(rf"{_PERSON_REF}\s+(?:\w+ly\s+)?(?:{_SPEECH_VERBS})\b")
# "..., said Joe Cirincione" / "says Kimball" (verb before subject)
_VERB_SUBJECT = re.compile(
    rf"\b(?:{_SPEECH_VERBS})\s+(?P<who>{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,3}})"
)
_ACCORDING_TO = re.compile(rf"\baccording to\s+(?P<who>{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,3}})")


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation found in the body: where it starts and its text."""

    paragraph: int
    start: int
    end: int
    text: str


def extract(article: Article) -> Article:
    """The article with speakers, quotes, people, organizations and affiliations filled in."""
    paragraphs = article.paragraphs
    names = _NameBook(paragraphs)
    quotes = attribute_quotes(paragraphs, names)
    speakers = tuple(dict.fromkeys(q.speaker for q in quotes))
    affiliations = tuple(
        affiliation
        for speaker in speakers
        if (affiliation := find_affiliation(article.body, speaker, names)) is not None
    )
    organizations = find_organizations(article.body)
    people = tuple(dict.fromkeys([*speakers, *names.people()]))
    return replace(
        article,
        speakers=speakers,
        quotes=tuple(quotes),
        people=people,
        organizations=organizations,
        affiliations=affiliations,
    )


class _NameBook:
    """The person names of one article, to resolve "Kimball" to "Daryl Kimball"."""

    def __init__(self, paragraphs: list[str]) -> None:
        text = "\n\n".join(paragraphs)
        evidence = _NameEvidence(text)
        candidates = {
            name
            for match in _NAME.finditer(text)
            if _is_person_name(name := _strip_name(match.group()), evidence)
        }
        self.full_names = sorted(candidates, key=lambda n: (-len(n), text.find(n)))
        self.mentions: list[tuple[int, int, str]] = []  # (paragraph, offset, full name)
        for index, paragraph in enumerate(paragraphs):
            for match in _NAME.finditer(paragraph):
                resolved = self.resolve(_strip_name(match.group()))
                if resolved:
                    self.mentions.append((index, match.start(), resolved))

    def resolve(self, name: str) -> str | None:
        """The longest full name ending with `name` ("Kimball" -> "Daryl Kimball")."""
        name = _strip_name(name)
        if not name:
            return None
        surname = name.split()[-1]
        return next((full for full in self.full_names if full.split()[-1] == surname), None)

    def last_before(self, paragraph: int, offset: int) -> str | None:
        """The person named most recently before a point in the text (for "he said")."""
        earlier = [m for m in self.mentions if (m[0], m[1]) < (paragraph, offset)]
        return earlier[-1][2] if earlier else None

    def people(self) -> list[str]:
        return sorted(set(self.full_names), key=self.full_names.index)


def _strip_name(name: str) -> str:
    """Drop leading non-name words and titles: "Russian President Dmitry Medvedev" ->
    "Dmitry Medvedev"."""
    words = name.replace("’s", "").replace("'s", "").split()
    roles = [i for i, w in enumerate(words[:-1]) if w.lower().rstrip(".") in _ROLE_WORDS]
    if roles:
        words = words[roles[-1] + 1 :]
    while words and words[0].rstrip(".") in _NOT_NAME_WORDS:
        words.pop(0)
    return " ".join(words)


def _is_person_name(name: str, evidence: _NameEvidence) -> bool:
    """A capitalised run that names a person: two to four words, none an organization word,
    introduced by a role ("Defense Secretary Robert Gates"), followed by an appositive
    ("Daryl Kimball, director of"), or whose surname is the subject of a speech verb somewhere
    in the article ("Daalder said")."""
    words = name.split()
    if not 2 <= len(words) <= 4 or any(w.strip(".") in _ORG_HEADS for w in words):
        return False
    if any(w.rstrip(".") in _NOT_NAME_WORDS for w in words) or any(
        w.isupper() and len(w) > 2 for w in words
    ):
        return False
    return evidence.supports(name, words[-1])


class _NameEvidence:
    """Where an article's text has the cues that mark a person's name: after a role, before
    an appositive, next to a speech verb, after Mr/Dr.

    The cue patterns are compiled once and run once per article; each candidate name is then
    checked by string comparison at the cue positions. (Compiling a regex per candidate name
    took three quarters of the whole build's time.)"""

    def __init__(self, text: str) -> None:
        self.text = text
        self.after_role = [m.end() for m in _ROLE_LEAD.finditer(text)]
        self.after_speech = {m.end() for m in _SPEECH_LEAD.finditer(text)}
        self.after_honorific = {m.end() for m in _HONORIFIC_LEAD.finditer(text)}

    def supports(self, name: str, surname: str) -> bool:
        """True when `name` (or its `surname`) sits at one of the cues."""
        return (
            self._after_role(name)
            or any(_APPOSITIVE.match(self.text, end) for end in self._ends_of(name))
            or any(self._at(word, start) for word in (name, surname) for start in self.after_speech)
            or any(_SPEECH_TAIL.match(self.text, end) for end in self._ends_of(surname))
            or any(self._at(surname, start) for start in self.after_honorific)
        )

    def _after_role(self, name: str) -> bool:
        """The role cue is case-blind ("defense secretary Robert Gates")."""
        for start in self.after_role:
            if self._at(name, start, ignore_case=True):
                return True
            skipped = _ONE_WORD.match(self.text, start)
            if skipped and self._at(name, skipped.end(), ignore_case=True):
                return True
        return False

    def _at(self, word: str, start: int, ignore_case: bool = False) -> bool:
        """`word` occurs at `start`, ending at a word boundary."""
        end = start + len(word)
        found = self.text[start:end]
        same = found.casefold() == word.casefold() if ignore_case else found == word
        return same and _boundary(self.text, end)

    def _ends_of(self, word: str) -> list[int]:
        """End offsets of the occurrences of `word` that start at a word boundary."""
        ends, start = [], self.text.find(word)
        while start >= 0:
            if _boundary(self.text, start):
                ends.append(start + len(word))
            start = self.text.find(word, start + 1)
        return ends


def _boundary(text: str, offset: int) -> bool:
    """What `\\b` means at `offset`: a word character on one side only."""
    before = offset > 0 and _is_word_char(text[offset - 1])
    after = offset < len(text) and _is_word_char(text[offset])
    return before != after


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


_ROLE_PATTERN = "|".join(sorted(_ROLE_WORDS, key=len, reverse=True))
_ROLE_LEAD = re.compile(rf"\b(?:{_ROLE_PATTERN})\.?,?\s+", re.I)
_ONE_WORD = re.compile(r"[A-Z][a-z]+\s+", re.I)
_APPOSITIVE = re.compile(r",\s+(?:the\s+|a\s+|an\s+)?[a-z]")
_SPEECH_LEAD = re.compile(rf"\b(?:{_SPEECH_VERBS})\s+")
_SPEECH_TAIL = re.compile(rf"\s+(?:\w+ly\s+)?(?:{_SPEECH_VERBS})\b")
_HONORIFIC_LEAD = re.compile(r"\b(?:Mr|Mrs|Ms|Dr)\.?\s+")


def find_quote_spans(paragraphs: list[str]) -> list[QuoteSpan]:
    """Quotations in the body, "straight" or “curly”; a quote left open at the end of a
    paragraph continues into the next paragraph that opens with a quote mark."""
    spans: list[QuoteSpan] = []
    carry: QuoteSpan | None = None
    for index, raw in enumerate(paragraphs):
        text = raw.replace("“", '"').replace("”", '"')
        marks = [i for i, ch in enumerate(text) if ch == '"']
        if carry is not None and not text.startswith('"'):
            spans.append(carry)  # a stray unclosed quote: keep what we have
            carry = None
        if carry is not None:
            marks = marks[1:]  # the continuation's opening mark
            if marks:
                end = marks[0]
                spans.append(
                    QuoteSpan(carry.paragraph, carry.start, end, carry.text + " " + text[1:end])
                )
                carry, marks = None, marks[1:]
            else:
                carry = QuoteSpan(carry.paragraph, carry.start, 0, carry.text + " " + text[1:])
                continue
        for open_at, close_at in zip(marks[0::2], marks[1::2], strict=False):
            spans.append(QuoteSpan(index, open_at, close_at, text[open_at + 1 : close_at]))
        if len(marks) % 2:
            carry = QuoteSpan(index, marks[-1], len(text), text[marks[-1] + 1 :])
    if carry is not None:
        spans.append(carry)
    return [s for s in spans if len(s.text.split()) >= 3]


def attribute_quotes(paragraphs: list[str], names: _NameBook | None = None) -> list[Quote]:
    """Each quotation with the person it is attributed to; unattributable ones are left out."""
    names = names or _NameBook(paragraphs)
    quotes: list[Quote] = []
    for span in find_quote_spans(paragraphs):
        speaker = _speaker_of(span, paragraphs[span.paragraph], names, quotes)
        if speaker is None and quotes and quotes[-1].position == span.paragraph:
            speaker = quotes[-1].speaker  # '"...," Kimball says. "..."': the same voice goes on
        if speaker:
            quotes.append(
                Quote(speaker=speaker, text=span.text.strip(" ,"), position=span.paragraph)
            )
    return quotes


def _speaker_of(
    span: QuoteSpan, paragraph: str, names: _NameBook, previous: list[Quote]
) -> str | None:
    text = paragraph.replace("“", '"').replace("”", '"')
    after = _frame_after(text, span)
    before = _frame_before(text, span)
    for frame, patterns in (
        (after, (_VERB_SUBJECT, _SUBJECT_VERB, _ACCORDING_TO)),
        (before, (_SUBJECT_VERB, _ACCORDING_TO, _VERB_SUBJECT)),
    ):
        for pattern in patterns:
            matches = list(pattern.finditer(frame))
            if not matches:
                continue
            match = matches[0] if frame is after else matches[-1]
            who = match.group("who")
            if who.lower() in _PRONOUNS:
                return names.last_before(span.paragraph, span.start) or (
                    previous[-1].speaker if previous else None
                )
            resolved = names.resolve(who)
            if resolved:
                return resolved
    return None


def _frame_after(text: str, span: QuoteSpan) -> str:
    """The rest of the sentence after a quote closes (where "..., Kimball said." lives)."""
    if span.end >= len(text) or span.end == 0:
        return ""
    rest = text[span.end + 1 :]
    cut = re.search(r'"|(?<=[a-z)])\.\s', rest)
    return rest[: cut.start()] if cut else rest


def _frame_before(text: str, span: QuoteSpan) -> str:
    """The sentence before a quote opens (where `Kimball said: "..."` lives)."""
    head = text[: span.start]
    head = head[head.rfind('"') + 1 :]
    sentences = re.split(r"(?<=[a-z)])\.\s+", head)
    return sentences[-1]


# --- affiliations --------------------------------------------------------------------------


def find_affiliation(body: str, speaker: str, names: _NameBook | None = None) -> Affiliation | None:
    """What the article calls `speaker`: "director of the Arms Control Association" gives
    title "director", organization "Arms Control Association"."""
    surname = re.escape(speaker.split()[-1])
    full = re.escape(speaker)
    patterns = [
        # "Daryl Kimball, director of the Arms Control Association in Washington,"
        re.compile(rf"{full},\s+(?P<phrase>(?:the\s+|a\s+|an\s+)?[a-z][^,.;\"]{{2,120}})"),
        # "Kimball of the Arms Control Association"
        re.compile(rf"\b{surname}\s+(?P<phrase>of\s+the\s+[A-Z][^,.;\"]{{2,100}})"),
        # "the U.S. ambassador to NATO, Ivo Daalder"
        re.compile(rf"\bthe\s+(?P<phrase>[A-Za-z.]+(?: [A-Za-z.]+){{0,6}}),\s+{full}\b"),
        # "Russian President Dmitry Medvedev"
        re.compile(rf"(?P<phrase>(?:[A-Z][a-z.]+\s+){{0,2}}[A-Z][a-z]+)\s+{full}\b"),
    ]
    for pattern in patterns:
        for match in pattern.finditer(body):
            affiliation = _affiliation_from_phrase(speaker, match.group("phrase"))
            if affiliation:
                return affiliation
    return None


def _affiliation_from_phrase(speaker: str, phrase: str) -> Affiliation | None:
    phrase = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip())
    words = phrase.split()
    if not words or (
        not any(w.lower().strip(".,") in _ROLE_WORDS for w in words) and " of " not in f" {phrase} "
    ):
        return None
    organization = ""
    for org in find_organizations(phrase):
        organization = org
        break
    title = phrase
    if organization:
        title = phrase[: phrase.find(organization)]
        title = re.sub(
            r"\s+(?:of|at|to|for|with|from)(?:\s+the)?(?:\s+independent)?\s*$", "", title.strip()
        )
        title = re.sub(r"\s+the\s*$", "", title)
    title = title.strip(" ,")
    if organization and not title:
        title = ""
    if not organization and not any(w.lower().strip(".,") in _ROLE_WORDS for w in title.split()):
        return None
    return Affiliation(speaker=speaker, title=title, organization=organization)


# --- organizations -------------------------------------------------------------------------


def find_organizations(text: str) -> tuple[str, ...]:
    """Organizations named in `text`: capitalised names ending in an organization word
    (Association, Fund, Council, Institute, ...) and acronyms such as NATO."""
    found: list[str] = []
    for match in _ORG_SPAN.finditer(text):
        span = match.group()
        organization = _organization_in_span(span)
        if organization:
            found.append(organization)
    for match in _ACRONYM.finditer(text):
        acronym = match.group(1)
        if acronym in _NOT_ORG_ACRONYMS or _inside_capitalised_name(text, match.start()):
            continue
        found.append(acronym)
    return tuple(dict.fromkeys(found))


def _organization_in_span(span: str) -> str | None:
    """The organization in a capitalised run: "Kimball of the Arms Control Association" gives
    "Arms Control Association"; "Institute of Political and Military Analysis" stays whole."""
    words = span.replace("’s", "").replace("'s", "").split()
    heads = [i for i, w in enumerate(words) if w.strip(".,") in _ORG_HEADS]
    if not heads:
        return None
    first, last = heads[0], heads[-1]
    connectors = [i for i in range(first) if words[i] in _CONNECTOR_WORDS]
    start = connectors[-1] + 1 if connectors else 0
    while start < first and (words[start] in _NOT_NAME_WORDS or words[start] in _CONNECTOR_WORDS):
        start += 1
    end = (
        len(words) if last + 1 < len(words) and words[last + 1] in {"of", "for", "on"} else last + 1
    )
    while end > last + 1 and words[end - 1] in _CONNECTOR_WORDS:
        end -= 1
    organization = words[start:end]
    if len(organization) == 1:
        return None  # a bare "Council" or "Party" names nothing
    return " ".join(organization)


_CONNECTOR_WORDS = {"of", "and", "for", "on", "the", "de", "&"}


def _inside_capitalised_name(text: str, offset: int) -> bool:
    """ "New START treaty": an acronym right after a capitalised word is part of another name."""
    before = text[:offset].rstrip()
    if not before or before[-1] in '.!?"“':
        return False
    previous = before.split()[-1] if before.split() else ""
    return previous[:1].isupper() and not previous.isupper() and previous not in _NOT_NAME_WORDS
