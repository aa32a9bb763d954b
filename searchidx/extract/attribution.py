"""Who said each quotation: the noun phrase its frame names (`"...," Kimball said`, `said
X, director of ...`, `X said: "..."`, `according to X`, `"..." — X`), the attribution
sentence or colon paragraph just before it, or for a partial quote the subject of its
sentence; "he"/"she" go through `NameBook`. Organizations speak too ("the White House
said"). Also the sources a quote reached the article through ("according to CNN")."""

from __future__ import annotations

import bisect
import re

from searchidx.extract.names import NameBook, is_title_word, plausible_name, strip_name
from searchidx.extract.organizations import NOT_ORG_ACRONYMS
from searchidx.extract.quotations import quote_spans, straight_quotes
from searchidx.extract.words import (
    AUXILIARY_WORDS,
    COUNTRIES,
    GIVEN_NAMES,
    LOWER,
    NAME_RUN,
    NAME_WORD,
    NOT_NAME_WORDS,
    ORG_HEADS,
    PLACE_WORDS,
    PREPOSITIONS,
    SPEECH_VERBS,
    TITLE_WORDS,
    UPPER,
    US_STATES,
    ends_sentence,
)
from searchidx.model import Quote

_PRONOUNS = {"he", "she"}
# Single-word organizations that speak in the news ("the Pentagon said").
_STANDALONE_ORGS = {"Pentagon", "Kremlin", "Reuters", "Congress", "Senate", "Parliament"}
_SPEECH_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
_LEADING_PUNCTUATION = re.compile(r"^[\s,.;:!?)\]—―–-]*")
# Verbs whose object comes right after them ("told CNN", "praised Obama"): never a speaker
# put after the verb.
_OBJECT_FIRST = (
    r"(?!(?:tell|tells|told|telling|informed|thanked|praised|criticized|accused|blasted|"
    r"slammed|mocked|urged|called|quoted|hailed|assured|reassured|advised|implored)\b)"
)
# A verb-first frame: `..." said Joe Cirincione, director of ...`.
_VERB_FIRST = re.compile(
    rf"^[\s,.;:!?)\]—―–-]*{_OBJECT_FIRST}(?:{SPEECH_VERBS})\b\s*(?P<np>[^,;:(]*)", re.S
)
# `..." if she lost, said David Wasserman`: the verb later in the frame, after a comma.
_VERB_AFTER_COMMA = re.compile(rf",\s+{_OBJECT_FIRST}(?:{SPEECH_VERBS})\b\s*(?P<np>[^,;:(]*)", re.S)
# A structural frame: `..." Vitter demanded.`: a name and any verb right after a quote.
_NAME_THEN_VERB = re.compile(
    rf"^[\s,!?—–-]*(?P<np>{NAME_WORD}(?:\s{NAME_WORD}){{0,3}})\s+(?:\w+ly\s+)?"
    rf"(?:[a-z]+ed|[a-z]+[^s]s)\b"
)
_DASH_NAME = re.compile(r"^\W?\s*[—―–-]+\s*(?P<np>[^,;(\n]+)")
# A quote's paragraph followed by one that signs it: '"...."' then '- Bernie Sanders'.
_SIGNATURE = re.compile(
    r"^[^\S\n]*\n\n[—―–-]\s*(?P<np>[^\n,;(]{2,60}?)\s*(?:[,;(][^\n]{0,80})?(?:\n|$)"
)
# '"...," as Van Jackson, a professor at ..., puts it.', 'as The New Yorker put it, "..."':
# the words are the phrase's owner's.
_AS_X_PUTS_IT = r"\b[Aa]s\s+(?P<np>[^,;:\"]{2,80}?)(?:,[^\"]{0,160}?,)?\s+(?:puts|put)\s+it\b"
_AS_X_PUTS_IT_AFTER = re.compile(rf"^[\s,—–-]*{_AS_X_PUTS_IT}")
_AS_X_PUTS_IT_BEFORE = re.compile(rf"{_AS_X_PUTS_IT}[^\"]{{0,60}}?[,:]?\s*$")
_COLON_END = re.compile(r"(?P<np>[^;:\"]{1,200}):\s*$")
_ACCORDING_TO = re.compile(r"\baccording to\s+(?P<np>[^,.;:\"]+)", re.I)
# Where a noun phrase ends: its appositive, relative clause or a following prepositional
# phrase ("Jim Whelan who represents", "Phil Bryant of Mississippi").
_PHRASE_END = re.compile(
    r"[,;:(\n]|\s(?:who|whose|which|that|of|in|at|on|from|during|after|before|about|to|"
    r"when|while|as|but|adding|referring|following|because|since|with|for|last|this|"
    r"on|early|late|earlier|later|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"today|yesterday)\b"
)
# Words between a subject and its verb that belong to neither: "Trump has repeatedly said".
_AUXILIARIES = re.compile(rf"(?:\s+(?:{AUXILIARY_WORDS}))+$")
# A quotation inside a sentence, which `_speaker_of_sentence_before` reads past.
_QUOTED = re.compile(r'"[^"]*"')


def attribute_quotes(paragraphs: list[str], names: NameBook | None = None) -> list[Quote]:
    """Each quotation with who it is attributed to; unattributable ones are left out."""
    names = names or NameBook(paragraphs)
    text = straight_quotes(names.text)
    spans = quote_spans(paragraphs)
    names.set_quotations([at for _, at in spans])
    quotes: list[Quote] = []
    last_close = -1
    last_speaker: str | None = None
    last_paragraph = -2
    for span, (opened, closed) in spans:
        recent = last_speaker if span.paragraph - last_paragraph <= 1 else None
        speaker = _speaker_of(text, opened, closed, names, recent)
        continuing = recent is not None and (
            span.paragraph == last_paragraph
            or span.start == 0
            or _only_quotes_between(text, last_close, opened)
        )
        if speaker is None and continuing:
            speaker = last_speaker  # '"...," Kimball says. "..."': the same voice goes on
        if speaker:
            quotes.append(
                Quote(speaker=speaker, text=span.text.strip(" ,"), position=span.paragraph)
            )
            last_speaker, last_paragraph = speaker, span.paragraph
        elif not _is_scare_quote(span.text):
            last_speaker = None
        last_close = closed
    return quotes


def _is_scare_quote(text: str) -> bool:
    """A word or three in quotation marks ("soft"): it does not end the current voice."""
    return len(text.split()) <= 3


def _only_quotes_between(text: str, start: int, end: int) -> bool:
    """Whether nothing but quote marks, punctuation and paragraph breaks separate two quotes."""
    if start < 0:
        return False
    gap = text[start + 1 : end]
    return len(gap) < 4 and not re.search(r"\w", gap)


def _speaker_of(
    text: str, opened: int, closed: int, names: NameBook, previous: str | None
) -> str | None:
    """Who a quotation is attributed to, from the words around it: after it
    (`"...," said X` / `"...," X said` / `"..." — X`), then before it (`X said: "..."`,
    `X said the plan was "a disaster"`), then `according to X`, then, for a partial quote,
    the subject of its sentence."""
    after = _frame_after(text, closed)
    if text[closed - 1 : closed] == "." and after.lstrip()[:1].isupper():
        after = ""  # '"... broken." Hillary Clinton said' starts a new sentence
    before = _frame_before(text, opened)
    if _BYLINE.search(before):
        return None  # '"Met accused ...," by Post's Kathianne Boniello: "...': an excerpt
    # 'Sanders started saying "of course" Clinton has ...': the verb before the quote speaks.
    rest = "" if _partial_after_its_verb(text, opened, closed, before) else after
    phrases = (
        _match_group(_VERB_FIRST, rest),
        _match_group(_AS_X_PUTS_IT_AFTER, rest),
        _match_group(_AS_X_PUTS_IT_BEFORE, before),
        _match_group(_VERB_AFTER_COMMA, after),
        _subject_before_verb(rest, from_start=True),
        _match_group(_NAME_THEN_VERB, rest),
        _match_group(_DASH_NAME, rest),
        _match_group(_SIGNATURE, text[closed + 1 : closed + 80]),
        _colon_introduction(before),
        _subject_before_verb(before, from_start=False),
        _match_group(_ACCORDING_TO, after),
        _match_group(_ACCORDING_TO, before),
    )
    for phrase in phrases:
        if phrase is None:
            continue
        found = _referent(phrase, _pronoun_at(text, phrase, before, opened), names, previous)
        if found is _UNNAMED:
            return None
        if found is not None:
            return found
    if not before.strip():
        found = _speaker_of_sentence_before(text, opened, names, previous)
        if found is not None:
            return found
    partial = _is_partial_quote(text, opened, closed)
    if partial and previous and _after_a_quote_in_its_sentence(text, opened - len(before)):
        return previous  # 'Trump said Rubio was "a lightweight" while Cruz is "a liar."'
    owner = _POSSESSOR_OF_WORDS.search(before) if partial else None
    if owner:
        # "Clinton's allegations of a "vast right-wing conspiracy"": the words are hers.
        found = _referent(owner.group("np"), opened, names, previous)
        if found not in (None, _UNNAMED):
            return found
    if partial and _is_a_title(text[opened + 1 : closed], before):
        return None  # 'appeared on "Fox & Friends"', 'the show's "Star Power" award'
    phrase = _sentence_subject(before) if partial else None
    if phrase is not None:
        found = _referent(phrase, opened, names, previous)
        if found is not _UNNAMED:
            return found
    return None


def _is_a_title(inner: str, before: str) -> bool:
    """Whether a quotation is the title of a work, not anyone's words: every word
    capitalised, right after a possessive, "on" or "in", or a word for a work ('NBC's
    "Nightly News"', 'acting in "The Walking Dead"', 'the podcast "So, That Happened"')."""
    words = re.findall(r"[^\W\d_][\w'’&-]*", inner)
    capitalised = bool(words) and all(
        word[0].isupper() or word in _TITLE_SMALL_WORDS for word in words
    )
    return capitalised and _BEFORE_A_TITLE.search(before) is not None


_TITLE_SMALL_WORDS = {"of", "the", "a", "an", "and", "or", "for", "to", "in", "on", "at", "with"}
_BEFORE_A_TITLE = re.compile(
    r"(?:['’]s|\b(?:its|his|her|their|on|in|show|podcast|play|film|movie|series|program|"
    r"book|album|song|novel|column|documentary))[\s,]*$"
)


# A byline before an excerpt of an article: ', by Times' Michael Paulson: "..."', 'From
# Josh Feldman writing at Mediaite:'. Only capitalised words after "by": "coordinated by
# political rivals: "..."" is a passive, whose subject speaks.
_BYLINE = re.compile(
    r"(?:(?:^|[\s,])by\s+(?:the\s+)?(?:[A-Z][\w.’'&-]*\s+){0,5}[A-Z][\w.’'-]*"
    r"|\bFrom\s+[^:\n]{1,60}\swriting\s(?:at|in|for)\s[^:\n]{1,60}):\s*$"
)
_POSSESSOR_OF_WORDS = re.compile(
    rf"(?P<np>{NAME_RUN.pattern})['’]s?\s+(?:[a-z]+\s+){{0,2}}"
    r"(?:remarks?|comments?|words|claims?|allegations?|statement|conclusion|"
    r"promise|pledge|warning|description|assertion|argument|charge|vow)\b"
    r"(?:\s+[^\s\"]+){0,6}\s*$"
)


def _partial_after_its_verb(text: str, opened: int, closed: int, before: str) -> bool:
    """Whether a quote is a partial one that a speech verb introduces right before it
    ('saying "of course"', 'said that he was "not quite there"'): whatever follows the quote
    is the rest of that sentence, not its attribution."""
    return _is_partial_quote(text, opened, closed) and _VERB_RIGHT_BEFORE.search(before) is not None


_VERB_RIGHT_BEFORE = re.compile(rf"\b(?:{SPEECH_VERBS})(?:\s+that)?[\s,]*$")


def _after_a_quote_in_its_sentence(text: str, frame_start: int) -> bool:
    """Whether the frame before a quote starts right after another quote that did not end its
    sentence: both quotes are then one speaker's words, reported in one sentence."""
    closing = text[max(0, frame_start - 2) : frame_start]
    return closing.endswith('"') and closing[:1] not in {".", "!", "?"}


def _pronoun_at(text: str, phrase: str, before: str, opened: int) -> int:
    """Where to resolve a phrase from: a "he"/"she" in the frame before the quote ("He said
    Bernie Sanders has been '...'") refers back from where it stands, not from the quote, or
    the name between them would be taken; anything else from the quote itself."""
    if phrase.lower() not in _PRONOUNS:
        return opened
    start = opened - len(before)
    spots = list(re.finditer(rf"\b{phrase}\b", text[start:opened]))
    return start + spots[-1].start() if spots else opened


def _speaker_of_sentence_before(
    text: str, opened: int, names: NameBook, previous: str | None
) -> str | None:
    """The speaker of a quote that opens a sentence with no frame of its own, named in the
    sentence before: `..., said Bart Naylor of Public Citizen. "It would avoid a fight."` or
    a paragraph that ends in a colon (`Caddell continued:` then the quote)."""
    index = bisect.bisect_right(names.sentence_starts, opened) - 1
    if index < 1:
        return None
    start, end = names.sentence_starts[index - 1], names.sentence_starts[index]
    sentence = text[start:end]
    if sentence.count('"') % 2:
        # 'Trump is disgusting," read one.': the sentence began inside a quotation.
        sentence = "something" + sentence[sentence.index('"') + 1 :]
    sentence = _QUOTED.sub("something", sentence).strip()
    if "\n\n" in text[start:end].strip() or (
        names.paragraph_of(start) != names.paragraph_of(opened) and not sentence.endswith(":")
    ):
        return None
    if _BYLINE.search(sentence):
        return None  # "From Josh Feldman writing at Mediaite:": an excerpt follows
    # '"Subpoenas are not optional," Chaffetz said after Pagliano failed to show up. "...':
    # the verb right after the quote before, not the sentence's last one.
    after_quote = sentence[len("something") :] if sentence.startswith("something") else ""
    phrases = (
        _colon_introduction(sentence) if sentence.endswith(":") else None,
        _match_group(_VERB_FIRST, after_quote),
        _subject_before_verb(after_quote, from_start=True),
        _match_group(_VERB_AFTER_COMMA, sentence),
        _subject_before_verb(sentence, from_start=False),
    )
    for phrase in phrases:
        if phrase is not None:
            # '"...," he told InsideSources. "..."': "he" refers back from where it stands.
            at = _pronoun_at(text, phrase, text[start:opened], opened)
            found = _referent(phrase, at, names, previous)
            if found not in (None, _UNNAMED):
                return found
    return None


def _sentence_subject(before: str) -> str | None:
    """The subject of the sentence a quote sits in, for `Merkel heralded the deal as a
    "breakthrough"` or `Clinton campaign manager Robby Mook released a memo titled "..."`:
    the first name in the sentence's first words that a verb-like lower-case word follows
    (not a role: "Clinton campaign manager" is not the subject)."""
    first = before.split(maxsplit=1)[:1]
    if first and first[0].strip(",") in NOT_NAME_WORDS:
        before = re.sub(r"^[^,]{0,60},\s+", "", before, count=1)
    if _DESCRIBED_SUBJECT.match(before):
        return None  # "A spokesman for Hillary Clinton called ...": the subject is unnamed
    head = " ".join(before.split()[:12])
    # "The FBI concluded that Clinton had been "extremely careless"", "Those surveyed said
    # Jeb Bush has the "best experience"": a name after "that" (or "who", "which") or after
    # the first speech verb is not the sentence's subject.
    ends = [match.start() for match in _SUBORDINATE.finditer(head)][:1]
    ends += [verb.end() for verb in _speech_verbs(head)][:1]
    return _first_subject(head[: min(ends)] if ends else head)


_SUBORDINATE = re.compile(r"(?<=[a-z,])\s(?:that|who|which)\b")


_DESCRIBED_SUBJECT = re.compile(
    r"\s*(?:A|An|The|These|Those|Some|Many|Several|One|Two|Three)\s+[a-z][\w’'-]*\s+[^,\"“]*$"
)


def _first_subject(head: str) -> str | None:
    """The first name in `head` that a verb-like lower-case word follows: not a modifier
    ("Democratic presidential candidate Bernie Sanders", "Clinton campaign manager Robby
    Mook"), not a place or adjective ("Florida", "Republican")."""
    for match in NAME_RUN.finditer(head):
        # "Sen. Pat Toomey (R-Pa.) refused", "Trump on Tuesday said": a party or a time
        # after a name is read past.
        aside = _PARTY_RIGHT_AFTER.match(head, match.end()) or _TIME_RIGHT_AFTER.match(
            head, match.end()
        )
        following = head[aside.end() if aside else match.end() :].split()[:3]
        if not following or not following[0][:1].islower():
            continue
        if _DETERMINER_BEFORE.search(head, 0, match.start()) and not _FINITE_VERB.fullmatch(
            following[0]
        ):
            continue  # "the Black Lives Matter movement", not "the Bar Association completed"
        if any(w.lower().strip(",") in TITLE_WORDS for w in following[:2]):
            continue
        name = strip_name(match.group())
        if not name or all(w in PLACE_WORDS for w in name.split()):
            continue
        if following[0] == "of" and is_title_word(name.split()[-1]):
            # "Secretary of State Madeleine Albright": the name comes after the office.
            return _first_subject(re.sub(r"^\s+of\s+\S+", "", head[match.end() :]))
        if _PLACE_THEN_VERB.match(head, match.end()):
            return match.group()  # "Gov. Earl Ray Tomblin of West Virginia lauded"
        if following[0] in {"and", "of", "or", "in", "at", "for", "to", "on"}:
            return None
        return match.group()
    return None


_FINITE_VERB = re.compile(r"[a-z]+(?:ed|[^s']s)")
_PARTY_RIGHT_AFTER = re.compile(r"\s*\([^()]{1,20}\),?")
_TIME = (
    r"(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(?:night|morning|afternoon|evening))?"
    r"|(?:last|this|earlier\s+this|later\s+that)\s+(?:week|month|year|morning|night|day)"
)
_TIME_RIGHT_AFTER = re.compile(rf"\s+(?:{_TIME})\b")
_TIME_AT_END = re.compile(rf"\s+(?:{_TIME})$")
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|this|that|these|those|his|her|its|their|our)\s+$")
_PLACE_THEN_VERB = re.compile(
    rf"\s+(?:of|from)\s+{NAME_WORD}(?:\s{NAME_WORD}){{0,2}},?\s+(?:[a-z]+ly\s+)?"
    r"[a-z]+(?:ed|s)\b"
)


def _match_group(pattern: re.Pattern[str], frame: str) -> str | None:
    """The noun phrase a frame pattern captured as "np", if it matched."""
    match = pattern.search(frame)
    return _noun_phrase(match.group("np")) if match else None


def _subject_before_verb(frame: str, from_start: bool) -> str | None:
    """The subject of the speech verb in a frame: `..." Kimball, 52, said` (the verb in the
    first dozen words after the quote) or `Trump told reporters "..."` (the last verb before
    the quote)."""
    verbs = _speech_verbs(frame)
    if not verbs:
        return None
    verb = verbs[0] if from_start else verbs[-1]
    head = frame[: verb.start()]
    if from_start and _LEADING_PUNCTUATION.match(head).end() == 0:
        return None
    opening = _NAME_OPENS_FRAME.match(head) if from_start else None
    if opening:
        # '"...," Valdez Anderson, who works at a heating and air-conditioning company,
        # said': the name that opens the frame, whatever its appositive holds.
        return opening.group("np")
    if from_start and (len(head.split()) > 14 or _NEW_CLAUSE.search(head)):
        return None  # '"robust steps" in response, and he urged': a clause of its own
    head = _AUXILIARIES.sub("", _TIME_AT_END.sub("", head.rstrip()))  # "Trump on Tuesday said"
    head = head[_LEADING_PUNCTUATION.match(head).end() :]
    if not from_start and _ends_in_speech_verb_and_comma(head):
        # "..., Nefzi said, adding, "..."": the participle's subject is that verb's.
        return _subject_before_verb(head[:-1], from_start=False)
    if head.endswith(",") and not from_start:
        return _subject_of_clause(head)  # "James Zogby, a delegate and the president of X,"
    coordinated = _COORDINATION_END.search(head)
    if coordinated and not from_start:
        # "Boreing said the members will meet, but said, ...": the first verb's subject.
        first = head[: coordinated.start()]
        return _subject_before_verb(first, from_start=False) or _sentence_subject(first)
    clause = re.split(r";\s|\s(?:and|but|that|because|when|while|as|after|if)\s", head)[-1]
    return _subject_of_clause(clause)


_BARE_NAME = re.compile(
    rf"\s*(?P<np>(?:[{UPPER}][{LOWER}]{{1,4}}\.\s)?{NAME_RUN.pattern})"
    rf"(?:\s\([^)]{{1,20}}\))?\s*"
)


def _bare_name(segment: str) -> str | None:
    """The name a comma-separated segment is and nothing else ("Gov. John Kasich (R-OH)"
    -> "Gov. John Kasich"); None for a sentence adverb ("However", "Tuesday") or a
    description."""
    match = _BARE_NAME.fullmatch(segment)
    name = strip_name(match.group("np")) if match else ""
    return match.group("np") if any(c.islower() for c in name) else None  # not "D.C."


def _ends_in_speech_verb_and_comma(head: str) -> bool:
    """Whether a clause ends in a speech verb and a comma ("Nefzi said,"), not in the same
    word used as a noun ("in the state,")."""
    verbs = _speech_verbs(head)
    return bool(verbs) and head[verbs[-1].end() :] == ","


_PRONOUN_SUBJECT = re.compile(r"(?:He|She)\s+[a-z]")
_NAME_OPENS_FRAME = re.compile(rf"[\s,]+(?P<np>{NAME_RUN.pattern}),\s")
_NEW_CLAUSE = re.compile(r"\b(?:and|but|while|although|because|whereas)\s")
_COORDINATION_END = re.compile(r",?\s+(?:and|but|then)$")


# First words of a lead-in phrase before the subject: "At the debate, ...", "When asked, ...".
_INTRODUCTORY_WORDS = {
    "at", "in", "on", "after", "during", "before", "when", "while", "since", "as", "following",
    "earlier", "later", "last", "speaking", "asked", "with", "from", "for", "by", "here",
}  # fmt: skip


def _subject_of_clause(clause: str) -> str | None:
    """Who a clause ending at its verb is about: "Ramil Carr, 31, a photographer," -> "Ramil
    Carr"; "In an interview Monday, Trump" -> "Trump"; "Husted continued by" -> "Husted"."""
    clause = clause.strip()
    if not clause:
        return None
    if clause.endswith(","):
        parts = clause.split(",")
        named = [name for name in map(_bare_name, parts) if name]
        if named and not _bare_name(parts[0]):
            # "However, Jill A. Martin, vice president of the Trump Organization, said":
            # the name among the commas, not the sentence adverb before it.
            return named[0]
        lead, _, rest = clause.partition(", ")
        if rest and lead.split()[0].lower() in _INTRODUCTORY_WORDS:
            # "At the debate, Sanders compared himself to Clinton, saying": past the lead-in.
            subject = _first_subject(rest)
            if subject:
                return subject
        phrase = _noun_phrase(clause)
        if _PRONOUN_SUBJECT.match(phrase):
            return phrase.split()[0]  # "She addressed Muslim-Americans in an email, saying"
        # "Albright recently urged women to vote, saying": the subject before its own verb.
        return _first_subject(phrase) or phrase if phrase[-1:].islower() else phrase
    head, _, tail = clause.rpartition(", ")
    if (
        head
        and (tail.startswith("who ") or NAME_RUN.fullmatch(head.split(", ")[-1].strip()))
        and _RELATIVE_APPOSITIVE.match(tail)
    ):
        # "Katie Packer, who chairs Our Principles PAC said", "Michael Isikoff, the reporter
        # who is credited with uncovering ... Bill Clinton ... has now called"
        return _subject_of_clause(head)
    reported = _SAID_PRONOUN.fullmatch(tail)
    if reported:
        return reported.group("pronoun")  # "Dan Kritenbrink, ..., said he expects Obama to"
    runs = list(NAME_RUN.finditer(tail))
    if runs and not tail[runs[-1].end() :].strip(" .’'s"):
        return tail
    if runs and _NOUN_AFTER_NAME.fullmatch(tail, runs[-1].end()):
        return tail  # "The Sanders campaign projects", "the Heritage Foundation website notes"
    return _first_subject(tail) or tail


# Lower-case words between a name and its verb that make the name a modifier of a noun: not
# adverbs ("Trump repeatedly"), reflexives ("Trump himself") or auxiliaries.
_NOUN_AFTER_NAME = re.compile(
    r"(?:['’]s?)?(?:\s+(?!(?:himself|herself|themselves|also|too|then|now|only|just|even|"
    r"again|first|later|once|still|never|often|always|both|all|to|for|of|in|on|at|with|by|"
    r"from|about)\b)[a-z][a-z-]*(?<!ly)(?<!ing)){1,2}\s*"
)
_RELATIVE_APPOSITIVE = re.compile(
    r"(?:(?:the|a|an)\s+[^,]{0,60}?\s)?who\s+(?!(?:he|she|they|we|i|it|you)\b)[a-z]"
)
_SAID_PRONOUN = re.compile(rf"(?:{SPEECH_VERBS})\s+(?P<pronoun>he|she)")


def _speech_verbs(frame: str) -> list[re.Match[str]]:
    """The speech verbs of a frame, leaving out the same words used as nouns: "Trump's
    remarks", "the claims", "his notes"."""
    return [
        verb
        for verb in _SPEECH_VERB.finditer(frame)
        if not _BEFORE_A_NOUN.search(frame, max(0, verb.start() - 12), verb.start())
    ]


_BEFORE_A_NOUN = re.compile(
    r"(?:\b(?:the|a|an|his|her|their|its|our|my|your|this|that|these|those|whose)|['’]s)\s+$",
    re.I,
)


def _colon_introduction(before: str) -> str | None:
    """The speaker of `Meghan McCain, Twitter: "..."` or `Kimball said: "..."`."""
    match = _COLON_END.search(before)
    if not match:
        return None
    # "Pollsters agree - Carl Bialik:": the words after the last dash introduce the quote.
    phrase = re.split(r"\s[—―–-]\s", match.group("np"))[-1]
    inverted = _match_group(_VERB_AFTER_COMMA, phrase)
    if inverted and inverted.split()[0] not in PREPOSITIONS:
        return inverted  # "In other words, explained CBS moderator Nancy Cordes:", not "said of"

    verb = next(iter(_speech_verbs(phrase)), None)
    if verb:
        return _subject_before_verb(phrase[: verb.end()], from_start=False)
    lead, _, rest = phrase.strip().partition(", ")
    if rest and lead.split()[0].lower() in _INTRODUCTORY_WORDS:
        phrase = rest  # "When Wallace died in 1998, President Clinton released a statement:"
    phrase = _noun_phrase(phrase)
    # "Kasich resisted:", "Clinton has since apologized:": the subject of any verb.
    return _first_subject(phrase) or phrase if phrase[-1:].islower() else phrase


def _noun_phrase(text: str) -> str:
    """A noun phrase cut before its appositive or modifiers: "Gov. Phil Bryant of
    Mississippi, a former backer" -> "Gov. Phil Bryant"."""
    text = text.strip()
    cut = _PHRASE_END.search(text, 1)
    while cut and cut.group().strip() == "of" and is_title_word(text[: cut.start()].split()[-1]):
        cut = _PHRASE_END.search(text, cut.end())  # "Secretary of State John Kerry"
    return (text[: cut.start()] if cut else text).strip()


_UNNAMED = "\1"  # a frame whose speaker is unnamed ("a spokesman said"): stop looking


def _referent(phrase: str, at: int, names: NameBook, previous: str | None) -> str | None:
    """The speaker a noun phrase names: a person's canonical name, an organization ("the White
    House"), `_UNNAMED` for "a campaign spokesman", or None when it is no speaker at all (the
    next frame is tried)."""
    phrase = _PARTY_AFTER.sub("", phrase)  # "Harry M. Reid (D-Nev.)"
    words = phrase.split()
    if not words or len(words) > 12:
        return None
    if words[-1].lower() in _PRONOUNS and len(words) == 1:
        return names.last_before(at, words[-1].lower(), previous)
    if len(words) == 1 and words[0].lower() in {"it", "they", "we", "i", "you"}:
        return _UNNAMED
    affiliated = _PERSON_OF.match(phrase)
    if affiliated:
        # "Mr. Morgan of the Sierra Club", "Gov. Mike Pence of Indiana": a known person first.
        person = names.resolve(affiliated.group("name"), at)
        if person:
            return person
    runs = list(NAME_RUN.finditer(phrase))
    head_is_name = bool(runs) and not phrase[runs[-1].end() :].strip(" .’'s")
    if not head_is_name:
        if words[-1][:1].isupper():
            return _organization_in_description(phrase)
        unnamed = words[0].lower() in _DETERMINERS and len(words) <= 6
        return _UNNAMED if unnamed else None
    if _ROLE_OF_A_NAME.match(phrase[: runs[-1].start()]):
        return _UNNAMED  # "A spokesman for Hillary Clinton called": the spokesman spoke
    owner = _ORGANIZATION_OF.search(phrase, 0, runs[-1].start())
    if (
        owner
        and owner.group("head").split()[-1] in ORG_HEADS
        and _CAPITALISED_LEAD.fullmatch(phrase, 0, owner.start())
    ):
        return phrase[owner.start() :].strip()  # "The UK Department of Transport on Friday said"
    name = _given_name_onward(strip_name(runs[-1].group()))
    if not name or name in COUNTRIES or name in US_STATES:
        return None  # "Iowa voted", "Iran has said": a place in the frame is not who spoke
    resolved = names.resolve(name, at)
    if resolved:
        return resolved
    articled = words[0].lower() == "the" and len(name.split()) <= 2
    if articled or _looks_like_organization(name) or name in _STANDALONE_ORGS:
        return name
    single = " " not in name
    if (
        plausible_name(name, lenient=not single)
        and names.is_proper(name.split()[-1])
        and not (single and (names.is_place(name) or not names.inside_sentence(name)))
    ):
        names.add_person(name, at)
        return name
    return None


_ORGANIZATION_OF = re.compile(rf"(?P<head>{NAME_WORD}(?:\s{NAME_WORD})*)\s+of\s+(?:the\s+)?$")
# Only capitalised words (or "the") before an organization's name: not "Archbishop Aris
# Shirvanian of the Armenian Patriarchate of Jerusalem", whose head is a person.
_CAPITALISED_LEAD = re.compile(r"\s*(?:(?:the|The|a|A)\s+)?(?:[A-Z][\w.'’&-]*\s+)*")
_ROLE_OF_A_NAME = re.compile(
    r"\s*(?i:a|an|the|one|some)\s+[a-z][^,]*\s(?:for|of|to|with|at|from)\s[^,]*$"
)
_PERSON_OF = re.compile(
    rf"^(?:.*\s)?(?P<name>{NAME_WORD}(?:\s{NAME_WORD}){{0,3}})\s+(?:of|from|at)\s+(?:the\s+)?[{UPPER}]"
)


def _given_name_onward(name: str) -> str:
    """A run too long for a name cut at its known given name: "Chicago Alderman Jason C.
    Ervin" -> "Jason C. Ervin", "Maricopa County Recorder Helen Purcell" -> "Helen Purcell"."""
    words = name.split()
    if plausible_name(name):
        return name
    given = next((i for i, word in enumerate(words) if i and word in GIVEN_NAMES), None)
    return " ".join(words[given:]) if given is not None else name


_PARTY_AFTER = re.compile(r"\s*\([^()]{1,20}\)\s*$")
_DETERMINERS = {"a", "an", "the", "another", "one", "some", "two", "three", "several", "many"}


def _organization_in_description(description: str) -> str | None:
    """ "the ACU", "The New York Times": a phrase whose head is capitalised speaks as that
    organization."""
    words = description.split()
    run: list[str] = []
    for word in reversed(words):
        if not word[:1].isupper():
            break
        run.insert(0, word)
    name = " ".join(run).rstrip(".")
    if not name or name.split()[0] in NOT_NAME_WORDS:
        return None
    # "the company's CEO": a role, not an organization that speaks.
    acronym = name.isupper() and len(name) <= 6 and name not in NOT_ORG_ACRONYMS
    articled = len(run) > 1 and len(words) > len(run) and words[-len(run) - 1].lower() == "the"
    return name if acronym or articled or _looks_like_organization(name) else None


def _looks_like_organization(name: str) -> bool:
    """A name that speaks but is not a person: an acronym ("CNN", not a role such as "CEO")
    or an organization word."""
    words = name.split()
    acronym = len(words[0]) > 1 and words[0].isupper() and words[0] not in NOT_ORG_ACRONYMS
    return acronym or any(w in ORG_HEADS for w in words)


def _is_partial_quote(text: str, opened: int, closed: int) -> bool:
    """A quote set inside a sentence of the writer's ("called it “a disaster” on Monday"):
    lower-case or short, and not introduced by a comma or colon."""
    inner = text[opened + 1 : closed].strip()
    lead = text[max(0, opened - 2) : opened].strip()
    return (
        bool(inner) and (inner[0].islower() or len(inner.split()) <= 4) and lead not in {",", ":"}
    )


def _frame_after(text: str, closed: int) -> str:
    """The rest of the sentence after a quote closes (where "..., Kimball said." lives)."""
    rest = text[closed + 1 : closed + 300]
    for cut in _CLAUSE_END.finditer(rest):
        word = cut.group("word")
        if word is None:
            return rest[: cut.start()]
        if ends_sentence(word):
            return rest[: cut.end() - 1]
    return rest


_CLAUSE_END = re.compile(r'"|\n\n|(?P<word>[\w.]*\w)[.!?](?=\s|$)')


def _frame_before(text: str, opened: int) -> str:
    """The sentence before a quote opens (where `Kimball said: "..."` lives)."""
    head = text[max(0, opened - 400) : opened]
    head = head[head.rfind("\n\n") + 2 :] if "\n\n" in head else head
    dateline = _DATELINE.match(head)  # "WASHINGTON, Aug. 24 (UPI) — A spokesman for ..."
    head = head[dateline.end() :] if dateline else head
    head = head[head.rfind('"') + 1 :]
    inside = head[head.rfind("(") + 1 :]
    if head.rfind("(") > head.rfind(")") and inside[:1].isupper():
        head = inside  # "this calamity (Raphael Lemkin once said, "...")": its own sentence
    for boundary in reversed(list(_SENTENCE_END.finditer(head))):
        if ends_sentence(boundary.group("word")):
            return head[boundary.end() :]
    return head


_SENTENCE_END = re.compile(r"(?P<word>[\w.]+)[.!?]\s+(?=[A-Z\"]|$)")
# A dateline opening a paragraph: "WASHINGTON —", "RENO, Nev. (AP) —", "NEW YORK, Dec. 14
# (UPI) —", "LONDON (Reuters) -".
_DATELINE = re.compile(
    r"[A-Z][A-Z.'’ ]{2,}(?:,\s[A-Z][\w.]*(?:\s[A-Z][\w.]*)*)?(?:,\s[A-Z][a-z]{2,4}\.?\s\d{1,2})?"
    r"(?:\s\([A-Za-z ]+\))?\s?(?:—|–|--?)\s"
)


def reporting_sources(body: str, names: NameBook) -> list[str]:
    """The named sources a quote reached the article through ('"...," Sanders said,
    according to CNN.', 'According to Yahoo News, Trump said "..."'): they are quoted too,
    at one remove."""
    sources = []
    for match in _QUOTE_ACCORDING_TO.finditer(straight_quotes(body)):
        group = "np" if match.group("np") else "lead"
        found = _referent(_noun_phrase(match.group(group)), match.start(group), names, None)
        if found not in (None, _UNNAMED):
            sources.append(found)
    return sources


_QUOTE_ACCORDING_TO = re.compile(
    r'[,.!?]"[^"\n.!?]{0,80}?\b(?i:according to)\s+(?P<np>[^,.;:"\n]+)'
    r'|\bAccording to\s+(?P<lead>[^,.;:"\n]+),[^"\n.!?]{0,200}"'
)
