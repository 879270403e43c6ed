"""The ``smskit`` command line. Only :func:`main` is public; each subcommand lives
in its own private module.
"""

from __future__ import annotations

from ._app import (
    main,
)

__all__ = [
    "main",
]
