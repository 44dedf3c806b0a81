"""Read one sentence of a report: each figure's indicator, period, status, measure and item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flows.core import periods
from flows.core.model import Observation, Rejected
from flows.core.periods import Period
from flows.readers.prose.items import IndustryMention, ListItem, industry_mentions, item_code
from flows.readers.prose.items import list_items as find_list
from flows.readers.prose.lexicon import (
    VSIC_BREAKDOWNS,
    IndicatorPhrase,
    Mention,
    find,
    indicator_phrases,
    searchable,
)
from flows.readers.prose.measures import Clues, Figure, Reading, direction, find_figures, interpret
from flows.readers.prose.periods import PeriodMention, build, find_periods, year_from_publication
from flows.readers.prose.text import Sentence

# A change word governs a figure at most this many words before it: "ước tăng 15,14%",
# "đạt khoảng 8.878 tỷ đồng", "tăng lần lượt là 5%" but not a "tăng" earlier in the clause.
VERB_REACH = 3
# Comparisons that measure growth (an index); "plan" measures attainment of a target.
GROWTH = ("yoy", "pop", "dec", "base", "year")
PLAN_STATUS = "official"  # a plan is a decided target, not an estimate of an outcome
NO_PARTNER = "_Z"
NOT_APPLICABLE = "_Z"
WHOLE = "_T"  # "ngành công nghiệp", "toàn ngành": the whole industry, or an indicator's total
COUNTRY = "VN"  # every other geo is a province (or a territory that replaced one)
_TODO = {
    "unknown-indicator": "add the phrase that names it to flows/reference/prose_indicators.csv",
    "period-unparseable": "the sentence, its paragraph and the headings above name no period",
    "unknown-label": "add the label to flows/reference/industry_aliases.csv (or commodities.csv)",
    "figure-uninterpretable": "if the wording is common, teach it to "
    "flows/reference/prose_phrases.csv; otherwise the figure stays out",
}


@dataclass
class Context:
    """What earlier sentences and headings said, for sentences that leave it out."""

    geo: str
    published: date
    source: str
    heading: str = ""
    heading_indicator: IndicatorPhrase | None = None
    paragraph: int = 0
    indicator: IndicatorPhrase | None = None  # named last in this paragraph
    comparison: Mention | None = None  # a growth comparison used last in this paragraph
    period: Period | None = None  # the last period a sentence or heading named
    status: str | None = None  # the status words of that sentence


@dataclass(frozen=True)
class Facts:
    """Everything the reader found in one sentence, at the sentence's character offsets."""

    sentence: Sentence
    search: str
    scopes: list[int]  # per character: 0 outside brackets, else the bracket group's number
    indicators: list[Mention]
    comparisons: list[Mention]
    # Plan phrases that introduce the plan itself, with where they apply: -1 for "Kế hoạch năm:"
    # (every figure after it), else the bracket group of "kế hoạch năm (tăng 15,5%)".
    plan_labels: list[tuple[Mention, int]]
    statuses: list[Mention]
    changes: list[Mention]
    periods: list[PeriodMention]
    figures: list[Figure]
    industries: list[IndustryMention]
    colon: int
    items: dict[int, ListItem]


@dataclass(frozen=True)
class Where:
    """Where to look for a figure's words: before `at`, after it until `after_end`, and its own
    change word from `own_from`. A list item looks in the list's lead and in its bracket."""

    at: int
    low: int
    high: int
    own_from: int
    after_end: int


def enter_heading(context: Context, text: str) -> None:
    """A heading starts a section: its indicator (if any) becomes the topic, its period the
    context period, and the paragraph's indicator and comparison are forgotten."""
    search = searchable(text)
    named = find("indicator", search)
    context.heading = text
    context.heading_indicator = indicator_phrases()[named[0].phrase] if named else None
    context.indicator, context.comparison = None, None
    mentions = [m for m in find_periods(search, []) if m.kind != "LAST_YEAR"]
    if mentions:
        context.period, context.status = _resolve(mentions[-1], mentions, context), None


def read_sentence(sentence: Sentence, context: Context) -> tuple[list[Observation], list[Rejected]]:
    """The observations of one sentence and the figures it quarantines; updates `context`."""
    if sentence.paragraph != context.paragraph:
        context.paragraph, context.indicator, context.comparison = sentence.paragraph, None, None
    facts = gather(sentence)
    observations: list[Observation] = []
    rejected: list[Rejected] = []
    industries: list[tuple[str, str]] = []  # (indicator, code) of each figure so far
    for index in range(len(facts.figures)):
        result, industry = _figure(facts, index, context, industries)
        industries.append(industry)
        if isinstance(result, Observation):
            observations.append(result)
        else:
            rejected.append(result)
    _remember(facts, context)
    return observations, rejected


def gather(sentence: Sentence) -> Facts:
    """Find the phrases, periods and figures of a sentence."""
    text, search = sentence.text, searchable(sentence.text)
    indicators = find("indicator", search)
    comparisons = find("comparison", search)
    scopes = _scopes(text)
    figures = find_figures(text, search)
    labels: list[tuple[Mention, int]] = []
    for plan in (c for c in comparisons if c.code == "plan"):
        # "đạt 79,8% kế hoạch năm (9 tháng/2023 …)": right after a figure it is its comparison.
        applies = _label_scope(search, plan, scopes)
        if applies is not None and not any(
            f.end <= plan.start and not search[f.end : plan.start].strip() for f in figures
        ):
            labels.append((plan, applies))
    plain = [c for c in comparisons if all(c is not label for label, _ in labels)]
    statuses = [s for s in find("status", search) if not _inside(s, indicators)]
    # "Tăng trưởng kinh tế" names GRDP; its "tăng trưởng" says nothing about a figure.
    changes = [c for c in find("change", search) if not _inside(c, indicators)]
    named = find_periods(search, [(c.start, c.end) for c in comparisons])
    colon, items = find_list(text, search, figures)
    stops = {m.start for m in [*changes, *statuses, *comparisons]} | {m.start for m in named}
    return Facts(
        sentence, search, scopes, indicators, plain, labels, statuses, changes, named, figures,
        industry_mentions(search, stops), colon, items,
    )


def _figure(
    facts: Facts, index: int, context: Context, industries: list[tuple[str, str]]
) -> tuple[Observation | Rejected, tuple[str, str]]:
    """One figure as an observation or a reject, with its (indicator, code) for the next."""
    figure, where = facts.figures[index], _where(facts, index)
    phrase = _indicator(facts, where, context)
    if phrase is None:
        return _reject(facts, index, context, "unknown-indicator",
                       "no indicator phrase names what it measures"), ("", "")
    period, from_context = _period(facts, where, context)
    if period is None:
        return _reject(facts, index, context, "period-unparseable",
                       "no period is named for it"), ("", "")
    clues = _clues(facts, index, where, context, phrase, period)
    reading = interpret(figure, clues)
    if isinstance(reading, str):
        return _reject(facts, index, context, "figure-uninterpretable", reading), ("", "")
    if clues.comparison is not None and clues.comparison.code in GROWTH:
        context.comparison = clues.comparison
    code, problem = _item(facts, index, where, phrase, industries)
    if code is None:
        return _reject(facts, index, context, "unknown-label", problem), ("", "")
    if clues.plan_label:
        period, status = periods.annual(clues.period_year), PLAN_STATUS
    else:
        status = _status(facts, where, period, from_context, context)
    observation = _observation(facts, context, phrase, code, reading, period, status)
    return observation, (phrase.indicator, code)


def _where(facts: Facts, index: int) -> Where:
    figures, item = facts.figures, facts.items.get(index)
    if item is not None:
        lead = [f.end for f in figures if f.end <= facts.colon]
        low = lead[-1] if lead else 0
        return Where(facts.colon, low, facts.colon, item.start, item.end)
    low = figures[index - 1].end if index else 0
    high = figures[index + 1].start if index + 1 < len(figures) else len(facts.search)
    return Where(figures[index].start, low, high, low, high)


def _indicator(facts: Facts, where: Where, context: Context) -> IndicatorPhrase | None:
    before = [m for m in facts.indicators if m.start < where.at]
    after = [m for m in facts.indicators if where.at <= m.start < where.high]
    named = before[-1:] or after[:1]
    if named:
        return indicator_phrases()[named[0].phrase]
    return context.indicator or context.heading_indicator


def _period(facts: Facts, where: Where, context: Context) -> tuple[Period | None, bool]:
    """The figure's period and whether it came from the context (an earlier sentence)."""
    scope = facts.scopes[where.at]
    mention = _nearest_period(facts, where.at, where.high, scope)
    group_start = facts.scopes.index(scope) if scope else where.at
    if mention is None and scope:
        mention = _nearest_period(facts, group_start, group_start, 0)
    if mention is None:
        return context.period, True
    if mention.kind != "LAST_YEAR":
        return _resolve(mention, _same_scope(facts, mention), context), False
    outer = _nearest_period(facts, min(group_start, mention.start), mention.start, 0, True)
    base = _resolve(outer, _same_scope(facts, outer), context) if outer else context.period
    return (periods.shift_years(base, -1) if base else None), False


def _nearest_period(
    facts: Facts, at: int, high: int, scope: int, absolute: bool = False
) -> PeriodMention | None:
    """The period named nearest before `at` in bracket group `scope`, else the first one
    after it before `high`; `absolute` leaves out "cùng kỳ" (a period relative to another)."""
    same = [m for m in facts.periods if facts.scopes[m.start] == scope
            and not (absolute and m.kind == "LAST_YEAR")]
    before = [m for m in same if m.start < at]
    after = [m for m in same if at <= m.start < high]
    if before:
        return before[-1]
    return after[0] if after else None


def _same_scope(facts: Facts, mention: PeriodMention) -> list[PeriodMention]:
    return [m for m in facts.periods if facts.scopes[m.start] == facts.scopes[mention.start]]


def _resolve(mention: PeriodMention, others: list[PeriodMention], context: Context) -> Period:
    """A named period, its year from itself, the nearest mention with a year, the context
    period or, failing all, the publication date."""
    year = mention.year
    if year is None:
        dated = [m for m in others if m.year is not None]
        nearest = min(dated, key=lambda m: abs(m.start - mention.start), default=None)
        year = nearest.year if nearest is not None else None
    if year is None and context.period is not None:
        year = context.period.end.year
    if year is None:
        year = year_from_publication(mention, context.published)
    return build(mention, year)


def _clues(
    facts: Facts, index: int, where: Where, context: Context, phrase: IndicatorPhrase,
    period: Period,
) -> Clues:
    """The change word right before the figure, the comparison after it (within its brackets)
    or before it, else for a rise or fall the paragraph's last one, and any plan label over it."""
    figure = facts.figures[index]
    changes = [m for m in facts.changes if where.own_from <= m.start and m.end <= figure.start
               and len(facts.search[m.end : figure.start].split()) <= VERB_REACH]
    # After the figure only within its own brackets (a comparison after the closing bracket is
    # the outer figures'); before it, the words outside count: "tăng 16,42% so cùng kỳ năm
    # trước (9 tháng/2018 tăng 16,20%)" compares both with the year before.
    scope = facts.scopes[figure.start]
    after = [c for c in facts.comparisons if figure.end <= c.start < where.after_end
             and facts.scopes[c.start] == scope]
    before = [c for c in facts.comparisons if where.low <= c.start and c.end <= where.at]
    comparison = after[0] if after else (before[-1] if before else None)
    change = changes[-1].code if changes else None
    clues = Clues(change, comparison, False, phrase.unit, period.end.year)
    if comparison is None and direction(figure, clues) in ("up", "down"):
        comparison = context.comparison
    labels = [m for m, applies in facts.plan_labels
              if (applies < 0 and m.start < where.at) or applies == scope > 0]
    plan_year = (labels[-1].year or period.end.year) if labels else period.end.year
    return Clues(change, comparison, bool(labels), phrase.unit, plan_year)


def _item(
    facts: Facts, index: int, where: Where, phrase: IndicatorPhrase,
    industries: list[tuple[str, str]],
) -> tuple[str | None, str]:
    """The industry or product code of a figure, or None and why."""
    item = facts.items.get(index)
    if item is not None:
        code = item_code(phrase.breakdown, phrase.indicator, item.label)
        return code, (f"'{item.label}' is no {phrase.breakdown or 'breakdown'} chiso knows "
                      f"under {phrase.indicator}")
    if phrase.breakdown not in VSIC_BREAKDOWNS:
        return phrase.product, ""
    default = phrase.industry
    named = [m for m in facts.industries if where.low <= m.start < where.at]
    if named and named[-1].whole and phrase.breakdown == "activity":
        return None, (f"'{named[-1].label}' (sections B-E) has no code under "
                      f"{phrase.indicator}, whose total _T is the whole economy")
    if named:
        return named[-1].code, f"'ngành {named[-1].label}' is no industry chiso knows"
    # "ngành X tăng 16,5% so với cùng kỳ, đóng góp 5,12 điểm phần trăm": the contribution is
    # X's too, as long as the clause (up to ";") and the indicator go on.
    previous = industries[-1] if industries else ("", "")
    if previous[0] == phrase.indicator and ";" not in facts.search[where.low : where.at]:
        return previous[1], ""
    return default, ""


def _status(
    facts: Facts, where: Where, period: Period, from_context: bool, context: Context
) -> str:
    """The status words before the figure (within its brackets), the status of the sentence
    its period came from, else official for a period over before publication."""
    scope = facts.scopes[where.at]
    said = [s for s in facts.statuses if facts.scopes[s.start] == scope and s.start < where.at]
    if said:
        return said[-1].code
    if from_context and context.status:
        return context.status
    return "official" if period.end < context.published else "estimate"


def _observation(
    facts: Facts, context: Context, phrase: IndicatorPhrase, code: str, reading: Reading,
    period: Period, status: str,
) -> Observation:
    industry, product = _codes(phrase, code, context.geo)
    return Observation(
        phrase.indicator, context.geo, industry, product, NO_PARTNER, reading.measure,
        reading.unit, period, float(reading.value), status, facts.sentence.text,
        reading.decimals,
    )


def _codes(phrase: IndicatorPhrase, code: str, geo: str) -> tuple[str, str]:
    """The industry and product of a figure whose item is `code`: an industry of a VSIC
    breakdown (product `_Z`, as GSO codes the industry rows of its tables), a product, or the
    indicator's whole, written at a province as `province_whole` where the phrase gives one."""
    if phrase.breakdown in VSIC_BREAKDOWNS and code not in (phrase.industry, WHOLE):
        return code, NOT_APPLICABLE
    if phrase.breakdown == "product" and code != phrase.product:
        return phrase.industry, code
    if phrase.province_whole and geo != COUNTRY:
        return phrase.province_whole, phrase.province_whole
    return phrase.industry, phrase.product


def _reject(facts: Facts, index: int, context: Context, code: str, problem: str) -> Rejected:
    sentence, figure = facts.sentence, facts.figures[index]
    item = facts.items.get(index)
    raw = f"{item.label} {figure.raw}" if item else figure.raw
    where = f"{context.source} sentence s{sentence.number}".strip()
    return Rejected(sentence.heading, f"s{sentence.number}", sentence.text, raw, code,
                    f"{where}: '{raw}': {problem}; {_TODO[code]}")


def _remember(facts: Facts, context: Context) -> None:
    """What this sentence tells the next: its indicator, its main period and status."""
    if facts.indicators:
        context.indicator = indicator_phrases()[facts.indicators[-1].phrase]
    outer = [m for m in facts.periods if facts.scopes[m.start] == 0 and m.kind != "LAST_YEAR"]
    if outer:
        context.period = _resolve(outer[-1], outer, context)
        said = [s for s in facts.statuses if facts.scopes[s.start] == 0]
        context.status = said[-1].code if said else None


def _label_scope(search: str, plan: Mention, scopes: list[int]) -> int | None:
    """Where a plan phrase introduces the plan's own figures: -1 before a colon ("Kế hoạch
    năm: tăng 15% so năm 2023"), the bracket group right after it ("vượt kế hoạch năm (tăng
    15,5%)": the plan was growth of 15.5%), None when it is a comparison ("đạt 79,8% kế hoạch")."""
    rest = search[plan.end :]
    gap = len(rest) - len(rest.lstrip())
    follows = rest[gap : gap + 1]
    if follows == ":":
        return -1
    return scopes[plan.end + gap] if follows == "(" else None


def _inside(mention: Mention, others: list[Mention]) -> bool:
    return any(o.start <= mention.start and mention.end <= o.end for o in others)


def _scopes(text: str) -> list[int]:
    """Per character, 0 outside brackets or the number of the outermost bracket group."""
    scopes, depth, group = [], 0, 0
    for char in text:
        if char == "(":
            group += depth == 0
            depth += 1
        scopes.append(group if depth else 0)
        if char == ")" and depth:
            depth -= 1
    scopes.append(0)  # one past the end: where a figure at the very end looks
    return scopes
