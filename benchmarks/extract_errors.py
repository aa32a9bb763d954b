"""Issue 8: the speakers-per-article errors of the extractor, one by one, to read.

For each PolNeAR dev article, every gold speaker the extractor missed (with each of its gold
quotes, the predicted quotes overlapping it and their speakers, and the text around it) and
every predicted speaker that is not gold (with each of its quotes, the gold sources of the
attributions overlapping it, and the text around it). The scoring is `extract_eval.py`'s.

Run: `python benchmarks/extract_errors.py [--limit N] > errors.txt`.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from extract_eval import (
    clean_polnear,
    gold_quotes,
    polnear_records,
    shares_a_run,
    surname,
    words_of,
)

from searchidx.extract import extract


def around(text: str, start: int, end: int, width: int = 200) -> str:
    """The text around [start, end), the span in [[brackets]], on one line."""
    shown = text[max(0, start - width) : start] + "[[" + text[start:end] + "]]"
    return (shown + text[end : end + width]).replace("\n", " / ")


def article_errors(record: dict) -> Iterator[str]:
    """The missed and the false speakers of one article, each as a block of lines."""
    article = extract(clean_polnear(record))
    text = record["text"]
    gold = gold_quotes(record) + gold_quotes(record, pronouns=True)
    predicted = {surname(speaker) for speaker in article.speakers}
    for key in sorted({key for _, key in gold} - predicted):
        lines = [f"MISSED {key} in {record['id']}"]
        for content, _ in (pair for pair in gold if pair[1] == key):
            matches = [
                (q.speaker, q.text[:60])
                for q in article.quotes
                if shares_a_run(words_of(content), words_of(q.text))
            ]
            at = text.find(content[:40])
            lines.append(f"  predicted quotes: {matches}")
            lines.append("  " + (around(text, at, at + len(content)) if at >= 0 else content))
        yield "\n".join(lines)
    sourced = [
        (a["source"]["text"], words_of(" ".join(part["text"] for part in a["content"])))
        for a in record["attributions"]
        if a["source"]
    ]
    for key in sorted(predicted - {key for _, key in gold}):
        lines = [f"FALSE {key} in {record['id']}"]
        for quote in (q for q in article.quotes if surname(q.speaker) == key):
            sources = [
                source for source, words in sourced if shares_a_run(words, words_of(quote.text))
            ]
            at = text.find(quote.text[:40])
            lines.append(f"  {quote.speaker}: gold sources of this quote: {sources[:3]}")
            lines.append("  " + (around(text, at, at + len(quote.text)) if at >= 0 else quote.text))
        yield "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = parser.parse_args()
    for record in polnear_records(args.limit):
        for block in article_errors(record):
            print(block, end="\n\n")


if __name__ == "__main__":
    main()
