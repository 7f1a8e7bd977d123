"""Command-line options that take a number of seconds (`--timeout`, `--sign-in-wait`), read one way.

Why one place: each option had its own copy of the parsing, and one of them quoted what was typed
back without cleaning it (unprintable characters went to the terminal as typed).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from assistant.core.ports import quoted
from assistant.i18n import gettext


def seconds_between(low: float, high: float, out_of_range: str) -> Callable[[str], float]:
    """An argparse `type`: a number of seconds from `low` to `high`, else `out_of_range` (a
    sentence already in the person's language) or "… is not a number of seconds"."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                gettext("“{text}” is not a number of seconds").format(text=quoted(text))
            ) from None
        if not low <= value <= high:  # NaN and infinity are out of range too
            raise argparse.ArgumentTypeError(out_of_range)
        return value

    return parse


def add_seconds_option(
    parser: argparse.ArgumentParser,
    flag: str,
    *,
    default: float,
    limits: tuple[float, float],
    out_of_range: str,
    help_text: str,
) -> None:
    """`flag S`: a number of seconds within `limits`, `default` when not given."""
    low, high = limits
    parser.add_argument(
        flag,
        type=seconds_between(low, high, out_of_range),
        default=default,
        metavar="S",
        help=help_text,
    )
