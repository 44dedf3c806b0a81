"""Extended: every GSO workbook in ../shared/releases/gso, every IIP, trade and CPI table in it
found and fully mapped. Fails listing every label or header it could not place."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from flows.core.errors import NoTablesError
from flows.pipeline import read_gso_workbook

pytestmark = pytest.mark.extended

# Mapping problems; `duplicate-observation` and `value-out-of-range` are data checks, reported
# but not coverage failures.
MAPPING_CODES = {"unknown-label", "header-unparseable", "value-unparseable"}
# Workbooks that hold none of the tables by design: the English twin of September 2020
# (its tables are in English; the Vietnamese workbook of that month is the release).
NOT_RELEASES = {"2020-09-29-03-Bieu-9.2020-EN.xlsx"}


def test_every_table_in_every_workbook_is_mapped(shared_releases: Path) -> None:
    workbooks = sorted((shared_releases / "gso").glob("*.xls*"))
    assert len(workbooks) >= 111
    problems: list[str] = []
    tables: Counter[str] = Counter()
    for path in workbooks:
        if path.name in NOT_RELEASES:
            continue
        try:
            contents = read_gso_workbook(path)
        except NoTablesError as exc:
            problems.append(str(exc))
            continue
        tables.update(t.kind for t in contents.tables)
        problems += [f"{path.name} {r.code}: {r.message}" for r in contents.rejected
                     if r.code in MAPPING_CODES]
    print(f"tables found: {dict(tables)} in {len(workbooks)} workbooks")
    assert not problems, f"{len(problems)} unmapped:\n" + "\n".join(problems[:200])
