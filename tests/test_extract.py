"""Stage 3: speakers, quotes, organizations, people and affiliations."""

from __future__ import annotations

from conftest import CSM_SEED, NPR_SEED
from searchidx.clean import clean_text
from searchidx.extract import extract, find_organizations, find_quote_spans
from searchidx.model import Affiliation
from searchidx.pipeline import clean_file


def test_npr_seed_speakers_are_exactly_the_four_quoted_people() -> None:
    article = clean_file(NPR_SEED)
    assert set(article.speakers) == {
        "Dmitry Medvedev",
        "Ivo Daalder",
        "Daryl Kimball",
        "Joe Cirincione",
    }


def test_npr_seed_surname_and_pronoun_quotes_resolve_to_full_names() -> None:
    quotes = {q.text: q.speaker for q in clean_file(NPR_SEED).quotes}
    assert quotes["I don't think that this is the beginning of a new arms race"] == "Daryl Kimball"
    assert (
        quotes["Russia is definitely trying to get our attention"] == "Joe Cirincione"
    )  # "he added"
    assert quotes["We are sending mixed messages to Russia"] == "Joe Cirincione"  # "he said"
    assert quotes["whether Russia likes it or not."] == "Ivo Daalder"


def test_npr_seed_affiliations() -> None:
    article = clean_file(NPR_SEED)
    assert article.affiliation_of("Daryl Kimball") == Affiliation(
        "Daryl Kimball", "director", "Arms Control Association"
    )
    assert article.affiliation_of("Joe Cirincione") == Affiliation(
        "Joe Cirincione", "director", "Ploughshares Fund"
    )
    assert article.affiliation_of("Ivo Daalder") == Affiliation(
        "Ivo Daalder", "U.S. ambassador", "NATO"
    )


def test_seed_organizations() -> None:
    assert set(clean_file(NPR_SEED).organizations) == {
        "NATO",
        "Arms Control Association",
        "Ploughshares Fund",
    }
    assert set(clean_file(CSM_SEED).organizations) == {
        "NATO",
        "Russia-NATO Council",
        "Institute of Political and Military Analysis",
    }


def test_csm_seed_speaker_affiliation_and_named_people() -> None:
    article = clean_file(CSM_SEED)
    assert article.speakers == ("Alexander Khramchikin",)
    assert article.affiliation_of("Alexander Khramchikin") == Affiliation(
        "Alexander Khramchikin", "deputy director", "Institute of Political and Military Analysis"
    )
    assert {"Robert Gates", "Anatoly Serdyukov"} <= set(article.people)


def test_quote_running_over_two_paragraphs() -> None:
    spans = find_quote_spans(
        ['"We will build it, and we will pay for it.', '"Nobody else will," she said.']
    )
    assert [s.text for s in spans] == [
        "We will build it, and we will pay for it. Nobody else will,"
    ]


def test_curly_quotes_and_verb_before_speaker() -> None:
    article = extract(
        clean_text("“The vote is a disaster for the city,” said Maria Lopez, a lawyer.")
    )
    assert [(q.speaker, q.text) for q in article.quotes] == [
        ("Maria Lopez", "The vote is a disaster for the city")
    ]


def test_speaker_named_before_the_quote() -> None:
    article = extract(
        clean_text('Senator John Hale said: "We have the votes and we will pass it."')
    )
    assert article.speakers == ("John Hale",)


def test_unattributed_quote_has_no_speaker() -> None:
    article = extract(clean_text('The sign read "no entry for anyone at all" in red letters.'))
    assert article.quotes == ()


def test_organizations_by_head_word_and_acronym_but_not_treaty_names() -> None:
    found = find_organizations(
        "He met NATO officials and the Ploughshares Fund under the New START treaty."
    )
    assert found == ("Ploughshares Fund", "NATO")


def test_all_caps_text_yields_no_acronym_organizations() -> None:
    # Old archives and wire copy are all upper case: every word would pass for an acronym.
    text = "THE U.S . FIRST PROPOSED TO HELP NATO DEVELOP ITS OWN NUCLEAR STRIKE FORCE ."
    assert find_organizations(text) == ()
    assert find_organizations("The U.S. proposed to help NATO develop a force.") == ("NATO",)


def test_all_caps_article_has_no_speakers_or_names() -> None:
    # From a TIME article of 1963: a whole clause was taken for the speaker of the quotes.
    text = (
        'THE SOVIET PRESS HAS BEEN URGING COMRADES TO " BREAK THE CRIMINAL CHAIN OF ESPIONAGE " '
        'BY SHOWING " REVOLUTIONARY VIGILANCE . " RUSSIANS WERE PARTICULARLY WARNED AGAINST '
        "MOSCOW'S DIPLOMATIC COCKTAIL CIRCUIT, WHERE, SAID PRAVDA DARKLY, WESTERN SPYMASTERS "
        'RECRUIT NEW TALENT . WARNED PRAVDA : " THAT WAS HOW THEY GOT HOLD OF PENKOVSKY . "\n'
    )
    article = extract(clean_text(text))
    assert (article.speakers, article.organizations, article.people, article.quotes) == (
        (),
        (),
        (),
        (),
    )
