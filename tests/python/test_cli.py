"""`jdx` is an installed command (pyproject.toml, installed by `make venv`): it runs from any folder
without PYTHONPATH, and `python -m jdx` keeps working."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

JDX = Path(sys.executable).parent / "jdx"


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


@pytest.mark.parametrize("args", [["--help"], ["ingest", "--help"], ["report", "--help"], ["publish", "--help"]])
def test_jdx_command_runs_without_pythonpath(args: list[str], tmp_path: Path) -> None:
    assert JDX.exists(), f"{JDX} missing: run `make venv` (it installs the package from pyproject.toml)"
    result = subprocess.run([str(JDX), *args], cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: jdx")
    if args == ["--help"]:
        for command in ("ingest", "report", "publish", "sample", "scorecard"):
            assert command in result.stdout


def test_python_m_jdx_still_works(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "jdx", "--help"], cwd=tmp_path, env=_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "ingest" in result.stdout


def test_unknown_command_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run([str(JDX), "no-such-command"], cwd=tmp_path, env=_env(), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "invalid choice" in result.stderr


def _commands(parser: argparse.ArgumentParser, prefix: str = "jdx") -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(prefix, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, f"{prefix} {name}")
    return found


def test_every_command_and_every_option_is_explained() -> None:
    from jdx.__main__ import build_parser

    commands = _commands(build_parser())
    assert len(commands) > 12
    unexplained = [f"{name} {action.dest}" for name, parser in commands for action in parser._actions
                   if not isinstance(action, argparse._HelpAction) and not action.help]
    assert unexplained == []
    undescribed = [name for name, parser in commands if name != "jdx" and not parser.description]
    assert undescribed == []
    top = build_parser().format_help()
    assert "raw public files -> seeds" not in top and "ingest official answer files" in top
