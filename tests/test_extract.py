"""Stage 3: speakers, quotes, organizations, people and affiliations."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import CSM_SEED, NPR_SEED
from searchidx.clean import clean_text
from searchidx.extract import extract, find_organizations, find_quote_spans
from searchidx.model import Affiliation, Article
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


# --- one example per rule ------------------------------------------------------------------


def _extracted(body: str) -> Article:
    """The extractor's output for a body given as paragraphs separated by blank lines."""
    return extract(Article(title="", body=body))


def _quotes(body: str) -> list[tuple[str, str]]:
    return [(q.speaker, q.text) for q in _extracted(body).quotes]


def test_speaker_named_after_the_quote() -> None:
    assert _quotes('"We will not give up on this city," Maria Lopez said.') == [
        ("Maria Lopez", "We will not give up on this city")
    ]


def test_speaker_named_before_the_quote_with_a_colon() -> None:
    assert _quotes('Mayor Tom Reed said: "The budget is balanced this year."') == [
        ("Tom Reed", "The budget is balanced this year.")
    ]


def test_speaker_after_the_verb_with_initials_and_party_tag() -> None:
    body = '"This is a disgusting day," said Rep. G.K. Butterfield (D-N.C.), head of the caucus.'
    assert _quotes(body) == [("G.K. Butterfield", "This is a disgusting day")]


def test_speaker_through_an_age_and_appositive() -> None:
    body = 'Ramil Carr, 31, a freelance photographer, said the rally was a "perfect opportunity".'
    assert _quotes(body) == [("Ramil Carr", "perfect opportunity")]


def test_according_to() -> None:
    body = '"The plant will close in May," according to Susan Hill, a union official.'
    assert _quotes(body) == [("Susan Hill", "The plant will close in May")]


def test_dash_attribution() -> None:
    assert _quotes("“He has no plan for the economy.” ― Carlos Ruiz") == [
        ("Carlos Ruiz", "He has no plan for the economy.")
    ]


def test_partial_quote_goes_to_the_subject_of_its_sentence() -> None:
    body = "Angela Merkel heralded the deal with Turkey as a “breakthrough” on Friday."
    assert _quotes(body) == [("Angela Merkel", "breakthrough")]


def test_honorific_and_surname_resolve_to_the_full_name() -> None:
    body = (
        "Donald Trump spoke in Ohio on Monday.\n\n"
        '"We are going to win big," Mr. Trump said.\n\n'
        '"Nobody expected it," Trump added.'
    )
    assert {speaker for speaker, _ in _quotes(body)} == {"Donald Trump"}


def test_he_refers_to_the_subject_of_the_last_sentence_not_its_object() -> None:
    body = (
        "Nicholas Chapin said he would vote for Donald Trump next month.\n\n"
        '"Maybe we should wait for another election," he said.'
    )
    assert _quotes(body) == [("Nicholas Chapin", "Maybe we should wait for another election")]


def test_she_skips_the_men_named_since() -> None:
    body = (
        "Laura Jones met Robert Smith at the plant.\n\n"
        '"The workers deserve better than this," she said.'
    )
    assert _quotes(body) == [("Laura Jones", "The workers deserve better than this")]


def test_he_never_refers_to_a_name_inside_the_quote() -> None:
    body = 'Tom Ford spoke at the rally.\n\n"Bill Gray and the others have lost," he said.'
    assert _quotes(body) == [("Tom Ford", "Bill Gray and the others have lost")]


def test_the_same_voice_goes_on_in_the_next_quote_paragraph() -> None:
    body = (
        '"The first step is the budget," Richard Viguerie said.\n\n'
        '"The second step is the vote, and we will win it."'
    )
    assert [speaker for speaker, _ in _quotes(body)] == ["Richard Viguerie", "Richard Viguerie"]


def test_organization_speaker_is_an_organization_not_a_person() -> None:
    article = _extracted('"The attack was a tragedy," the White House said in a statement.')
    assert article.speakers == ("White House",)
    assert "White House" in article.organizations
    assert "White House" not in article.people


def test_he_before_a_name_refers_back_from_where_he_stands() -> None:
    body = 'Harry Reid spoke on Monday. He said Bernie Sanders was "a tremendously important part."'
    assert _extracted(body).speakers == ("Harry Reid",)


def test_a_second_partial_quote_in_one_sentence_keeps_its_speaker() -> None:
    body = 'Donald Trump said that Marco Rubio was "a lightweight" while Ted Cruz is "a liar."'
    assert _extracted(body).speakers == ("Donald Trump",)


def test_a_state_is_no_speaker() -> None:
    assert _extracted('Iowa said: "We count every vote."').speakers == ()


def test_acronym_speaker_is_an_organization() -> None:
    article = _extracted('"We are very disappointed," the ACU said in a statement.')
    assert article.speakers == ("ACU",)
    assert article.people == ()


def test_unnamed_description_speaker_gives_no_quote() -> None:
    assert _quotes('"We will appeal," a campaign spokesman said on Monday.') == []


def test_a_role_acronym_is_not_a_speaker() -> None:
    assert _quotes('"We are growing fast," the company\'s CEO said on Monday.') == []
    assert _quotes('"We will vote against it," the MP said.') == []
    assert _extracted('"We are growing fast," the ACU said on Monday.').speakers == ("ACU",)


def test_affiliation_from_an_appositive() -> None:
    article = _extracted('"Rates will rise," said Jane Roe, director of the Brookings Institution.')
    assert article.affiliation_of("Jane Roe") == Affiliation(
        "Jane Roe", "director", "Brookings Institution"
    )


def test_a_title_before_the_name_does_not_reach_into_the_sentence_before() -> None:
    body = (
        "He took office after the resignation of Harold Wilson. Prime Minister Tony Blair "
        'called him "a giant of the movement".'
    )
    assert _extracted(body).affiliation_of("Tony Blair") == Affiliation(
        "Tony Blair", "Prime Minister", ""
    )
    body = '"We will not move," said Sen. Minority Leader Mitch McConnell.'
    assert _extracted(body).affiliation_of("Mitch McConnell").title == "Sen. Minority Leader"


def test_a_title_loses_the_sentence_adverb_before_it_and_the_honorific_after_it() -> None:
    body = 'Earlier Foreign Secretary Jack Straw said the UK was "ready to help".'
    assert _extracted(body).affiliation_of("Jack Straw").title == "Foreign Secretary"
    body = 'Lord Chancellor Lord Falconer said the law was "fair".'
    assert _extracted(body).affiliation_of("Falconer").title == "Lord Chancellor"
    body = 'Former President Bill Clinton said it was "fair".'
    assert _extracted(body).affiliation_of("Bill Clinton").title == "Former President"


def test_an_organization_and_a_lower_case_role_before_the_name() -> None:
    body = 'Last month, Bank of England governor Mervyn King said the economy hit a "soft patch".'
    assert _extracted(body).affiliation_of("Mervyn King") == Affiliation(
        "Mervyn King", "governor", "Bank of England"
    )
    body = 'The Federal Reserve chairman Alan Greenspan said rates were "low".'
    assert _extracted(body).affiliation_of("Alan Greenspan").title == "chairman"
    body = "Ireland coach Eddie O'Sullivan and captain Brian O'Driscoll said it was \"hard\"."
    assert "O'Sullivan" not in str(_extracted(body).affiliations)


def test_canonical_speaker_is_the_longest_form() -> None:
    body = (
        '"It is time to talk," said Daryl G. Kimball of the Arms Control Association.\n\n'
        '"There is no arms race," Kimball said.'
    )
    assert _extracted(body).speakers == ("Daryl G. Kimball",)


# --- people ----------------------------------------------------------------------------------


def test_people_named_but_not_quoted() -> None:
    article = _extracted("Italy recalled Marcello Cuttitta for the match against Scotland.")
    assert article.people == ("Marcello Cuttitta",)
    assert article.speakers == ()


def test_descriptor_before_a_name_is_not_part_of_it() -> None:
    article = _extracted("The goal came from Frenchman Patrick Vieira in the second half.")
    assert article.people == ("Patrick Vieira",)


def test_places_and_groups_are_not_people() -> None:
    article = _extracted(
        "Talks began in Cape Town on Friday. Dealers said prices fell, and Witnesses said "
        "the fire spread fast in Cape Town."
    )
    assert article.people == ()


# --- organizations -------------------------------------------------------------------------


def test_organizations_joined_by_and_are_two() -> None:
    found = find_organizations("Shares of Toyo Trust Co and Barrick Gold Corp rose.")
    assert found == ("Toyo Trust Co", "Barrick Gold Corp")


def test_organization_stops_at_the_end_of_its_sentence() -> None:
    found = find_organizations("He studied at the National University of Singapore. At home")
    assert found == ("National University of Singapore",)


def test_teams_of_a_results_line() -> None:
    assert find_organizations("Leeds 2 Chelsea 1") == ("Leeds", "Chelsea")


def test_teams_of_a_mixed_case_standings_table() -> None:
    table = "Werder Bremen 17 6 4 7 29 28 22\n\n1. FC Cologne 16 8 2 6 31 27 26"
    assert {"Werder Bremen", "1. FC Cologne"} <= set(find_organizations(table))


def test_a_golf_score_line_names_no_team() -> None:
    assert find_organizations("Ernie Els 68 70 71 69") == ()


def test_the_club_of_a_listed_player_is_an_organization() -> None:
    assert find_organizations("Scorers: Ian Wright (Arsenal), Vitor Baia (Barcelona, Spain)") == (
        "Arsenal",
        "Barcelona",
    )


def test_a_player_s_country_in_parentheses_is_no_organization() -> None:
    assert find_organizations("Leaders: Colin Montgomerie (Scotland) and Jim Jordan (R-Ohio)") == ()


def test_national_sides_of_a_results_line_are_places() -> None:
    assert find_organizations("China 2 Syria 1") == ()


def test_teams_with_their_country_in_a_results_line() -> None:
    line = "Charleroi (Belgium) 75 Estudiantes Madrid (Spain) 82"
    assert find_organizations(line) == ("Charleroi", "Estudiantes Madrid")


def test_a_team_named_after_against_is_an_organization_but_a_person_is_not() -> None:
    body = "Blinker was set to play against Liverpool, and Tim Henman lost to Michael Chang."
    article = extract(Article(title="", body=body))
    assert article.organizations == ("Liverpool",)
    assert "Michael Chang" in article.people


def test_an_all_caps_standings_table_still_names_its_teams() -> None:
    body = "NHL STANDINGS.\n\nDETROIT 15 9 4 81 53 34\n\nNY RANGERS 10 13 5 91 81 25"
    article = extract(Article(title="", body=body))
    assert article.organizations == ("DETROIT", "NY RANGERS")
    assert article.people == ()


def test_teams_of_a_won_lost_percentage_table() -> None:
    assert find_organizations("HOUSTON 16 2 .889 -\n\nLA LAKERS 13 7 .650 2") == (
        "HOUSTON",
        "LA LAKERS",
    )


def test_no_acronyms_in_an_all_caps_headline_or_dateline() -> None:
    assert find_organizations("SOCCER - LEEDS FINE BOWYER.\n\nLONDON 1996-12-06") == ()


def test_an_all_caps_ordinary_word_is_no_acronym() -> None:
    assert find_organizations("NOTE: the note is from the IMF.") == ("IMF",)


def test_the_tail_of_an_organization_name_is_no_person() -> None:
    article = _extracted("He runs the Institute of Political and Military Analysis in Moscow.")
    assert article.people == ()
    assert article.organizations == ("Institute of Political and Military Analysis",)


def test_an_initial_and_a_surname_name_a_person() -> None:
    assert _extracted("New Zealand innings: B. Young c Moin Khan b Waqar 5").people[:1] == (
        "B. Young",
    )


def test_names_with_particles_stay_whole() -> None:
    article = _extracted("The lead went to Schalk van der Merwe of Namibia on Sunday.")
    assert article.people == ("Schalk van der Merwe",)


def test_scorers_of_a_results_line_are_people() -> None:
    article = _extracted("Sunderland 1 (Melville 83) Wimbledon 3 (Ekoku 8, Holdsworth 89).")
    assert set(article.people) == {"Melville", "Ekoku", "Holdsworth"}
    assert set(article.organizations) == {"Sunderland", "Wimbledon"}


def test_a_place_that_starts_with_a_participle_is_no_person() -> None:
    assert _extracted("The talks were held in Abu Dhabi, United Arab Emirates.").people == ()


def test_the_subject_before_an_object_that_follows_the_verb() -> None:
    body = '"That is a real concern," Susan Sarandon, 69, told MSNBC Monday when asked.'
    assert _quotes(body) == [("Susan Sarandon", "That is a real concern")]


def test_verb_later_in_the_frame_after_a_comma() -> None:
    body = '"Many would call that a loss" if she fails, said David Wasserman, an analyst.'
    assert _quotes(body) == [("David Wasserman", "Many would call that a loss")]


def test_he_is_the_man_when_the_last_subject_is_a_woman() -> None:
    body = (
        "Mary Hart met George Lyon in Ohio. George Lyon spoke first.\n\n"
        '"We need the money now," he said.'
    )
    assert _quotes(body) == [("George Lyon", "We need the money now")]


def test_quote_after_an_attribution_sentence_goes_to_its_speaker() -> None:
    body = (
        "Democrats could push for a new member, said Bart Naylor of Public Citizen. "
        '"It would avoid a big Senate fight."'
    )
    assert _quotes(body) == [("Bart Naylor", "It would avoid a big Senate fight.")]


def test_paragraph_ending_in_a_colon_introduces_the_next() -> None:
    body = (
        "Patrick Caddell spoke on the radio.\n\n"
        "Caddell continued:\n\n"
        '"The health issue is partisan."'
    )
    assert _quotes(body) == [("Patrick Caddell", "The health issue is partisan.")]


def test_colon_introduction_through_a_long_appositive() -> None:
    body = (
        "James Zogby, a superdelegate and the president of the Arab American Institute, "
        'said: "He cannot just walk away from this."'
    )
    assert _quotes(body) == [("James Zogby", "He cannot just walk away from this.")]


def test_a_word_capitalised_only_at_a_sentence_start_is_no_speaker() -> None:
    assert _quotes('The count is wrong. Wait, it gets better:\n\n"By law, the cap is set."') == []


def test_a_long_place_name_after_the_is_no_speaker() -> None:
    body = "The navy entered the South China Sea on Monday and called the move a “pivot.”"
    assert _extracted(body).speakers == ()


def test_a_speech_word_used_as_a_noun_is_no_verb() -> None:
    body = 'Responding to Donald Trump\'s remarks, Hillary Clinton wrote: "That is not true."'
    assert _quotes(body) == [("Hillary Clinton", "That is not true.")]


def test_a_quote_ending_in_a_full_stop_ends_its_sentence() -> None:
    body = (
        'Lisa Madigan asserted that "trust in the police is broken." '
        "Hillary Clinton said Wednesday she agrees."
    )
    assert _quotes(body) == [("Lisa Madigan", "trust in the police is broken.")]


def test_he_prefers_the_speaker_of_the_sentence_over_its_first_name() -> None:
    body = (
        "Ted Cruz is right on the issues, and the most able candidate, Richard Viguerie argues."
        '\n\n"He is our best debater," he says.'
    )
    assert _quotes(body) == [("Richard Viguerie", "He is our best debater")]


def test_wire_services_are_organizations() -> None:
    assert find_organizations("The minister told Reuters and Itar-Tass on Friday.") == (
        "Reuters",
        "Itar-Tass",
    )


def test_a_name_after_a_verb_other_than_said_is_its_object_not_he() -> None:
    body = (
        "President Barack Obama has an admirer in Peter Westmacott.\n\nWestmacott, who served in "
        "Iran, Turkey and France, praised Obama in an interview. He serves in Washington."
        '\n\n"The legacy is good," he told the Guardian.'
    )
    assert _quotes(body) == [("Peter Westmacott", "The legacy is good")]


def test_a_name_that_only_qualifies_a_role_is_not_he() -> None:
    body = (
        "Mitch McConnell has slowed confirmations.\n\nMcConnell spokesman Don Stewart would not "
        'say when the Senate will vote.\n\n"I have no announcements yet," he said.'
    )
    assert _quotes(body) == [("Don Stewart", "I have no announcements yet")]


def test_saying_after_a_comma_goes_to_the_subject_behind_its_office() -> None:
    body = (
        "Former Secretary of State Madeleine Albright recently urged women to vote, saying, "
        '"There is a special place in hell for them."'
    )
    assert _quotes(body) == [("Madeleine Albright", "There is a special place in hell for them.")]


def test_a_partial_quote_skips_a_title_to_its_subject_and_never_a_possessive() -> None:
    body = (
        "Chris Christie, a Trump ally, spoke as he defended the campaign, saying "
        '"Ninety-three percent is different."\n\nBernie Sanders spoke on Monday.\n\n'
        'While Sanders\'s call for a "revolution" draws thousands, Clinton draws few.'
    )
    assert _quotes(body) == [("Chris Christie", "Ninety-three percent is different.")]


def test_a_name_after_to_or_of_is_no_place() -> None:
    body = (
        "The senators wrote a letter to Obama.\n\nA defensive Obama said his critics "
        '"seem to think that being bellicose would make a difference."'
    )
    assert _quotes(body)[0][0] == "Obama"


def test_a_second_verb_after_but_or_and_keeps_the_first_verbs_subject() -> None:
    body = (
        "Rob Boreing said the members will still meet, but said, "
        '"It is time we change how we do it."\n\nDonald Trump returned later to resume '
        'his remarks and declared, "We will never be stopped."'
    )
    assert [speaker for speaker, _ in _quotes(body)] == ["Rob Boreing", "Donald Trump"]


def test_a_relative_clause_without_its_closing_comma_is_not_the_speaker() -> None:
    body = '"Trump says different things," Katie Packer, who chairs Our Principles PAC said.'
    assert _quotes(body) == [("Katie Packer", "Trump says different things")]


def test_the_name_after_told_is_who_listened_not_who_spoke() -> None:
    body = (
        '"All my relationships are with women," Norbert Leo Butz, 49, told The Huffington '
        'Post. "I found myself wanting some deeper insight."'
    )
    assert {speaker for speaker, _ in _quotes(body)} == {"Norbert Leo Butz"}


def test_a_known_person_of_an_organization_speaks_as_the_person() -> None:
    body = (
        'Jim Morgan spoke on Monday. "It was the least bad outcome," Mr. Morgan of the Sierra '
        'Club said.\n\nMike Pence agreed. "It will be fought to the finish," Trump running mate '
        "Gov. Mike Pence of Indiana told Fox News."
    )
    assert [speaker for speaker, _ in _quotes(body)] == ["Jim Morgan", "Mike Pence"]


def test_he_skips_a_sentence_whose_subject_is_he_again() -> None:
    body = (
        "Trump spokesman Jason Miller said the policy covers single mothers. However, he could "
        'not explain why Ivanka Trump mentioned marriage.\n\n"We have no bill yet," he said.'
    )
    assert _quotes(body) == [("Jason Miller", "We have no bill yet")]


def test_he_skips_a_sentence_where_he_already_speaks() -> None:
    body = (
        "Don Fowler said the party should be ready. Replacing Clinton, he said, could lead to "
        'lobbying by loyalists to Joe Biden.\n\n"This is a different time," he said.'
    )
    assert _quotes(body) == [("Don Fowler", "This is a different time")]


def test_a_name_opening_the_frame_after_a_quote_speaks_whatever_its_appositive() -> None:
    body = (
        '"It will let me live," Valdez Anderson, who works at a heating and air-conditioning '
        "company in Sacramento, said on a media call."
    )
    assert _quotes(body) == [("Valdez Anderson", "It will let me live")]


def test_the_name_among_commas_before_said_not_the_sentence_adverb() -> None:
    body = (
        "However, Jill A. Martin, vice president of the Trump Organization, said the claims "
        'had "no substance."\n\nTuesday in Berea, OH, after winning Ohio, Gov. John Kasich '
        '(R-OH), said, "I am getting ready to rent a covered wagon."'
    )
    assert [speaker for speaker, _ in _quotes(body)] == ["Jill A. Martin", "John Kasich"]


def test_a_run_too_long_for_a_name_is_cut_at_its_given_name() -> None:
    body = (
        '"People are angry," said Chicago Alderman Jason C. Ervin.\n\n"We made mistakes," '
        "Maricopa County Recorder Helen Purcell said."
    )
    assert [speaker for speaker, _ in _quotes(body)] == ["Jason C. Ervin", "Helen Purcell"]


def test_a_party_in_parentheses_after_the_speaker_is_dropped() -> None:
    body = '"They avoid taxes," Senate Minority Leader Harry M. Reid (D-Nev.) said Monday.'
    assert _quotes(body) == [("Harry M. Reid", "They avoid taxes")]


def test_a_new_clause_after_a_partial_quote_is_not_its_attribution() -> None:
    body = (
        'John Kerry said the United States would take "robust steps" in response, and Ban '
        "Ki-moon urged North Korea to resume talks."
    )
    assert _quotes(body) == [("John Kerry", "robust steps")]


def test_a_partial_quote_right_after_its_speech_verb_ignores_the_words_after_it() -> None:
    body = 'Bernie Sanders started the debate saying "of course" Hillary Clinton has the skills.'
    assert _quotes(body) == [("Bernie Sanders", "of course")]


def test_a_colon_after_any_verb_introduces_its_subjects_words() -> None:
    body = (
        '"Suspend the rights," said Stephen Loomis.\n\nJohn Kasich resisted: '
        '"Ohio governors do not have the power."'
    )
    assert [speaker for speaker, _ in _quotes(body)] == ["Stephen Loomis", "John Kasich"]


def test_a_surname_ending_in_ly_is_no_adverb() -> None:
    body = 'William K. Reilly chairs the panel.\n\n"One has to hope," Reilly said.'
    assert _quotes(body) == [("William K. Reilly", "One has to hope")]


def test_a_subject_with_its_state_after_it_is_still_the_subject() -> None:
    body = 'Gov. Earl Ray Tomblin of West Virginia lauded the plan for its "new ideas."'
    assert _quotes(body) == [("Earl Ray Tomblin", "new ideas.")]


def test_a_quote_after_an_attributed_quote_takes_the_verb_right_after_that_quote() -> None:
    body = (
        '"Subpoenas are not optional," Jason Chaffetz said after Bryan Pagliano failed to '
        'show up at the hearing he was called to. "He is a crucial witness."'
    )
    assert {speaker for speaker, _ in _quotes(body)} == {"Jason Chaffetz"}


def test_the_delegate_title_del_does_not_end_a_sentence() -> None:
    body = '"This is a waste of time," said Del. Stacey Plaskett.'
    assert _quotes(body) == [("Stacey Plaskett", "This is a waste of time")]


def test_a_spokesman_for_a_named_person_is_not_that_person() -> None:
    body = 'A spokesman for candidate Hillary Clinton called the report "outrageous."'
    assert _quotes(body) == []


def test_a_described_subject_gives_its_partial_quote_no_named_speaker() -> None:
    body = 'The groups who wrote to Hillary Clinton say they are "concerned" about it.'
    assert _quotes(body) == []


def test_he_goes_back_to_the_subject_not_to_a_possessor_or_a_preposition_object() -> None:
    body = (
        "Hours after Barack Obama's speech, in a letter to Joe Biden, Mitch McConnell pushed "
        'back. "We must wait," he said.'
    )
    assert _quotes(body) == [("Mitch McConnell", "We must wait")]


def test_he_opening_a_paragraph_is_the_one_named_at_the_end_of_the_one_before() -> None:
    body = '"We will win," said John Smith. Then Mitch McConnell pushed back.\n\n"No," he said.'
    assert _quotes(body)[-1] == ("Mitch McConnell", "No")


def test_he_looks_two_sentences_into_the_paragraph_before_for_its_referent() -> None:
    body = (
        '"We will win," said John Smith. Then Mitch McConnell pushed back. The vote failed.'
        '\n\n"No," he said.'
    )
    assert _quotes(body)[-1] == ("Mitch McConnell", "No")


def test_the_outlet_a_quote_came_through_is_a_speaker_too() -> None:
    body = '"Please do not protest," Bernie Sanders said, according to CNN.'
    assert _extracted(body).speakers == ("Bernie Sanders", "CNN")


def test_saying_after_a_lead_in_phrase_goes_to_the_subject_past_it() -> None:
    body = 'At the debate, Bernie Sanders compared himself to Hillary Clinton, saying, "No fees."'
    assert _quotes(body) == [("Bernie Sanders", "No fees.")]


def test_an_inverted_said_after_a_comma_beats_a_name_in_the_words_before_it() -> None:
    body = '"It seems unlikely" that Bernie Sanders can win, said Steve Elmendorf, a strategist.'
    assert _quotes(body) == [("Steve Elmendorf", "It seems unlikely")]


def test_a_partial_quote_after_someones_allegations_is_theirs() -> None:
    body = 'His remarks echoed Hillary Clinton’s allegations of a "vast right-wing conspiracy."'
    assert _quotes(body) == [("Hillary Clinton", "vast right-wing conspiracy.")]


def test_the_outlet_named_before_a_quote_by_according_to_is_a_speaker_too() -> None:
    body = 'According to Yahoo News, Donald Trump said the plan was "a total disaster."'
    assert "Yahoo News" in _extracted(body).speakers


def test_he_in_the_sentence_before_a_quote_refers_back_from_where_it_stands() -> None:
    body = (
        "Aaron Sharockman defended the site.\n\n"
        '"We are not just checking numbers," he told InsideSources. "We add context."'
    )
    assert {speaker for speaker, _ in _quotes(body)} == {"Aaron Sharockman"}


def test_he_after_a_comma_is_not_a_name_in_the_words_before_it() -> None:
    body = 'Joseph Hunter is a blogger. Asked about Donald Trump, he said: "He is a liberal!"'
    assert _quotes(body) == [("Joseph Hunter", "He is a liberal!")]


def test_he_is_never_a_country_or_a_name_written_after_the() -> None:
    country = (
        '"We must act," said Jorge Castaneda. The ambassador said Mexico must rebut the claims.'
        '\n\n"Now," he said.'
    )
    weekly = (
        'An interview with Palo Alto Weekly ran. "We must act," said Carly Fiorina. The plan '
        'was praised by the Palo Alto Weekly.\n\n"Now," she said.'
    )
    assert {speaker for speaker, _ in _quotes(country)} == {"Jorge Castaneda"}
    assert {speaker for speaker, _ in _quotes(weekly)} == {"Carly Fiorina"}


def test_a_name_after_that_is_not_the_subject_a_partial_quote_goes_to() -> None:
    body = 'The FBI concluded this month that Hillary Clinton had been "extremely careless."'
    assert _quotes(body) == []


def test_a_name_after_the_first_speech_verb_is_not_the_subject_of_a_partial_quote() -> None:
    body = 'Most voters said former governor Jeb Bush has the "best experience" of all.'
    assert _quotes(body) == []


def test_a_title_in_quotation_marks_after_on_or_a_possessive_is_nobodys_words() -> None:
    assert _quotes('Lanny Davis appeared on "Fox & Friends" to defend her.') == []
    assert _quotes('Actress Danai Gurira took home the show\'s "Star Power" award.') == []


def test_said_after_a_comma_names_the_speaker_of_a_partial_quote_after_its_verb() -> None:
    body = 'The vote signals "the beginning of the end" for the EU, said Geert Wilders, a lawmaker.'
    assert _quotes(body) == [("Geert Wilders", "the beginning of the end")]


def test_a_colon_introduction_is_the_part_after_its_last_dash() -> None:
    body = 'Pollsters agree - Carl Bialik: "Keep on contacting voters as late as possible."'
    assert _quotes(body) == [("Carl Bialik", "Keep on contacting voters as late as possible.")]


def test_said_he_before_a_reported_clause_is_the_subject_before_it() -> None:
    body = 'Dan Kritenbrink, a senior director, said he expects the leaders to "show unity."'
    assert _quotes(body) == [("Dan Kritenbrink", "show unity.")]


def test_an_excerpt_after_a_byline_is_nobodys_quote() -> None:
    body = (
        'BROADWAY BEAT—"Matthew Morrison is leaving the show," by Times\' Michael Paulson: '
        '"Matthew Morrison, the star of the musical, is leaving next month."'
    )
    assert _quotes(body) == []


def test_an_excerpt_after_from_someone_writing_at_an_outlet_is_nobodys_quote() -> None:
    body = 'From Josh Feldman writing at Mediaite:\n\n"A CNN segment became a shouting match."'
    assert _quotes(body) == []


def test_a_sentence_that_began_inside_a_quotation_names_no_one_from_its_words() -> None:
    body = (
        '"America is great! Donald Trump is rude," read one banner. "Anybody but him," was another.'
    )
    assert _quotes(body) == []


def test_a_colon_introduction_skips_its_lead_in_clause() -> None:
    body = (
        "When George Wallace died in 1998, President Bill Clinton released the following "
        'statement:\n\n"Hillary and I offer our condolences."'
    )
    assert _quotes(body) == [("Bill Clinton", "Hillary and I offer our condolences.")]


def test_an_arabic_name_keeps_its_hyphenated_al() -> None:
    assert _quotes('"Take heed," said Anwar al-Awlaki, a cleric.') == [
        ("Anwar al-Awlaki", "Take heed")
    ]


def test_a_name_that_modifies_the_noun_before_the_verb_is_not_the_speaker() -> None:
    campaign = 'The Sanders campaign projects that "a small tax" would raise $75 billion.'
    himself = 'Donald Trump himself said that "we will win big."'
    assert _quotes(campaign) == []
    assert _quotes(himself) == [("Donald Trump", "we will win big.")]


def test_a_paragraph_that_signs_the_quote_before_it_names_its_speaker() -> None:
    body = (
        '"Almost all new income is going to the top 1 percent."\n\n- Bernie Sanders\n\n'
        '"Great speech. She is ready."\n\n-President Barack Obama, tweeting after the speech.'
    )
    assert [speaker for speaker, _ in _quotes(body)] == ["Bernie Sanders", "Barack Obama"]


def test_an_appositive_with_a_relative_clause_that_lost_its_comma_is_not_the_speaker() -> None:
    body = (
        "Michael Isikoff, the reporter who uncovered the affair of Bill Clinton with Monica "
        'Lewinsky has now called for the "unedited" tape.'
    )
    assert _quotes(body) == [("Michael Isikoff", "unedited")]


def test_a_name_after_a_determiner_before_a_noun_is_not_a_partial_quotes_subject() -> None:
    body = 'The FBI is exploring violations of the Espionage Act regarding "gross negligence."'
    assert _quotes(body) == []


def test_here_opens_a_lead_in_phrase_before_the_subject() -> None:
    body = 'Here in Columbia, Bernie Sanders stepped up his emphasis, saying, "We must act."'
    assert _quotes(body) == [("Bernie Sanders", "We must act.")]


def test_opined_and_remembered_are_speech_verbs() -> None:
    body = (
        '"She proved them wrong," remembered Roy Verley, a spokesman.\n\n'
        '"Gun owners should stay home," opined the Plain Dealer.'
    )
    assert [speaker for speaker, _ in _quotes(body)] == ["Roy Verley", "Plain Dealer"]


def test_an_inverted_verb_and_name_before_a_colon_introduce_the_quote() -> None:
    body = 'In other words, explained moderator Nancy Cordes: "What does that have to do with it?"'
    assert _quotes(body) == [("Nancy Cordes", "What does that have to do with it?")]


def test_a_surname_that_openly_admitted_is_a_person_he_can_refer_to() -> None:
    body = 'Cruz openly admitted that his pick was political. "With an eye to Carolina," he said.'
    assert _quotes(body) == [("Cruz", "With an eye to Carolina")]


def test_an_adverb_opening_the_sentence_is_not_part_of_the_name_after_it() -> None:
    body = "Certainly Donald Trump has gone in the opposite direction, Ari Fleischer said."
    assert "Donald Trump" in _extracted(body).people


def test_he_skips_a_sentence_whose_subject_is_he_after_a_lead_in() -> None:
    body = (
        "Wayne Borders is a canvasser. Inspired by Bernie Sanders, he is committed to him."
        '\n\n"I am knocking on doors," he said.'
    )
    assert _quotes(body) == [("Wayne Borders", "I am knocking on doors")]


def test_he_skips_a_sentence_whose_subject_is_a_role_taking_up_someone_named_before() -> None:
    body = (
        "Marco Rubio ended his bid. The Florida senator sought to calm the crowd at one of "
        'Donald Trump\'s rallies.\n\n"We will pray for him," he said.'
    )
    assert _quotes(body) == [("Marco Rubio", "We will pray for him")]


def test_a_party_label_after_the_subject_does_not_hide_it_from_a_partial_quote() -> None:
    toomey = 'Sen. Pat Toomey (R-Pa.) refused to campaign with him, calling it "not useful."'
    reed = 'Sen. Jack Reed (D-R.I.), said he had not read it, but called it a "starting point."'
    assert _quotes(toomey) == [("Pat Toomey", "not useful.")]
    assert _quotes(reed) == [("Jack Reed", "starting point.")]


def test_shot_back_is_a_speech_verb() -> None:
    body = 'After Jerry Brown criticized her, Hillary Clinton shot back, "I chose my profession."'
    assert _quotes(body) == [("Hillary Clinton", "I chose my profession.")]


def test_adding_after_a_said_clause_takes_the_subject_of_said() -> None:
    body = 'Omar Mateen left when prayers ended, Nefzi said, adding, "He was not very religious."'
    assert _quotes(body) == [("Nefzi", "He was not very religious.")]


def test_as_someone_puts_it_names_the_owner_of_the_words() -> None:
    after = 'It is "racing to the line," as Van Jackson, a professor at a Pentagon school, puts it.'
    before = 'As The New Yorker put it in an expose, "the operator."'
    assert _quotes(after) == [("Van Jackson", "racing to the line")]
    assert _quotes(before) == [("New Yorker", "the operator.")]


def test_a_passive_by_before_a_colon_is_no_byline() -> None:
    body = 'Melania Trump said it was coordinated by political rivals: "They want to hurt us."'
    assert _quotes(body) == [("Melania Trump", "They want to hurt us.")]


def test_a_state_abbreviation_after_a_city_is_no_speaker() -> None:
    body = 'At a conference in Aspen, Colo., the graduate ended with a line: "Obstacles yield."'
    assert _quotes(body) == []


def test_a_day_between_the_subject_and_its_verb_is_read_past() -> None:
    colon = 'Donald Trump on Tuesday tweeted: "This is a disgrace."'
    partial = 'Reince Priebus last week said the plan was "a disgrace."'
    assert _quotes(colon) == [("Donald Trump", "This is a disgrace.")]
    assert _quotes(partial) == [("Reince Priebus", "a disgrace.")]


def test_an_organization_named_x_of_y_speaks_whole() -> None:
    body = 'The UK Department of Transport on Friday said the "open skies" talks had ended.'
    assert _quotes(body) == [("Department of Transport", "open skies")]


def test_a_parenthesis_that_opens_a_sentence_holds_its_own_subject() -> None:
    body = 'A calamity (Raphael Lemkin, who coined the word, once said, "It happened before").'
    assert _quotes(body) == [("Raphael Lemkin", "It happened before")]


def test_a_dateline_is_not_the_subject_of_the_first_sentence() -> None:
    body = 'WASHINGTON, Aug. 24 (UPI) — A spokesman for Hillary Clinton called it "outrageous."'
    assert _quotes(body) == []


def test_he_opening_a_clause_before_saying_is_its_subject_not_the_name_after_the_verb() -> None:
    body = (
        'Voters met Donald Trump. He addressed Muslim-Americans in an email, saying "it is wrong."'
    )
    assert _quotes(body) == [("Donald Trump", "it is wrong.")]


def test_searching_loads_neither_the_extractor_nor_the_html_parser() -> None:
    code = (
        "import sys, searchidx.api, searchidx.quotes, searchidx.search\n"
        "print(sorted(m for m in sys.modules if m.startswith('searchidx.extract')"
        " or m.split('.')[0] in {'bs4', 'lxml', 'trafilatura'}))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_each_extract_module_imports_only_the_ones_listed_before_it() -> None:
    # The order `searchidx/extract/__init__.py` documents: data flows one way through it.
    order = ["words", "quotations", "organizations", "names", "attribution", "affiliations"]
    package = Path(__file__).resolve().parents[1] / "searchidx" / "extract"
    for position, module in enumerate(order):
        source = (package / f"{module}.py").read_text(encoding="utf-8")
        imported = set(re.findall(r"^from searchidx\.extract\.(\w+) import", source, re.M))
        assert imported <= set(order[:position]), module
