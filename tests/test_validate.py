"""Validation turns impossible figures into named rejects and lets real ones through."""

from __future__ import annotations

import duckdb
import pytest

from flows.core.config import SQL_DIR
from flows.core.model import Observation
from flows.core.periods import month
from flows.validate import _places, validate

SEPTEMBER_2024 = month(2024, 9)


def obs(indicator: str, measure: str, value: float, unit: str = "USD_MN") -> Observation:
    return Observation(indicator, "VN", "_Z", "_Z", "_Z", measure, unit, SEPTEMBER_2024, value,
                       "A", "Sheet!D9")


@pytest.mark.parametrize("indicator, value", [
    ("FDI_NET_INFLOWS", -1_234.5),  # investors taking more out than they put in
    ("TRADE_BALANCE", -2_400.0),    # a deficit
    ("EXPORTS", 34_049.6),
])
def test_real_figures_pass(indicator: str, value: float) -> None:
    good, rejected = validate([obs(indicator, "level", value)])
    assert [o.value for o in good] == [value] and rejected == []


@pytest.mark.parametrize("indicator, measure, value, reason", [
    ("EXPORTS", "level", -34_049.6, "a level cannot be negative"),
    ("NETWORK_LENGTH", "level", -5.0, "a level cannot be negative"),  # NET only as a word
    ("IIP", "index_yoy", 0.0, "an index must lie in"),
    ("IIP", "index_yoy", float("nan"), "not a finite number"),
    ("EXPORTS", "level", float("inf"), "not a finite number"),
])
def test_impossible_figures_are_rejected(
    indicator: str, measure: str, value: float, reason: str
) -> None:
    good, rejected = validate([obs(indicator, measure, value)])
    assert good == []
    assert [r.code for r in rejected] == ["value-out-of-range"]
    assert reason in rejected[0].message and "Sheet!D9" in rejected[0].message


def test_a_second_different_figure_for_the_same_period_is_rejected() -> None:
    first, second = obs("EXPORTS", "level", 34_049.6), obs("EXPORTS", "level", 34_050.4)
    good, rejected = validate([first, second, first])
    assert good == [first]
    assert [r.code for r in rejected] == ["duplicate-observation"]
    assert "keeping the first" in rejected[0].message


def test_a_figure_given_again_is_kept_once() -> None:
    # the same value twice (GSO repeats a figure in two tables), and one object listed twice
    first, again = obs("EXPORTS", "level", 34_049.6), obs("EXPORTS", "level", 34_049.6)
    good, rejected = validate([first, again, first])
    assert good == [first] and good[0] is first and rejected == []


@pytest.mark.parametrize(("printed", "computed", "repeat"), [
    (58.8, 58.75104330117182, True),  # June 2006: a yield printed, the same computed
    (3139.9, 3139.8999999999996, True),  # a sum of the provinces, to the double's last digit
    (267178.0, 267178.040926068, True),  # capital in whole billions, then to the dong
    (37596.0, 37595.0, False),  # two counts of new enterprises: two figures
    (116.98136496961631, 116.15819664692157, False),
    # one total summed in two orders (November 2024's freight, June 2010's rice yield)
    (114.10458641754812, 114.10458641754815, True),
    (62.17782962314895, 62.17782962314896, True),
])
def test_a_figure_printed_coarser_is_the_same_figure(printed: float, computed: float,
                                                     repeat: bool) -> None:
    """Two values of one figure agree at the places the coarser was printed at (as v_conflicts
    compares two publishers): then the second is a repeat, not a second figure."""
    first, again = obs("EXPORTS", "level", printed), obs("EXPORTS", "level", computed)
    repeats: list[str] = []
    good, rejected = validate([first, again], repeats=repeats)
    assert good == [first]
    assert (len(repeats), [r.code for r in rejected]) == (
        (1, []) if repeat else (0, ["duplicate-observation"]))


@pytest.mark.parametrize("value", [
    115.94, 115.9350363, 115.142988801494, 114.10458641754815, 62.17782962314896, 3139.9,
    267178.040926068, 267178.0, 0.000123456789012345, 0.5, -5.2, -114.10458641754815, 1e-7,
    12345678901.25,
])
def test_validation_counts_places_as_the_conflicts_view_does(value: float) -> None:
    """flows.validate and sql/views/compared_places.sql decide alike when two values are one
    figure: the same places for every value."""
    con = duckdb.connect()
    con.execute((SQL_DIR / "views" / "compared_places.sql").read_text())
    row = con.execute("select written_places(?::double)", [value]).fetchone()
    assert row is not None
    assert _places(obs("EXPORTS", "level", value)) == row[0]


def test_the_cells_of_figures_given_again_are_listed() -> None:
    # the repeat's own cell ("Sheet!F30", a national total printed again lower down), for the
    # cell accounting; a different figure is a reject, not a repeat
    first = obs("EXPORTS", "level", 34_049.6)
    again = Observation("EXPORTS", "VN", "_Z", "_Z", "_Z", "level", "USD_MN", SEPTEMBER_2024,
                        34_049.6, "A", "Sheet!F30")
    other = obs("EXPORTS", "level", 34_050.4)
    repeats: list[str] = []
    good, rejected = validate([first, again, other], repeats=repeats)
    assert good == [first] and repeats == ["Sheet!F30"]
    assert [r.cell for r in rejected] == ["Sheet!D9"]
