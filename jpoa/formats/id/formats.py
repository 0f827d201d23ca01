"""Bahasa Indonesia: the same format as English (month abbreviations translated)."""
from jpoa.formats.en.formats import *  # noqa: F403
