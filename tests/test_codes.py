"""The registry of codes (flows/reference/codes.csv) against the code: every quarantine code the
source makes is registered, every registered one is made somewhere, every exception of
flows/core/errors.py is a failure row, and docs/codes.md is current."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from flows.core import codes, errors
from flows.core.codes import UnregisteredCodeError, read_codes, render, require_quarantine
from flows.core.config import ROOT
from flows.core.model import Rejected

SCANNED = [ROOT / "flows", ROOT / "warehouse"]
# Rejected(sheet, cell, label, raw, code, message): the code is its fifth field.
ROOT_SINKS = {"Rejected": 4}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(
        func, ast.Attribute) else ""


def _code_argument(call: ast.Call, index: int) -> ast.expr | None:
    keyword = next((k.value for k in call.keywords if k.arg == "code"), None)
    if keyword is not None:
        return keyword
    return call.args[index] if len(call.args) > index else None


def _params(node: ast.FunctionDef | ast.ClassDef) -> list[str]:
    """The positional parameters a call fills: a class's __init__'s without self."""
    if isinstance(node, ast.ClassDef):
        init = next((n for n in node.body if isinstance(n, ast.FunctionDef)
                     and n.name == "__init__"), None)
        return [a.arg for a in init.args.args[1:]] if init else []
    return [a.arg for a in node.args.args]


def _sinks(tree: ast.Module) -> dict[str, int]:
    """Callables that make a quarantine row from a code: Rejected, and the module's helpers
    (a function or exception class with a `code` parameter it hands on to one)."""
    sinks = dict(ROOT_SINKS)
    defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    changed = True
    while changed:
        changed = False
        for node in defs:
            params = _params(node)
            if node.name in sinks or "code" not in params:
                continue
            if isinstance(node, ast.ClassDef) or any(
                    isinstance(arg, ast.Name) and arg.id == "code"
                    for call in ast.walk(node) if isinstance(call, ast.Call)
                    and _name(call) in sinks
                    for arg in [_code_argument(call, sinks[_name(call)])]):
                sinks[node.name] = params.index("code")
                changed = True
    return sinks


def used_codes() -> tuple[dict[str, list[str]], list[str]]:
    """Quarantine codes the source makes (code -> where), and calls whose code cannot be read."""
    used: dict[str, list[str]] = {}
    unreadable = []
    for path in sorted(p for folder in SCANNED for p in folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        sinks = _sinks(tree)
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            if _name(call) not in sinks:
                continue
            arg = _code_argument(call, sinks[_name(call)])
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                used.setdefault(arg.value, []).append(where)
            elif not ((isinstance(arg, ast.Name) and arg.id == "code")
                      or (isinstance(arg, ast.Attribute) and arg.attr == "code")):
                unreadable.append(where)  # neither a literal nor a helper handing its code on
    return used, unreadable


def chiso_errors() -> set[str]:
    return {name for name, value in inspect.getmembers(errors, inspect.isclass)
            if issubclass(value, errors.ChisoError) and value.__module__ == errors.__name__}


def test_the_scan_finds_the_known_call_shapes() -> None:
    used, unreadable = used_codes()
    assert unreadable == []
    where = {w.split(":")[0] for places in used.values() for w in places}
    for module in ["flows/validate.py", "flows/normalise/table.py", "flows/normalise/sdmx.py",
                   "flows/normalise/worldbank.py", "flows/readers/prose/sentence.py",
                   "flows/normalise/gso.py"]:
        assert module in where
    assert "unexpected-country" in used  # through worldbank's _lookup helper


def test_every_quarantine_code_made_is_registered() -> None:
    used, _ = used_codes()
    missing = {code: places for code, places in used.items() if code not in codes.codes()
               or codes.codes()[code].kind != "quarantine"}
    assert missing == {}, f"add these to flows/reference/codes.csv: {missing}"


def test_every_registered_quarantine_code_is_made_somewhere() -> None:
    used, _ = used_codes()
    dead = sorted(set(codes.quarantine_codes()) - set(used))
    assert dead == [], f"registered but made nowhere: {dead}"


def test_every_failure_is_an_exception_of_errors_py_and_back() -> None:
    failures = {c.code for c in codes.codes().values() if c.kind == "failure"}
    assert failures == chiso_errors()


def test_docs_codes_md_is_current() -> None:
    committed = codes.DOCS_FILE.read_text(encoding="utf-8")
    assert committed == render(), "run `make docs` (python -m flows.core.codes)"


def test_an_unregistered_code_cannot_make_a_quarantine_row() -> None:
    assert require_quarantine("unknown-label") == "unknown-label"
    with pytest.raises(UnregisteredCodeError, match=r"codes\.csv"):
        Rejected("Sheet1", "B2", "Ô tô", "12", "unknown-lable", "a typo in a code")


def test_the_registry_refuses_a_code_twice_and_an_unknown_kind(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("code,kind,meaning,action\na,quarantine,m,do\na,quarantine,m,do\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match="twice"):
        read_codes(path)
    path.write_text("code,kind,meaning,action\na,warning,m,do\n", encoding="utf-8")
    with pytest.raises(ValueError, match="kind"):
        read_codes(path)
