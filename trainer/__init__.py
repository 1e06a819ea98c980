"""Spaced-repetition deck builder (Anki packages) and SM-2 terminal trainer for a YAML card bank."""

__version__ = "0.1.0"
