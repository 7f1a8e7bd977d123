"""Command-line options that take a number of seconds (`--timeout`, `--sign-in-wait`), read one way.

Why one place: each option had its own copy of the parsing, and one of them quoted what was typed
back without cleaning it (unprintable characters went to the terminal as typed). The limits and the
default are written here into the help and the error, from the numbers themselves: they used to be
typed again inside each option's sentences, where a changed limit would have left a wrong sentence.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from assistant.core.ports import quoted
from assistant.i18n import gettext


def _number(value: float) -> str:
    return f"{value:g}"


def seconds_between(low: float, high: float) -> Callable[[str], float]:
    """An argparse `type`: a number of seconds from `low` to `high`, else a sentence that says
    which numbers are allowed (argparse puts the option's name before it)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                gettext("“{text}” is not a number of seconds").format(text=quoted(text))
            ) from None
        if not low <= value <= high:  # NaN and infinity are out of range too
            raise argparse.ArgumentTypeError(
                gettext("give a number of seconds from {low} to {high}").format(
                    low=_number(low), high=_number(high)
                )
            )
        return value

    return parse


def add_seconds_option(
    parser: argparse.ArgumentParser,
    flag: str,
    default: float,
    limits: tuple[float, float],
    purpose: str,
) -> None:
    """`flag S`: a number of seconds within `limits`, `default` when not given. `purpose` says
    what the seconds are for, in the person's language; the help adds the default to it."""
    low, high = limits
    parser.add_argument(
        flag,
        type=seconds_between(low, high),
        default=default,
        metavar="S",
        help=gettext("{purpose} (default {seconds} s)").format(
            purpose=purpose, seconds=_number(default)
        ),
    )
