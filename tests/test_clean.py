"""Stage 2: the cleaner's rules, each with a kept and a dropped example, and the seeds."""

from __future__ import annotations

from datetime import date

from conftest import CSM_SEED, NPR_SEED
from searchidx.clean import (
    article_lines,
    clean_text,
    drop_furniture,
    drop_repeated_pull_quotes,
    is_call_to_action,
    is_comments_header,
    is_cookie_notice,
    is_copyright_footer,
    is_date_line,
    is_editors_note,
    is_markup_or_label,
    is_photo_credit,
    is_prose,
    is_share_button,
    is_skip_link,
    is_widget_line,
    looks_like_heading,
    normalize_space,
    parse_byline,
    word_count,
)
from searchidx.dates import find_date
from searchidx.pipeline import clean_file

FURNITURE = [
    "Skip to: Content",
    "Skip to next paragraph",
    "Read Comments",
    "View reader comments | Comment on this story",
    "Jason Reed/Reuters",
    "Copyright 2020 NPR. To see more, visit https://www.npr.org.",
]


def test_skip_links() -> None:
    assert is_skip_link("Skip to: Site Navigation")
    assert not is_skip_link("Skipping town, the mayor left no forwarding address.")


def test_share_buttons() -> None:
    assert is_share_button("Facebook")
    assert is_share_button("Copy Link | Email")
    assert not is_share_button("Facebook shares fell")


def test_widget_lines() -> None:
    assert is_widget_line("View reader comments | Comment on this story")
    assert is_widget_line("Share this article")
    assert is_widget_line("Show more sharing options")
    assert not is_widget_line(
        "Readers left 400 comments on the mayor's plan, which he said was fair."
    )


def test_copyright_footers() -> None:
    assert is_copyright_footer("Copyright 2020 NPR. To see more, visit https://www.npr.org.")
    assert is_copyright_footer("© 2011 The Christian Science Monitor. All rights reserved.")
    assert not is_copyright_footer("The band sued over copyright in 2011, the label said.")


def test_photo_credits() -> None:
    assert is_photo_credit("Jason Reed/Reuters")
    assert is_photo_credit("AP Photo/Evan Vucci")
    assert is_photo_credit("Photo: Getty Images")
    assert not is_photo_credit("Profits rose 5 percent/year, analysts said.")


def test_credit_ending_in_a_full_stop() -> None:
    assert is_photo_credit("Getty/Instagram.")
    assert not is_photo_credit("He left.")


def test_calls_to_action() -> None:
    assert is_call_to_action("Follow Pam Key on Twitter @pamkeyNEN.")
    assert is_call_to_action("Subscribe now to our eNATION edition for the full story.")
    assert is_call_to_action("Read the rest of the story here")
    assert not is_call_to_action("Follow the money, the senator said on Twitter.")


def test_editors_notes() -> None:
    assert is_editors_note("This article has been updated to include Trump's endorsements.")
    assert is_editors_note("Advertisement - story continues below.")
    assert not is_editors_note("The editor noted that the article was popular with readers.")


def test_markup_and_section_labels() -> None:
    assert is_markup_or_label("</tweet>")
    assert is_markup_or_label("FULL TEXT.")
    assert not is_markup_or_label("<The Palace: Jang Noksu>")
    assert not is_markup_or_label("NATO met.")


def test_date_lines() -> None:
    assert is_date_line("Posted on May 1, 2020 at 6:34 am")
    assert is_date_line("2 days ago at 07:52 am")
    assert not is_date_line("The council met on Monday.")


def test_caption_above_a_credit_goes_with_it() -> None:
    blocks = [
        "Title here",
        "Gates (r.) shakes hands with Serdyukov.",
        "Jason Reed/Reuters",
        "Body.",
    ]
    assert drop_furniture(blocks) == ["Title here", "Body."]


def test_pull_quote_repeating_a_body_sentence_is_dropped() -> None:
    body = '"Russia is definitely trying to get our attention," he added. "They keep saying it."'
    blocks = ["Russia is definitely trying to get our attention.", body]
    assert drop_repeated_pull_quotes(blocks) == [body]


def test_short_paragraph_not_repeated_is_kept() -> None:
    blocks = ["Russia is definitely trying to get attention.", "Something else entirely was said."]
    assert drop_repeated_pull_quotes(blocks) == blocks


def test_byline_with_date() -> None:
    assert parse_byline("By Correspondent / June 8, 2011") == ("Correspondent", date(2011, 6, 8))
    assert parse_byline("By Jane Doe") == ("Jane Doe", None)
    assert parse_byline("Byzantine politics returned to Moscow.") is None


def test_dates_in_common_news_forms() -> None:
    assert find_date("June 8, 2011") == date(2011, 6, 8)
    assert find_date("Updated 8 June 2011, 10:00") == date(2011, 6, 8)
    assert find_date("2011-06-08T10:00:00Z") == date(2011, 6, 8)
    assert find_date("in 2011") is None


def test_section_headings() -> None:
    assert looks_like_heading("Offense Versus Defense")
    assert not looks_like_heading("Russia is definitely trying.")


def test_title_byline_and_furniture_from_plain_text() -> None:
    article = clean_text(
        "Skip to: Content\n\nCity council votes on budget\n\nBy Ann Lee / March 3, 2012\n\n"
        "The council approved the budget on Tuesday after a long debate.\n\nRead Comments"
    )
    assert article.title == "City council votes on budget"
    assert article.byline == "Ann Lee"
    assert article.published == date(2012, 3, 3)
    assert article.body == "The council approved the budget on Tuesday after a long debate."


def test_csm_seed_is_cleaned() -> None:
    article = clean_file(CSM_SEED)
    assert article.title == "New US-Russia arms race? Battle lines grow over missile defense."
    assert article.published == date(2011, 6, 8)
    assert article.byline == "Correspondent"
    for furniture in [*FURNITURE, "shakes hands with his Russian counterpart", "By Correspondent"]:
        assert furniture not in article.body
    assert article.body.startswith("Defense Secretary Gates and his Russian counterpart")
    assert article.body.endswith('just makes Russia face the fact."')


def test_npr_seed_is_cleaned() -> None:
    article = clean_file(NPR_SEED)
    assert article.source == "NPR"
    assert article.published is None  # "Copyright 2020" is not the publication date
    assert "Copyright" not in article.body and "To see more" not in article.body
    assert article.body.count("Russia is definitely trying to get our attention") == 1
    assert article.headings == ("Russian Politics", "Offense Versus Defense")
    assert len(article.paragraphs) == 23  # 25 lines less the pull quote and the footer


# --- text mode: finding the story in a whole page's text ------------------------------------

STORY_LINES = [
    "The council approved the budget on Tuesday after a debate that ran past midnight.",
    "Libraries get more money, said Mayor Joan Smith, who called it a budget for readers.",
    "The vote was 7 to 2, with two members absent, the clerk said on Wednesday morning.",
]
MENU = ["Home", "News", "Sports", "Weather", "Opinion"]


def test_prose_lines() -> None:
    assert is_prose(STORY_LINES[0])
    assert not is_prose("Council passes budget after long night")


def test_japanese_counts_two_characters_as_a_word() -> None:
    japanese = "報道によると、今回販売されたのは、いわゆる「脱獄」したiPhone。"
    assert word_count(japanese) == 12  # 23 kana and ideographs halved, and one spaced word
    assert is_prose(japanese * 2)
    assert word_count("Home News") == 2


def test_cookie_notices() -> None:
    assert is_cookie_notice("This website uses cookies to improve your experience. Accept?")
    assert not is_cookie_notice("The bakery sold 400 cookies at the fair on Saturday.")


def test_comment_thread_headings() -> None:
    assert is_comments_header("34 Comments")
    assert is_comments_header("Leave a Reply")
    assert not is_comments_header("Readers left 400 comments on the mayor's plan, he said.")


def test_menus_around_the_story_are_cut() -> None:
    headline = "Council passes budget after long night"
    page = [*MENU, *MENU, headline, *STORY_LINES, *MENU, "About us", "Contact"]
    assert article_lines(page) == [headline, *STORY_LINES]


def test_teaser_list_loses_to_the_story() -> None:
    teasers = []
    for headline in ("Fire downtown", "Team wins cup", "School reopens"):
        teasers += [headline, "Local", "2 hours ago", STORY_LINES[0].replace("council", "crowd")]
    page = [*MENU, *MENU, *STORY_LINES, *MENU, *teasers]
    assert article_lines(page) == STORY_LINES


def test_comment_thread_after_the_story_is_cut() -> None:
    comments = ["12 Comments", "jdoe says:", "May 1, 2020 at 6:34 am", STORY_LINES[1] * 3]
    page = [*MENU, *MENU, *STORY_LINES, *STORY_LINES, *comments]
    assert article_lines(page) == [*STORY_LINES, *STORY_LINES]


def test_a_photo_break_does_not_split_the_story() -> None:
    photo = ["Photo", "The mayor at the vote", "Jane Roe/Gazette", "Enlarge", "1 of 4"]
    story = STORY_LINES * 2
    page = [*MENU, *MENU, *story, *photo, *story]
    assert article_lines(page) == [*story, *photo, *story]


def test_headline_and_byline_above_a_copied_story_are_found() -> None:
    story = STORY_LINES * 2
    page = [*MENU, *MENU, "Council passes budget after long night", "Facebook", "Twitter"]
    page += ["By Ann Lee", "March 3, 2012", "Share", *story, *MENU]
    article = clean_text("\n".join(page))
    assert (article.title, article.byline) == ("Council passes budget after long night", "Ann Lee")
    assert article.published == date(2012, 3, 3)
    assert article.paragraphs == story


def test_normalize_space_drops_control_characters_and_joins_whitespace() -> None:
    assert normalize_space(" The\x07 city\x1c council\u00a0 met\x7f \x00on\nMonday. ") == (
        "The city council met on Monday."
    )
