"""Glossary marks in text: `[[key|shown words]]` links the words to their plain explanation in
resources/glossary.json. The window turns marks into links (gui/widgets/glossary.py); everything
that leaves as plain text (Copy all, PDF, the command line) shows just the words."""

from __future__ import annotations

import re

MARK = re.compile(r"\[\[([a-z0-9-]+)\|([^\]]+)\]\]")


def strip_marks(text: str) -> str:
    return MARK.sub(lambda m: m.group(2), text)


def mark_keys(text: str) -> set[str]:
    return {key for key, _ in MARK.findall(text)}
