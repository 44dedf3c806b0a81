"""Every table, view, macro and column of the warehouse carries a comment, the comments outlive
view rebuilds and repeated migrations, and docs/data-dictionary.md is what they generate now."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from flows.core.config import SQL_DIR
from flows.core.errors import ConfigError
from warehouse.connect import writer
from warehouse.dictionary import (
    DEFAULT_OUTPUT,
    catalogue,
    fresh_catalogue,
    generate,
    main,
    uncommented,
)
from warehouse.migrate import drop_views, migrate, rebuild_views

# Every comment of the catalogue: (kind, object, column or '', comment).
COMMENTS_SQL = """
select 'table', table_name, '', comment from duckdb_tables() where schema_name = 'main'
union all
select 'view', view_name, '', comment from duckdb_views()
where not internal and schema_name = 'main'
union all
select 'column', table_name, column_name, comment from duckdb_columns()
where not internal and schema_name = 'main'
union all
select 'macro', function_name, '', comment from duckdb_functions()
where not internal and schema_name = 'main' and function_type in ('macro', 'table_macro')
order by all
"""


def comments(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str | None]]:
    return con.execute(COMMENTS_SQL).fetchall()


def test_every_table_view_macro_and_column_has_a_comment(warehouse_env: Path) -> None:
    with writer():  # a freshly migrated warehouse, published to warehouse_env
        pass
    con = duckdb.connect(str(warehouse_env), read_only=True)
    try:
        found = comments(con)
        entries = catalogue(con)
    finally:
        con.close()
    blank = [row[:3] for row in found if not (row[3] or "").strip()]
    assert blank == [], "add a COMMENT ON for each (see sql/schema/007_comments.sql)"
    assert uncommented(entries) == []
    names = {(kind, name) for kind, name, column, _ in found if not column}
    assert {("table", "observation"), ("table", "release"), ("view", "v_latest"),
            ("view", "v_vintages"), ("macro", "as_of")} <= names
    # the catalogue the dictionary is written from holds every object and column listed above
    assert sum(1 + len(e.columns) for e in entries) == len(found)


def test_comments_survive_a_view_rebuild_and_a_second_migration(tmp_path: Path) -> None:
    path = tmp_path / "chiso.duckdb"
    con = duckdb.connect(str(path))
    migrate(con)
    first = comments(con)
    assert len(first) > 100  # every table, view and macro, and their columns

    rebuild_views(con)  # create or replace drops a view's comments; its file re-applies them
    assert comments(con) == first
    drop_views(con)  # what migrate does before a pending migration
    assert not [row for row in comments(con) if row[0] in ("view", "macro")]
    rebuild_views(con)
    assert comments(con) == first
    con.close()

    con = duckdb.connect(str(path))  # reopened from disk: the comments were stored
    assert comments(con) == first
    assert migrate(con) == []  # second run: nothing to apply, views rebuilt all the same
    assert comments(con) == first
    con.close()


def test_a_comment_on_a_column_a_view_lacks_names_the_file(tmp_path: Path) -> None:
    sql_dir = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    view = sql_dir / "views" / "v_latest.sql"
    view.write_text(
        view.read_text(encoding="utf-8")
        + "comment on column v_latest.gdp_per_head is 'not a column of v_latest';\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"v_latest\.sql.*gdp_per_head"):
        migrate(duckdb.connect(), sql_dir)


def test_the_data_dictionary_is_current() -> None:
    assert DEFAULT_OUTPUT.read_text(encoding="utf-8") == generate(), (
        "docs/data-dictionary.md is out of date: run `make docs`"
    )


def test_the_dictionary_documents_each_object_with_its_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "dictionary.md"
    assert main(["--output", str(output)]) == 0
    objects = len(fresh_catalogue())
    assert f"wrote {output}: {objects} tables, views and macros" in capsys.readouterr().out
    text = output.read_text(encoding="utf-8")
    assert text == generate()
    latest = text.split("\n### v_latest\n", 1)[1].split("\n### ", 1)[0]
    assert "The current value of every series and period" in latest
    value = "| `value` | DOUBLE | The current value, in the unit and measure of the series. |"
    assert value in latest
    assert "| `period_end` | DATE | Last day of the period" in latest
    observation = text.split("\n### observation\n", 1)[1].split("\n### ", 1)[0]
    assert ("Key, kept by the load rather than by DuckDB (sql/checks/duplicate_keys.sql finds "
            "a breach): series_key, period_type, period_start, period_end, source, valid_from."
            in observation)
    assert "NULL while it is still current" in observation
    assert "Call it as `as_of(ts)`." in text
