"""Every example in the README and in docs/*.md runs as written: questions to the warehouse
print exactly what the page shows (against the demo warehouse `make run` builds, built once),
commands that write files succeed, commands that load or start services at least parse, the
SELECTs of SQL blocks run, and every relative link points to a file that exists.

`python tests/test_readme.py --update` rewrites the pages' printed outputs from a fresh run.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# The README and the docs; data-dictionary.md is generated (tests/test_dictionary.py).
PAGES = [README, *sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "data-dictionary.md")]
PROMPT = "$ .venv/bin/chiso "
COMMAND = ".venv/bin/chiso "
ANSWERED = {"query", "sql", "series", "coverage"}  # read-only: their output is compared
WRITES_FILES = {"export", "report"}     # run: they must succeed


@dataclass(frozen=True)
class Example:
    page: str  # relative to the repository, e.g. "docs/querying.md"
    line: int
    argv: list[str]
    shown: list[str] | None  # the output printed under a `$` prompt; None: a bare command


def examples(text: str, page: str = "README.md") -> list[Example]:
    found: list[Example] = []
    in_block = False
    lines = text.splitlines()
    n = 0
    while n < len(lines):
        line = lines[n]
        if line.startswith("```"):
            in_block = not in_block
        elif in_block and line.startswith((PROMPT, COMMAND)):
            prompted = line.startswith(PROMPT)
            command, start = line.removeprefix("$ ").removeprefix(COMMAND), n
            while command.endswith("\\"):
                n += 1
                command = command[:-1] + lines[n].strip()
            shown: list[str] | None = None
            if prompted:
                shown = []
                while n + 1 < len(lines) and not lines[n + 1].startswith(("$ ", "```")):
                    n += 1
                    shown.append(lines[n])
                while shown and not shown[-1].strip():
                    shown.pop()
            argv = shlex.split(re.sub(r"\s+#.*$", "", command))
            found.append(Example(page, start + 1, argv, shown))
        n += 1
    return found


def run(argv: list[str]) -> tuple[int, list[str]]:
    from flows.present.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, [line.rstrip() for line in out.getvalue().rstrip("\n").splitlines()]


def page_name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


EXAMPLES = [e for path in PAGES
            for e in examples(path.read_text(encoding="utf-8"), page_name(path))]


def example_id(example: Example) -> str:
    return f"{example.page}:{example.line}"


@pytest.fixture
def demo(bundled_warehouse: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("CHISO_WAREHOUSE", str(bundled_warehouse))
    monkeypatch.setenv("CHISO_REPORT", str(tmp_path / "report.html"))
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.chdir(tmp_path)
    return bundled_warehouse


def test_the_pages_have_examples_of_every_question() -> None:
    commands = {e.argv[0] for e in EXAMPLES if e.shown is not None}
    assert {"query", "sql", "series", "report"} <= commands


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.argv[0] in ANSWERED],
                         ids=example_id)
def test_questions_print_what_the_readme_shows(example: Example, demo: Path) -> None:
    code, printed = run(example.argv)
    if example.shown is None:
        assert code == 0, printed
    else:
        assert printed == [line.rstrip() for line in example.shown]


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.argv[0] in WRITES_FILES],
                         ids=example_id)
def test_commands_that_write_files_succeed(example: Example, demo: Path) -> None:
    code, printed = run(example.argv)
    assert code == 0, printed


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if e.argv[0] not in ANSWERED | WRITES_FILES],
    ids=example_id,
)
def test_commands_that_load_or_serve_parse(example: Example) -> None:
    from flows.present.cli import _parser

    args = _parser().parse_args(example.argv)
    assert callable(args.handler)


# Transcripts under a `$` prompt that are not chiso commands: they start servers, workers or
# other test files, so they are not run here; each is checked by the test named.
TRANSCRIPTS = {
    "make run": "this file: the `.venv/bin/chiso` commands it runs are run above; .ci/run runs it",
    "CHISO_MIRROR=bundled make serve": "tests/test_service.py",
    "export PREFECT_API_URL=": "tests/test_service.py",
    ".venv/bin/prefect deployment run": "tests/test_service.py",
    "make status": "tests/test_service.py",
    "make stop": "tests/test_service.py",
    'grep "Flow run .* Finished"': "tests/test_lake_workers.py",
    ".venv/bin/python -m pytest tests/": "the test file it runs",
    ".venv/bin/pytest -s tests/": "the test file it runs",
}


def prompts(text: str) -> list[tuple[int, str]]:
    """Every `$ ` line inside a ``` block, with its line number."""
    found, in_block = [], False
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            in_block = not in_block
        elif in_block and line.startswith("$ "):
            found.append((n, line.removeprefix("$ ")))
    return found


@pytest.mark.parametrize("path", PAGES, ids=page_name)
def test_every_prompted_command_is_run_or_covered(path: Path) -> None:
    untested = [f"{page_name(path)}:{n}: {command}"
                for n, command in prompts(path.read_text(encoding="utf-8"))
                if not command.startswith(COMMAND) and not command.startswith(tuple(TRANSCRIPTS))]
    assert not untested, "run these as examples, or name the test that covers them in TRANSCRIPTS"


def sql_statements(text: str) -> list[tuple[int, str]]:
    """The statements of ```sql blocks, one a line, with their line numbers."""
    found, in_sql = [], False
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith("```"):
            in_sql = not in_sql and line.strip() == "```sql"
        elif in_sql and line.strip():
            found.append((n, line.strip()))
    return found


SQL = [(page_name(path), n, statement) for path in PAGES
       for n, statement in sql_statements(path.read_text(encoding="utf-8"))]
# Statements that set up a lake (extensions, ATTACH, USE) need PostgreSQL: tests/test_lake.py.
LAKE_ONLY = ("INSTALL ", "ATTACH ", "USE ")


@pytest.mark.parametrize("page,line,statement", [s for s in SQL if not s[2].startswith(LAKE_ONLY)],
                         ids=[f"{p}:{n}" for p, n, s in SQL if not s.startswith(LAKE_ONLY)])
def test_sql_blocks_run_on_the_demo_warehouse(
    page: str, line: int, statement: str, demo: Path
) -> None:
    from warehouse import sql

    assert len(sql(statement.rstrip(";"), path=demo)) > 0, f"{page}:{line} found nothing"


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


@pytest.mark.parametrize("path", PAGES, ids=page_name)
def test_every_relative_link_points_to_a_file(path: Path) -> None:
    targets = [m.group(1).split("#", 1)[0] for m in LINK.finditer(path.read_text(encoding="utf-8"))]
    broken = [t for t in targets if t and "://" not in t and not t.startswith("mailto:")
              and not (path.parent / t).exists()]
    assert not broken, f"{page_name(path)} links to missing files: {broken}"


def test_the_readme_links_every_doc() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [page_name(p) for p in PAGES[1:] if f"({page_name(p)})" not in text]
    assert not missing, f"README.md does not link {missing}"


def update(warehouse: Path) -> int:
    """Rewrite every shown output of a question with what the command prints now."""
    import os

    os.environ["CHISO_WAREHOUSE"] = str(warehouse)
    os.environ.pop("COLUMNS", None)
    for path in PAGES:
        update_page(path)
    return 0


def update_page(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    for example in reversed(EXAMPLES):
        if example.page != page_name(path) or example.shown is None:
            continue
        if example.argv[0] not in ANSWERED:
            continue
        _, printed = run(example.argv)
        first = example.line  # the output starts after the command's (last) line
        while lines[first - 1].endswith("\\"):
            first += 1
        del lines[first:first + len(example.shown)]
        lines[first:first] = printed
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__" and sys.argv[1:2] == ["--update"]:
    import tempfile

    sys.path.insert(0, str(Path(__file__).parent))
    from bundled import build

    with tempfile.TemporaryDirectory() as tmp:
        raise SystemExit(update(build(Path(tmp) / "chiso.duckdb", Path(tmp) / "archive")))
