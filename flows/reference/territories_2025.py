"""Derive the 1 July 2025 rows of territories.csv from the packages DOMAIN.md names (issue 16).

Resolution 202/2025/QH15 cut 63 provinces to 34 and Decision 19/2025/QĐ-TTg coded them; this
reads what `vietnamadminunits` (old to new, MIT) and `vietnam-provinces` (NSO codes) say about
it and rewrites territories.csv, so the mapping is reproducible, not typed by hand:

    python -m flows.reference.territories_2025 \\
        .../vietnamadminunits/data/converter_2025.json .../vietnamadminunits/data/dataset.db \\
        .../vietnam_provinces/data/nested-divisions.json

The packages are read only here: the CSV they produce is the reference data, and chiso runs
without them. The two packages must agree on the 34 new codes, else the script stops.

Convention (flows/core/territories.py): a new province with one predecessor of the same code is
that province continuing unchanged (its row stays open, unknown_from empty); any other is a new
territory `VN-<code>-2025` of province `VN-<code>`, and each former province ends on
2025-06-30 with it as successor. Rows of other dates (Hà Tây, 2008) are kept as they are.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from pathlib import Path

CSV = Path(__file__).with_name("territories.csv")
END, START = "2025-06-30", "2025-07-01"
BASIS = "Resolution 202/2025/QH15; Decision 19/2025/QĐ-TTg"


def mapping(converter: Path, db: Path, nested: Path) -> dict[str, tuple[str, list[str]]]:
    """New code -> (its Vietnamese name, the old codes it was formed from)."""
    con = sqlite3.connect(db)
    old = dict(con.execute("select distinct provinceKey, provinceCode from admin_units_legacy"))
    new = {
        key: (code, name)
        for key, code, name in con.execute(
            "select distinct provinceKey, provinceCode, provinceShort from admin_units"
        )
    }
    nso = {f"{p['code']:02d}" for p in json.loads(nested.read_text(encoding="utf-8"))}
    if {c for c, _ in new.values()} != nso:
        raise SystemExit(f"{db} and {nested} disagree on the new province codes")
    merged = json.loads(converter.read_text(encoding="utf-8"))["DICT_PROVINCE"]
    formed = sorted(k for olds in merged.values() for k in olds)
    if formed != sorted(old):
        raise SystemExit(f"{converter}: the former provinces are not each in one new province")
    return {
        new[key][0]: (new[key][1], sorted(old[k] for k in olds)) for key, olds in merged.items()
    }


def update(
    rows: list[dict[str, str]], merger: dict[str, tuple[str, list[str]]]
) -> list[dict[str, str]]:
    """The territory rows with the merger applied (rows are dicts of territories.csv)."""
    by_geo = {r["geo"]: r for r in rows}
    added: dict[str, dict[str, str]] = {}
    for code, (name, olds) in sorted(merger.items()):
        if olds == [code]:
            row = by_geo[f"VN-{code}"]
            row.update(
                unknown_from="",
                basis=_join(row["basis"], "Resolution 202/2025/QH15"),
                notes=_unchanged(row, name),
            )
            continue
        geo = f"VN-{code}-2025"
        heir = by_geo[f"VN-{code}"]
        names = " + ".join(
            by_geo[f"VN-{c}"]["name_vi"] for c in [code] + [c for c in olds if c != code]
        )
        # the name is one predecessor's ("Hồ Chí Minh" is "Thành phố Hồ Chí Minh" in places.csv)
        named = [by_geo[f"VN-{c}"] for c in olds if by_geo[f"VN-{c}"]["name_vi"].endswith(name)]
        if len(named) != 1:
            raise SystemExit(f"{name} ({code}) is named like {len(named)} of {olds}")
        name, name_en = named[0]["name_vi"], named[0]["name_en"]
        for c in olds:
            r = by_geo[f"VN-{c}"]
            kept = c == code
            r.update(
                valid_to=END,
                unknown_from="",
                successor=geo,
                basis=_join(r["basis"], BASIS),
                notes=r["notes"]
                if r["successor"]
                else (
                    f"Before the 1 July 2025 merger; the merged province keeps code {c}"
                    f" as territory {geo}"
                    if kept
                    else f"Merged into {name} ({geo}) on 1 July 2025; code {c} retired"
                ),
            )
        added[heir["geo"]] = dict(
            geo=geo,
            province=f"VN-{code}",
            name_vi=name,
            name_en=name_en,
            valid_from=START,
            valid_to="",
            unknown_from="",
            successor="",
            predecessors="|".join([f"VN-{code}"] + [f"VN-{c}" for c in olds if c != code]),
            basis=BASIS,
            notes=by_geo.get(geo, {}).get("notes") or f"The merged province: {names}",
        )
    previous = [r for r in rows if not r["geo"].endswith("-2025")]  # each new one after its heir
    return [r for old in previous
            for r in (old, *([added[old["geo"]]] if old["geo"] in added else []))]


def _unchanged(row: dict[str, str], name: str) -> str:
    note = "Unchanged by the 1 July 2025 merger (Resolution 202/2025/QH15); same code, no break"
    if name != row["name_vi"]:
        note += f"; named {name} since 1 January 2025 (its borders did not change)"
    old = row["notes"].split("; DOMAIN.md gives no successor")[0]  # the note of before
    if note in old:
        return old  # derived already: running the script again changes nothing
    return old + "; " + note if old and not old.startswith("DOMAIN.md") else note


def _join(basis: str, more: str) -> str:
    return basis if more in basis else "; ".join(b for b in (basis, more) if b)


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        raise SystemExit(__doc__)
    with CSV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    out = update(rows, mapping(*map(Path, argv)))
    with CSV.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    print(f"{CSV}: {len(out)} territories")


if __name__ == "__main__":
    main(sys.argv[1:])
