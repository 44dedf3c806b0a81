"""Every example in the README runs as written: questions to the warehouse print exactly what
the README shows (against the demo warehouse `make run` builds), commands that write files
succeed, and commands that load or start services at least parse.

`python tests/test_readme.py --update` rewrites the README's printed outputs from a fresh run.
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
PROMPT = "$ .venv/bin/chiso "
COMMAND = ".venv/bin/chiso "
ANSWERED = {"query", "sql", "series"}  # read-only: their output is compared
WRITES_FILES = {"export", "report"}     # run: they must succeed


@dataclass(frozen=True)
class Example:
    line: int
    argv: list[str]
    shown: list[str] | None  # the output printed under a `$` prompt; None: a bare command


def examples(text: str) -> list[Example]:
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
            found.append(Example(start + 1, argv, shown))
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


EXAMPLES = examples(README.read_text(encoding="utf-8"))


@pytest.fixture
def demo(bundled_warehouse: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("CHISO_WAREHOUSE", str(bundled_warehouse))
    monkeypatch.setenv("CHISO_REPORT", str(tmp_path / "report.html"))
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.chdir(tmp_path)
    return bundled_warehouse


def test_the_readme_has_examples_of_every_question() -> None:
    commands = {e.argv[0] for e in EXAMPLES if e.shown is not None}
    assert {"query", "sql", "series", "report"} <= commands


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.argv[0] in ANSWERED],
                         ids=lambda e: f"line{e.line}")
def test_questions_print_what_the_readme_shows(example: Example, demo: Path) -> None:
    code, printed = run(example.argv)
    if example.shown is None:
        assert code == 0, printed
    else:
        assert printed == [line.rstrip() for line in example.shown]


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.argv[0] in WRITES_FILES],
                         ids=lambda e: f"line{e.line}")
def test_commands_that_write_files_succeed(example: Example, demo: Path) -> None:
    code, printed = run(example.argv)
    assert code == 0, printed


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if e.argv[0] not in ANSWERED | WRITES_FILES],
    ids=lambda e: f"line{e.line}",
)
def test_commands_that_load_or_serve_parse(example: Example) -> None:
    from flows.present.cli import _parser

    args = _parser().parse_args(example.argv)
    assert callable(args.handler)


def update(warehouse: Path) -> int:
    """Rewrite every shown output of a question with what the command prints now."""
    import os

    os.environ["CHISO_WAREHOUSE"] = str(warehouse)
    os.environ.pop("COLUMNS", None)
    lines = README.read_text(encoding="utf-8").splitlines()
    for example in reversed(EXAMPLES):
        if example.shown is None or example.argv[0] not in ANSWERED:
            continue
        _, printed = run(example.argv)
        first = example.line  # the output starts after the command's (last) line
        while lines[first - 1].endswith("\\"):
            first += 1
        del lines[first:first + len(example.shown)]
        lines[first:first] = printed
    README.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__" and sys.argv[1:2] == ["--update"]:
    import tempfile

    sys.path.insert(0, str(Path(__file__).parent))
    from bundled import build

    with tempfile.TemporaryDirectory() as tmp:
        raise SystemExit(update(build(Path(tmp) / "chiso.duckdb", Path(tmp) / "archive")))
