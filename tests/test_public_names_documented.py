"""Every public name is named in the docs (fix31b).

``smskit.__all__`` and the ``__all__`` of each public subpackage and module list what a user may
import; about twenty of them (``CapDecision``, ``LineType``, ``RowProblem``,
``ShrinkTarget``, ``expiry_of`` among them) appeared on no page under docs/, so a user
met them in a return value or an error with nothing to read about them.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import smskit

DOCS = Path(__file__).resolve().parent.parent / "docs"
# The package and its public subpackages and modules (``smskit.errors`` too).
PACKAGES = ["smskit", *sorted(
    f"smskit.{info.name}" for info in pkgutil.iter_modules(smskit.__path__)
    if not info.name.startswith("_")
)]


def test_every_public_name_appears_on_a_docs_page() -> None:
    text = "\n".join(page.read_text(encoding="utf-8") for page in DOCS.glob("*.md"))
    missing = [
        f"{package}.{name}"
        for package in PACKAGES
        for name in getattr(importlib.import_module(package), "__all__", ())
        # A whole word: "MessageKind" is not named by "MessageKinds".
        if not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
    ]
    assert missing == [], f"public names no docs/*.md page names: {missing}"
