"""Read the figures of a Vietnamese statistical report's prose, as the words say them.

A figure is a number followed by "%", a unit or a scale word ("26.351,9 triệu USD", "15,14%",
"8.878 tỷ đồng"); other numbers (counts such as "14 KCN", dates, "(1 + 2)") are not figures.
A figure becomes an observation only when the words say all of it: the indicator (a phrase of
flows/reference/prose_indicators.csv), the period, and the measure (a unit, or a comparison for
a percentage). A figure the reader cannot fully interpret is quarantined with its sentence, never
guessed; sentences without figures are passed over. The words say the canonical model's
dimensions outright, so the figures come out as observations; the pipeline validates them.

Where a sentence leaves something out, it comes from the context, in this order: the sentence
itself (the nearest mention before the figure, within the same brackets), the earlier sentences
of the same paragraph (indicator, comparison), the last period named (in a sentence or a heading),
the heading's indicator, and for a year alone, the publication date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flows.core.model import Observation, Rejected
from flows.readers.prose.sentence import Context, enter_heading, read_sentence
from flows.readers.prose.text import Heading, Sentence, split_report


@dataclass(frozen=True)
class ProseFigures:
    """What a report's prose says: its figures, those quarantined, and where each sentence is
    (its text -> heading, "s12", the sentence), for addressing rejects found later."""

    observations: list[Observation]
    rejected: list[Rejected]
    addresses: dict[str, tuple[str, str, str]]


def read_prose(text: str, *, geo: str, published: date, source_name: str = "") -> ProseFigures:
    """The observations of a report's text for `geo`, and the figures it had to quarantine.

    `published` is the publication date: it gives a year to periods named without one when the
    text gives none, and makes figures for periods not yet over estimates. `source_name` (the
    file or URL) is named in every quarantine message.
    """
    context = Context(geo=geo, published=published, source=source_name)
    observations: list[Observation] = []
    rejected: list[Rejected] = []
    sentences: dict[str, Sentence] = {}
    for part in split_report(text):
        if isinstance(part, Heading):
            enter_heading(context, part.text)
            continue
        sentences.setdefault(part.text, part)
        found, bad = read_sentence(part, context)
        observations.extend(found)
        rejected.extend(bad)
    addresses = {key: (sentence.heading, f"s{sentence.number}", sentence.text)
                 for key, sentence in sentences.items()}
    return ProseFigures(observations, rejected, addresses)
