"""Stage 2 for saved pages: metadata and main text from HTML."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import write
from searchidx.pipeline import clean_file

PAGE = """<!doctype html><html><head>
<title>Council passes budget - Springfield Gazette</title>
<meta property="og:title" content="Council passes budget">
<meta property="og:site_name" content="Springfield Gazette">
<meta property="article:published_time" content="2012-03-03T09:30:00Z">
<meta name="author" content="Ann Lee">
<link rel="canonical" href="https://example.org/budget">
<script>var tracking = "do not index me";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<div class="share-bar">Share on Facebook Tweet this</div>
<article>
<h1>Council passes budget</h1>
<p>The city council approved the budget on Tuesday, after a debate that ran past midnight.</p>
<h2>What changes</h2>
<p>Libraries get more money, said Mayor Joan Smith, who called it "a budget for readers".</p>
<div class="advert">Buy one, get one free</div>
<p>The vote was 7 to 2, with two members absent, the clerk said on Wednesday.</p>
</article>
<aside class="related"><a href="/x">Related: Council meets again</a></aside>
<footer>© 2012 Springfield Gazette. All rights reserved.</footer>
</body></html>"""


def test_metadata_comes_from_meta_tags(tmp_path: Path) -> None:
    article = clean_file(write(tmp_path / "page.html", PAGE))
    assert article.title == "Council passes budget"
    assert article.source == "Springfield Gazette"
    assert article.byline == "Ann Lee"
    assert article.published == date(2012, 3, 3)
    assert article.url == "https://example.org/budget"


def test_main_text_keeps_paragraphs_and_drops_furniture(tmp_path: Path) -> None:
    article = clean_file(write(tmp_path / "page.html", PAGE))
    assert article.paragraphs == [
        "The city council approved the budget on Tuesday, after a debate that ran past midnight.",
        "What changes",
        'Libraries get more money, said Mayor Joan Smith, who called it "a budget for readers".',
        "The vote was 7 to 2, with two members absent, the clerk said on Wednesday.",
    ]
    assert article.headings == ("What changes",)


def test_json_ld_supplies_metadata_when_meta_tags_are_absent(tmp_path: Path) -> None:
    page = """<html><head><script type="application/ld+json">
    {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Dam opens",
     "datePublished": "2019-05-01", "author": {"@type": "Person", "name": "Raj Patel"},
     "publisher": {"@type": "Organization", "name": "River Times"}}
    </script></head>
    <body><p>The dam opened on Monday after ten years of building work.</p></body></html>"""
    article = clean_file(write(tmp_path / "page.htm", page))
    assert (article.title, article.byline, article.source) == (
        "Dam opens",
        "Raj Patel",
        "River Times",
    )
    assert article.published == date(2019, 5, 1)
    assert article.body == "The dam opened on Monday after ten years of building work."


def test_a_furniture_class_on_a_wrapper_holding_the_story_does_not_remove_it(
    tmp_path: Path,
) -> None:
    paragraphs = "".join(
        f"<p>Paragraph {n} of the story says the council approved the budget after a long "
        "debate, and the mayor said libraries would get more money next year.</p>"
        for n in range(4)
    )
    page = (
        "<html><head><title>Budget</title></head><body>"
        f'<div class="social-wrapper"><article>{paragraphs}</article></div>'
        '<div class="share-tools"><a href="/f">Share on Facebook</a></div></body></html>'
    )
    article = clean_file(write(tmp_path / "page.html", page))
    assert len(article.paragraphs) == 4
    assert "Share on Facebook" not in article.body


STORY = (
    "<p>The council approved the budget on Tuesday after a debate that ran past midnight, "
    "and the mayor said libraries would get more money next year.</p>"
)


def test_site_name_is_cut_from_the_title(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Council passes the budget | Springfield Gazette</title></head>"
        f"<body>{STORY}</body></html>"
    )
    assert clean_file(write(tmp_path / "a.html", page)).title == "Council passes the budget"
    kept = page.replace(" | Springfield Gazette", "")
    assert clean_file(write(tmp_path / "b.html", kept)).title == "Council passes the budget"


def test_byline_element_names_the_author_and_comment_authors_do_not(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Budget</title></head><body>"
        '<p class="byline">By Ann Lee | March 3, 2012</p>'
        f"<article>{STORY}</article>"
        '<div class="comments"><span class="comment-author">Troll99</span></div></body></html>'
    )
    assert clean_file(write(tmp_path / "a.html", page)).byline == "Ann Lee"
    no_byline = page.replace('<p class="byline">By Ann Lee | March 3, 2012</p>', "")
    assert clean_file(write(tmp_path / "b.html", no_byline)).byline == ""


def test_an_extraction_of_hundreds_of_menu_lines_is_a_whole_page() -> None:
    from searchidx.html import _looks_like_whole_page

    menu = ["Home", "News", "Ouvidoria", "Protocolo", "Acesso à Informação"] * 40
    sentence = "The council approved the budget on Tuesday after a debate that ran past midnight."
    assert _looks_like_whole_page([*menu, sentence])
    numbered_list = [f"{n}. {sentence}" for n in range(150)]  # a long list article
    assert not _looks_like_whole_page(numbered_list)


def test_control_character_after_a_script_leaves_the_page_undated(tmp_path: Path) -> None:
    # htmldate drops <script> and cannot set a text holding "\x0c" (found by the fuzz test).
    page = "<html><body><p>Council meets on budget again today.</p><script></script>\x0c</body>"
    article = clean_file(write(tmp_path / "page.html", page))
    assert article.published is None
    assert "Council meets on budget" in article.body
