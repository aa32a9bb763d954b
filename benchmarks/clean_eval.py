"""Issue 3: how well the cleaner keeps article text and drops site furniture, against trafilatura.

Three data sets from ../shared/data (each folder's README describes it):

- article-extraction-benchmark: raw news pages with a hand-made article body; scored with the
  benchmark's own metric (word 4-gram shingles, per-page normalised, mean P and mean R, F1).
- trafilatura-eval-en: pages with snippets that must survive (`with`) and must go (`without`);
  scored with trafilatura's metric (snippet counts summed over pages).
- polnear: article texts whose `Discard` spans mark furniture inside plain text; scored as the
  share of Discard spans removed and the share of the other text kept.

Every HTML page is scored three ways: our cleaner on the HTML, trafilatura on the same HTML (in
this process, same decoded string), and TEXT MODE: the page turned into the text a person gets by
copying the whole page (all visible text, one block per line), fed to our cleaner as a .txt file.
Pages per second are timed for the cleaning step alone, both tools on the same pages.

    python benchmarks/clean_eval.py [--data DIR] [--limit N] [--only SET] [--show-metadata]

trafilatura is a runtime dependency (our HTML path uses its main-content extraction).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lxml import html as lxml_html

from searchidx.clean import clean_document, clean_text
from searchidx.model import Article, SourceDocument
from searchidx.sources import decode_bytes

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

# --- the article-extraction-benchmark metric ------------------------------------------------

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Word n-gram shingles of a text, counted (a text shorter than n is one shingle)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens)


def shingle_match(true: str, predicted: str) -> tuple[float, float, float]:
    """Per-page TP, FP, FN over 4-gram shingles, normalised to sum to 1 (as the benchmark does)."""
    true_counts, predicted_counts = shingles(true), shingles(predicted)
    tp = sum((true_counts & predicted_counts).values())
    fp = sum((predicted_counts - true_counts).values())
    fn = sum((true_counts - predicted_counts).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 of one system on one data set."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def shingle_score(pairs: Iterable[tuple[str, str]]) -> Score:
    """The benchmark's score over (true, predicted) pages: mean P, mean R, F1 of the means.

    Pages with nothing predicted are left out of the precision mean and pages with no truth out
    of the recall mean, as in the benchmark's evaluate.py.
    """
    matches = [shingle_match(true, predicted) for true, predicted in pairs]
    precisions = [_precision(*m) for m in matches if m[0] + m[1] > 0]
    recalls = [_recall(*m) for m in matches if m[0] + m[2] > 0]
    return Score(
        statistics.mean(precisions) if precisions else 0.0,
        statistics.mean(recalls) if recalls else 0.0,
    )


# --- the trafilatura-eval metric ------------------------------------------------------------


@dataclass(frozen=True)
class SnippetCounts:
    """Snippet outcomes summed over pages.

    tp: a `with` snippet kept; fn: one lost; fp: a `without` snippet kept; tn: one removed.
    """

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def __add__(self, other: SnippetCounts) -> SnippetCounts:
        return SnippetCounts(
            self.tp + other.tp, self.fn + other.fn, self.fp + other.fp, self.tn + other.tn
        )

    @property
    def score(self) -> Score:
        """Precision TP/(TP+FP) and recall TP/(TP+FN); F1 is then 2TP/(2TP+FP+FN)."""
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return Score(precision, recall)


def snippet_counts(output: str, keep: Iterable[str], drop: Iterable[str]) -> SnippetCounts:
    """One page's output against its must-keep and must-drop snippets, whitespace normalised."""
    text = " ".join(output.split())
    kept = [" ".join(s.split()) in text for s in keep]
    leaked = [" ".join(s.split()) in text for s in drop]
    return SnippetCounts(
        tp=sum(kept), fn=len(kept) - sum(kept), fp=sum(leaked), tn=len(leaked) - sum(leaked)
    )


# --- the polnear Discard metric -------------------------------------------------------------


def discard_counts(
    text: str, discard_spans: list[list[int]], output: str
) -> tuple[int, int, float, float]:
    """(Discard spans, of them removed, shingles of the other text, of them kept) for one text.

    A Discard span counts as removed when fewer than half of its words survive in the output:
    a span may be a whole paragraph or a fragment of one.
    """
    out_words = Counter(_TOKEN.findall(output))
    removed = 0
    for start, end in discard_spans:
        words = _TOKEN.findall(text[start:end])
        if not words:
            removed += 1
            continue
        surviving = sum(min(c, out_words[w]) for w, c in Counter(words).items())
        removed += surviving < len(words) / 2
    masked = list(text)
    for start, end in discard_spans:
        masked[start:end] = "\n" * (end - start)
    rest = shingles("".join(masked))
    kept = sum((rest & shingles(output)).values())
    return len(discard_spans), removed, sum(rest.values()), kept


# --- text mode: what a person copies from the page ------------------------------------------

_INVISIBLE = {"script", "style", "noscript", "template", "head", "title", "meta", "link", "svg"}
_LINE_BREAKING = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "td", "th", "tr", "ul", "option", "select", "caption",
}  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def visible_text(page_html: str) -> str:
    """All text a browser shows for the page, one block per line, like select-all and copy.

    Scripts, styles and elements hidden by `hidden` or an inline display:none are left out;
    block elements (and <br>) end a line, inline elements run on.
    """
    try:
        root = lxml_html.document_fromstring(page_html)
    except Exception:  # lxml refuses empty documents and some broken encodings
        return ""
    pieces: list[str] = []
    _collect_visible(root, pieces)
    lines = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def _collect_visible(element: lxml_html.HtmlElement, pieces: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    hidden = (
        tag in _INVISIBLE
        or element.get("hidden") is not None
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
        or not tag
    )
    if not hidden:
        breaks = tag in _LINE_BREAKING
        if breaks:
            pieces.append("\n")
        pieces.append(element.text or "")
        for child in element:
            _collect_visible(child, pieces)
        if breaks:
            pieces.append("\n")
    pieces.append(element.tail or "")


# --- loading the data -----------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One HTML page of a data set, decoded, with what the data set says about it."""

    key: str
    html: str
    truth: str = ""
    keep: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    title: str = ""
    author: str = ""
    published: str = ""


def load_article_benchmark(data: Path, limit: int | None = None) -> list[Page]:
    """The article-extraction-benchmark dev pages with their ground-truth bodies."""
    folder = data / "article-extraction-benchmark"
    truth = json.loads((folder / "ground-truth.dev.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        raw = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        pages.append(Page(key, raw.decode("utf-8", "replace"), truth=truth[key]["articleBody"]))
    return pages


def load_trafilatura_eval(data: Path, limit: int | None = None) -> list[Page]:
    """The trafilatura-eval-en dev pages, decoded as searchidx decodes a saved page."""
    folder = data / "trafilatura-eval-en"
    entries = json.loads((folder / "evaldata.dev.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(entries)[:limit]:
        entry = entries[key]
        path = folder / "html" / f"{entry['file']}.gz"
        text, _ = decode_bytes(path, gzip.decompress(path.read_bytes()), "html")
        pages.append(
            Page(
                key,
                text,
                keep=tuple(entry.get("with", ())),
                drop=tuple(entry.get("without", ())),
                title=entry.get("title") or "",
                author=_joined(entry.get("author")),
                published=entry.get("date") or "",
            )
        )
    return pages


def _joined(value: str | list[str] | None) -> str:
    """An author field given as a string or a list of names."""
    return ", ".join(value) if isinstance(value, list) else value or ""


def load_polnear(data: Path, limit: int | None = None) -> list[dict]:
    """PolNeAR dev records (text, title, author, date, Discard spans)."""
    with gzip.open(data / "polnear" / "polnear_dev.jsonl.gz", "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    return records[:limit]


# --- the systems ----------------------------------------------------------------------------


def ours_html(page_html: str) -> Article:
    """Our cleaner on a saved page, exactly as `searchidx build` runs it."""
    document = SourceDocument(Path("page.html"), page_html, "html", "utf-8", len(page_html), 0)
    return clean_document(document)


def ours_text(copied: str) -> Article:
    """Our cleaner on text copied from a page, as for a .txt input."""
    return clean_text(copied, path="page.txt")


def trafilatura_text(page_html: str) -> str:
    """trafilatura's main text, run as the benchmarks run it (no comments, tables kept)."""
    import trafilatura

    return trafilatura.extract(page_html, include_comments=False, include_tables=True) or ""


def timed(function: Callable[[str], object], inputs: list[str]) -> tuple[list, float]:
    """Results of `function` over `inputs` and the pages per second it managed."""
    start = time.perf_counter()
    results = [function(item) for item in inputs]
    elapsed = time.perf_counter() - start
    return results, len(inputs) / elapsed if elapsed else float("inf")


# A page too short for trafilatura's own extractor, so that it asks jusText, whose stop-word lists
# (0.2 s to load, once per process) were otherwise charged to whichever side first needed them
# on a real page: trafilatura's on trafilatura-eval-en, neither on the benchmark.
WARM_UP_PAGE = "<html><body><article><p>The council met on Tuesday.</p></article></body></html>"


def timed_pair(
    first: Callable[[str], object],
    second: Callable[[str], object],
    inputs: list[str],
    warm_up: tuple[str, ...] = (),
) -> tuple[list, float, list, float]:
    """Both functions over the same inputs, page by page in turn, with pages/second of each.

    Alternating per page puts both under the same machine load (other work shares the cores).
    Which one goes first alternates too: the second call on a page runs faster (the page is warm
    in the caches; 3-4 % on trafilatura-eval-en). Untimed calls each first, on `warm_up` and the
    first input, keep lazy loading (trafilatura imports on first use) out of the rate.
    """
    functions = (first, second)
    for item in [*warm_up, *inputs[:1]]:
        first(item)
        second(item)
    results: tuple[list, list] = ([], [])
    elapsed = [0.0, 0.0]
    for index, item in enumerate(inputs):
        for side in (0, 1) if index % 2 == 0 else (1, 0):
            start = time.perf_counter()
            results[side].append(functions[side](item))
            elapsed[side] += time.perf_counter() - start
    speeds = [len(inputs) / e if e else float("inf") for e in elapsed]
    return results[0], speeds[0], results[1], speeds[1]


def _body(article: Article) -> str:
    return article.body


# --- reports --------------------------------------------------------------------------------


def _row(name: str, score: Score, speed: float | None = None) -> str:
    pace = f"  {speed:6.1f} pages/s" if speed is not None else ""
    return f"  {name:<22} P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}{pace}"


def evaluate_article_benchmark(pages: list[Page]) -> dict[str, tuple[Score, float | None]]:
    """Scores of ours (HTML), trafilatura (HTML) and ours (text mode) on the benchmark."""
    htmls = [p.html for p in pages]
    ours, our_speed, theirs, their_speed = timed_pair(
        ours_html, trafilatura_text, htmls, warm_up=(WARM_UP_PAGE,)
    )
    copied = [visible_text(h) for h in htmls]
    text_mode, text_speed = timed(ours_text, copied)
    truths = [p.truth for p in pages]
    return {
        "searchidx html": (shingle_score(zip(truths, map(_body, ours), strict=True)), our_speed),
        "trafilatura html": (shingle_score(zip(truths, theirs, strict=True)), their_speed),
        "searchidx text mode": (
            shingle_score(zip(truths, map(_body, text_mode), strict=True)),
            text_speed,
        ),
        "all visible text": (shingle_score(zip(truths, copied, strict=True)), None),
    }


def evaluate_trafilatura_eval(pages: list[Page]) -> dict[str, tuple[Score, float | None]]:
    """Scores of the three ways on trafilatura's snippet benchmark."""
    htmls = [p.html for p in pages]
    ours, our_speed, theirs, their_speed = timed_pair(
        ours_html, trafilatura_text, htmls, warm_up=(WARM_UP_PAGE,)
    )
    text_mode, text_speed = timed(ours_text, [visible_text(h) for h in htmls])

    def total(outputs: Iterable[str]) -> Score:
        counts = SnippetCounts()
        for page, output in zip(pages, outputs, strict=True):
            counts += snippet_counts(output, page.keep, page.drop)
        return counts.score

    return {
        "searchidx html": (total(map(_body, ours)), our_speed),
        "trafilatura html": (total(theirs), their_speed),
        "searchidx text mode": (total(map(_body, text_mode)), text_speed),
    }


def evaluate_polnear(records: list[dict]) -> dict[str, float]:
    """Share of Discard spans our text mode removes, and share of the other text it keeps."""
    spans = removed = rest = kept = 0
    for record in records:
        discard = [
            piece
            for span in record["other_spans"]
            if span["type"] == "Discard"
            for piece in span["spans"]
        ]
        output = ours_text(record["text"]).body
        counts = discard_counts(record["text"], discard, output)
        spans, removed = spans + counts[0], removed + counts[1]
        rest, kept = rest + counts[2], kept + counts[3]
    return {
        "discard spans": spans,
        "discard removed": removed / spans if spans else 1.0,
        "other text kept": kept / rest if rest else 1.0,
    }


def _same_words(a: str, b: str) -> bool:
    return _TOKEN.findall(a.lower()) == _TOKEN.findall(b.lower())


def metadata_agreement(pages: list[Page], articles: list[Article]) -> dict[str, str]:
    """How often title, author and date match what trafilatura-eval-en records for a page."""
    found = {"title": [0, 0], "author": [0, 0], "date": [0, 0]}
    for page, article in zip(pages, articles, strict=True):
        if page.title:
            found["title"][1] += 1
            found["title"][0] += _same_words(article.title, page.title)
        if page.author:
            found["author"][1] += 1
            found["author"][0] += _names_overlap(article.byline, page.author)
        if page.published:
            found["date"][1] += 1
            found["date"][0] += _date_text(article.published) == page.published[:10]
    return {field: f"{right}/{total}" for field, (right, total) in found.items()}


def _names_overlap(byline: str, author: str) -> bool:
    """The byline names the same people: every name word of the record appears in it."""
    wanted = {w for w in _TOKEN.findall(author.lower()) if len(w) > 1}
    return bool(wanted) and wanted <= set(_TOKEN.findall(byline.lower()))


def _date_text(value: date | None) -> str:
    return value.isoformat() if value else ""


def polnear_metadata(records: list[dict]) -> dict[str, str]:
    """How often text mode finds the title PolNeAR records (its texts start with the headline)."""
    right = sum(_same_words(ours_text(r["text"]).title, r["title"]) for r in records)
    return {"title": f"{right}/{len(records)}"}


def main(argv: list[str] | None = None) -> int:
    """Run the chosen data sets and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None, help="pages per data set")
    parser.add_argument("--only", choices=["aeb", "trafilatura", "polnear"], action="append")
    arguments = parser.parse_args(argv)
    if not arguments.data.is_dir():
        print(f"no data folder at {arguments.data}", file=sys.stderr)
        return 2
    chosen = set(arguments.only or ["aeb", "trafilatura", "polnear"])
    if "aeb" in chosen:
        pages = load_article_benchmark(arguments.data, arguments.limit)
        print(f"article-extraction-benchmark dev ({len(pages)} pages), shingle metric")
        for name, (score, speed) in evaluate_article_benchmark(pages).items():
            print(_row(name, score, speed))
    if "trafilatura" in chosen:
        pages = load_trafilatura_eval(arguments.data, arguments.limit)
        print(f"trafilatura-eval-en dev ({len(pages)} pages), snippet metric")
        for name, (score, speed) in evaluate_trafilatura_eval(pages).items():
            print(_row(name, score, speed))
        for mode, clean in (("html", ours_html), ("text", lambda h: ours_text(visible_text(h)))):
            agreement = metadata_agreement(pages, [clean(p.html) for p in pages])
            print(
                f"  metadata ({mode}) right: " + ", ".join(f"{k} {v}" for k, v in agreement.items())
            )
    if "polnear" in chosen:
        records = load_polnear(arguments.data, arguments.limit)
        figures = evaluate_polnear(records)
        print(f"polnear dev ({len(records)} texts), text mode")
        print(
            f"  Discard spans removed {figures['discard removed']:.3f} "
            f"(of {figures['discard spans']}), other text kept {figures['other text kept']:.3f}"
        )
        print("  metadata (text) right: title " + polnear_metadata(records)["title"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
