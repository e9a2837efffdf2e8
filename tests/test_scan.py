"""Tests for the candidate scanner: table-driven, real news wording (seeds/ and the BBC corpus)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.ground.scan import content_mask, scan, split_sentences

# --------------------------------------------------------------------------- sentences

SENTENCES = [
    # text, expected sentences
    (
        "Mr. Smith went to Washington. He met Dr. Jones there.",
        ["Mr. Smith went to Washington.", "He met Dr. Jones there."],
    ),
    (
        "The U.S. economy grew 3% in 2004. Exports rose.",
        ["The U.S. economy grew 3% in 2004.", "Exports rose."],
    ),
    (
        "The data released by the MIIT on Jan. 26 show that over 600,000 5G base stations "
        "were newly built in China in 2020.",
        [
            "The data released by the MIIT on Jan. 26 show that over 600,000 5G base stations "
            "were newly built in China in 2020."
        ],
    ),
    (
        "BEIJING, July 14 (Xinhua) — The Purple Mountain Laboratories based in Nanjing "
        "received a special guest earlier this month.",
        [
            "The Purple Mountain Laboratories based in Nanjing received a special guest earlier this month."
        ],
    ),
    (
        "Song also teaches other villagers how to sell local products via live stream. "
        "“They used to make ends meet,” she said.",
        [
            "Song also teaches other villagers how to sell local products via live stream.",
            "“They used to make ends meet,” she said.",
        ],
    ),
    (
        "J. K. Rowling has finished the book. It is out in July.",
        ["J. K. Rowling has finished the book.", "It is out in July."],
    ),
    (
        "GUIDING HIGH-QUALITY DEVELOPMENT\n\nXi stressed it.",
        ["GUIDING HIGH-QUALITY DEVELOPMENT", "Xi stressed it."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_sentences(text: str, expected: list[str]) -> None:
    found = split_sentences(text)
    assert [s.text for s in found] == expected
    assert all(text[s.start : s.end] == s.text for s in found)


def test_a_line_without_sentence_punctuation_is_a_heading() -> None:
    found = split_sentences("DELIVERING BENEFITS TO ALL\n\nIn February, a surgeon operated.")
    assert [s.heading for s in found] == [True, False]


def test_mask_blanks_furniture_and_headline_but_keeps_offsets() -> None:
    text = (
        "China’s internet users hit almost 1 billion\n\nHome » News\n\nThe body has 989 million.\n"
    )
    masked = content_mask(text, title="China’s internet users hit almost 1 billion")
    assert len(masked) == len(text)
    assert "1 billion" not in masked and "Home" not in masked
    assert masked.index("The body") == text.index("The body")


# --------------------------------------------------------------------------- quantities

QUANTITIES = [
    # sentence, number as written, unit, metric (exact), period
    (
        "With a staggering 1.079 billion internet users, China holds the top spot worldwide.",
        "1.079 billion", "users", "internet users", None,
    ),
    (
        "By the end of 2022, the number of online shoppers in China topped 845 million, "
        "while a total of 363 million people had access to internet-based medical services.",
        "845 million", "shoppers", "online shoppers in China", "2022",
    ),
    (
        "The country’s internet penetration rate was raised to 70.4 percent, according to a report.",
        "70.4 percent", "percent", "country’s internet penetration rate", None,
    ),
    (
        "Song became a proficient live streamer and sold over 900,000 kg of local fruits, annually.",
        "900,000 kg", "kg", "weight: local fruits", None,
    ),
    (
        "Customs statistics showed that the value of cross-border e-commerce trade in China "
        "reached 1.69 trillion yuan in 2020, a year-on-year increase of 31.1 percent.",
        "1.69 trillion yuan", "CNY", "value of cross-border e-commerce trade in China", "2020",
    ),
    (
        "The data released by the MIIT on Jan. 26 show that over 600,000 5G base stations "
        "were newly built in China in 2020.",
        "600,000", "stations", "5G base stations", "2020",
    ),
    (
        "Last year, China had more than 1,100 “5G plus industrial Internet” projects under construction.",
        "1,100", "projects", "“5G plus industrial Internet” projects", None,
    ),
    (
        "Its fourth quarter sales rose 2% to $11.1bn from $10.9bn.",
        "$11.1bn", "USD", "fourth quarter sales", None,
    ),
    (
        "During the 30-minute surgery, a robot at the hospital responded in sync.",
        "30-minute", "minutes", "duration of surgery", None,
    ),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "number", "unit", "metric", "period"), QUANTITIES)
def test_quantity_metric(
    sentence: str, number: str, unit: str, metric: str, period: str | None
) -> None:
    found = {q.text: q for q in scan(sentence).quantities}
    q = found[number]
    assert (q.unit, q.metric, q.period) == (unit, metric, period)
    assert sentence[q.start : q.end] == q.text
    assert q.sentence.text == sentence


def test_growth_and_conversion() -> None:
    sentence = (
        "China saw its annual online retail sales total 11.76 trillion yuan "
        "(about 1.82 trillion U.S. dollars) in 2020, up 10.9 percent year on year."
    )
    qs = scan(sentence).quantities
    assert [q.text for q in qs] == [
        "11.76 trillion yuan",
        "1.82 trillion U.S. dollars",
        "10.9 percent",
    ]
    assert qs[0].metric == "annual online retail sales" and qs[0].equivalent_of is None
    assert qs[1].equivalent_of == 0
    assert qs[2].metric == "increase in annual online retail sales"


def test_change_of_an_amount_takes_its_unit() -> None:
    sentence = (
        "The number of China’s internet users hit 989 million by the end of last year, "
        "an increase of 85.4 million from March 2020."
    )
    qs = scan(sentence).quantities
    assert [(q.unit, q.metric) for q in qs] == [
        ("users", "China’s internet users"),
        ("users", "increase in China’s internet users"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Barcelona's pursuit of the Spanish title took a blow as they fell to a 2-0 defeat.",
        "China aims to provide internet access to millions across urban and rural areas.",
        "China’s journey began in 2014 when it celebrated the 20th anniversary of internet access.",
        "The lab has scored achievements in such fields as B5G/6G network and cybersecurity.",
    ],
)
def test_not_quantities(sentence: str) -> None:
    assert scan(sentence).quantities == []


def test_a_period_carries_over_within_the_paragraph_only() -> None:
    text = (
        "In a recent report as of June 2023, China has emerged as a leader. "
        "With a staggering 1.079 billion internet users, China holds the top spot.\n\n"
        "The coverage rate of the platform has reached 100% at the municipal level."
    )
    assert [q.period for q in scan(text).quantities] == ["2023-06", None]


# --------------------------------------------------------------------------- quotes

XI = "President Xi Jinping visited its 6G comprehensive lab during an inspection tour.\n\n"
QUOTES = [
    # text, (quote text, speaker, role, how)
    (
        XI + "“You must seize the opportunity, make new achievements,” Xi encouraged those in the lab.",
        ("You must seize the opportunity, make new achievements", "Xi Jinping", "President", "after"),
    ),
    (
        XI + "Xi stressed strengthening law-based governance of the cyberspace.\n\n"
        "“It is no easy job. But it must be done no matter how hard it is,” he said.",
        ("It is no easy job. But it must be done no matter how hard it is", "Xi Jinping", "President", "pronoun"),
    ),
    (
        XI + "As for cybersecurity, Xi stressed that “without ensuring cybersecurity, we cannot "
        "safeguard national security.”",
        ("without ensuring cybersecurity, we cannot safeguard national security.", "Xi Jinping", "President", "before"),
    ),
    (
        '"They have shown a complete disregard for the consultative rights of our members," '
        "said Mr Fitzpatrick, who added that the union would fight.",
        ("They have shown a complete disregard for the consultative rights of our members", "Mr Fitzpatrick", None, "after"),
    ),
    (
        '"Money has moved out from India in the first quarter," said Bhanu Baweja, a strategist at UBS.',
        ("Money has moved out from India in the first quarter", "Bhanu Baweja", "strategist", "after"),
    ),
    (
        '"The FDI relaxation coupled with rapid growth will help," said Gartner\'s principal analyst Kobita Desai.',
        ("The FDI relaxation coupled with rapid growth will help", "Kobita Desai", "Gartner's principal analyst", "after"),
    ),
    (
        '"We want Michael to be as accessible as possible," Tory co-chairman Liam Fox said.',
        ("We want Michael to be as accessible as possible", "Liam Fox", "Tory co-chairman", "after"),
    ),
    (
        '"The economy really did slow very sharply in the second half," according to Michael Blythe.',
        ("The economy really did slow very sharply in the second half", "Michael Blythe", None, "according"),
    ),
    (
        'Mr Blair said: "I am very sorry that they were subject to such an ordeal and injustice."',
        ("I am very sorry that they were subject to such an ordeal and injustice.", "Mr Blair", None, "before"),
    ),
    (
        "Tony Blair met Gordon Brown on Monday.\n\n"
        '"We agreed on the plan for the next election campaign," he said.',
        ("We agreed on the plan for the next election campaign", None, None, None),
    ),
    # A name, an appositive between commas, then "had said": the word before the verb
    # ("had") is no speaker. One or two appositives; a sentence adverb is no name.
    (
        'Andy Williams, chief executive of Powys Local Health Board, had said it was "a totally unacceptable way to behave".',
        ("a totally unacceptable way to behave", "Andy Williams", "chief executive", "before"),
    ),
    (
        'Earlier, David Rose, Chief Executive of Hereford Hospitals NHS Trust, had said: "It is with real regret that we have taken this step."',
        ("It is with real regret that we have taken this step.", "David Rose", "Chief Executive of Hereford Hospitals NHS Trust", "before"),
    ),
    (
        'Tony Lloyd, the Manchester Central MP, whose constituency includes the ground, has pledged to take the matter "to Tony Blair if necessary".',
        ("to Tony Blair if necessary", "Tony Lloyd", "Manchester Central MP", "before"),
    ),
    # A sentence adverb opens the sentence, not the name ("Again Roddick" was a person).
    (
        "Andy Roddick led early. Again Roddick broke first and again Hewitt fought back.\n\n"
        '"It just took one jackass to shout out," said Roddick.',
        ("It just took one jackass to shout out", "Andy Roddick", None, "after"),
    ),
    # ... and the name after one is the sentence's subject, whom a pronoun can mean.
    (
        "Earlier Tony Blair defended the plans against criticism from one of his own backbenchers.\n\n"
        '"My view of this is very clear: we should have the same flexibility," he told MPs.',
        ("My view of this is very clear: we should have the same flexibility", "Tony Blair", None, "pronoun"),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), QUOTES)
def test_quote_attribution(
    text: str, expected: tuple[str, str | None, str | None, str | None]
) -> None:
    quotes = scan(text).quotes
    assert len(quotes) == 1
    q = quotes[0]
    assert (q.text, q.speaker, q.speaker_role, q.attribution) == expected
    assert text[q.start : q.end] == q.text


def test_speaker_resolves_to_the_fullest_name_and_introduction_role() -> None:
    text = (
        "New realms of opportunity have emerged for Song Chunjiao, a villager from central "
        "China’s Hunan Province.\n\n"
        "“Now, with cell phones as our new farm tools, the villagers are expecting more,” Song said."
    )
    (q,) = scan(text).quotes
    assert (q.speaker, q.speaker_role) == ("Song Chunjiao", "villager")


def test_quote_interrupted_by_attribution_is_two_passages_with_one_speaker() -> None:
    text = (
        '"Britain pays over £1bn a year to European passengers," Mr Clarke said. '
        '"That\'s basically a transfer of money from our airlines to theirs."'
    )
    quotes = scan(text).quotes
    assert [q.speaker for q in quotes] == ["Mr Clarke", "Mr Clarke"]
    assert quotes[1].attribution == "inherited"


def test_multi_paragraph_quote() -> None:
    text = (
        "Cory Doctorow, an activist at the Electronic Frontier Foundation, spoke on Monday.\n\n"
        '"Of course Google should be allowed to direct people to whatever proxies it chooses.\n\n'
        '"But as an end user I would want to know how much Google is being paid," said Mr Doctorow.'
    )
    quotes = scan(text).quotes
    assert [q.continued for q in quotes] == [True, False]
    assert [q.speaker for q in quotes] == ["Cory Doctorow", "Cory Doctorow"]
    assert all(text[q.start : q.end] == q.text for q in quotes)


@pytest.mark.parametrize(
    "text",
    [
        'Mr Fox accused the government of a "hard landing" in the shape of a slump.',
        "China is poised to achieve “overtaking around corners” by breaking through barriers.",
        "Last year, China had more than 1,100 “5G plus industrial Internet” projects.",
        "General Secretary Xi Jinping’s vision of a ‘Digital Silk Road’ has materialized.",
        'Comedy "Meet The Fockers" held on to the number one spot at the box office.',
        "The country’s internet sector is thriving, and the lab’s researchers agree.",
    ],
)
def test_not_quotes(text: str) -> None:
    assert scan(text).quotes == []


# --------------------------------------------------------------------------- dates

DATES = [
    # sentence, reference date, phrase, kind, preposition, date
    ("Xi spoke at a study session in October 2021.", None, "in October 2021", "month_year", "in", "2021-10"),
    ("The ruling came on December 16, 2015 in Paris.", None, "on December 16, 2015", "full", "on", "2015-12-16"),
    ("Shortly after assuming the top job in late 2012, Xi spoke.", None, "in late 2012", "year", "in", "2012"),
    ("Prices have doubled since 2010 in the capital.", None, "since 2010", "year", "since", "2010"),
    ("The lab received a special guest earlier this month.", "2023-07-14", "earlier this month", "relative", None, "2023-07"),
    ("The lab received a special guest earlier this month.", None, "earlier this month", "relative", None, None),
    ("He told the Scottish Parliament on Wednesday that a ban would come.", "2004-11-12", "on Wednesday", "weekday", "on", "2004-11-10"),
    ("In February, a surgeon removed the gallbladder of a patient.", "2023-07-14", "In February", "month", "in", "2023-02"),
    ("Sales fell last year, the firm said.", "2021-03-01", "last year", "relative", None, "2020"),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "ref", "phrase", "kind", "prep", "date"), DATES)
def test_dates(
    sentence: str, ref: str | None, phrase: str, kind: str, prep: str | None, date: str | None
) -> None:
    (d,) = scan(sentence, reference_date=ref).dates
    assert (d.text, d.kind, d.preposition, d.date) == (phrase, kind, prep, date)
    assert sentence[d.start : d.end] == d.text


@pytest.mark.parametrize(
    "sentence",
    [
        "The firm plans to cut 2000 jobs over the next decade.",
        "The 2012 Olympics were held in London.",
        "You may call the office at any time.",
    ],
)
def test_not_dates(sentence: str) -> None:
    assert scan(sentence).dates == []


# --------------------------------------------------------------------------- robustness


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("ab Mr.U.S\"“”‘’'\n,0123456789%$£-—()Xi said he")),
        max_size=200,
    )
)
def test_scan_never_raises_and_offsets_hold(text: str) -> None:
    found = scan(text, reference_date="2024-05-06")
    spans = [*found.sentences, *found.quantities, *found.quotes, *found.dates]
    assert all(text[c.start : c.end] == c.text for c in spans)
