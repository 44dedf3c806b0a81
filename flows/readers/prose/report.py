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

The text's place is a province; its figures are on the territory in force on the publication
date (flows/core/territories.py): a 2025 report of the merged Hải Phòng, its "same period last
year" figures included, is the merged city's (VN-31-2025), a 2024 report the old city's (VN-31).
A sentence of such a report that names a unit merged into it ("Hải Dương", "Hải Phòng (cũ)")
speaks of another territory: its figures are quarantined as territory-former, never filed
under the merged city.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from flows.core.errors import ConfigError
from flows.core.model import Observation, Rejected
from flows.core.reference import read_rows
from flows.core.territories import not_in_force, territories, territory_in_force
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
    text gives none, makes figures for periods not yet over estimates, and picks the territory
    of `geo` in force then. `source_name` (the file or URL) is named in every quarantine message.
    Raises ConfigError when `geo` has no territory on that date (merged into another province).
    """
    territory = territory_in_force(geo, published)
    if territory is None:
        raise ConfigError(f"{source_name or 'the text'}: {not_in_force(geo, published)}")
    former = _former_units(territory)
    context = Context(geo=territory, published=published, source=source_name)
    observations: list[Observation] = []
    rejected: list[Rejected] = []
    sentences: dict[str, Sentence] = {}
    for part in split_report(text):
        if isinstance(part, Heading):
            enter_heading(context, part.text)
            continue
        sentences.setdefault(part.text, part)
        found, bad = read_sentence(part, context)
        if found and former is not None and former.search(part.text):
            bad, found = [*bad, *(_former(o, part, source_name) for o in found)], []
        observations.extend(found)
        rejected.extend(bad)
    addresses = {key: (sentence.heading, f"s{sentence.number}", sentence.text)
                 for key, sentence in sentences.items()}
    return ProseFigures(observations, rejected, addresses)


@cache  # one pattern per territory, not per report
def _former_units(territory: str) -> re.Pattern[str] | None:
    """The names of the units merged into `territory` ("Hải Dương"), or any place name marked
    former ("Hải Phòng (cũ)"); None for a territory no merger formed."""
    known = territories()
    merged = known.get(territory)
    if merged is None or merged.valid_from is None:
        return None
    before = {t.geo for t in known.values() if t.successor == territory}
    names = {r["name"] for r in read_rows("places.csv") if r["geo"] in before}
    # a province of its own name is its old self only when marked "(cũ)", former
    names -= {r["name"] for r in read_rows("places.csv") if r["geo"] == merged.province}
    every = sorted({r["name"] for r in read_rows("places.csv")}, key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    marked = "(?:" + "|".join(re.escape(n) for n in every) + r")\s*\(\s*cũ\s*\)"
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)|{marked}" if names else marked)


def _former(found: Observation, sentence: Sentence, source_name: str) -> Rejected:
    where = f"{source_name or 'report'}, s{sentence.number}"
    return Rejected(
        sentence.heading, f"s{sentence.number}", sentence.text, f"{found.value:g}",
        "territory-former",
        f"{where}: the sentence names a unit merged into {found.geo}, so its {found.indicator} "
        f"figure is not the merged province's; quarantined, not filed under {found.geo}")
