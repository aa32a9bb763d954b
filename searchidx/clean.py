"""Stage 2, clean: turn a decoded file into an `Article` with the site furniture removed.

Text input (an article copied from a news site) and HTML input (a saved page) end in the same
line rules: HTML is first reduced to its main-content blocks and metadata by `searchidx.html`.
Each rule is a small pure function over one line, so it can be tested with a one-line example.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from searchidx.dates import MONTH_NAMES as _MONTH_NAMES
from searchidx.dates import find_date
from searchidx.model import Article, SourceDocument


@dataclass
class PageText:
    """Blocks of text (one paragraph, heading or line each) and whatever metadata is known."""

    blocks: list[str]
    title: str = ""
    byline: str = ""
    published: date | None = None
    source: str = ""
    url: str = ""
    headings: set[str] = field(default_factory=set)
    # True when the blocks are everything a page showed (text copied from a browser), so the
    # article must first be found among menus, teasers and footers.
    copied: bool = False


def clean_document(document: SourceDocument) -> Article:
    """Clean one loaded file (text or HTML) into an Article."""
    if document.kind == "html":
        from searchidx.html import page_text  # lxml and trafilatura only for HTML input

        page = page_text(document.text)
    else:
        page = PageText(blocks=document.text.split("\n"), copied=True)
    return clean_page(page, path=str(document.path))


def clean_text(text: str, path: str = "") -> Article:
    """Clean plain text copied from a news site."""
    return clean_page(PageText(blocks=text.split("\n"), copied=True), path=path)


def clean_page(page: PageText, path: str = "") -> Article:
    """Apply the line rules to a page's blocks and find title, byline, date and source."""
    blocks = [normalize_space(b) for b in page.blocks]
    blocks = [b for b in blocks if b]
    source = page.source or _source_from_footers(blocks)
    above: list[str] = []  # what a copied page shows above the story: headline, byline, date
    if page.copied:
        start, end = story_bounds(blocks)
        above, blocks = blocks[max(start - _HEAD_LINES, 0) : start], blocks[start:end]
    dateline = _dateline(blocks[:_DATELINE_LINES]) or _dateline(above[::-1])
    blocks = drop_furniture(blocks)
    title = page.title
    if not title and len(blocks) > 1 and looks_like_title(blocks[0]):
        title = blocks.pop(0)
    title = title or _headline_in(above)
    if title:
        title_key = _comparable(title)
        blocks = [b for b in blocks if _comparable(b) != title_key]
    byline, published, blocks = _take_byline_and_date(blocks)
    if not byline:
        byline, published = _byline_in(above, published)
    blocks = drop_repeated_pull_quotes(blocks)
    headings = tuple(b for b in blocks if b in page.headings or looks_like_heading(b))
    return Article(
        title=title,
        body="\n\n".join(blocks),
        byline=page.byline or byline,
        published=page.published or published or dateline,
        source=source or _source_from_byline(byline),
        url=page.url,
        path=path,
        headings=headings,
    )


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) to one space, dropping
    control characters: the loader removes them from files, but a page can still spell them
    as character references (`&#1;`)."""
    return " ".join(_CONTROL_CHARACTERS.sub("", text).split())


# Control characters that `str.split` does not already treat as whitespace. (A regex finds them
# several times faster than `str.translate`, which looks up every character of non-ASCII text.)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")


# --- text mode: the article among everything a page showed ---------------------------------

# A run of this many lines that are not prose separates two stretches of text: a menu, a
# share bar with its labels, the head of a teaser list. One or two (a subheading, a caption
# credit, "Advertisement") do not.
_GAP_LINES = 4
_TITLE_LOOKBACK = 6


# Kana and CJK ideographs: scripts written without spaces between words.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def word_count(line: str) -> int:
    """Words in a line, two characters of Chinese or Japanese counting as one (they have no
    spaces to count)."""
    unspaced = len(_UNSPACED.findall(line))
    return len(line.split()) + unspaced // 2


def is_prose(line: str) -> bool:
    """A line of running text: several words ending as a sentence ends, or simply long."""
    words = word_count(line)
    return words >= 20 or (words >= 7 and bool(_SENTENCE_END.search(line)))


def article_lines(lines: list[str]) -> list[str]:
    """The lines of the article in a whole page's text: the stretch holding the most prose.

    Prose lines closer than `_GAP_LINES` non-prose lines form one stretch; the stretch with the
    most prose words is the article (menus, teaser lists, comment threads and footers come in
    shorter stretches or are cut off by runs of short lines). The headline just above it is
    kept for the title rules. Text with no prose at all is returned whole.
    """
    start, end = story_bounds(lines)
    return lines[start:end]


def story_bounds(lines: list[str]) -> tuple[int, int]:
    """Where `article_lines` finds the story: the index of its first line and one past its last."""
    lines = lines[: _comment_thread_start(lines)]
    prose = [i for i, line in enumerate(lines) if is_prose(line) and not is_furniture(line)]
    if not prose:
        return 0, len(lines)
    stretches: list[list[int]] = [[prose[0]]]
    for index in prose[1:]:
        if index - stretches[-1][-1] > _GAP_LINES:
            stretches.append([])
        stretches[-1].append(index)
    weights = [_stretch_weight(lines, stretch) for stretch in stretches]
    first = last = max(range(len(stretches)), key=weights.__getitem__)
    while first > 0 and _continues(stretches[first - 1], stretches[first], weights[first - 1]):
        first -= 1
    while last + 1 < len(stretches) and _continues(
        stretches[last], stretches[last + 1], weights[last + 1]
    ):
        last += 1
    start = _headline_above(lines, stretches[first][0])
    end = stretches[last][-1] + 1
    while end < len(lines) and (_is_short_sentence(lines[end]) or is_furniture(lines[end])):
        end += 1
    return start, end


def _is_short_sentence(line: str) -> bool:
    # A closing line too short to count as prose ("He declined to comment.") still belongs
    # to the story when it follows it directly, or after furniture the line rules drop anyway.
    return word_count(line) >= 3 and bool(_SENTENCE_END.search(line))


def _continues(before: list[int], after: list[int], weight: int) -> bool:
    """A neighbouring stretch is more of the story when it is dense prose and the interruption
    (a photo with its caption and credit, an embedded post, a box of links) is short."""
    return weight >= _NEIGHBOUR_WEIGHT and after[0] - before[-1] <= _MAX_INTERRUPTION


_NEIGHBOUR_WEIGHT = 60
_MAX_INTERRUPTION = 12


def _comment_thread_start(lines: list[str]) -> int:
    """Where the readers' comments begin: the first comment-thread heading after a story's worth
    of prose (a "167 comments" link under the headline comes before the story, and stays)."""
    prose_words = 0
    for index, line in enumerate(lines):
        if prose_words >= _STORY_WORDS and is_comments_header(line):
            return index
        if is_prose(line):
            prose_words += word_count(line)
    return len(lines)


_STORY_WORDS = 80


def _stretch_weight(lines: list[str], stretch: list[int]) -> int:
    """Prose words, less a toll for every other line among them: a teaser list or a comment
    thread interleaves each short paragraph with labels, names and times; a story does not."""
    words = sum(word_count(lines[i]) for i in stretch)
    between = stretch[-1] - stretch[0] + 1 - len(stretch)
    return words - _GAP_TOLL * between


_GAP_TOLL = 16
# "34 Comments", "[ 167 comments ]", "34 responses to ...", "Leave a Reply", "Join the
# discussion": the head of a comment thread, which ends the story.
_COMMENTS_HEADER = re.compile(
    r"^\W*(\d[\d,]*\s+)?(comments?|responses?|replies|reactions)\b|"
    r"\b(leave|post) a (comment|reply)\b|^(join|view) the (discussion|conversation)|"
    r"^(top rated |reader |show |view )?comments\b",
    re.I,
)


def is_comments_header(line: str) -> bool:
    """The heading of a comment thread: "34 Comments", "Leave a Reply", "Top Rated Comments"."""
    return len(line.split()) <= 12 and bool(_COMMENTS_HEADER.search(line))


# How far above a copied story its headline, byline and date are looked for: past a deck, a
# photo with caption and credit, and a row of share buttons.
_HEAD_LINES = 25


def _headline_in(above: list[str]) -> str:
    """The headline among the lines above a copied story: the nearest line that reads like one,
    preferring one without a closing full stop (a deck or caption ends with one)."""
    candidates = [
        line
        for line in reversed(above)
        if word_count(line) >= 4
        and looks_like_title(line)
        and not is_furniture(line)
        and not is_photo_credit(line.strip("()"))
    ]
    return next((c for c in candidates if not c.endswith(".")), candidates[0] if candidates else "")


def _byline_in(above: list[str], published: date | None) -> tuple[str, date | None]:
    """The nearest "By ..." line above a copied story, and the date it carries if none is known."""
    for line in reversed(above):
        parsed = parse_byline(line)
        if parsed:
            return parsed[0], published or parsed[1]
    return "", published


def _headline_above(lines: list[str], start: int) -> int:
    """Where the article begins once its headline (a few lines up, past byline/date) is in.

    Text that starts with the story (a few lines of headline, byline and date at most) is kept
    from its first line: nothing above the story is there to strip.
    """
    if start <= _TITLE_LOOKBACK:
        return 0
    for index in range(start - 1, max(start - _TITLE_LOOKBACK, 0) - 1, -1):
        line = lines[index]
        if len(line.split()) >= 4 and looks_like_title(line) and not is_furniture(line):
            return index
    return start


# --- furniture: lines that belong to the site, not the story -------------------------------

# "Skip to: Content", "Skip to next paragraph": accessibility links of the page template.
_SKIP_LINK = re.compile(r"^skip (to|navigation)\b", re.I)
# Comment, share and subscription widgets, which are short and have no sentence punctuation.
_WIDGET_WORDS = re.compile(
    r"\b(comments?|share|sharing|tweet|e-?mail this|print( this)?|subscribe|newsletter|sign up|"
    r"log ?in|sign in|follow us|advertisement|sponsored|related (stories|articles|content)|"
    r"read more|click here|cookies?|most (popular|read)|recommended)\b",
    re.I,
)
_COPYRIGHT = re.compile(r"^(copyright\b|©|\(c\)\s*\d{4})|all rights reserved", re.I)
_SEE_MORE = re.compile(r"^to see more,? visit\b", re.I)
# Photo credits: "Jason Reed/Reuters", "AP Photo/Evan Vucci", "Photo: Getty Images".
_SLASH_CREDIT = re.compile(r"^[A-Z][\w.'’-]*(\s+[A-Z][\w.'’-]*){0,4}\s*/\s*[A-Z][\w.&'’ -]{1,40}$")
_LABELLED_CREDIT = re.compile(
    r"^\(?(photo(graph)?|image|picture|credit|illustration)s?( by|:)\s", re.I
)
_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’)」]*$")


def is_skip_link(line: str) -> bool:
    """ "Skip to: Content" and similar accessibility links."""
    return bool(_SKIP_LINK.match(line))


# Labels of share and follow buttons, which copy as lines of their own.
_BUTTON_WORDS = frozenset([
    "facebook", "twitter", "x", "linkedin", "email", "e-mail", "mail", "whatsapp", "pinterest",
    "reddit", "print", "share", "copy", "link", "url", "copied!", "messenger", "telegram",
    "flipboard", "tumblr", "sms", "save", "tweet", "pin", "instagram", "youtube", "tiktok", "rss",
    "feed", "bluesky", "threads", "mastodon", "comments", "comment",
])  # fmt: skip


def is_share_button(line: str) -> bool:
    """ "Facebook", "Twitter", "Copy Link": a line made only of share-button labels."""
    words = line.lower().replace("|", " ").split()
    return 0 < len(words) <= 6 and all(word in _BUTTON_WORDS for word in words)


def is_widget_line(line: str) -> bool:
    """A short comment/share/subscribe widget label such as "Read Comments"."""
    words = line.split()
    return len(words) <= 12 and not _SENTENCE_END.search(line) and bool(_WIDGET_WORDS.search(line))


def is_copyright_footer(line: str) -> bool:
    """ "Copyright 2020 NPR. To see more, visit ..." and "© 2011 ... All rights reserved"."""
    return bool(_COPYRIGHT.search(line) or _SEE_MORE.match(line)) and len(line.split()) <= 40


def is_photo_credit(line: str) -> bool:
    """ "Jason Reed/Reuters", "Photo: Getty Images": a credit line under a picture."""
    if len(line.split()) > 8:
        return False
    # A lone full stop is how some copies end every line ("Getty/Instagram.").
    credit = line[:-1] if line.endswith(".") and line.count(".") == 1 else line
    return bool(_SLASH_CREDIT.match(credit) or (_LABELLED_CREDIT.match(line) and "." not in line))


_COOKIE_NOTICE = re.compile(
    r"\b(uses?|using|accept|allow|enable)( all)? cookies\b|"
    r"\bcookies? (policy|settings|consent|preferences)\b",
    re.I,
)


def is_cookie_notice(line: str) -> bool:
    """ "This website uses cookies to improve your experience ...": a consent banner, any length."""
    # Every line is asked; a case-blind regex search over a paragraph costs ten times the check.
    return "cookie" in line.casefold() and bool(_COOKIE_NOTICE.search(line))


# Calls to action addressed to the reader: follow, subscribe, download, sign up, read on.
_SOCIAL = r"(twitter|facebook|instagram|linkedin|youtube|tiktok|threads|@\w+)"
_CALL_TO_ACTION = re.compile(
    "|".join(
        [
            rf"^\W*(please )?follow\b[^,.;]{{0,120}}\b(on|at) {_SOCIAL}",
            rf"\bfollow (us|him|her|them|me)\b.{{0,40}}{_SOCIAL}",
            r"^\W*(subscribe|sign up|register|log ?in|download|click|tap|never miss|don'?t miss)\b",
            r"^\W*get the latest\b",
            r"\bsubscribe\b.{0,60}\b(full story|access|unlimited|today|now)\b",
            r"\b(already|current) (a )?subscriber|\bfirst-time subscribers\b",
            r"\bsign up\b.{0,40}\b(newsletter|inbox)|\binbox\b.{0,40}\bsign up\b",
            r"^\W*(to )?(read|view|see|watch) (the rest|more|the full( story| article)?)\b"
            r".{0,40}\bhere\b",
            r"^\W*(to )?(read|view) the full (story|article)",
            r"\bdownload (the|our) .{0,40}\bapps?\b|^\W*h/t\b",
            r"\b(submit|send|write) (us )?(a|your) letters? to the editor",
            r"\bletter to the editor via\b",
            r"^\W*share and comment\b",
        ]
    ),
    re.I,
)
# Notes from the desk about the story rather than of it.
_EDITORS_NOTE = re.compile(
    r"^\W*(editor'?s'? note\b|(this|the) (article|story|piece|post|report|version)\b.{0,40}\b"
    r"(has been|was|is) (updated|corrected|amended)|this (article|story|piece|post) "
    r"(first|originally) (appeared|ran|was published))|^\W*(advertisement|sponsored( content)?)\b",
    re.I,
)
# Leftover markup ("<tweet id=...>", "</tweet>") and all-capital section labels ("FULL TEXT.",
# "ABSTRACT.", "SHORT READS:") of wire and database copies.
_MARKUP_LINE = re.compile(r"^(</?[a-zA-Z][\w-]*(\s+[\w:-]+=[^>]*)?\s*/?>\W*)+$")
_LABEL_LINE = re.compile(r"^[A-Z][A-Z&' -]{1,30}[.:]$")


def is_editors_note(line: str) -> bool:
    """ "Editor's note: ...", "This story has been updated ...", "Advertisement - story
    continues below": the publication talking about the page."""
    return len(line.split()) <= 60 and bool(_EDITORS_NOTE.search(line))


def is_markup_or_label(line: str) -> bool:
    """ "</tweet>" left from an embed, or an all-capital section label such as "FULL TEXT."."""
    return bool(_MARKUP_LINE.match(line) or _LABEL_LINE.match(line))


# Each rule of `_CALL_TO_ACTION` not tied to the start of a line holds one of these words: a
# line without them can only match at its start. (Searching every position of every paragraph
# was the cleaner's biggest cost.)
_CALL_TO_ACTION_WORDS = ("follow", "subscribe", "sign up", "inbox", "download", "to the editor")


def is_call_to_action(line: str) -> bool:
    """ "Follow Pam Key on Twitter @pamkeyNEN.", "Subscribe now for the full story.": a line
    that talks to the reader about the site, not about the news."""
    if len(line.split()) > 40:
        return False
    folded = line.casefold()
    if any(word in folded for word in _CALL_TO_ACTION_WORDS):
        return bool(_CALL_TO_ACTION.search(line))
    return bool(_CALL_TO_ACTION.match(line))


_DATE_WORDS = re.compile(
    r"^(?:(?:last|updated|modified|posted|published|on|at|am|pm|a\.m|p\.m|[a-z]{3,9}day|ago|"
    r"(?:minute|hour|day|week|month|year)s?|"
    + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
    + r")[.:]?|\d{1,4}(?:st|nd|rd|th)?|\d{1,2}:\d\d(?::\d\d)?|"
    r"[ecmp][sd]t|gmt|utc|bst|cet|[,:|/–-]|\W)$",
    re.I,
)


def is_date_line(line: str) -> bool:
    """ "January 13", "Posted on May 1, 2020 at 6:34 am", "Last Modified:": a dateline label,
    every word of it a date, time or its label."""
    words = line.replace(",", " , ").split()
    return 0 < len(words) <= 12 and all(_DATE_WORDS.match(word) for word in words)


# Word counts past which only the cookie, skip-link and markup rules can match (60, the editor's
# note limit), and past which only those and the editor's note, call to action and copyright
# rules can (12, the limit of widget, comment-heading and dateline lines; credits allow 8).
_LONGEST_FURNITURE = 60
_LONGEST_SHORT_FURNITURE = 12


# Finding the story and dropping furniture from it ask about the same lines: each is tested once.
@functools.lru_cache(maxsize=4096)
def is_furniture(line: str) -> bool:
    """Any of the one-line furniture rules.

    Most lines are paragraphs, longer than any rule but three allows: those are tried first
    and alone (the word limits are each rule's own; this only skips rules that cannot match).
    """
    common = is_skip_link(line) or is_cookie_notice(line) or is_markup_or_label(line)
    words = len(line.split())
    if common or words > _LONGEST_FURNITURE:
        return common
    if words > _LONGEST_SHORT_FURNITURE:
        return is_editors_note(line) or is_call_to_action(line) or is_copyright_footer(line)
    return (
        is_call_to_action(line)
        or is_editors_note(line)
        or is_comments_header(line)
        or is_date_line(line)
        or is_share_button(line)
        or is_widget_line(line)
        or is_copyright_footer(line)
        or is_photo_credit(line)
    )


def drop_furniture(blocks: list[str]) -> list[str]:
    """Remove furniture lines, and the caption that sits just above a photo credit."""
    kept: list[str] = []
    for block in blocks:
        if is_photo_credit(block):
            if kept and _is_caption(kept[-1]):
                kept.pop()
            continue
        if not is_furniture(block):
            kept.append(block)
    return kept


def _is_caption(block: str) -> bool:
    # A caption is one descriptive sentence or two; the first block (the title) never is.
    return len(block.split()) <= 60


# --- title, byline, date -------------------------------------------------------------------

_BYLINE = re.compile(r"^by\s+(?P<names>[^/|]+?)\s*(?:[/|,]\s*(?P<rest>.*))?$", re.I)


def looks_like_title(line: str) -> bool:
    """A headline: short, a phrase or at most two short sentences, not a byline or date."""
    words = line.split()
    if not 2 <= len(words) <= 20 or len(line) > 160:
        return False
    if _BYLINE.match(line) or (find_date(line) and len(words) <= 6):
        return False
    return line.count(". ") <= 1


def looks_like_heading(line: str) -> bool:
    """A section heading inside the body: a few words, mostly capitalised, no punctuation."""
    words = line.split()
    if not 1 <= len(words) <= 8 or re.search(r"[.,;:!?\"“”]$", line):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or w.lower() in _MINOR_WORDS)
    return capitalised == len(words) and words[0][:1].isupper()


_MINOR_WORDS = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "by",
    "for",
    "in",
    "of",
    "on",
    "or",
    "the",
    "to",
    "vs",
}


def parse_byline(line: str) -> tuple[str, date | None] | None:
    """ "By Correspondent / June 8, 2011" -> ("Correspondent", 2011-06-08); None if not a byline."""
    match = _BYLINE.match(line)
    if not match or len(line.split()) > 16:
        return None
    names = match.group("names").strip()
    rest = match.group("rest") or ""
    published = find_date(rest) or find_date(names)
    if published and find_date(names):
        names = names[: names.find(",")] if "," in names else names
    return names, published


def _dateline(blocks: list[str]) -> date | None:
    """The date of the first dateline among `blocks` ("Posted on June 8, 2011 at 10:00 am"),
    read before the furniture rules drop the line. Callers pass the top of the story, or the
    lines above a copied story nearest first."""
    for block in blocks:
        if is_date_line(block):
            found = find_date(block)
            if found:
                return found
    return None


_DATELINE_LINES = 8


def _take_byline_and_date(blocks: list[str]) -> tuple[str, date | None, list[str]]:
    """Find the byline and date lines among the first few blocks and take them out."""
    byline, published = "", None
    kept: list[str] = []
    for index, block in enumerate(blocks):
        near_top = index < 6
        parsed = parse_byline(block) if near_top and not byline else None
        if parsed:
            byline, published = parsed[0], published or parsed[1]
            continue
        if near_top and published is None and len(block.split()) <= 8:
            found = find_date(block)
            if found:
                published = found
                continue
        kept.append(block)
    return byline, published, kept


# --- source --------------------------------------------------------------------------------

_COPYRIGHT_HOLDER = re.compile(
    r"(?:copyright|©|\(c\))\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?"
    r"(?P<holder>[A-Z][\w&.'’ -]*?)\s*(?:\.|,|$|all rights|inc\b)",
    re.I,
)


def _source_from_footers(blocks: list[str]) -> str:
    """The publisher named in a copyright footer ("Copyright 2020 NPR." gives "NPR")."""
    for block in reversed(blocks):
        if is_copyright_footer(block):
            match = _COPYRIGHT_HOLDER.search(block)
            if match and match.group("holder").strip():
                return match.group("holder").strip()
    return ""


_AGENCY = re.compile(r"\b(Reuters|Associated Press|AP|AFP|Bloomberg|UPI)\b")


def _source_from_byline(byline: str) -> str:
    match = _AGENCY.search(byline)
    return match.group(1) if match else ""


# --- pull quotes ---------------------------------------------------------------------------


def drop_repeated_pull_quotes(blocks: list[str]) -> list[str]:
    """Drop a short block whose words all appear again inside a longer paragraph.

    Magazine layouts repeat a line of the story in large type ("Russia is definitely trying to
    get our attention."); copied as text it becomes a stray paragraph.
    """
    keys = [_comparable(b) for b in blocks]
    # A key found in the joined text more often than it stands alone as a block is inside a
    # longer block: one pass over the text instead of comparing every pair.
    everything = "\x00".join(keys)
    alone = Counter(keys)
    kept = []
    for block, key in zip(blocks, keys, strict=True):
        short = 5 <= len(key.split()) <= 40
        if not (short and everything.count(key) > alone[key]):
            kept.append(block)
    return kept


# The title filter and the pull-quote finder compare the same blocks: each is reduced once.
@functools.lru_cache(maxsize=4096)
def _comparable(text: str) -> str:
    """The text's words, lower case, without punctuation: how a block is compared to another."""
    return " ".join(_PUNCTUATION.sub(" ", text.lower()).split())


_PUNCTUATION = re.compile(r"[^\w\s]")
