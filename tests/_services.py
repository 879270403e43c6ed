"""Real services the tests need (PostgreSQL; Java for Spark), and what to do without one.

Nothing is faked. A missing service skips its tests with a reason saying how to
provide it, unless ``SMSKIT_REQUIRE_SERVICES=1`` (CI sets it): then it fails,
so CI never passes by skipping.

PostgreSQL: the server at ``SMSKIT_POSTGRES_DSN`` (default
``postgresql://postgres@127.0.0.1:5432/test``) when it answers; otherwise, if
the server binaries are installed (``initdb``/``pg_ctl`` in ``PATH`` or
``/usr/lib/postgresql/*/bin``), a throwaway cluster in a temporary directory
on a free loopback port, stopped and removed at the end of the session.
"""

from __future__ import annotations

import contextlib
import glob
import importlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

from smskit.errors import install_hint

REQUIRE_ENV = "SMSKIT_REQUIRE_SERVICES"
DSN_ENV = "SMSKIT_POSTGRES_DSN"
DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/test"


def services_required() -> bool:
    """True when a missing service must fail the run (``SMSKIT_REQUIRE_SERVICES=1``)."""
    return os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0")


def unavailable(reason: str) -> NoReturn:
    """Skip the test for a missing service, or fail it when services are required."""
    if services_required():
        pytest.fail(f"{reason} [{REQUIRE_ENV}=1: this run must not skip it]", pytrace=False)
    pytest.skip(reason)


def require_service(name: str, available: bool, how_to: str) -> None:
    """Skip (or, under ``SMSKIT_REQUIRE_SERVICES=1``, fail) unless ``available``."""
    if not available:
        unavailable(f"{name} is not available: {how_to}")


def require_module(module: str, extra: str) -> ModuleType:
    """Import ``module`` (also at a test module's top), or skip naming the extra to install.

    Under ``SMSKIT_REQUIRE_SERVICES=1`` a missing module fails instead.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        reason = f"{module} is not installed: {install_hint(extra)}"
        if services_required():
            pytest.fail(f"{reason} [{REQUIRE_ENV}=1: this run must not skip it]", pytrace=False)
        pytest.skip(reason, allow_module_level=True)


def java_available() -> bool:
    """A Java runtime on PATH or under JAVA_HOME (what PySpark starts)."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return True
    return shutil.which("java") is not None


def _shown(dsn: str) -> str:
    """The DSN without its password (it is printed in the test output)."""
    return re.sub(r"(//[^:/@]+:)[^@]*@", r"\1***@", dsn)


@dataclass
class PostgresServer:
    """A reachable server: its DSN and how it was found (for the test output)."""

    dsn: str
    description: str
    data_dir: Path | None = None
    run_as: str | None = None
    bindir: str | None = None

    def stop(self) -> None:
        """Stop and remove a throwaway cluster (nothing for an external server)."""
        if self.data_dir is None or self.bindir is None:
            return
        _run(self.run_as, [f"{self.bindir}/pg_ctl", "-D", str(self.data_dir / "data"),
                           "-m", "immediate", "-w", "stop"], check=False)
        shutil.rmtree(self.data_dir, ignore_errors=True)


def configured_dsn() -> str:
    return os.environ.get(DSN_ENV) or DEFAULT_DSN


def probe(dsn: str) -> str | None:
    """``None`` when a server answers at ``dsn``, else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    try:
        with psycopg.connect(dsn, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"no PostgreSQL server at {_shown(dsn)} ({str(exc).strip().splitlines()[0]})"
    return None


def server_bindir() -> str | None:
    """A directory holding ``initdb``, ``pg_ctl`` and ``postgres``, if installed."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return str(Path(os.path.realpath(initdb)).parent)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(re.sub(r"\D", "", p.split("/")[4]) or 0))
    return str(Path(found[-1]).parent) if found else None


def _run(user: str | None, argv: list[str], *, check: bool = True) -> None:
    # PostgreSQL refuses to run as root: run its binaries as another user.
    command = ["runuser", "-u", user, "--", *argv] if user else argv
    subprocess.run(command, check=check, capture_output=True, timeout=120)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_throwaway(bindir: str) -> PostgresServer:
    """initdb a cluster in a temporary directory and start it on a free loopback port."""
    user = None
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres").pw_name
        except KeyError:
            user = "nobody"
    root = Path(tempfile.mkdtemp(prefix="smskit-pg-"))
    if user:
        shutil.chown(root, user)
    port = _free_port()
    try:
        _run(user, [f"{bindir}/initdb", "-D", str(root / "data"), "-A", "trust", "-U",
                    "postgres", "-E", "UTF8", "--locale=C", "--no-sync"])
        _run(user, [f"{bindir}/pg_ctl", "-D", str(root / "data"), "-l", str(root / "log"),
                    "-w", "-t", "60", "-o",
                    f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "start"])
    except (OSError, subprocess.SubprocessError) as exc:
        log = root / "log"
        detail = log.read_text(errors="replace")[-500:] if log.exists() else ""
        stderr = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(
            f"could not start a throwaway PostgreSQL from {bindir}: {exc} "
            f"{stderr.decode(errors='replace')[-500:]} {detail}"
        ) from exc
    return PostgresServer(
        dsn=f"postgresql://postgres@127.0.0.1:{port}/postgres",
        description=f"throwaway cluster from {bindir} on 127.0.0.1:{port} (in {root})",
        data_dir=root, run_as=user, bindir=bindir,
    )


def find_postgres() -> PostgresServer | str:
    """The server to test against, or the reason there is none."""
    dsn = configured_dsn()
    problem = probe(dsn)
    if problem is None:
        return PostgresServer(dsn, f"server at {_shown(dsn)} (from {DSN_ENV} or its default)")
    if problem.startswith("psycopg"):
        return problem
    bindir = server_bindir()
    if bindir is None:
        return (f"{problem}, and no PostgreSQL server binaries (initdb, pg_ctl) to start one; "
                f"set {DSN_ENV}=postgresql://USER@HOST:PORT/DB to point the tests at a server")
    try:
        server = start_throwaway(bindir)
    except RuntimeError as exc:
        return f"{problem}; {exc}"
    with contextlib.suppress(Exception):
        if probe(server.dsn) is not None:
            server.stop()
            return f"{problem}; the throwaway cluster from {bindir} did not answer"
    return server


def describe_postgres() -> str:
    """One line for the pytest header: what the PostgreSQL tests will use."""
    dsn = configured_dsn()
    problem = probe(dsn)
    if problem is None:
        return f"postgres: {_shown(dsn)} answers; the PostgreSQL tests use it"
    if problem.startswith("psycopg"):
        return f"postgres: {problem}; PostgreSQL tests {_fate()}"
    bindir = server_bindir()
    if bindir:
        return f"postgres: {problem}; a throwaway cluster from {bindir} starts on first use"
    return f"postgres: {problem} and no server binaries; PostgreSQL tests {_fate()}"


def _fate() -> str:
    return "FAIL (SMSKIT_REQUIRE_SERVICES=1)" if services_required() else "skip"
