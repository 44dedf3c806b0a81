"""The `chiso` command line: run the sources, ingest a file, ask the warehouse a question."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from flows.core import interrupts
from flows.core.errors import ChisoError, UsageError
from flows.present import arguments
from flows.present.terminal import FORMATS, write_frame
from flows.sources import SOURCES

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

EXPORT_FORMATS = ("parquet", "csv", "xlsx")
SERIES_SHOW_EXAMPLE = "chiso series show IIP.VN._T._Z._Z.INDEX_YOY.INDEX --last 6 --vintages"

EXAMPLES = {
    "run": "chiso run --mirror bundled     # every source, from the bundled offline mirror",
    "ingest": "chiso ingest gso --file Bieu-T9.2024.xlsx --published-at 2024-10-06",
    "sql": "chiso sql \"select indicator, count(*) as series from series group by indicator\"",
    "query": "chiso query national_iip_by_industry --param period=2024-09 --as-of 2024-10-31",
    "series": "chiso series search \"xuat khau dien thoai\"",
    "export": "chiso export --format xlsx --as-of 2024-10-31 --output /tmp/chiso-2024-10-31.xlsx",
    "backfill": "chiso backfill gso --from 2016-01 --to 2024-12 --folder ~/Downloads/gso",
    "rebuild": "chiso rebuild --into /tmp/chiso-rebuilt.duckdb",
    "release": "chiso release redate gso:2024-09 --published-at 2024-10-06 --reason \"typed 2099\"",
    "serve": "chiso serve --port 4200    # then open http://127.0.0.1:4200",
    "stop": "chiso stop",
    "status": "chiso status",
    "report": "chiso report --output /tmp/chiso-report.html --as-of 2024-10-31",
    "coverage": "chiso coverage --folder ~/Downloads/gso   # or --file X.xlsx, or the warehouse",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Exit 0 done, 1 failed (a release, a source, the warehouse), 2 bad usage."""
    from flows.orchestration.by_hand import set_verbosity

    _offline_prefect_defaults()
    interrupts.install()
    parser = _parser()
    args = parser.parse_args(argv)
    set_verbosity(args.verbose)
    try:
        arguments.check_paths(args)
        return int(args.handler(args))
    except BrokenPipeError:  # `chiso query ... | head`: the reader left, nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (ChisoError, OSError) as exc:
        if args.debug:
            traceback.print_exc()
        print(f"chiso: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1


def _offline_prefect_defaults() -> None:
    """Flows run without a server start a temporary one: give it time for its first migrations
    (~30 s on a new machine) and keep it from phoning home (there may be no network)."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")


def _parser() -> argparse.ArgumentParser:
    parser = arguments.Parser(
        prog="chiso", description="Keep a vintage-aware warehouse of official statistics.",
        epilog="exit status: 0 done, 1 failed (a release, a source), 2 bad usage",
    )
    _global_options(parser, False)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = _command(commands, "run", "load every new release of every source", _run)
    run.add_argument("--source", action="append", type=arguments.source,
                     help="only this source (repeatable)")
    run.add_argument("--since", type=arguments.day, help="only releases from DATE on")
    run.add_argument("--mirror", help="read publishers from this folder ('bundled': the demo)")

    ingest = _command(commands, "ingest", "load one file you downloaded as a release", _ingest)
    ingest.add_argument("source", type=arguments.source, metavar="SOURCE",
                        help=f"the publisher of the file: {', '.join(sorted(SOURCES))}")
    ingest.add_argument("--file", required=True, help="the file to load")
    ingest.add_argument(
        "--published-at", type=arguments.day,
        help="the publisher's release date (gso: default from its release calendar)",
    )
    ingest.add_argument("--publisher", help="who published it (press: the newspaper)")
    ingest.add_argument("--mapping", help="files: the mapping that says how to read the table; "
                        "sdmx (optional): the chiso codes of the message's series")
    ingest.add_argument("--structure", help="sdmx: the structure message (DSD) of the data")
    ingest.add_argument(
        "--reference-period", type=arguments.month,
        help="YYYY-MM (default: the latest month in the file)"
    )
    ingest.add_argument(
        "--force-date", action="store_true",
        help="accept a --published-at in the future or before the reference period begins",
    )

    backfill = _command(commands, "backfill", "load every release of a range of periods",
                        _backfill)
    backfill.add_argument("source", type=arguments.source, metavar="SOURCE",
                          help="the publisher (gso, worldbank, sdmx, ...)")
    backfill.add_argument("--from", dest="start", required=True, type=arguments.month,
                          help="first reference period, YYYY-MM")
    backfill.add_argument("--to", dest="end", required=True, type=arguments.month,
                          help="last reference period, YYYY-MM")
    backfill.add_argument("--folder", help="gso: workbooks downloaded into this folder")
    backfill.add_argument("--mirror", help="read publishers from this folder ('bundled': the demo)")

    rebuild = _command(commands, "rebuild", "load the raw archive again into a new warehouse",
                       _rebuild)
    rebuild.add_argument("--into", required=True, help="path of the new warehouse file")

    release = _command(commands, "release", "correct a loaded release: its publication date "
                       "(redate), or withdraw it (reinstate undoes that); history is kept",
                       _release_help)
    actions = release.add_subparsers(metavar="ACTION")
    for action, text in (("redate", "set a release's publication date right"),
                         ("withdraw", "its figures stop counting from now (as_of before "
                          "still shows them)"),
                         ("reinstate", "a withdrawn release counts again")):
        command = actions.add_parser(action, parents=[_COMMON], help=text, description=text,
                                     epilog=f"example:\n  {EXAMPLES['release']}",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
        command.set_defaults(handler=_release, action=action)
        command.add_argument("release", metavar="RELEASE", help="its release id, its file's "
                             "name, or SOURCE:YYYY-MM (its source and reference period)")
        command.add_argument("--reason", required=action == "withdraw", help="why (kept "
                             "with the correction)")
        if action == "redate":
            command.add_argument("--published-at", required=True, type=arguments.day,
                                 help="the day the publisher released it, YYYY-MM-DD")
            command.add_argument("--force-date", action="store_true", help="accept a date in "
                                 "the future or before the reference period begins")

    serve = _command(commands, "serve", "start the scheduled service: Prefect server, work "
                     "pool, deployments, alerts and a worker", _serve)
    serve.add_argument("--port", type=int, default=4200, help="the Prefect server's port")
    _command(commands, "stop", "stop the scheduled service", _stop)
    _command(commands, "status", "what the scheduled service runs, and the next runs", _status)

    report = _command(commands, "report", "write the HTML report: Hải Phòng, national trends, "
                      "revisions, freshness, conflicts", _report)
    report.add_argument("--output", help="the HTML file (default: CHISO_REPORT, else "
                        "report.html next to the warehouse)")
    report.add_argument("--series", help="KEY: the series whose revisions to chart "
                        "(default: IIP.VN._T._Z._Z.INDEX_YOY.INDEX, the national IIP)")
    report.add_argument("--as-of", type=arguments.day,
                        help="DATE: the warehouse as it stood at the end of that day")

    coverage = _command(commands, "coverage", "how much of each workbook became figures: "
                        "numeric cells figured, quarantined, skipped, unaccounted", _coverage)
    coverage.add_argument("--source", type=arguments.source,
                          help="only releases of this source (e.g. gso)")
    where = coverage.add_mutually_exclusive_group()
    where.add_argument("--release", help="ID: only this release, sheet by sheet")
    where.add_argument("--file", help="read this GSO workbook without loading it")
    where.add_argument("--folder", help="read every .xlsx/.xls workbook in this folder without "
                       "loading them (one that cannot be read is named and left out)")

    sql = _command(commands, "sql", "run one read-only SQL statement on the warehouse", _sql)
    sql.add_argument("query", help="the SQL text (SELECT or EXPLAIN)")
    sql.add_argument("--allow-files", action="store_true", help="let the SQL read files and "
                     "URLs (read_csv, read_parquet, ...): off by default, it reads the warehouse")
    _output_options(sql, FORMATS)

    query = _command(commands, "query", "answer a named question (sql/queries/NAME.sql)", _query)
    query.add_argument("name", nargs="?", help="the query (chiso query --list names them)")
    query.add_argument("--list", action="store_true", help="list the queries and parameters")
    query.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                       help="a parameter of the query (repeatable)")
    query.add_argument("--as-of", help="DATE: the warehouse as it stood at the end of that day")
    _output_options(query, FORMATS)

    series = _command(commands, "series", "find series in the catalog, show one whole",
                      _series_help)
    series_commands = series.add_subparsers(metavar="ACTION")
    search = series_commands.add_parser(
        "search", parents=[_COMMON], help="series whose codes or names (Vietnamese or English, "
        "accents optional) contain every word", epilog=f"example:\n  {EXAMPLES['series']}",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    search.set_defaults(handler=_series_search)
    search.add_argument("text", help="words to look for, e.g. 'điện thoại' or 'dien thoai'")
    search.add_argument("--limit", type=arguments.count, default=50,
                        help="at most this many series")
    search.add_argument("--as-of", help="DATE: only series published by the end of that day")
    _output_options(search, FORMATS)
    show = series_commands.add_parser(
        "show", help="one series: names, sources and precedence, latest value, first release, "
        "revisions, its last periods (and their vintages)",
        epilog=f"example:\n  {SERIES_SHOW_EXAMPLE}",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    show.set_defaults(handler=_series_show)
    show.add_argument("key", help="the series key (chiso series search finds it)")
    show.add_argument("--vintages", action="store_true",
                      help="every value published for the periods shown, not only the latest")
    show.add_argument("--last", type=int, default=24, metavar="N",
                      help="the latest N periods (default 24)")
    show.add_argument("--period-type", default="", metavar="TYPE", help="M, Q, H, YTD, A, D "
                      "or all (default: the type of the latest period)")
    show.add_argument("--as-of", metavar="DATE",
                      help="the series as it stood at the end of that day")
    _output_options(show, FORMATS)

    export = _command(commands, "export", "write every current observation with its series' "
                      "codes and names to a file (--series: every vintage of those series)",
                      _export)
    export.add_argument("--series", nargs="+", metavar="KEY",
                        help="only these series, with every vintage (valid_from, valid_to)")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="parquet",
                        help="the file format (default parquet)")
    export.add_argument("--as-of", help="DATE: the warehouse as it stood at the end of that day")
    export.add_argument("--output", help="the file, or a folder to write "
                        "chiso-observations[-DATE].FORMAT into (default: the current folder)")
    return parser


def _global_options(parser: argparse.ArgumentParser, default: object) -> None:
    """-v and --debug, before the command or after it (`default` SUPPRESS on a command, so
    its absence there keeps what was given before it)."""
    parser.add_argument("-v", "--verbose", action="store_true", default=default,
                        help="say what each step does (Prefect's INFO lines on a server run)")
    parser.add_argument("--debug", action="store_true", default=default,
                        help="show the traceback of an error")


_COMMON = arguments.Parser(add_help=False)
_global_options(_COMMON, argparse.SUPPRESS)


def _output_options(command: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    command.add_argument("--format", choices=formats, default="table",
                         help="how to show the answer (default: an aligned table)")
    command.add_argument("--output", help="write to this file instead of the terminal")


def _command(
    commands: argparse._SubParsersAction[arguments.Parser], name: str, text: str,
    handler: object,
) -> argparse.ArgumentParser:
    command = commands.add_parser(
        name, parents=[_COMMON], help=text, description=text,
        epilog=f"example:\n  {EXAMPLES[name]}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.set_defaults(handler=handler)
    return command


def _run(args: argparse.Namespace) -> int:
    arguments.check_run(args.source)
    if args.mirror:
        os.environ["CHISO_MIRROR"] = args.mirror
    from flows.orchestration import by_hand
    from flows.present.summary import render

    outcomes = by_hand.run_sources(args.source, args.since)
    print(render(outcomes))
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def _ingest(args: argparse.Namespace) -> int:
    from flows.core.calendars import expected_release
    from flows.orchestration import by_hand
    from flows.present.summary import render

    arguments.check_ingest(args.source, args.mapping, args.published_at, args.structure)
    if not args.force_date:
        arguments.check_published(args.published_at, args.reference_period, date.today())
    published = args.published_at
    if published is None:
        period = args.reference_period or _latest_month(args.file)
        published = expected_release("gso", period)
        assert published is not None  # gso has a calendar
        print(f"--published-at not given: taking {published} from GSO's release calendar for "
              f"{period}; pass the real date if you know it")
    outcome = by_hand.ingest_file(
        args.source, args.file, datetime.combine(published, time()), args.reference_period or "",
        args.publisher or "local-file", [p for p in (args.structure, args.mapping) if p],
        args.force_date,
    )
    print(render([outcome]))
    if outcome.status == "unchanged" and outcome.release_id:
        from flows.present.release import loaded_again

        if note := loaded_again(outcome.release_id, datetime.combine(published, time())):
            print(note)
    return 1 if outcome.status == "failed" else 0


def _backfill(args: argparse.Namespace) -> int:
    arguments.check_backfill(args.source, args.start, args.end, bool(args.folder))
    if args.mirror:
        os.environ["CHISO_MIRROR"] = args.mirror
    from flows.orchestration import by_hand
    from flows.present.summary import render

    outcomes = by_hand.backfill(args.source, args.start, args.end, args.folder)
    print(render(outcomes))
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def _serve(args: argparse.Namespace) -> int:
    from flows.orchestration.service import serve

    service = serve(port=args.port)
    print(f"chiso is serving: Prefect UI at {service.ui_url}; `chiso stop` stops it")
    return 0


def _stop(args: argparse.Namespace) -> int:
    from flows.orchestration.service import stop

    for line in stop():
        print(line)
    return 0


def _status(args: argparse.Namespace) -> int:
    from flows.orchestration.service import status

    print(status())
    return 0


def _report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from flows.present.report import write_report

    path = write_report(Path(args.output) if args.output else None, args.series, args.as_of)
    inside = path.resolve().is_relative_to(Path.cwd())
    print(f"report: {path.resolve().relative_to(Path.cwd()) if inside else path}")
    return 0


def _rebuild(args: argparse.Namespace) -> int:
    from pathlib import Path

    from flows.orchestration.rebuild import rebuild
    from flows.pipeline import default_archive
    from flows.present.summary import render

    outcomes = rebuild(default_archive(), Path(args.into))
    print(render(outcomes))
    print(f"rebuilt from {default_archive().root} into {args.into}")
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def _release_help(args: argparse.Namespace) -> int:
    raise UsageError(f"say what to do with the release, e.g. {EXAMPLES['release']}")


def _release(args: argparse.Namespace) -> int:
    from flows.present import release

    return release.run(args)


def _latest_month(file: str) -> str:
    from pathlib import Path

    from flows.readers.workbook.gso import read_gso_tables

    return f"{read_gso_tables(Path(file)).reference_period.start:%Y-%m}"


def _coverage(args: argparse.Namespace) -> int:
    from pathlib import Path

    from flows.present import coverage

    if (args.file or args.folder) and args.source:
        raise ChisoError("--source picks releases in the warehouse; --file and --folder read "
                         "GSO workbooks")
    if args.file:
        print(coverage.render([coverage.read_account(Path(args.file))], "workbook"))
        return 0
    if args.folder:
        return _coverage_of_folder(Path(args.folder))
    from warehouse.query import connect

    con = connect()
    try:
        print(coverage.warehouse_text(con, args.release or "", args.source or ""))
    finally:
        con.close()
    return 0


def _coverage_of_folder(folder: Path) -> int:
    """Every workbook of the folder and their total; one that cannot be read is named on
    stderr and left out, and the command fails only when none could be read."""
    from flows.present import coverage

    paths = coverage.workbooks(folder)
    if not paths:
        raise ChisoError(f"{folder} holds no .xlsx or .xls workbook")
    accounts, failed = [], []
    for path in paths:
        try:
            accounts.append(coverage.read_account(path))
        except ChisoError as exc:
            print(f"chiso: {exc}", file=sys.stderr)
            failed.append(path.name)
    if accounts:
        print(coverage.render(accounts, "workbook", total=True))
    if failed:
        print(f"\nnot read ({len(failed)} of {len(paths)}, see above): {', '.join(failed)}")
    return 0 if accounts else 1


def _sql(args: argparse.Namespace) -> int:
    from warehouse.query import sql

    return _show(sql(args.query, allow_files=args.allow_files), args)


def _query(args: argparse.Namespace) -> int:
    from warehouse.query import parse_as_of, queries, query

    if args.list or not args.name:
        if not args.list:
            raise UsageError("name a query (chiso query NAME) or list them: chiso query --list")
        return _show(queries(), args)
    params = arguments.query_params(args.name, args.param)
    parse_as_of(args.as_of)  # a bad day is refused before the warehouse is opened
    return _show(query(args.name, args.as_of, **params), args)


def _series_help(args: argparse.Namespace) -> int:
    raise UsageError(f"say what to do with series, e.g. {EXAMPLES['series']}")


SEARCH_SCREEN_COLUMNS = ("series_key", "name", "periods", "last_period_end", "sources")


def _series_search(args: argparse.Namespace) -> int:
    from warehouse.query import search

    found = search(args.text, args.as_of, limit=args.limit)
    total = found.attrs["found"]
    if args.format == "table" and not args.output:
        # On screen, the columns that tell series apart (measure and unit are in the key) and
        # one name, in the language the words were typed in; a file gets every column.
        name = "name_vi" if any(not c.isascii() for c in args.text) else "name_en"
        found = found[[name if c == "name" else c for c in SEARCH_SCREEN_COLUMNS]]
    return _show(found, args, total=total)


def _series_show(args: argparse.Namespace) -> int:
    from pathlib import Path

    from flows.present import series_view
    from warehouse.series import describe

    card = describe(args.key, args.as_of, last=args.last, period_type=args.period_type,
                    vintages=args.vintages)
    if args.format == "table" and not args.output:
        print(series_view.render(card))
        return 0
    print(write_frame(series_view.table(card), args.format,
                      Path(args.output) if args.output else None))
    return 0


def _export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from warehouse.query import query
    from warehouse.series import export_frame

    if args.series:
        frame, stem = export_frame(args.series, args.as_of), "chiso-series"
    else:
        frame, stem = query("observations", args.as_of), "chiso-observations"
    name = f"{stem}{'-' + args.as_of if args.as_of else ''}.{args.format}"
    output = Path(args.output) if args.output else Path(name)
    if output.is_dir():
        output = output / name
    print(write_frame(frame, args.format, output))
    return 0


def _show(frame: pd.DataFrame, args: argparse.Namespace, total: int | None = None) -> int:
    """Print the answer (or write it to --output) in --format; `total`: the rows of the whole
    answer when `frame` holds its first (a table says so; other formats on stderr)."""
    from pathlib import Path

    print(write_frame(frame, args.format, Path(args.output) if args.output else None,
                      total=total))
    if args.format != "table" and total is not None and total > len(frame):
        print(f"{len(frame):,} of {total:,} rows written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
