"""The library's version, a leaf so every layer can stamp what it made (pyproject.toml
holds the same string; a test checks they agree)."""

__version__ = "0.1.0.dev0"
