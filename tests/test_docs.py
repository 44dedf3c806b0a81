"""The docs and config hold: deployments resolve to flows, every command has help with an
example, and the README keeps its two set-up commands."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml
from prefect import Flow

from flows.core.config import ROOT
from flows.present.cli import EXAMPLES, main


def test_every_deployment_resolves_to_a_flow() -> None:
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    assert config["deployments"]
    for deployment in config["deployments"]:
        path, name = deployment["entrypoint"].split(":")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        target = getattr(module, name)
        assert isinstance(target, Flow), deployment["name"]
        target.validate_parameters(deployment.get("parameters", {}))


@pytest.mark.parametrize("command", sorted(EXAMPLES))
def test_every_command_has_help_with_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert f"example:\n  {EXAMPLES[command]}" in capsys.readouterr().out


def test_readme_opens_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text.split("\n## ", 1)[0]
    assert "make run" in head and "make test" in head


def test_ci_calls_the_readme_test_command() -> None:
    assert "make test" in Path(ROOT / ".ci" / "run").read_text(encoding="utf-8")
