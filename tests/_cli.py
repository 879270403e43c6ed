"""Running the installed ``smskit`` entry point as a real process, for the CLI tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _entry_point() -> str:
    scripts = sysconfig.get_path("scripts")
    found = shutil.which("smskit", path=scripts) or shutil.which(
        "smskit", path=str(Path(sys.executable).parent)
    )
    assert found, f"the smskit entry point is not installed in {scripts}; pip install -e ."
    return found


SMSKIT = _entry_point()


def run(
    *args: str, stdin: str | bytes | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """Run ``smskit ARGS`` from the repository root; text output (UTF-8)."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    result = subprocess.run(
        [SMSKIT, *args], input=data, capture_output=True, cwd=cwd, timeout=120, check=False
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8"),
        result.stderr.decode("utf-8"),
    )
