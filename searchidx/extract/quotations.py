"""Where the quotations of an article's body are: "straight" and “curly” marks, a quote that
runs over several paragraphs and only closes in its last one, and partial quotes of a word or
two. Who said them is `attribution`'s part."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation found in the body: the paragraph it starts in, where it starts and ends in
    that paragraph (`end` is in the paragraph it closes in), and its text."""

    paragraph: int
    start: int
    end: int
    text: str


def find_quote_spans(paragraphs: list[str]) -> list[QuoteSpan]:
    """Quotations in the body, "straight" or “curly”; a quote left open at the end of a
    paragraph continues into the next paragraph that opens with a quote mark."""
    return [span for span, _ in quote_spans(paragraphs)]


def quote_spans(paragraphs: list[str]) -> list[tuple[QuoteSpan, tuple[int, int]]]:
    """Each quotation and the body offsets of its opening and closing marks (the joined body
    is the paragraphs separated by blank lines)."""
    spans: list[tuple[QuoteSpan, tuple[int, int]]] = []
    carry: tuple[QuoteSpan, int] | None = None
    offset = 0
    for index, raw in enumerate(paragraphs):
        text = straight_quotes(raw)
        marks = [match.start() for match in _QUOTE_MARK.finditer(text)]
        if carry is not None and not text.startswith('"'):
            span, opened = carry  # a stray unclosed quote: keep it to the paragraph's end
            spans.append((span, (opened, opened + 1 + len(span.text))))
            carry = None
        if carry is not None:
            span, opened = carry
            marks = marks[1:]  # the continuation's opening mark
            if marks:
                end = marks[0]
                joined = QuoteSpan(span.paragraph, span.start, end, f"{span.text} {text[1:end]}")
                spans.append((joined, (opened, offset + end)))
                carry, marks = None, marks[1:]
            else:
                carry = (
                    QuoteSpan(span.paragraph, span.start, 0, f"{span.text} {text[1:]}"),
                    opened,
                )
                offset += len(raw) + 2
                continue
        for open_at, close_at in zip(marks[0::2], marks[1::2], strict=False):
            span = QuoteSpan(index, open_at, close_at, text[open_at + 1 : close_at])
            spans.append((span, (offset + open_at, offset + close_at)))
        if len(marks) % 2:
            carry = (
                QuoteSpan(index, marks[-1], len(text), text[marks[-1] + 1 :]),
                offset + marks[-1],
            )
        offset += len(raw) + 2
    if carry is not None:
        span, opened = carry
        spans.append((span, (opened, opened + 1 + len(span.text))))
    return [(s, at) for s, at in spans if s.text.strip(" ,.")]


_QUOTE_MARK = re.compile('"')


def straight_quotes(text: str) -> str:
    """Curly double quotes as straight ones, keeping every offset."""
    return text.replace("“", '"').replace("”", '"').replace("„", '"')
