"""What the ``smskit`` command imports: a command loads only what it uses.

Building the parser (``--help``, and the start of every command) must not load the
policy engine, pricing, consent, the messenger or ``phonenumbers``: each command
imports those when it runs. Checked in a fresh interpreter, never timed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from smskit.cli import _app, _engine, _estimate, _policy, _tools
from smskit.consent.model import Channel
from smskit.policy import Verdict
from smskit.pricing import Alphabet, Direction

ROOT = Path(__file__).resolve().parents[2]

# Packages a command imports when it runs, never to build the parser.
HEAVY = (
    "smskit.consent",
    "smskit.content",
    "smskit.keywords",
    "smskit.messenger",
    "smskit.mms",
    "smskit.numbers",
    "smskit.policy",
    "smskit.pricing",
    "smskit.providers",
    "smskit.segments",
    "smskit.timing",
    "phonenumbers",
)


def _modules_after(code: str) -> list[str]:
    """The modules loaded once ``code`` has run in a fresh interpreter."""
    script = textwrap.dedent(code) + textwrap.dedent(
        """
        import json, sys
        sys.stdout.flush()
        print(json.dumps(sorted(sys.modules)), file=sys.stderr)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    loaded: list[str] = json.loads(result.stderr.splitlines()[-1])
    return loaded


def _heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


def test_building_the_parser_loads_no_command_machinery() -> None:
    modules = _modules_after(
        """
        from smskit.cli import _app
        _app._parser()
        """
    )
    assert "smskit.cli._engine" in modules  # the parser was built from every command
    assert _heavy(modules) == []


@pytest.mark.parametrize(
    ("argv", "needed", "not_needed"),
    [
        (["count", "hello"], ["smskit.segments"], ["smskit.policy", "smskit.pricing"]),
        (["classify", "STOP"], ["smskit.keywords"], ["smskit.policy", "smskit.pricing"]),
        (
            ["check", "+13055550123", "--at", "2026-11-20T20:30:00-05:00"],
            ["smskit.policy"],
            ["smskit.messenger"],
        ),
    ],
)
def test_a_command_loads_what_it_uses_and_not_the_others(
    argv: list[str], needed: list[str], not_needed: list[str]
) -> None:
    modules = _modules_after(
        f"""
        from smskit.cli._app import main
        main({argv!r})
        """
    )
    assert [m for m in needed if m not in modules] == []
    assert [m for m in not_needed if m in modules] == []


def test_help_loads_no_command_machinery() -> None:
    modules = _modules_after(
        """
        from smskit.cli._app import main
        try:
            main(["--help"])
        except SystemExit:
            pass
        """
    )
    assert _heavy(modules) == []


# The parser spells out these enums' values rather than import their packages.
def test_written_out_choices_match_the_enums() -> None:
    assert tuple(c.value for c in Channel) == _tools.CHANNELS
    assert tuple(a.value for a in Alphabet) == _policy.ALPHABETS
    assert tuple(d.value for d in Direction) == _estimate.DIRECTIONS
    # check's exit codes are keyed by Verdict's values: a verdict added without one
    # would end `smskit check` with a KeyError.
    assert set(_engine._EXIT) == {v.value for v in Verdict}


def test_a_dependency_missing_from_the_install_is_one_line_not_a_traceback() -> None:
    # A broken install (phonenumbers gone): the command that needs it says so and
    # exits 2; the commands that do not need it still work.
    script = textwrap.dedent(
        """
        import sys

        class Missing:
            def find_spec(self, name, path=None, target=None):
                if name.partition(".")[0] == "phonenumbers":
                    raise ModuleNotFoundError(f"No module named {name!r}", name=name)
                return None

        sys.meta_path.insert(0, Missing())
        from smskit.cli._app import main
        sys.exit(main(sys.argv[1:]))
        """
    )

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", script, *argv], capture_output=True, text=True, timeout=60
        )

    check = run("check", "+13055550123", "--at", "2026-11-20T20:30:00-05:00")
    assert check.returncode == 2
    assert check.stderr == (
        "smskit: error: No module named 'phonenumbers': the installation is incomplete; "
        "reinstall smskit-compliance\n"
    )
    count = run("count", "hello")
    assert count.returncode == 0
    assert "Segments:   1" in count.stdout


def _blocked(module: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """``smskit argv`` in a fresh interpreter where importing ``module`` fails, as it
    does when the module is not installed."""
    script = (
        f"import sys; sys.modules[{module!r}] = None\n"
        "from smskit.cli._app import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script, *argv], capture_output=True, text=True, timeout=60
    )


def test_a_python_without_sqlite3_is_named_not_blamed_on_smskit(tmp_path: Path) -> None:
    # Python built without SQLite (a pyenv build missing its headers): reinstalling
    # smskit cannot help, so the line must not say to.
    ledger = tmp_path / "consent.db"
    ledger.write_bytes(b"")
    result = _blocked("_sqlite3", "ledger", "verify", str(ledger))
    assert result.returncode == 2
    assert result.stderr == (
        "smskit: error: import of _sqlite3 halted; None in sys.modules: this Python lacks "
        "its standard module '_sqlite3'; use a Python built with it\n"
    )


def test_a_module_smskit_does_not_depend_on_is_a_bug_with_its_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A command importing a module that is no dependency of smskit (an extra's, unguarded)
    # is smskit's bug: "reinstall" would not fix it, so the traceback shows where.
    def handler(args: object) -> int:
        raise ModuleNotFoundError("No module named 'pyarrow'", name="pyarrow")

    monkeypatch.setattr(_tools, "_cmd_classify", handler)
    with pytest.raises(ModuleNotFoundError, match="pyarrow"):
        _app.main(["classify", "STOP"])


def test_the_required_dependencies_the_cli_names_are_the_distributions() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower().replace("-", "_")
             for d in pyproject["project"]["dependencies"]}
    assert set(_app.REQUIRED) == names
