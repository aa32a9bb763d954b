"""The `searchidx` command line: a thin click layer over `searchidx.api`.

Exit codes: 0 ok; 1 the search found nothing, or a build failed on some files (with --strict)
or on every file; 2 usage error or an error the user must fix (no index, index busy or damaged,
bad query); 130 interrupted by Ctrl-C. Colour only on a terminal; `--json` for scripts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from searchidx.api import Index
from searchidx.errors import SearchidxError
from searchidx.search import MARK_END, MARK_START
from searchidx.store import INDEX_ENV_VAR

SEEDS = Path("seeds")
SPEAKER_AFFILIATIONS = 3
INTERRUPTED = 130  # the shell's code for a command stopped by SIGINT
FACET_LIMIT = 10  # names shown per facet by `search --facets`


class UserError(click.ClickException):
    """An error the user can fix, printed as one line, exit code 2."""

    exit_code = 2


def _index_option(command):  # type: ignore[no-untyped-def]
    return click.option(
        "--index",
        "index_path",
        type=click.Path(file_okay=False, path_type=Path),
        envvar=INDEX_ENV_VAR,
        default=Path("index"),
        show_default=True,
        help=f"Index folder (or set ${INDEX_ENV_VAR}).",
    )(command)


def _json_option(command):  # type: ignore[no-untyped-def]
    return click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")(
        command
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="searchidx")
def main() -> None:
    """Full-text search for archives of news articles.

    Build an index from a folder of .txt and .html articles, then search it by words,
    phrases, speakers and organizations.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_index_option
@click.option("--rebuild", is_flag=True, help="Build a fresh index and swap it in when complete.")
@click.option("--strict", is_flag=True, help="Exit with status 1 if any file failed.")
@click.option("--wait", default=60.0, show_default=True, help="Seconds to wait for another build.")
@_json_option
def build(
    paths: tuple[Path, ...],
    index_path: Path,
    rebuild: bool,
    strict: bool,
    wait: float,
    as_json: bool,
) -> None:
    """Index the articles under PATHS (default: seeds/), incrementally.

    New and changed files are indexed, deleted files removed, unchanged files skipped.
    """
    report = _run_build(Index(index_path), list(paths) or [SEEDS], rebuild, wait, quiet=as_json)
    if as_json:
        click.echo(json.dumps(report.to_json()))
    else:
        for failure in report.failures:
            click.echo(f"skipped {failure.path}: {failure.reason}", err=True)
        click.echo(
            f"{report.added} added, {report.updated} updated, {report.removed} removed, "
            f"{report.skipped} unchanged, {report.failed} failed; "
            f"{report.documents} articles in {index_path} ({report.seconds:.1f} s)"
        )
    nothing_indexed = report.documents == 0 and report.failed > 0
    if nothing_indexed or (strict and report.failed):
        sys.exit(1)


def _run_build(index: Index, paths: list[Path], rebuild: bool, wait: float, quiet: bool = False):  # type: ignore[no-untyped-def]
    show_bar = not quiet and sys.stderr.isatty()
    try:
        if not show_bar:
            return index.build(paths, rebuild=rebuild, lock_timeout=wait)
        with click.progressbar(length=0, label="indexing", file=sys.stderr) as bar:

            def advance(done: int, total: int, path: Path) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            return index.build(paths, rebuild=rebuild, progress=advance, lock_timeout=wait)
    except KeyboardInterrupt:
        # Nothing is live before the build's single commit, so the index on disk is the last
        # completed build; the next build redoes the interrupted one's work.
        click.echo(
            "interrupted: the index holds the last completed build; run the build again to finish",
            err=True,
        )
        sys.exit(INTERRUPTED)
    except SearchidxError as error:
        raise UserError(str(error)) from None


@main.command()
@click.argument("query")
@_index_option
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--speaker", help="Only articles quoting this person (any part of the name).")
@click.option("--organization", help="Only articles naming this organization.")
@click.option("--source", help="Only articles from this publisher.")
@click.option("--since", help="Only articles published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Only articles published on or before this date (YYYY-MM-DD).")
@click.option(
    "--facets",
    "show_facets",
    is_flag=True,
    help=f"Also count the top {FACET_LIMIT} speakers, organizations and sources of all matches.",
)
@_json_option
def search(
    query: str,
    index_path: Path,
    limit: int,
    speaker: str | None,
    organization: str | None,
    source: str | None,
    since: str | None,
    until: str | None,
    show_facets: bool,
    as_json: bool,
) -> None:
    """Search the index. QUERY takes words, "phrases", AND/OR/NOT, field:value
    (title, speaker, organization, person, source, byline, quotes, published), word~ and prefix*.
    """
    index = Index(index_path)
    _build_seeds_if_missing(index)
    try:
        results = index.search(
            query,
            limit=limit,
            speaker=speaker,
            organization=organization,
            source=source,
            since=since,
            until=until,
        )
    except SearchidxError as error:
        raise UserError(str(error)) from None
    _show_hits(results, as_json, _print_results, "articles")
    if show_facets and results.hits:
        _show_facets(results, as_json)
    if not results.hits:
        if results.suggestion:
            click.echo(f'did you mean "{results.suggestion}"?', err=True)
        sys.exit(1)


def _show_hits(results, as_json: bool, print_text, noun: str) -> None:  # type: ignore[no-untyped-def]
    """Hits as JSON lines or as text; says on stderr when nothing matched."""
    if as_json:
        for hit in results:
            click.echo(json.dumps(hit.to_json(), ensure_ascii=False))
    else:
        print_text(results)
        if not results.hits:
            click.echo(f"no {noun} match", err=True)


def _show_facets(results, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """The top FACET_LIMIT of each facet over every match, after the hits: as text lines, or
    as one last JSON line `{"total": ..., "facets": {...}}` that scripts tell from a hit by
    its keys."""
    top = {
        name: dict(list(counts.items())[:FACET_LIMIT]) for name, counts in results.facets.items()
    }
    if as_json:
        click.echo(json.dumps({"total": results.total, "facets": top}, ensure_ascii=False))
        return
    click.echo()
    for name, counts in top.items():
        if counts:
            click.echo(f"{name}s: " + ", ".join(f"{key} ({n})" for key, n in counts.items()))


def _build_seeds_if_missing(index: Index) -> None:
    """The first search on a fresh checkout builds the default index from the bundled seeds."""
    if index.exists() or not SEEDS.is_dir():
        return
    if index.path.resolve() != Path("index").resolve():
        return
    click.echo(f"no index yet: building {index.path}/ from {SEEDS}/ ...", err=True)
    report = _run_build(index, [SEEDS], rebuild=False, wait=60.0, quiet=True)
    click.echo(f"indexed {report.documents} articles", err=True)


def _print_results(results) -> None:  # type: ignore[no-untyped-def]
    colour = sys.stdout.isatty()
    click.echo(f"{_count(results.total, 'article')}; showing {len(results.hits)}", err=True)
    for rank, hit in enumerate(results, start=1):
        title = hit.title or Path(hit.path).name
        click.echo(click.style(f"{rank}. {title}", bold=True) + f"  [{hit.id}]", color=colour)
        facts = [hit.source, hit.published.isoformat() if hit.published else "", hit.path]
        click.echo("   " + " · ".join(f for f in facts if f) + f"  score {hit.score:.2f}")
        if hit.speakers:
            click.echo("   speakers: " + ", ".join(hit.speakers))
        for snippet in hit.snippets:
            click.echo("   … " + _highlight(snippet, colour) + " …", color=colour)


def _count(total: int, noun: str) -> str:
    """ "1 article matches", "2 articles match"."""
    return f"1 {noun} matches" if total == 1 else f"{total} {noun}s match"


def _highlight(snippet: str, colour: bool) -> str:
    """Bold matched words on a terminal; keep the [[ ]] markers elsewhere."""
    if not colour:
        return snippet
    return snippet.replace(MARK_START, "\x1b[1m").replace(MARK_END, "\x1b[0m")


@main.command()
@click.argument("query", required=False)
@_index_option
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--speaker", help="Only quotes by this person (any part of the name).")
@click.option("--organization", help="Only quotes by people speaking for this organization.")
@click.option("--source", help="Only quotes from articles of this publisher.")
@click.option("--since", help="Only quotes from articles published on or after this date.")
@click.option("--until", help="Only quotes from articles published on or before this date.")
@_json_option
def quotes(
    query: str | None,
    index_path: Path,
    limit: int,
    speaker: str | None,
    organization: str | None,
    source: str | None,
    since: str | None,
    until: str | None,
    as_json: bool,
) -> None:
    """Search the quotations: who said what. QUERY takes the same syntax as `search`
    (plain words search the quote and the speaker's name); without QUERY, every quote the
    options let through, newest first."""
    index = Index(index_path)
    _build_seeds_if_missing(index)
    try:
        results = index.quotes(
            query,
            limit=limit,
            speaker=speaker,
            organization=organization,
            source=source,
            since=since,
            until=until,
        )
    except SearchidxError as error:
        raise UserError(str(error)) from None
    _show_hits(results, as_json, _print_quotes, "quotes")
    if not results.hits:
        sys.exit(1)


def _print_quotes(results) -> None:  # type: ignore[no-untyped-def]
    colour = sys.stdout.isatty()
    click.echo(f"{_count(results.total, 'quote')}; showing {len(results.hits)}", err=True)
    for rank, hit in enumerate(results, start=1):
        who = hit.speaker + (f" ({hit.affiliation})" if hit.affiliation else "")
        click.echo(click.style(f"{rank}. {who}", bold=True), color=colour)
        click.echo(f'   "{_highlight(hit.text, colour)}"', color=colour)
        article = hit.article_title or Path(hit.path).name
        facts = [hit.source, hit.published.isoformat() if hit.published else "", article]
        click.echo(
            "   " + " · ".join(f for f in facts if f) + f"  [{hit.article_id}] ¶{hit.position}"
        )


@main.command()
@_index_option
@click.option("--organization", help="Only people quoted as speaking for this organization.")
@_json_option
def speakers(index_path: Path, organization: str | None, as_json: bool) -> None:
    """Who is quoted, how often, and the affiliations the articles give them."""
    index = Index(index_path)
    _build_seeds_if_missing(index)
    try:
        found = index.speakers(organization=organization)
    except SearchidxError as error:
        raise UserError(str(error)) from None
    for speaker in found:
        if as_json:
            click.echo(json.dumps(speaker.to_json(), ensure_ascii=False))
            continue
        # The three most frequent descriptions; --json has them all.
        described = "; ".join(
            [a.describe() for a in speaker.affiliations if a.describe()][:SPEAKER_AFFILIATIONS]
        )
        counts = f"{speaker.quotes} quote{'s' * (speaker.quotes != 1)} in "
        counts += f"{speaker.articles} article{'s' * (speaker.articles != 1)}"
        click.echo(f"{speaker.name}  {counts}" + (f"  ({described})" if described else ""))
    if not found:
        if not as_json:
            click.echo("nobody is quoted", err=True)
        sys.exit(1)


@main.command()
@click.argument("article_id")
@_index_option
@_json_option
def show(article_id: str, index_path: Path, as_json: bool) -> None:
    """Print one stored article, whole (ARTICLE_ID as shown in search results, or a path)."""
    try:
        article = Index(index_path).get(article_id)
    except SearchidxError as error:
        raise UserError(str(error)) from None
    if as_json:
        click.echo(json.dumps(article.to_json(), ensure_ascii=False))
        return
    click.echo(
        click.style(article.title or Path(article.path).name, bold=True), color=sys.stdout.isatty()
    )
    facts = [
        article.byline,
        article.source,
        article.published.isoformat() if article.published else "",
    ]
    click.echo(" · ".join(f for f in facts if f) or "-")
    click.echo(article.path)
    if article.speakers:
        click.echo("speakers: " + ", ".join(article.speakers))
    if article.organizations:
        click.echo("organizations: " + ", ".join(article.organizations))
    click.echo()
    click.echo(article.body)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_json_option
def clean(paths: tuple[Path, ...], as_json: bool) -> None:
    """Show what the cleaner and extractor make of files, without indexing them."""
    from searchidx.pipeline import prepare
    from searchidx.sources import LoadError, find_article_files, read_source

    failed = False
    for item in find_article_files(paths):
        try:
            if isinstance(item, LoadError):
                raise item
            article = prepare(read_source(item))
        except LoadError as error:
            click.echo(f"skipped {error.path}: {error.reason}", err=True)
            failed = True
            continue
        if as_json:
            click.echo(json.dumps(article.to_json(), ensure_ascii=False))
        else:
            _print_article(article)
    if failed:
        sys.exit(1)


def _print_article(article) -> None:  # type: ignore[no-untyped-def]
    click.echo(click.style(f"== {article.path}", bold=True), color=sys.stdout.isatty())
    for label, value in (
        ("title", article.title),
        ("byline", article.byline),
        ("published", article.published.isoformat() if article.published else ""),
        ("source", article.source),
        ("speakers", ", ".join(article.speakers)),
        ("organizations", ", ".join(article.organizations)),
    ):
        click.echo(f"{label}: {value}")
    for quote in article.quotes:
        click.echo(f'quote: {quote.speaker}: "{quote.text}"')
    click.echo()
    click.echo(article.body)
    click.echo()


@main.command()
@_index_option
@_json_option
def stats(index_path: Path, as_json: bool) -> None:
    """Document count, last build, top speakers and organizations."""
    try:
        summary = Index(index_path).stats()
    except SearchidxError as error:
        raise UserError(str(error)) from None
    if as_json:
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False))
        return
    click.echo(f"{summary.documents} articles in {index_path}, last built {summary.last_build}")
    for label, counts in (
        ("speakers", summary.top_speakers),
        ("organizations", summary.top_organizations),
        ("sources", summary.top_sources),
    ):
        if counts:
            click.echo(f"top {label}: " + ", ".join(f"{name} ({n})" for name, n in counts.items()))
