"""``python -m smskit``: the same as the ``smskit`` command."""

from smskit.cli import console

console()
