"""The GSO normalisers make each figure's series key in parts (where a row's figures go once a
row, a column's measure once a column): each key must be the one its own fields give."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.model import Observation, observation, series_key_of
from flows.core.periods import month

from samples import GSO_UPLOADS, SEPTEMBER_2024, read_once

DECEMBER_2024 = GSO_UPLOADS / "2025" / "01" / "02.Bieu-T12.2024.xlsx"


@pytest.mark.parametrize("path", [SEPTEMBER_2024, DECEMBER_2024], ids=lambda p: p.name)
def test_every_figure_is_keyed_by_its_own_fields(path: Path) -> None:
    observations = read_once(path).observations
    # Both normalisers and both kinds of row: trade (gso.py), item lists (gso_items.py),
    # national rows and provinces (whose territory is looked up by period).
    assert {"EXPORTS", "IIP"} <= {o.indicator for o in observations}
    assert any(o.geo.startswith("VN-") for o in observations)
    wrong = [o for o in observations if o.series_key != series_key_of(
        o.indicator, o.geo, o.industry, o.product, o.partner, o.measure, o.unit)]
    assert not wrong, wrong[:3]


def test_an_observation_made_without_a_key_makes_its_own() -> None:
    made = Observation("CPI", "VN", "_Z", "CP00", "_Z", "index_prev_period", "INDEX",
                       month(2024, 9), 100.29, "official", "CPI!C9")
    assert made.series_key == "CPI.VN._Z.CP00._Z.INDEX_PREV_PERIOD.INDEX"


def test_the_normalisers_factory_makes_what_the_class_makes() -> None:
    fields = ("IIP", "VN", "B", "_Z", "_Z", "index_yoy", "INDEX", month(2024, 9), 108.2,
              "estimate", "IIP!D9", None)
    key = series_key_of("IIP", "VN", "B", "_Z", "_Z", "index_yoy", "INDEX")
    made, called = observation(*fields, key), Observation(*fields)
    # every slot set, and to the same value (a field added to the class and not to the
    # factory fails here)
    assert [getattr(made, name) for name in Observation.__slots__] == [
        getattr(called, name) for name in Observation.__slots__]
    assert made == called and made.series_key == called.series_key
