"""Cited question answering over a Chinese text corpus."""

__version__ = "0.1.0"
