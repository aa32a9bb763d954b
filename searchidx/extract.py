"""Stage 3, extract: who is quoted, who is named, which organizations appear.

Rules, not a model: they run offline at well over 100,000 words/s and need no download
(`benchmarks/extract_eval.py` measures them). The article body is read as one text
(paragraphs joined by blank lines) in a few linear passes:

1. names: every capitalised run ("Sen. Ted Cruz", "Mr. Trump", "Daryl Kimball") is found once;
   a run is a person when something says so — a title or role before it ("Defense Secretary
   Robert Gates", "strategist Ryan Williams"), a common given name or an initial, an appositive
   after it ("Kimball, 44," / "Kimball, director of" / "Bowyer (England)"), a speech verb next
   to it ("Kimball said"), an honorific on its surname elsewhere ("Mr. Kimball"), or its place
   inside a sentence, where only names are capitalised (unless the article writes it as a
   place, "in Cape Town", or it is part of an organization's name). Short forms ("Kimball",
   "Mr. Kimball") resolve to the longest form of the same person named before them;
2. quotations are found ("straight" and “curly”, including a quote that runs over several
   paragraphs and only closes in its last one, and partial quotes of a word or two);
3. each is attributed from the noun phrase its frame names: `"...," Kimball said`, `said Joe
   Cirincione, director of ...`, `Daalder said: "..."`, `according to X`, `"..." — X`, the
   attribution sentence or colon paragraph just before, the subject of the sentence that holds
   a partial quote; "he"/"she" go to the speaker or first person of the nearest sentence
   before whose gender fits. Organizations speak too ("the White House said"): they become
   speakers but never people;
4. affiliations come from appositives ("Daryl Kimball, director of the Arms Control
   Association") and titles ("the U.S. ambassador to NATO, Ivo Daalder");
5. organizations are capitalised runs ending in an organization word (Association, Fund,
   Council, ...), acronyms outside all-caps headlines, and the teams of results lines.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from itertools import chain

from babel import Locale

from searchidx.model import Affiliation, Article, Quote

# --- names ---------------------------------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
# One word of a name: "Kimball", "O'Malley", "McConnell", "DeSantis", "Jean-Claude", "H.W.".
_NAME_WORD = (
    rf"(?:[{_UPPER}](?:['’][{_UPPER}])?[{_LOWER}]+(?:[{_UPPER}][{_LOWER}]+)?"
    rf"(?:-[{_UPPER}]?[{_LOWER}]+)*|(?:[{_UPPER}]\.){{1,3}}(?![{_UPPER}{_LOWER}]))"
)
_PARTICLE = r"(?:de|da|del|della|van|von|der|den|bin|ibn|al|le|la|du|dos|di)"
_NAME_RUN = re.compile(
    rf"(?<![\w’'-]){_NAME_WORD}(?:\s(?:{_PARTICLE}\s){{0,2}}(?:(?:al|el)-)?{_NAME_WORD}){{0,5}}"
    rf"(?:,?\s(?:Jr\.|Sr\.|III|II|IV)(?!\w))?"
)
# Words that start a capitalised run without being part of a name.
_NOT_NAME_WORDS = {
    "A", "An", "The", "But", "And", "Or", "So", "If", "In", "On", "At", "As", "For", "Of", "To",
    "By", "With", "From", "When", "While", "After", "Before", "Since", "Last", "This", "That",
    "These", "Those", "It", "He", "She", "They", "We", "I", "You", "His", "Her", "Their", "Our",
    "My", "Its", "There", "Here", "Some", "Many", "Most", "All", "Both", "Each", "No", "Not",
    "Yet", "Still", "Then", "Now", "Also", "Even", "Just", "Only", "What", "Who", "Why", "How",
    "Where", "Which", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "According", "Asked", "Under", "Over",
    "During", "Despite", "Without", "Although", "Though", "Because", "Instead", "Meanwhile",
    "However", "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Sgt", "Capt",
    "Adm", "Maj", "Prof", "Rev", "St", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec", "Do", "Does", "Did", "Is", "Are", "Was", "Were", "Will",
    "Would", "Can", "Could", "Should", "Let", "Like", "Every", "Any", "Another", "Other",
    "One", "Two", "Three", "Such", "Between", "Among", "Through", "Into", "About", "Against",
    "Former", "Late", "Today", "Yesterday", "Tomorrow", "Tonight", "Sources", "Source",
    "Read", "Watch", "See", "Follow", "Click", "Photo", "Video", "Related", "More", "Less",
    "Thank", "Thanks", "Please", "Yes", "Oh", "Well", "Dear", "Hey", "Hi", "Whether", "Unlike",
    "Once", "Until", "Unless", "Whatever", "Whoever", "Everyone", "Nobody", "Someone",
}  # fmt: skip
# Abbreviated titles written before a name: "Sen. Ted Cruz", "Mr. Trump".
_HONORIFICS = {
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "capt", "adm",
    "maj", "prof", "rev", "cmdr", "atty", "supt", "insp", "cpl", "pvt", "fr", "sr", "sister",
    "brother", "father", "sir", "dame", "lord", "lady", "rabbi", "imam", "sheikh", "pastor",
}  # fmt: skip
# Titles and roles written before a person's name: "Defense Secretary Robert Gates",
# "strategist Ryan Williams", "Republican presidential hopeful Donald Trump".
_ROLE_WORDS = {
    "president", "presidents", "secretary", "minister", "ambassador", "director", "chairman",
    "chairwoman", "chair", "senator", "representative", "congressman", "congresswoman",
    "governor", "mayor", "judge", "justice", "general", "admiral", "colonel", "captain",
    "sergeant", "lieutenant", "major", "commander", "chief", "spokesman", "spokeswoman",
    "spokesperson", "counterpart", "leader", "premier", "king", "queen", "prince", "princess",
    "pope", "professor", "analyst", "economist", "lawyer", "attorney", "officer", "official",
    "commissioner", "deputy", "candidate", "chancellor", "envoy", "adviser", "advisor",
    "founder", "cofounder", "co-founder", "executive", "ceo", "head", "coach", "author",
    "editor", "correspondent", "sheriff", "superintendent", "aide", "strategist", "pollster",
    "consultant", "nominee", "hopeful", "frontrunner", "front-runner", "rival", "challenger",
    "incumbent", "lawmaker", "legislator", "activist", "expert", "scholar", "researcher",
    "historian", "commentator", "columnist", "host", "anchor", "reporter", "journalist",
    "writer", "screenwriter", "actor", "actress", "singer", "rapper", "comedian", "billionaire",
    "businessman", "businesswoman", "entrepreneur", "investor", "banker", "manager", "owner",
    "partner", "associate", "fellow", "student", "graduate", "teacher", "principal", "dean",
    "provost", "chaplain", "bishop", "archbishop", "cardinal", "cleric", "priest", "ayatollah",
    "dictator", "prosecutor", "sen.", "rep.", "gov.", "speaker", "whip", "delegate",
    "superdelegate", "organizer", "volunteer", "supporter", "donor", "strongman",
    "physician", "doctor", "surgeon", "scientist", "engineer", "architect", "player",
    "striker", "midfielder", "defender", "goalkeeper", "forward", "guard", "pitcher",
    "quarterback", "batsman", "bowler", "skipper", "trainer", "rider", "driver",
    "champion", "winner", "runner-up", "seed", "opponent", "teammate", "compatriot",
    "countryman", "countrywoman", "brother", "sister", "son", "daughter", "wife", "husband",
    "widow", "mother", "father", "uncle", "aunt", "cousin", "mentor", "nephew", "niece",
    "grandson", "granddaughter", "vice", "treasurer", "controller", "comptroller", "auditor",
    "inspector", "magistrate", "clerk", "coordinator", "planner", "operative", "staffer",
    "president-elect", "chairperson", "rapporteur", "negotiator", "mediator",
    "ruler", "monarch", "emperor", "sultan", "emir", "shah", "tsar", "czar", "mogul", "tycoon",
    "magnate", "star", "legend", "veteran", "novelist", "poet", "playwright", "filmmaker",
    "producer", "photographer", "designer", "lobbyist", "whistleblower",
    "defendant", "plaintiff", "suspect", "victim", "witness", "juror", "senior", "counsel",
}  # fmt: skip
# Common given names, so that "Marcello Cuttitta" is a person on its first mention even with
# no title, verb or appositive beside it. A general list, not learnt from any evaluation set.
_GIVEN_NAMES = set(
    [
        "Aaron", "Abdul", "Abdullah", "Abraham", "Adam", "Adrian", "Ahmed", "Alan", "Albert",
        "Alberto", "Alejandro", "Alex", "Alexander", "Alexandra", "Alexei", "Alfred", "Ali",
        "Alice", "Alicia", "Alison", "Allen", "Amanda", "Amy", "Anatoly", "Andre", "Andrea",
        "Andreas", "Andrei", "Andres", "Andrew", "Andy", "Angel", "Angela", "Angelo", "Ann",
        "Anna", "Anne", "Anthony", "Antoine", "Anton", "Antonio", "Arnold", "Arthur", "Ashley",
        "Axel", "Barbara", "Barry", "Ben", "Benjamin", "Bernard", "Bernie", "Betty", "Bill",
        "Billy", "Bob", "Bobby", "Boris", "Brad", "Bradley", "Brandon", "Brenda", "Brent",
        "Brett", "Brian", "Bruce", "Bruno", "Bryan", "Carl", "Carla", "Carlos", "Carmen",
        "Carol", "Caroline", "Catherine", "Charles", "Charlie", "Chris", "Christian",
        "Christina", "Christine", "Christopher", "Chuck", "Cindy", "Claire", "Claude",
        "Claudia", "Colin", "Corey", "Craig", "Cynthia", "Dan", "Daniel", "Daniela", "Danny",
        "Dario", "Darren", "Dave", "David", "Dean", "Deborah", "Debbie", "Dennis", "Derek",
        "Diana", "Diane", "Dick", "Diego", "Dieter", "Dmitry", "Dominic", "Don", "Donald",
        "Donna", "Doug", "Douglas", "Dylan", "Ed", "Eddie", "Edgar", "Eduardo", "Edward",
        "Elena", "Eli", "Elizabeth", "Ellen", "Emily", "Emma", "Enrique", "Eric", "Erik",
        "Ernest", "Ernesto", "Eugene", "Evan", "Fabio", "Felipe", "Felix", "Fernando",
        "Francesco", "Francis", "Francisco", "Frank", "Franz", "Fred", "Frederick", "Gabriel",
        "Gary", "Gene", "George", "Georg", "Gerald", "Gerard", "Gerhard", "Giovanni",
        "Giuseppe", "Glenn", "Gloria", "Gordon", "Graham", "Greg", "Gregory", "Guillermo",
        "Gustavo", "Hans", "Harold", "Harry", "Hassan", "Heather", "Heinz", "Helen", "Helmut",
        "Henri", "Henry", "Herbert", "Howard", "Hugh", "Hugo", "Hussein", "Ian", "Igor",
        "Isaac", "Ivan", "Jack", "Jacob", "Jacques", "James", "Jamie", "Jan", "Jane", "Janet",
        "Jason", "Javier", "Jean", "Jeff", "Jeffrey", "Jennifer", "Jeremy", "Jerry", "Jesse",
        "Jessica", "Jim", "Jimmy", "Joan", "Joe", "Joel", "Johan", "Johann", "John", "Johnny",
        "Jon", "Jonathan", "Jorge", "Jose", "Joseph", "Josh", "Joshua", "Juan", "Judith",
        "Julia", "Julian", "Julie", "Jurgen", "Justin", "Karen", "Karl", "Kate", "Katherine",
        "Kathleen", "Kathy", "Keith", "Kelly", "Ken", "Kenneth", "Kevin", "Kim", "Klaus",
        "Kurt", "Larry", "Laura", "Lauren", "Lawrence", "Lee", "Leon", "Leonard", "Lewis",
        "Linda", "Lisa", "Louis", "Luca", "Lucas", "Luis", "Luke", "Marc", "Marcel", "Marcello",
        "Marco", "Marcus", "Margaret", "Maria", "Mario", "Mark", "Martha", "Martin", "Mary",
        "Massimo", "Matt", "Matthew", "Maurice", "Max", "Megan", "Melissa", "Michael", "Michel",
        "Michelle", "Miguel", "Mike", "Mikhail", "Mitch", "Mohamed", "Mohammad", "Mohammed",
        "Muhammad", "Nancy", "Nathan", "Neil", "Nicholas", "Nick", "Nicolas", "Nikolai", "Oleg",
        "Oliver", "Omar", "Oscar", "Otto", "Pablo", "Pamela", "Pascal", "Patricia", "Patrick",
        "Paul", "Paula", "Pedro", "Peter", "Phil", "Philip", "Philippe", "Pierre", "Rachel",
        "Rafael", "Ralph", "Ramon", "Randy", "Raul", "Ray", "Raymond", "Rebecca", "Ricardo",
        "Richard", "Rick", "Rob", "Robert", "Roberto", "Robin", "Roger", "Roland", "Ron",
        "Ronald", "Rosa", "Ross", "Roy", "Ruben", "Russell", "Ruth", "Ryan", "Sally",
        "Salvatore", "Sam", "Samuel", "Sandra", "Sara", "Sarah", "Scott", "Sean", "Sergei",
        "Sergey", "Sergio", "Sharon", "Stefan", "Stephanie", "Stephen", "Steve", "Steven",
        "Stuart", "Susan", "Ted", "Terry", "Thomas", "Tim", "Timothy", "Todd", "Tom", "Tommy",
        "Tony", "Travis", "Valerie", "Victor", "Vincent", "Viktor", "Vladimir", "Walter",
        "Wayne", "Werner", "Will", "William", "Willie", "Wolfgang", "Yuri", "Zachary",
    ]
)  # fmt: skip
# Given names that are a woman's, so that "she said" skips the men named since.
_FEMALE_NAMES = {
    "Alexandra", "Alice", "Alicia", "Alison", "Amanda", "Amy", "Andrea", "Angela", "Ann", "Anna",
    "Anne", "Ashley", "Barbara", "Betty", "Brenda", "Carla", "Carmen", "Carol", "Caroline",
    "Catherine", "Christina", "Christine", "Cindy", "Claire", "Claudia", "Cynthia", "Daniela",
    "Deborah", "Debbie", "Diana", "Diane", "Donna", "Elena", "Elizabeth", "Ellen", "Emily", "Emma",
    "Gloria", "Heather", "Helen", "Jane", "Janet", "Jennifer", "Jessica", "Joan", "Judith",
    "Julia", "Julie", "Karen", "Kate", "Katherine", "Kathleen", "Kathy", "Kelly", "Laura",
    "Lauren", "Linda", "Lisa", "Margaret", "Maria", "Martha", "Mary", "Megan", "Melissa",
    "Michelle", "Nancy", "Pamela", "Patricia", "Paula", "Rachel", "Rebecca", "Rosa", "Ruth",
    "Sally", "Sandra", "Sara", "Sarah", "Sharon", "Stephanie", "Susan", "Valerie", "Hillary",
    "Nikki", "Carly", "Hope",
    "Theresa", "Marine", "Katie", "Kristen", "Jill", "Kelli", "Dana", "Kirsten", "Tammy", "Jeanne",
    "Maggie", "Heidi", "Shelley", "Cathy", "Virginia", "Mia", "Madeleine",
    "Loretta", "Penny", "Gina", "Samantha", "Cheryl",
    "Nina", "Michele", "Gwen", "Maxine", "Dianne", "Patty", "Lindsey", "Erin", "Meghan",
    "Gretchen", "Greta", "Kimberly", "Sheryl", "Marissa",
    "Sonia", "Alexandria", "Tina",
}  # fmt: skip
_TITLE_WORDS = _ROLE_WORDS | _HONORIFICS
# The role words as one regex alternation, longest first.
_ROLES = "|".join(sorted((re.escape(w) for w in _ROLE_WORDS), key=len, reverse=True))
_PRONOUNS = {"he", "she"}
_ABBREVIATIONS = _HONORIFICS | {
    "u.s", "u.n", "u.k", "inc", "corp", "co", "ltd", "jr", "st", "no", "vs", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "d.c",
    "del", "amb",  # "Del. Stacey Plaskett" (a delegate), "Amb. Samantha Power"
}  # fmt: skip

# --- organizations -------------------------------------------------------------------------

_ORG_HEADS = {
    "Association", "Fund", "Council", "Institute", "Agency", "Committee", "Party", "Ministry",
    "Department", "University", "College", "Bank", "Corporation", "Corp", "Inc", "Company",
    "Co", "Group", "Organization", "Organisation", "Union", "Commission", "Center", "Centre",
    "Foundation", "Reserve", "Court", "Senate", "Congress", "Parliament", "Army", "Navy",
    "Police", "Office", "Service", "Services", "Authority", "Board", "Bureau", "League",
    "Federation", "Alliance", "Coalition", "Society", "Trust", "Partners", "Holdings",
    "Airlines", "Times", "Post", "Journal", "Press", "News", "Network", "Administration",
    "Assembly", "Tribunal", "Guard", "Forces", "Force", "Project", "Initiative", "Program",
    "Programme", "School", "Hospital", "Laboratory", "Laboratories", "Museum", "Church",
    "Exchange", "Ltd", "LLC", "Brigade", "Cabinet", "Club", "Industries", "Systems", "Motors",
    "Airways", "Bancorp", "Capital", "Securities", "Investments", "Insurance", "Magazine",
    "Tribune", "Herald", "Gazette", "Telegraph", "Daily", "Radio", "Television",
    "Broadcasting", "Institution", "Academy", "Federal", "Caucus", "Conference", "Movement",
    "Front", "Campaign", "Watch", "Monitor", "Energy", "Petroleum", "Oil", "Steel", "Mining",
    "Pharmaceuticals", "Technologies", "Electric", "Railways", "Railway", "Unit", "Division",
    "Legion", "Cooperative", "Consortium", "Fed", "Treasury", "Pentagon", "Kremlin",
    "Patriarchate", "Synod", "Inc.", "Corp.", "Co.", "Ltd.", "AG", "SA", "NV", "PLC", "plc",
    "GmbH", "FC", "Bhd", "Intelligence", "Newsroom", "Shimbun", "Reuters", "Review",
    "Observer", "Examiner", "Sun",
}  # fmt: skip
# Single-word organizations that speak in the news ("the Pentagon said").
_STANDALONE_ORGS = {"Pentagon", "Kremlin", "Reuters", "Congress", "Senate", "Parliament"}
_ORG_CONNECTORS = r"(?:of|and|for|on|the|de|&)"
_ORG_WORD = r"(?:[A-Z][\w'’.-]*[A-Za-z.]|[A-Z]{2,}|&)"
_ORG_SPAN = re.compile(rf"(?<![\w-]){_ORG_WORD}(?:\s+(?:{_ORG_CONNECTORS}\s+)*{_ORG_WORD})*")
_ACRONYM = re.compile(r"(?<![\w.-])([A-Z][A-Z&]{1,5})(?:'s|’s)?(?![\w-]|\.\w)")
# All-caps words that are not organizations in news text.
_NOT_ORG_ACRONYMS = {
    "US", "USA", "UK", "TV", "AM", "PM", "CEO", "GDP", "OK", "ID", "PC", "DC", "AIDS", "HIV",
    "CFO", "COO", "VP", "II", "III", "IV", "PS", "PPS", "ET", "PT", "GMT", "UTC", "CST", "EST",
    "MP", "MPS", "THE", "AND", "FOR", "NEW", "ISBN", "PDF", "URL", "FAQ", "DVD", "CD", "RSS",
    "UAE", "USSR", "LA", "NY", "Q", "A", "I", "RE", "PST", "EDT", "PDT", "CDT",
    "MST", "MDT", "BST", "CET", "AD", "BC", "OF", "IN", "ON", "TO", "AT", "BY", "IS", "IT",
    "NO", "MR", "MRS", "MS", "DR", "JR", "SR", "ST", "VS", "RS", "OR", "AN", "AS", "BE",
}  # fmt: skip

# --- quotes and attribution ----------------------------------------------------------------

_SPEECH_STEMS = [
    "say",
    "said",
    "says",
    "saying",
    "tell",
    "told",
    "tells",
    "telling",
    "add",
    "added",
    "adds",
    "adding",
    "ask",
    "asked",
    "asks",
    "explain",
    "explained",
    "explains",
    "note",
    "noted",
    "notes",
    "write",
    "wrote",
    "writes",
    "written",
    "argue",
    "argued",
    "argues",
    "warn",
    "warned",
    "warns",
    "state",
    "stated",
    "states",
    "declare",
    "declared",
    "declares",
    "insist",
    "insisted",
    "insists",
    "continue",
    "continued",
    "continues",
    "recall",
    "recalled",
    "recalls",
    "reply",
    "replied",
    "replies",
    "remark",
    "remarked",
    "remarks",
    "acknowledge",
    "acknowledged",
    "acknowledges",
    "admit",
    "admitted",
    "admits",
    "claim",
    "claimed",
    "claims",
    "concede",
    "conceded",
    "concedes",
    "observe",
    "observed",
    "observes",
    "suggest",
    "suggested",
    "suggests",
    "announce",
    "announced",
    "announces",
    "caution",
    "cautioned",
    "cautions",
    "predict",
    "predicted",
    "predicts",
    "complain",
    "complained",
    "complains",
    "urge",
    "urged",
    "urges",
    "testify",
    "testified",
    "testifies",
    "tweet",
    "tweeted",
    "tweets",
    "conclude",
    "concluded",
    "concludes",
    "demand",
    "demanded",
    "demands",
    "joke",
    "joked",
    "jokes",
    "quip",
    "quipped",
    "quips",
    "respond",
    "responded",
    "responds",
    "answer",
    "answered",
    "answers",
    "counter",
    "countered",
    "counters",
    "agree",
    "agreed",
    "agrees",
    "emphasize",
    "emphasized",
    "emphasizes",
    "stress",
    "stressed",
    "stresses",
    "posted",
    "wrote",
    "reported",
    "reports",
    "recount",
    "recounted",
    "recounts",
    "boast",
    "boasted",
    "boasts",
    "vow",
    "vowed",
    "vows",
    "promise",
    "promised",
    "promises",
    "pledge",
    "pledged",
    "pledges",
    "lament",
    "lamented",
    "laments",
    "muse",
    "mused",
    "muses",
    "shout",
    "shouted",
    "shouts",
    "yell",
    "yelled",
    "yells",
    "exclaim",
    "exclaimed",
    "exclaims",
    "whisper",
    "whispered",
    "scoffed",
    "scoffs",
    "sighed",
    "sniped",
    "snapped",
    "retorted",
    "retorts",
    "charged",
    "charges",
    "contend",
    "contended",
    "contends",
    "maintain",
    "maintained",
    "maintains",
    "assert",
    "asserted",
    "asserts",
    "affirm",
    "affirmed",
    "affirms",
    "confirm",
    "confirmed",
    "confirms",
    "deny",
    "denied",
    "denies",
    "describe",
    "described",
    "describes",
    "call",
    "called",
    "calls",
    "praise",
    "praised",
    "praises",
    "criticize",
    "criticized",
    "criticizes",
    "accuse",
    "accused",
    "accuses",
    "mock",
    "mocked",
    "mocks",
    "blast",
    "blasted",
    "blasts",
    "slam",
    "slammed",
    "slams",
    "hail",
    "hailed",
    "hails",
    "thank",
    "thanked",
    "thanks",
    "recalled",
    "pointed",
    "points",
    "mention",
    "mentioned",
    "mentions",
    "reiterate",
    "reiterated",
    "reiterates",
    "repeat",
    "repeated",
    "repeats",
    "believe",
    "believed",
    "believes",
    "think",
    "thought",
    "thinks",
    "feel",
    "felt",
    "feels",
    "worry",
    "worried",
    "worries",
    "fear",
    "feared",
    "fears",
    "hope",
    "hoped",
    "hopes",
    "wonder",
    "wondered",
    "wonders",
    "explained",
    "offered",
    "offers",
    "cited",
    "cites",
    "quoted",
    "quotes",
    "read",
    "reads",
    "wrote",
    "declared",
    "proclaimed",
    "proclaims",
    "announced",
    "told",
    "informed",
    "informs",
    "assured",
    "assures",
    "reassured",
    "promised",
    "insisted",
    "advised",
    "advises",
    "questioned",
    "questions",
    "objected",
    "objects",
    "protested",
    "protests",
    "pleaded",
    "pleads",
    "begged",
    "begs",
    "implored",
    "urged",
    "chimed",
    "interjected",
    "interrupted",
    "echoed",
    "echoes",
    "summed",
    "summarized",
    "summarizes",
    "concluded",
    "conceded",
    "estimated",
    "estimates",
    "calculated",
    "projected",
    "projects",
    "forecast",
    "forecasts",
    "predicted",
    "expected",
    "expects",
    "acknowledged",
    "admitted",
    "disclosed",
    "discloses",
    "revealed",
    "reveals",
    "confided",
    "confides",
    "confessed",
    "confesses",
    "signaled",
    "signals",
    "indicated",
    "indicates",
    "hinted",
    "hints",
    "added",
    "explained",
    "announced",
    "opined",
    "opines",
    "remembered",
    "remembers",
]
_SPEECH_VERBS = "|".join(sorted(set(_SPEECH_STEMS), key=len, reverse=True))
# Words between a subject and its speech verb: "Kimball also said", "Trump has repeatedly said".
_AUXILIARY_WORDS = (
    r"also|then|later|again|once|has|had|have|would|will|could|might|may|is|was|were|did|"
    r"does|previously|recently|earlier|further|simply|only|even|just|never|often|[a-z]+ly"
)
_VERB_LEAD = rf"(?:(?:{_AUXILIARY_WORDS})\s+){{0,3}}"
_SPEECH_VERB = re.compile(rf"\b(?:{_SPEECH_VERBS})\b")
_LEADING_PUNCTUATION = re.compile(r"^[\s,.;:!?)\]—―–-]*")
# Verbs whose object comes right after them ("told CNN", "praised Obama"): never a speaker
# put after the verb.
_OBJECT_FIRST = (
    r"(?!(?:tell|tells|told|telling|informed|thanked|praised|criticized|accused|blasted|"
    r"slammed|mocked|urged|called|quoted|hailed|assured|reassured|advised|implored)\b)"
)
# A verb-first frame: `..." said Joe Cirincione, director of ...`.
_VERB_FIRST = re.compile(
    rf"^[\s,.;:!?)\]—―–-]*{_OBJECT_FIRST}(?:{_SPEECH_VERBS})\b\s*(?P<np>[^,;:(]*)", re.S
)
# `..." if she lost, said David Wasserman`: the verb later in the frame, after a comma.
_VERB_AFTER_COMMA = re.compile(
    rf",\s+{_OBJECT_FIRST}(?:{_SPEECH_VERBS})\b\s*(?P<np>[^,;:(]*)", re.S
)
# A structural frame: `..." Vitter demanded.`: a name and any verb right after a quote.
_NAME_THEN_VERB = re.compile(
    rf"^[\s,!?—–-]*(?P<np>{_NAME_WORD}(?:\s{_NAME_WORD}){{0,3}})\s+(?:\w+ly\s+)?"
    rf"(?:[a-z]+ed|[a-z]+[^s]s)\b"
)
_DASH_NAME = re.compile(r"^\W?\s*[—―–-]+\s*(?P<np>[^,;(\n]+)")
# A quote's paragraph followed by one that signs it: '"...."' then '- Bernie Sanders'.
_SIGNATURE = re.compile(
    r"^[^\S\n]*\n\n[—―–-]\s*(?P<np>[^\n,;(]{2,60}?)\s*(?:[,;(][^\n]{0,80})?(?:\n|$)"
)
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
_AUXILIARIES = re.compile(rf"(?:\s+(?:{_AUXILIARY_WORDS}))+$")


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation found in the body: the paragraph it starts in, where it starts and ends in
    that paragraph (`end` is in the paragraph it closes in), and its text."""

    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Mention:
    """A capitalised run of the text that may name a person: where, and its words."""

    start: int
    end: int
    name: str
    evidence: bool


def extract(article: Article) -> Article:
    """The article with speakers, quotes, people, organizations and affiliations filled in."""
    if not has_letter_case(article.body):
        # All-caps text (old archives, wire copy): capitals mark no names, so every run of
        # words would pass for a speaker or an organization and be searched as one. Only the
        # rows of a standings table ("DETROIT 15 9 4 81 53 34") still name teams.
        teams = (_teams_in_results(paragraph) for paragraph in article.paragraphs)
        return replace(article, organizations=tuple(dict.fromkeys(chain.from_iterable(teams))))
    paragraphs = article.paragraphs
    names = _NameBook(paragraphs)
    quotes = attribute_quotes(paragraphs, names)
    body = names.text
    speakers = tuple(
        dict.fromkeys([*(q.speaker for q in quotes), *_reporting_sources(body, names)])
    )
    affiliations = tuple(
        affiliation
        for speaker in speakers
        if speaker in names.persons and (affiliation := find_affiliation(body, speaker)) is not None
    )
    named_people = names.people()
    person_words = {word for person in named_people for word in person.split()}
    organizations = find_organizations(body) + tuple(
        side for side in _sides_in_context(body) if not set(side.split()) & person_words
    )
    spoke_as_org = [s for s in speakers if s not in names.persons]
    organizations = tuple(dict.fromkeys([*organizations, *spoke_as_org]))
    # "Military Analysis" in "Institute of Political and Military Analysis" is nobody.
    people = tuple(
        person
        for person in named_people
        if person in speakers or not any(person in org for org in organizations)
    )
    return replace(
        article,
        speakers=speakers,
        quotes=tuple(quotes),
        people=people,
        organizations=organizations,
        affiliations=affiliations,
    )


def _reporting_sources(body: str, names: _NameBook) -> list[str]:
    """The named sources a quote reached the article through ('"...," Sanders said,
    according to CNN.', 'According to Yahoo News, Trump said "..."'): they are quoted too,
    at one remove."""
    sources = []
    for match in _QUOTE_ACCORDING_TO.finditer(_straight_quotes(body)):
        group = "np" if match.group("np") else "lead"
        found = _referent(_noun_phrase(match.group(group)), match.start(group), names, None)
        if found not in (None, _UNNAMED):
            sources.append(found)
    return sources


_QUOTE_ACCORDING_TO = re.compile(
    r'[,.!?]"[^"\n.!?]{0,80}?\b(?i:according to)\s+(?P<np>[^,.;:"\n]+)'
    r'|\bAccording to\s+(?P<lead>[^,.;:"\n]+),[^"\n.!?]{0,200}"'
)


# --- the people of an article ----------------------------------------------------------------


class _NameBook:
    """The person names of one article, with where each is mentioned, to resolve "Kimball" or
    "Mr. Kimball" to "Daryl Kimball" and "he" to the person named last."""

    def __init__(self, paragraphs: list[str]) -> None:
        self.text = "\n\n".join(paragraphs)
        self.starts: list[int] = []
        offset = 0
        for paragraph in paragraphs:
            self.starts.append(offset)
            offset += len(paragraph) + 2
        mentions = list(_name_mentions(self.text))
        speaking = _speaking_words(self.text)
        honoured = {
            m.name.split()[-1]
            for m in mentions
            if _word_before(self.text, m.start) in {"mr", "mrs", "ms", "dr"}
        }
        full = {m.name for m in mentions if len(m.name.split()) > 1 and _plausible_name(m.name)}
        initialled = {name for name in full if _INITIAL.match(name)}
        scorers = set(_SCORER.findall(self.text))
        evidenced = {m.name for m in mentions if m.evidence and _plausible_name(m.name)}
        self.sentence_starts = _sentence_starts(self.text)
        self._places = {match.group(1) for match in _AFTER_PLACE_PREPOSITION.finditer(self.text)}
        inside = {m.name for m in mentions if self._inside_sentence(m.start)}
        self._inside = inside
        self.persons: set[str] = set()
        for name in full:
            words = name.split()
            if (
                name in evidenced
                or name in initialled
                or words[0] in _GIVEN_NAMES
                or _surname(name) in speaking
                or _surname(name) in honoured
                or (
                    name in inside
                    and sum(w[0].isupper() for w in words) <= 3
                    and not self.is_place(name)
                )
            ):
                self.persons.add(name)
        surnames = {_surname(name) for name in self.persons}
        articled = {m.name for m in mentions if _word_before(self.text, m.start) == "the"}
        # One-word names that act as people ("Vitter demanded", "Mr. Moffett") with no full
        # form in the article.
        for mention in mentions:
            word = mention.name
            if " " in word or word in surnames or not _plausible_name(word):
                continue
            if (
                word in honoured
                or word in scorers
                or (
                    word in speaking
                    and word not in articled
                    and not _GROUP_NOUN.search(word)
                    and not self.is_place(word)
                )
            ):
                self.persons.add(word)
        self._by_surname: dict[str, list[str]] = {}
        for name in sorted(self.persons, key=len, reverse=True):
            self._by_surname.setdefault(_surname(name), []).append(name)
        self.mentions: list[tuple[int, str]] = []
        latest: dict[str, str] = {}
        for mention in mentions:
            resolved = self._resolve_at(mention.name, latest)
            if resolved:
                latest[_surname(resolved)] = resolved
                self.mentions.append((mention.start, resolved))
        self._canonical = _canonical_forms(self.persons)
        self._mentions_by_surname: dict[str, list[tuple[int, str]]] = {}
        for offset, person in self.mentions:
            self._mentions_by_surname.setdefault(_surname(person), []).append((offset, person))
        self.gender = {
            self._canonical[person]: _gender_of_given_name(person.split()[0])
            for person in self.persons
        }
        for mention in mentions:
            title = _word_before(self.text, mention.start)
            person = self.resolve(mention.name, mention.start + 1)
            if person and title in {"mrs", "ms", "mr"}:
                self.gender[person] = "he" if title == "mr" else "she"
        self.outside_quotes = self.mentions
        self._lower_words: set[str] | None = None

    def _inside_sentence(self, offset: int) -> bool:
        """Whether a capitalised word at `offset` is inside a sentence (so capitalised because
        it is a name) and not after "the"."""
        start = self.sentence_starts[bisect.bisect_right(self.sentence_starts, offset) - 1]
        return offset - start > 2 and _word_before(self.text, offset) not in _BEFORE_NON_PERSON

    def set_quotations(self, spans: list[tuple[int, int]]) -> None:
        """Remember where the quotations are: "he said" never refers to a name quoted."""
        opens = [start for start, _ in spans]
        outside = []
        for offset, person in self.mentions:
            index = bisect.bisect_right(opens, offset) - 1
            if index < 0 or offset > spans[index][1]:
                outside.append((offset, person))
        self.outside_quotes = outside

    def _resolve_at(self, name: str, latest: dict[str, str]) -> str | None:
        """The person a mention names while the book is built: itself, the latest full name
        of its surname, or the longest one."""
        if name in self.persons:
            return name
        surname = _surname(name)
        if surname in latest:
            return latest[surname]
        candidates = self._by_surname.get(surname)
        return candidates[0] if candidates else None

    def resolve(self, name: str, offset: int | None = None) -> str | None:
        """The canonical person `name` refers to at `offset` ("Kimball" -> "Daryl Kimball"):
        the most recent person of that surname named before, else any of that surname."""
        name = _strip_name(name)
        if not name:
            return None
        surname = _surname(name)
        if offset is not None:
            earlier = self._mentions_by_surname.get(surname, [])
            position = bisect.bisect_left(earlier, (offset, ""))
            for _, person in reversed(earlier[:position]):
                if " " not in name or name.split()[0] == person.split()[0]:
                    return self._canonical[person]
        if name in self.persons:
            return self._canonical[name]
        candidates = self._by_surname.get(surname)
        return self._canonical[candidates[0]] if candidates else None

    def last_before(
        self, offset: int, pronoun: str = "", previous: str | None = None
    ) -> str | None:
        """Who "he" or "she" at `offset` refers to: going back sentence by sentence, the first
        person (outside quotations) named in the sentence — its subject, as a rule — whose
        gender, when known, fits the pronoun. Past the last two sentences of the paragraph
        before, the speaker of the quotes just before (`previous`) comes first."""
        paragraph_start = self.starts[self.paragraph_of(offset)]
        sentence = bisect.bisect_right(self.sentence_starts, offset) - 1
        opening = bisect.bisect_left(self.sentence_starts, paragraph_start)
        for index in range(sentence, max(-1, sentence - 8), -1):
            start = self.sentence_starts[index]
            if index < opening - _PRONOUN_LOOKBACK and previous and self.fits(previous, pronoun):
                return previous
            end = offset if index == sentence else self.sentence_starts[index + 1]
            if index < sentence and pronoun and _led_by(self.text[start:end], pronoun):
                continue  # "However, he could not explain why Ivanka Trump ...": "he" again
            if index == sentence and self.text[start:offset].rstrip().endswith(","):
                continue  # "Also, Trump isn't a conservative, he said": his words, not him
            if index < sentence and _ROLE_OPENS.match(self.text, start):
                continue  # "The Florida senator sought to calm ... at Trump's rallies."
            low = bisect.bisect_left(self.outside_quotes, (start, ""))
            high = bisect.bisect_left(self.outside_quotes, (end, ""))
            fitting = [
                (offset, self._canonical[person])
                for offset, person in self.outside_quotes[low:high]
                if self.fits(self._canonical[person], pronoun)
                and not self._modifies_a_role(offset)
                and not self._names_a_thing(offset, self._canonical[person])
            ]
            speaking = [person for offset, person in fitting if self._speaks_at(offset)]
            if speaking:
                return speaking[0]
            subjects = [person for offset, person in fitting if not self._is_dependent(offset)]
            if subjects:
                return subjects[0]
            if fitting:
                return fitting[0][1]
        return previous if previous and self.fits(previous, pronoun) else None

    def _names_a_thing(self, offset: int, person: str) -> bool:
        """Whether the name at `offset` is a country, or a thing the article writes after
        "the" ("Mexico", "told the Palo Alto Weekly"), however it was read: never "he" or
        "she"."""
        return (
            _word_before(self.text, offset) == "the" or person in _COUNTRIES or person in _US_STATES
        )

    def _speaks_at(self, offset: int) -> bool:
        """Whether the name at `offset` is the subject or object of a speech verb ("Viguerie
        argues", "said Viguerie"): the speaker of its sentence."""
        return (
            _NAME_THEN_SPEECH.match(self.text, offset) is not None
            or _word_before(self.text, offset) in _INVERTED_SPEECH_VERBS
        )

    def _is_dependent(self, offset: int) -> bool:
        """Whether the name at `offset` is a possessor or the object of a preposition
        ("Trump's plan", "a letter to Obama"): not the subject "he" or "she" goes back to."""
        run = _NAME_RUN.match(self.text, offset)
        possessor = run is not None and self.text.startswith(("'s", "’s"), run.end())
        return possessor or _word_before(self.text, offset) in _PREPOSITIONS

    def _modifies_a_role(self, offset: int) -> bool:
        """Whether the name at `offset` only qualifies a role ("McConnell spokesman Don
        Stewart", "Trump's campaign manager"): the one who then speaks is the role's holder."""
        run = _NAME_RUN.match(self.text, offset)
        return run is not None and _BEFORE_A_ROLE.match(self.text, run.end()) is not None

    def fits(self, person: str, pronoun: str) -> bool:
        """Whether `person` can be "he" or "she": their gender is unknown or matches."""
        return self.gender.get(person, "") in {"", pronoun}

    def add_person(self, name: str, offset: int) -> None:
        """Record a person known only from attribution ("said Ramil Carr")."""
        self.persons.add(name)
        self._canonical[name] = name
        self._by_surname.setdefault(_surname(name), []).append(name)
        bisect.insort(self.mentions, (offset, name))
        bisect.insort(self._mentions_by_surname.setdefault(_surname(name), []), (offset, name))
        bisect.insort(self.outside_quotes, (offset, name))

    def inside_sentence(self, name: str) -> bool:
        """Whether `name` is written somewhere inside a sentence, not only first in one
        (where "Wait" or "Placing" are capitalised too)."""
        return name in self._inside

    def is_place(self, word: str) -> bool:
        """Whether the article writes `word` as a place: "in Ohio", "from Florida"."""
        return word in self._places

    def is_proper(self, word: str) -> bool:
        """Whether a capitalised word is a name here: "Placing" or "Guns" at the start of a
        sentence are not when the article also writes them in lower case."""
        if self._lower_words is None:
            self._lower_words = set(_LOWER_WORD.findall(self.text))
        return word.lower() not in self._lower_words

    def paragraph_of(self, offset: int) -> int:
        """The index of the paragraph that holds `offset`."""
        return bisect.bisect_right(self.starts, offset) - 1

    def people(self) -> tuple[str, ...]:
        """Every person named, by canonical name, in order of first mention."""
        return tuple(dict.fromkeys(self._canonical[person] for _, person in self.mentions))


_LOWER_WORD = re.compile(r"\b[a-z]+\b")
# A sentence whose subject is a role ("The Florida senator"): it takes up someone named before.
_ROLE_OPENS = re.compile(rf"\s*(?:But\s|And\s)?The\s+(?:[\w.’'-]+\s+){{0,3}}(?:{_ROLES})\b")
_BEFORE_A_ROLE = re.compile(
    r"(?:['’]s)?\s+(?:(?:campaign|running|press|senior|chief|top|deputy|former|longtime)\s+)*"
    rf"(?:mate|{_ROLES})\b"
)
_AFTER_PLACE_PREPOSITION = re.compile(
    rf"\b(?:in|at|across)\s+({_NAME_WORD}(?:\s{_NAME_WORD}){{0,2}})(?![\w’'-])"
)


# How many sentences of the paragraph before "he"/"she" may name its referent before the speaker
# of the quotes just before is taken instead.
_PRONOUN_LOOKBACK = 2
_PREPOSITIONS = {"of", "to", "for", "with", "by", "against", "about", "on", "from", "at", "in"}
_SENTENCE_LEAD = r"(?:(?:But|And|However|Still|Yet|So|Then|Instead|Now|Later|Also|Though)\b,?\s+)?"


def _led_by(sentence: str, pronoun: str) -> bool:
    """Whether `pronoun` is the subject a sentence opens with ("He said...", "But she
    added...") or the subject after its lead-in ("Inspired by Sanders, he is committed"):
    its names are then not who a following "he"/"she" means."""
    return (
        re.match(rf"\s*{_SENTENCE_LEAD}{pronoun}\b", sentence, re.I) is not None
        or re.search(rf",\s{pronoun}(?:['’]s)?\s[a-z]", sentence) is not None
    )


def _ends_sentence(word: str | None) -> bool:
    """Whether a period after `word` ends a sentence: not after "Mr", "Sen", "U.S", "G.K" or
    a lone initial."""
    if word is None:
        return True
    return len(word) > 1 and "." not in word and word.lower() not in _ABBREVIATIONS


# Words after which a capitalised run is a thing or the tail of a longer name: "the Senate",
# "Institute of Political and Military Analysis" (see also `extract`).
_BEFORE_NON_PERSON = {"the", "of", "for", "a", "an"}


def _sentence_starts(text: str) -> list[int]:
    """Where each sentence of the text starts (a period after "Mr" or "U.S" ends none)."""
    starts = [0]
    for boundary in _SENTENCE_BREAK.finditer(text):
        if _ends_sentence(boundary.group("word")):
            starts.append(boundary.end())
    return starts


_SENTENCE_BREAK = re.compile(r"\n\n|(?P<word>[\w.]*\w)[.!?][\"’”]?\s+")


def _gender_of_given_name(given: str) -> str:
    """ "she" for a woman's given name, "he" for another common given name, "" when unknown."""
    if given in _FEMALE_NAMES:
        return "she"
    return "he" if given in _GIVEN_NAMES else ""


def _canonical_forms(persons: set[str]) -> dict[str, str]:
    """Each person name mapped to the longest form of the same person in the article:
    "Hillary Clinton" -> "Hillary Rodham Clinton", "Clinton" -> itself unless a full form
    exists."""
    canonical: dict[str, str] = {}
    for name in persons:
        words = name.split()
        longer = [
            other
            for other in persons
            if _surname(other) == _surname(name)
            and len(other) > len(name)
            and (len(words) == 1 or other.split()[0] == words[0])
        ]
        canonical[name] = max(longer, key=len) if longer else name
    return canonical


_APPOSITIVE_AFTER = re.compile(
    r"^(?:,\s+(?:\d{1,3}\b|(?:the|a|an|who|whose|one)\s|(?:(?:former|then|now|longtime|"
    r"retired|acting|senior|chief|deputy|executive|assistant|associate|vice)\s+)*"
    rf"(?:{_ROLES})\b)"
    r"|\s+\((?:[RDI]|R-|D-|I-)[^)]{0,12}\)|\s+\([A-Z][a-z]+(?: [A-Z][a-z]+)?\))"
)


def _name_mentions(text: str):
    """Every capitalised run that could name a person, with leading titles stripped and a flag
    for local evidence that it is a person (title or role before, appositive after)."""
    for match in _NAME_RUN.finditer(text):
        words = [(w.start(), w.group()) for w in re.finditer(r"\S+", match.group())]
        skip = 0
        evidence = False
        while skip < len(words) - 1 and _is_title_word(words[skip][1]):
            evidence = True
            skip += 1
        while skip < len(words) and words[skip][1].rstrip(".") in _NOT_NAME_WORDS:
            evidence = evidence or words[skip][1].rstrip(".").lower() in _HONORIFICS
            skip += 1
        if skip == len(words):
            continue
        start = match.start() + words[skip][0]
        name = _strip_name(" ".join(word for _, word in words[skip:]))
        if not name:
            continue
        after = text[match.end() : match.end() + 60]
        evidence = (
            evidence
            or _word_before(text, start) in _TITLE_WORDS
            or _APPOSITIVE_AFTER.match(after) is not None
        )
        yield _Mention(start, match.end(), name, evidence)


def _word_before(text: str, offset: int) -> str:
    """The word right before `offset`, lower-cased, without a trailing period ("Sen." ->
    "sen"); empty when punctuation other than a period comes between."""
    head = text[max(0, offset - 30) : offset]
    if not head[-1:].isspace():
        return ""
    words = head.split()
    return words[-1].rstrip(".").lower() if words else ""


def _is_title_word(word: str) -> bool:
    """A capitalised title inside a run: "President", "Sen.", "Secretary", "Gov."."""
    bare = word.rstrip(".").lower()
    return bare in _ROLE_WORDS or bare in _HONORIFICS


_NAME_THEN_SPEECH = re.compile(
    rf"{_NAME_WORD}(?:\s{_NAME_WORD}){{0,3}}(?:,[^,]{{1,80}},)?\s+{_VERB_LEAD}(?:{_SPEECH_VERBS})\b"
)
# The verbs a speaker follows ("said Viguerie"); after the others the name is their object
# ("praised Obama", "told Kimball"), not who speaks.
_INVERTED_SPEECH_VERBS = {
    "said", "says", "added", "adds", "asked", "asks", "wrote", "writes", "explained",
    "explains", "continued", "continues", "noted", "notes", "argued", "argues", "recalled",
    "recalls", "insisted", "insists", "replied", "replies", "answered", "countered",
}  # fmt: skip


def _speaking_words(text: str) -> set[str]:
    """Surnames that are the subject or object of a speech verb somewhere in the text
    ("Daalder said", "said Kimball")."""
    found: set[str] = set()
    for match in _SPEAKER_NEXT_TO_VERB.finditer(text):
        who = match.group("a") or match.group("b")
        if who:
            found.add(who.split()[-1])
    return found


# The verbs that make the word before them a speaker on their own ("Vitter said"); "Italy
# recalled" or "Talks began" need more.
_CORE_SPEECH_VERBS = (
    "said|says|told|tells|added|adds|asked|asks|wrote|writes|explained|explains|insisted|"
    "argued|argues|noted|notes|stressed|tweeted|testified|conceded|acknowledged|quipped|joked|"
    "admitted|admits|replied|replies|responded|responds|insists|countered|counters|"
    "complained|complains"
)
_SPEAKER_NEXT_TO_VERB = re.compile(
    rf"(?P<a>{_NAME_WORD})\s+{_VERB_LEAD}(?:[a-z]+ly\s+)?(?:{_CORE_SPEECH_VERBS})\b"
    rf"|\b(?:said|says|added|told|asked|wrote)\s+(?P<b>{_NAME_WORD}(?:\s{_NAME_WORD}){{0,3}})"
)


def _strip_name(name: str) -> str:
    """Drop titles, leading non-name words and a possessive: "Russian President Dmitry
    Medvedev's" -> "Dmitry Medvedev", "Mr. Trump" -> "Trump"."""
    words = re.sub(r"(?:’s|'s|’|')$", "", name.strip()).split()
    titles = [i for i, w in enumerate(words[:-1]) if _is_title_word(w)]
    if titles:
        words = words[titles[-1] + 1 :]
    while words and (
        words[0].rstrip(".") in _NOT_NAME_WORDS or (len(words) > 1 and words[0].endswith("ing"))
    ):
        words.pop(0)  # "The", "Following Sanders"
    while words and words[-1].rstrip(".,") in {"Jr", "Sr", "III", "II", "IV"}:
        words.pop()
    if len(words) >= 3 and words[0] not in _GIVEN_NAMES and _DESCRIPTOR.search(words[0]):
        words.pop(0)  # "Frenchman Patrick Vieira", "Top-seeded Ian Eyles"
    elif len(words) >= 3 and words[0].endswith("ly") and words[1] in _GIVEN_NAMES:
        words.pop(0)  # "Certainly Donald Trump": an adverb that opens the sentence
    return " ".join(w.rstrip(",") for w in words)


# "B. Young", "J. Vaughan": an initial and a surname.
_INITIAL = re.compile(rf"[{_UPPER}]\.\s[{_UPPER}][{_LOWER}]")
# The scorers of a results line: "Sunderland 1 (Melville 83) Wimbledon 3 (Ekoku 8, 29)".
_SCORER = re.compile(
    rf"(?<=[(,] )?(?:(?<=\()|(?<=, ))([{_UPPER}][{_LOWER}]+)\s\d{{1,3}}(?=[,)]| pen)"
)
# A capitalised word that describes rather than names: "Frenchman", "Queenslander",
# "Moroccan", "Top-seeded", "Third-stringer".
_DESCRIPTOR = re.compile(r"(?:man|woman|er|an|ese|ish|-\w+)$")
# Capitalised plurals that are groups, not people: "Dealers said", "Witnesses told".
_GROUP_NOUN = re.compile(r"(?:ers|ors|ists|ants|ents|ics|ies|ives|ians|ses|ates)$")


def _surname(name: str) -> str:
    """The last word of a name: what "Kimball" and "Daryl Kimball" share."""
    return name.split()[-1] if name else ""


def _plausible_name(name: str, lenient: bool = False) -> bool:
    """A run that could be a person's name: up to four words, no organization word, no
    sentence word, no all-caps word, and no place word ("Street", "Black") unless `lenient`
    (the run is the subject of a speech verb) or it starts with a given name ("Charlie
    Black")."""
    words = name.split()
    if not 1 <= len(words) <= 4:
        return False
    lenient = lenient or words[0] in _GIVEN_NAMES
    for word in words:
        bare = word.rstrip(".")
        if len(bare) == 1 and word.endswith("."):
            continue  # a middle initial: "Jill A. Martin"
        if bare in _ORG_HEADS or bare in _NOT_NAME_WORDS or (bare in _PLACE_WORDS and not lenient):
            return False
        if len(bare) > 2 and bare.isupper() and "." not in bare:
            return False
    return not (len(words) == 1 and (len(name) < 3 or name.endswith(".")))


# Words that make a capitalised run a place, event or thing rather than a person.
_PLACE_WORDS = {
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "New",
    "United", "States", "Kingdom", "Republic", "Street", "Avenue", "Road", "Square", "Park",
    "River", "Lake", "Mountain", "Mountains", "Island", "Islands", "Sea", "Ocean", "Bay",
    "County", "City", "State", "Province", "Valley", "Beach", "Airport", "Station", "Bridge",
    "Tower", "Towers", "Hall", "Palace", "House", "Building", "Plaza", "Hill", "Hills",
    "Act", "Law", "Amendment", "Constitution", "Treaty", "Accord", "Accords", "Plan",
    "Day", "Week", "Year", "War", "Cup", "Open", "Games", "Olympics", "Championship", "Prize",
    "Award", "Awards", "Festival", "Summit", "Series", "Tour", "Trophy", "Stadium", "Arena",
    "Christmas", "Easter", "Ramadan", "God", "Jesus", "Internet", "Web", "Twitter",
    "Facebook", "Google", "Obamacare", "Medicare", "Medicaid", "Democrat", "Democrats",
    "Republican", "Republicans", "Democratic", "American", "Americans", "Muslim", "Muslims",
    "Christian", "Christians", "Jewish", "Catholic", "Islamic", "Black", "White", "Latino",
    "Hispanic", "Asian", "African", "European", "British", "French", "German", "Russian",
    "Chinese", "Japanese", "Iranian", "Israeli", "Mexican", "Syrian", "Iraqi", "Afghan",
    "Wall", "Capitol", "Oval", "Office", "Super", "Tuesday", "Primary",
    "Caucus", "Caucuses", "Convention", "Debate", "Election", "Federal", "National",
    "International", "Global", "World", "Middle", "Central", "Southeast", "Northeast",
    "Northwest", "Southwest", "Gulf", "Coast", "Strait", "Peninsula", "Canal", "Region",
    "Division", "District", "Territory", "Territories", "Empire", "Union", "Soviet",
    "Olympic", "Premier", "Grand", "Prix", "Report", "Study", "Survey", "Poll", "Index",
    "Town", "Port", "Cape", "Point", "Peak", "Los", "Las", "El", "San", "Santa", "Saint",
    "Newsroom", "Desk", "Brothers", "Minister", "Price", "Range", "Ago",
}  # fmt: skip


# --- quotations ----------------------------------------------------------------------------


def find_quote_spans(paragraphs: list[str]) -> list[QuoteSpan]:
    """Quotations in the body, "straight" or “curly”; a quote left open at the end of a
    paragraph continues into the next paragraph that opens with a quote mark."""
    return [span for span, _ in _quote_spans(paragraphs)]


def _quote_spans(paragraphs: list[str]) -> list[tuple[QuoteSpan, tuple[int, int]]]:
    """Each quotation and the body offsets of its opening and closing marks (the joined body
    is the paragraphs separated by blank lines)."""
    spans: list[tuple[QuoteSpan, tuple[int, int]]] = []
    carry: tuple[QuoteSpan, int] | None = None
    offset = 0
    for index, raw in enumerate(paragraphs):
        text = _straight_quotes(raw)
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
_QUOTED = re.compile(r'"[^"]*"')


def _straight_quotes(text: str) -> str:
    """Curly double quotes as straight ones, keeping every offset."""
    return text.replace("“", '"').replace("”", '"').replace("„", '"')


def attribute_quotes(paragraphs: list[str], names: _NameBook | None = None) -> list[Quote]:
    """Each quotation with who it is attributed to; unattributable ones are left out."""
    names = names or _NameBook(paragraphs)
    text = _straight_quotes(names.text)
    spans = _quote_spans(paragraphs)
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
    text: str, opened: int, closed: int, names: _NameBook, previous: str | None
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
# Josh Feldman writing at Mediaite:'.
_BYLINE = re.compile(
    r"(?:(?:^|[\s,])by\s+[^:\n]{1,80}"
    r"|\bFrom\s+[^:\n]{1,60}\swriting\s(?:at|in|for)\s[^:\n]{1,60}):\s*$"
)
_POSSESSOR_OF_WORDS = re.compile(
    rf"(?P<np>{_NAME_RUN.pattern})['’]s?\s+(?:[a-z]+\s+){{0,2}}"
    r"(?:remarks?|comments?|words|claims?|allegations?|statement|conclusion|"
    r"promise|pledge|warning|description|assertion|argument|charge|vow)\b"
    r"(?:\s+[^\s\"]+){0,6}\s*$"
)


def _partial_after_its_verb(text: str, opened: int, closed: int, before: str) -> bool:
    """Whether a quote is a partial one that a speech verb introduces right before it
    ('saying "of course"', 'said that he was "not quite there"'): whatever follows the quote
    is the rest of that sentence, not its attribution."""
    return _is_partial_quote(text, opened, closed) and _VERB_RIGHT_BEFORE.search(before) is not None


_VERB_RIGHT_BEFORE = re.compile(rf"\b(?:{_SPEECH_VERBS})(?:\s+that)?[\s,]*$")


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
    text: str, opened: int, names: _NameBook, previous: str | None
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
    if first and first[0].strip(",") in _NOT_NAME_WORDS:
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
    for match in _NAME_RUN.finditer(head):
        following = head[match.end() :].split()[:3]
        if not following or not following[0][:1].islower():
            continue
        if _DETERMINER_BEFORE.search(head, 0, match.start()) and not _FINITE_VERB.fullmatch(
            following[0]
        ):
            continue  # "the Black Lives Matter movement", not "the Bar Association completed"
        if any(w.lower().strip(",") in _TITLE_WORDS for w in following[:2]):
            continue
        name = _strip_name(match.group())
        if not name or all(w in _PLACE_WORDS for w in name.split()):
            continue
        if following[0] == "of" and _is_title_word(name.split()[-1]):
            # "Secretary of State Madeleine Albright": the name comes after the office.
            return _first_subject(re.sub(r"^\s+of\s+\S+", "", head[match.end() :]))
        if _PLACE_THEN_VERB.match(head, match.end()):
            return match.group()  # "Gov. Earl Ray Tomblin of West Virginia lauded"
        if following[0] in {"and", "of", "or", "in", "at", "for", "to", "on"}:
            return None
        return match.group()
    return None


_FINITE_VERB = re.compile(r"[a-z]+(?:ed|[^s']s)")
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|this|that|these|those|his|her|its|their|our)\s+$")
_PLACE_THEN_VERB = re.compile(
    rf"\s+(?:of|from)\s+{_NAME_WORD}(?:\s{_NAME_WORD}){{0,2}},?\s+(?:[a-z]+ly\s+)?"
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
    head = _AUXILIARIES.sub("", head.rstrip())
    head = head[_LEADING_PUNCTUATION.match(head).end() :]
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
    rf"\s*(?P<np>(?:[{_UPPER}][{_LOWER}]{{1,4}}\.\s)?{_NAME_RUN.pattern})"
    rf"(?:\s\([^)]{{1,20}}\))?\s*"
)


def _bare_name(segment: str) -> str | None:
    """The name a comma-separated segment is and nothing else ("Gov. John Kasich (R-OH)"
    -> "Gov. John Kasich"); None for a sentence adverb ("However", "Tuesday") or a
    description."""
    match = _BARE_NAME.fullmatch(segment)
    name = _strip_name(match.group("np")) if match else ""
    return match.group("np") if any(c.islower() for c in name) else None  # not "D.C."


_NAME_OPENS_FRAME = re.compile(rf"[\s,]+(?P<np>{_NAME_RUN.pattern}),\s")
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
        # "Albright recently urged women to vote, saying": the subject before its own verb.
        return _first_subject(phrase) or phrase if phrase[-1:].islower() else phrase
    head, _, tail = clause.rpartition(", ")
    if (
        head
        and (tail.startswith("who ") or _NAME_RUN.fullmatch(head.split(", ")[-1].strip()))
        and _RELATIVE_APPOSITIVE.match(tail)
    ):
        # "Katie Packer, who chairs Our Principles PAC said", "Michael Isikoff, the reporter
        # who is credited with uncovering ... Bill Clinton ... has now called"
        return _subject_of_clause(head)
    reported = _SAID_PRONOUN.fullmatch(tail)
    if reported:
        return reported.group("pronoun")  # "Dan Kritenbrink, ..., said he expects Obama to"
    runs = list(_NAME_RUN.finditer(tail))
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
_SAID_PRONOUN = re.compile(rf"(?:{_SPEECH_VERBS})\s+(?P<pronoun>he|she)")


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
    if inverted and inverted.split()[0] not in _PREPOSITIONS:
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
    while cut and cut.group().strip() == "of" and _is_title_word(text[: cut.start()].split()[-1]):
        cut = _PHRASE_END.search(text, cut.end())  # "Secretary of State John Kerry"
    return (text[: cut.start()] if cut else text).strip()


_UNNAMED = "\1"  # a frame whose speaker is unnamed ("a spokesman said"): stop looking


def _referent(phrase: str, at: int, names: _NameBook, previous: str | None) -> str | None:
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
    runs = list(_NAME_RUN.finditer(phrase))
    head_is_name = bool(runs) and not phrase[runs[-1].end() :].strip(" .’'s")
    if not head_is_name:
        if words[-1][:1].isupper():
            return _organization_in_description(phrase)
        unnamed = words[0].lower() in _DETERMINERS and len(words) <= 6
        return _UNNAMED if unnamed else None
    if _ROLE_OF_A_NAME.match(phrase[: runs[-1].start()]):
        return _UNNAMED  # "A spokesman for Hillary Clinton called": the spokesman spoke
    name = _given_name_onward(_strip_name(runs[-1].group()))
    if not name or name in _COUNTRIES or name in _US_STATES:
        return None  # "Iowa voted", "Iran has said": a place in the frame is not who spoke
    resolved = names.resolve(name, at)
    if resolved:
        return resolved
    articled = words[0].lower() == "the" and len(name.split()) <= 2
    if articled or _looks_like_organization(name) or name in _STANDALONE_ORGS:
        return name
    single = " " not in name
    if (
        _plausible_name(name, lenient=not single)
        and names.is_proper(name.split()[-1])
        and not (single and (names.is_place(name) or not names.inside_sentence(name)))
    ):
        names.add_person(name, at)
        return name
    return None


_ROLE_OF_A_NAME = re.compile(
    r"\s*(?i:a|an|the|one|some)\s+[a-z][^,]*\s(?:for|of|to|with|at|from)\s[^,]*$"
)
_PERSON_OF = re.compile(
    rf"^(?:.*\s)?(?P<name>{_NAME_WORD}(?:\s{_NAME_WORD}){{0,3}})\s+(?:of|from|at)\s+(?:the\s+)?[{_UPPER}]"
)


def _given_name_onward(name: str) -> str:
    """A run too long for a name cut at its known given name: "Chicago Alderman Jason C.
    Ervin" -> "Jason C. Ervin", "Maricopa County Recorder Helen Purcell" -> "Helen Purcell"."""
    words = name.split()
    if _plausible_name(name):
        return name
    given = next((i for i, word in enumerate(words) if i and word in _GIVEN_NAMES), None)
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
    if not name or name.split()[0] in _NOT_NAME_WORDS:
        return None
    acronym = name.isupper() and len(name) <= 6
    articled = len(run) > 1 and len(words) > len(run) and words[-len(run) - 1].lower() == "the"
    return name if acronym or articled or _looks_like_organization(name) else None


def _looks_like_organization(name: str) -> bool:
    """A name that speaks but is not a person: an acronym ("CNN") or an organization word."""
    words = name.split()
    return (len(words[0]) > 1 and words[0].isupper()) or any(w in _ORG_HEADS for w in words)


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
        if _ends_sentence(word):
            return rest[: cut.end() - 1]
    return rest


_CLAUSE_END = re.compile(r'"|\n\n|(?P<word>[\w.]*\w)[.!?](?=\s|$)')


def _frame_before(text: str, opened: int) -> str:
    """The sentence before a quote opens (where `Kimball said: "..."` lives)."""
    head = text[max(0, opened - 400) : opened]
    head = head[head.rfind("\n\n") + 2 :] if "\n\n" in head else head
    head = head[head.rfind('"') + 1 :]
    for boundary in reversed(list(_SENTENCE_END.finditer(head))):
        if _ends_sentence(boundary.group("word")):
            return head[boundary.end() :]
    return head


_SENTENCE_END = re.compile(r"(?P<word>[\w.]+)[.!?]\s+(?=[A-Z\"]|$)")


# --- affiliations --------------------------------------------------------------------------


def find_affiliation(body: str, speaker: str) -> Affiliation | None:
    """What the article calls `speaker`: "director of the Arms Control Association" gives
    title "director", organization "Arms Control Association"."""
    full = list(_occurrences(body, speaker))
    by_surname = list(_occurrences(body, speaker.split()[-1]))
    phrases = [
        # "Daryl Kimball, director of the Arms Control Association in Washington,"
        *(_AFFILIATION_AFTER_NAME.match(body, end) for _, end in full),
        # "Kimball of the Arms Control Association"
        *(_AFFILIATION_OF.match(body, end) for _, end in by_surname),
        # "the U.S. ambassador to NATO, Ivo Daalder"
        *(_AFFILIATION_BEFORE_COMMA.search(body[max(0, s - 80) : s]) for s, _ in full),
        # "Russian President Dmitry Medvedev"
        *(_AFFILIATION_BEFORE.search(body[max(0, s - 60) : s]) for s, _ in full),
    ]
    for match in phrases:
        if match:
            affiliation = _affiliation_from_phrase(speaker, match.group("phrase"))
            if affiliation:
                return affiliation
    return None


_AFFILIATION_AFTER_NAME = re.compile(
    r",\s+(?P<phrase>(?:the\s+|a\s+|an\s+)?[a-z][^,.;\"“”]{2,120})"
)
_AFFILIATION_OF = re.compile(r"\s+(?P<phrase>of\s+the\s+[A-Z][^,.;\"“”]{2,100})")
_AFFILIATION_BEFORE_COMMA = re.compile(r"\bthe\s+(?P<phrase>[A-Za-z.]+(?: [A-Za-z.]+){0,6}),\s+$")
_AFFILIATION_BEFORE = re.compile(r"(?P<phrase>(?:[A-Z][a-z.]+\s+){0,2}[A-Z][a-z]+)\s+$")


def _occurrences(text: str, word: str):
    """(start, end) of each occurrence of `word` in `text` that starts and ends at a word
    boundary."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if (start == 0 or not text[start - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            yield start, end
        start = text.find(word, end)


def _affiliation_from_phrase(speaker: str, phrase: str) -> Affiliation | None:
    """The title and organization in an appositive or a title phrase ("director of the Arms
    Control Association"), or None when the phrase holds no role and no organization."""
    phrase = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip())
    words = phrase.split()
    if not words or (
        not any(w.lower().strip(".,") in _ROLE_WORDS for w in words) and " of " not in f" {phrase} "
    ):
        return None
    organization = next(iter(find_organizations(phrase)), "")
    title = phrase
    if organization:
        title = phrase[: phrase.find(organization)]
        title = re.sub(
            r"\s+(?:of|at|to|for|with|from)(?:\s+the)?(?:\s+independent)?\s*$", "", title.strip()
        )
        title = re.sub(r"\s+the\s*$", "", title)
    title = title.strip(" ,")
    if not organization and not any(w.lower().strip(".,") in _ROLE_WORDS for w in title.split()):
        return None
    return Affiliation(speaker=speaker, title=title, organization=organization)


# --- organizations -------------------------------------------------------------------------


def find_organizations(text: str) -> tuple[str, ...]:
    """Organizations named in `text`: capitalised names ending in an organization word
    (Association, Fund, Council, Institute, ...), acronyms such as NATO, and the teams of
    results and standings lines ("Leeds 2 Chelsea 1")."""
    found: list[str] = []
    for match in _ORG_SPAN.finditer(text):
        for part in _separate_organizations(match.group()):
            organization = _organization_in_span(part)
            if organization:
                found.append(organization)
    found.extend(match.group() for match in _NEWS_AGENCY.finditer(text))
    found.extend(
        club
        for match in _CLUB_OF_PLAYER.finditer(text)
        if (club := match.group("club")) not in _COUNTRIES and club.split()[0] not in _PLACE_WORDS
    )
    lower_words = set(_LOWER_WORD.findall(text))
    for paragraph in text.split("\n\n"):
        found.extend(
            team
            for team in _teams_in_results(paragraph)
            if not any(w.lower() in lower_words for w in team.split()) and team not in _COUNTRIES
        )
        acronyms = list(_ACRONYM.finditer(paragraph))
        if not acronyms or not has_letter_case(paragraph):
            continue  # in an all-caps headline every word looks like an acronym
        for match in acronyms:
            acronym = match.group(1)
            if (
                acronym in _NOT_ORG_ACRONYMS
                or acronym.lower() in lower_words
                or _inside_capitalised_name(paragraph, match.start())
                or (match.start() == 0 and _DATELINE.match(paragraph, match.end()))
            ):
                continue
            found.append(acronym)
    return tuple(dict.fromkeys(found))


def _sides_in_context(text: str) -> list[str]:
    """Capitalised names that the words before them make a team or a company: "against
    Liverpool", "playing for Feyenoord", "shares in Toyo Trust" (not countries or places)."""
    return [
        side
        for match in _SIDE_CONTEXT.finditer(text)
        if (side := match.group("side")) not in _COUNTRIES
        and side.split()[0] not in _PLACE_WORDS
        and side.split()[0] not in _NOT_NAME_WORDS
    ]


# Words after which a capitalised name is a team or a company.
_SIDE_CONTEXT = re.compile(
    r"\b(?:against|beat|beating|defeat by|defeated|draw with|drew with|win over|victory over"
    r"|lost to|loss to|playing for|play for|played for|joined|signed for|signed by|shares in"
    r"|shares of|stake in|owned by|a unit of|subsidiary of)\s+(?:the\s+)?"
    r"(?P<side>[A-Z][\w'-]+(?:\s[A-Z][\w'-]+){0,2})"
)
# The wire services news archives quote by name, which carry no organization word.
_NEWS_AGENCY = re.compile(
    r"\b(?:Reuters|Xinhua|Interfax|Itar-Tass|Tass|Kyodo|Yonhap|Bernama|Antara|Anadolu)\b"
)
# A player and his club in a squad list or scorers' table: "Ian Wright (Arsenal)", "Vitor Baia
# (Barcelona, Spain)". A country there ("Colin Montgomerie (Scotland)") is a nationality, and
# a party and state ("(R-Ohio)") never match.
_CLUB_OF_PLAYER = re.compile(
    r"[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)+\s\("
    r"(?P<club>[A-Z][\w.'’]+(?:\s[A-Z][\w.'’]+){0,2})(?:,\s[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)?\)"
)
# Country names (from the Unicode CLDR via Babel) and the home nations of British sport: as
# teams in results lines they are national sides, which news archives file under places.
_COUNTRIES = frozenset(Locale("en").territories.values()) | {
    "England", "Scotland", "Wales", "Northern Ireland", "Britain", "U.S.", "USA", "Russia",
}  # fmt: skip
# The states of the United States, whose politics fill news archives: as the subject of a
# sentence ("Iowa voted ...") they are places, not speakers.
_US_STATES = {
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
    "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
    "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
    "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
    "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
    "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
}  # fmt: skip
# What follows the place that opens a wire story: "VAIL, Colo. 1996-12-06", "ROME 1996".
_DATELINE = re.compile(r"(?:,\s[A-Z][\w.]*(?:\s[A-Z][\w.]*)*)?\s+\d")
# A team and its score in a results line: "Leeds 2 Chelsea 1", "CHICAGO 4 Dallas 2",
# "Charleroi (Belgium) 75 Estudiantes Madrid (Spain) 82".
_TEAM_SCORE = re.compile(
    r"(?:^|(?<=\d )|(?<=\) )|(?<=\. ))(?P<team>(?:[A-Z][\w.'-]*\s){0,2}[A-Z][\w'-]*[a-zA-Z])"
    r"(?:\s\([A-Z][\w ]*\))?\s(?P<score>\d{1,3})(?=\s|$|\.|,)"
    r"(?!\s*(?:[-:]|percent|%|years|points|pct))"
)
# A standings row: an all-caps team and its columns of numbers, "PHILADELPHIA 19 13 3 104",
# "HOUSTON 16 2 .889 -" (won, lost, percentage),
# or any team and a full row of them (played, won, drawn, lost, for, against, points),
# "Werder Bremen 17 6 4 7 29 28 22", "1. FC Cologne 16 8 2 6 31 27 26": five or more whole
# numbers and nothing else, which no sentence and no golf or tennis score line has.
_STANDINGS_ROW = re.compile(
    r"^(?P<team>[A-Z][A-Z.'-]+(?:\s[A-Z][A-Z.'-]+){0,2})(?:(?:\s\d+){3,}|(?:\s\d+){2}\s\.\d{3}\b)"
    r"|^(?P<club>(?:\d\.\s)?[A-Z][\w.'-]*(?:\s(?:\d+\s)?[A-Z][\w.'-]*){0,3})(?:\s\d+){5,}\s*$"
)


def _separate_organizations(span: str) -> list[str]:
    """ "Traditions Ltd and Creative Marketing Inc" is two organizations: an "and" right after
    an organization word starts another ("Institute of Political and Military Analysis" is
    one)."""
    parts = [[]]
    words = span.split()
    for index, word in enumerate(words):
        previous = words[index - 1].strip(".,") if index else ""
        if word in {"and", "&"} and previous in _ORG_HEADS:
            parts.append([])
        else:
            parts[-1].append(word)
    return [" ".join(part) for part in parts if part]


def _teams_in_results(paragraph: str) -> list[str]:
    """The teams of a paragraph that reads as a results line (at least two capitalised names
    each followed by a score) or a standings row."""
    row = _STANDINGS_ROW.match(paragraph)
    if row:
        return [row.group("team") or row.group("club")]
    matches = [
        m
        for m in _TEAM_SCORE.finditer(paragraph)
        if m.group("team").split()[0] not in _NOT_NAME_WORDS
    ]
    if len(matches) < 2 or "(" in paragraph[: matches[0].start()]:
        return []
    return [m.group("team") for m in matches]


def has_letter_case(text: str) -> bool:
    """True unless the text is (almost) all upper case, as wire copy and old archives are:
    capitals then say nothing about names or acronyms."""
    lower = len(_LOWER_LETTER.findall(text))
    upper = len(_UPPER_LETTER.findall(text))
    return not lower + upper or lower / (lower + upper) > 0.2


_LOWER_LETTER = re.compile(rf"[{_LOWER}]")
_UPPER_LETTER = re.compile(rf"[{_UPPER}]")


def _organization_in_span(span: str) -> str | None:
    """The organization in a capitalised run: "Kimball of the Arms Control Association" gives
    "Arms Control Association"; "Institute of Political and Military Analysis" stays whole."""
    words = span.split()
    owners = [i for i, w in enumerate(words[:-1]) if w.endswith(("’s", "'s"))]
    words = words[owners[-1] + 1 :] if owners else words  # "Buthelezi's Inkatha Freedom Party"
    for index, word in enumerate(words[:-1]):
        if word.endswith(".") and _ends_sentence(word[:-1]) and word[:-1] not in _ORG_HEADS:
            words = words[: index + 1]  # "University of Singapore. At" ends at the period
            break
    words = [w for w in words if not re.search(r"[a-z]-[a-z]", w)] if words else words
    heads = [i for i, w in enumerate(words) if w.strip(".,") in _ORG_HEADS]
    if not heads:
        return None
    first, last = heads[0], heads[-1]
    connectors = [i for i in range(first) if words[i] in _CONNECTOR_WORDS]
    start = connectors[-1] + 1 if connectors else 0
    while start < first and (words[start] in _NOT_NAME_WORDS or words[start] in _CONNECTOR_WORDS):
        start += 1
    end = len(words) if last + 1 < len(words) and words[last + 1] == "of" else last + 1
    while end > last + 1 and words[end - 1] in _CONNECTOR_WORDS:
        end -= 1
    organization = words[start:end]
    if len(organization) == 1:
        return None  # a bare "Council" or "Party" names nothing
    return " ".join(organization).rstrip(".")


_CONNECTOR_WORDS = {"of", "and", "for", "on", "the", "de", "&"}


def _inside_capitalised_name(text: str, offset: int) -> bool:
    """ "New START treaty": an acronym right after a capitalised word is part of another name."""
    before = text[:offset].rstrip()
    if not before or before[-1] in '.!?"“':
        return False
    previous = before.split()[-1] if before.split() else ""
    return previous[:1].isupper() and not previous.isupper() and previous not in _NOT_NAME_WORDS
