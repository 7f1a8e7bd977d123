"""`mailsetup discover ADDRESS`: every source's answer, with origin and trust, and the candidates.

For IT people and scripts: it shows *why* the assistant will test what it tests. It waits for every
source (unlike the wizard, which stops at the first good answer) so the whole picture is visible.
Exit codes: 0 settings were found by a source, 1 only guesses are left, 2 the input cannot be used.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.core.address import parse
from assistant.core.models import Candidate
from assistant.core.ports import InputError
from assistant.discovery.dns import Nameserver, parse_nameserver
from assistant.discovery.options import DiscoveryOptions
from assistant.discovery.parallel_search import discover
from assistant.discovery.result import DiscoveryResult, Found, NetworkError, NotFound, Origin
from assistant.discovery.server_candidates import to_candidates
from assistant.discovery.sources.ispdb import DEFAULT_ISPDB_URL, check_base_url
from assistant.i18n import gettext as _

EXIT_FOUND, EXIT_GUESS_ONLY, EXIT_BAD_INPUT = 0, 1, 2

_SECURITY_WORDS = {"tls": "SSL/TLS", "starttls": "STARTTLS", "auto": "detect"}


def _nameserver(text: str) -> Nameserver:
    try:
        return parse_nameserver(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None


def _base_url(text: str) -> str:
    try:
        return check_base_url(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None


def add_parser(subparsers: Any) -> None:
    """Add `discover` to the `mailsetup` sub-commands (the subparsers object of argparse)."""
    parser = subparsers.add_parser(
        "discover",
        help=_("find the mail servers for an address and show where each answer came from"),
        description=_(
            "Find the mail servers (incoming and outgoing) for an address: built-in provider "
            "list, the provider's settings file, Thunderbird's database, DNS records, then "
            "guesses. Exit codes: 0 found, 1 only guesses, 2 input not usable."
        ),
    )
    parser.add_argument("address", help=_("your email address"))
    parser.add_argument("--json", action="store_true", help=_("print one JSON document"))
    parser.add_argument(
        "--nameserver",
        type=_nameserver,
        default=None,
        metavar="IP[:PORT]",
        help=_("ask this DNS server instead of the system's"),
    )
    parser.add_argument(
        "--ispdb-url",
        type=_base_url,
        default=None,
        metavar="URL",
        help=_("base address of the provider database (default {url})").format(
            url=DEFAULT_ISPDB_URL
        ),
    )
    parser.add_argument(
        "--no-ispdb",
        action="store_true",
        help=_("do not ask Thunderbird's public provider database"),
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help=_("use only the built-in provider list (and guesses): nothing is sent anywhere"),
    )


def run(args: argparse.Namespace, options: DiscoveryOptions | None = None) -> int:
    """Run `discover` for parsed arguments; `options` lets tests inject loopback settings."""
    try:
        address = parse(args.address)
    except InputError as exc:
        print(f"mailsetup: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    options = options or DiscoveryOptions()
    options.offline = options.offline or args.offline
    options.ispdb = options.ispdb and not args.no_ispdb
    if args.ispdb_url is not None:
        options.ispdb_url = args.ispdb_url
    if args.nameserver is not None:
        options.nameserver = args.nameserver
    options.exhaustive = True
    result = discover(address, options)
    candidates = to_candidates(result, incoming=True)
    if args.json:
        print(json.dumps(document(result, candidates), indent=2, ensure_ascii=False))
    else:
        print(render(result, candidates))
    found = result.found
    return EXIT_FOUND if found is not None and found.origin is not Origin.GUESS else EXIT_GUESS_ONLY


def document(result: DiscoveryResult, candidates: list[Candidate]) -> dict[str, object]:
    """The JSON form: address, every source's answer, the winner and the candidates."""
    winner = result.winner
    return {
        "address": result.address.address,
        "domain": result.address.domain,
        "elapsed_ms": round(result.elapsed_ms, 2),
        "sources": [answer.to_dict() for answer in result.answers],
        "winner": winner.name if winner else None,
        "trusted": result.trusted,
        "candidates": [
            {
                "protocol": c.protocol.value,
                "host": c.host,
                "port": c.port,
                "security": c.security.value,
                "label": c.label,
                "documented": c.documented,
                "name_source": c.source.value,
                "trusted": c.trusted,
            }
            for c in candidates
        ],
    }


def render(result: DiscoveryResult, candidates: list[Candidate]) -> str:
    """The readable form, one block per source, then the choice and the candidates."""
    lines = [f"Finding the mail servers for {result.address.address}", ""]
    width = max(len(a.title) for a in result.answers)
    for answer in result.answers:
        mark = "*" if result.winner is answer else " "
        lines.append(f"{mark} {answer.title.ljust(width)}  {_status(answer.result, answer.note)}")
        found = answer.found
        if found is not None:
            smtp = ", ".join(f"{s.host}:{s.port} {s.security.value}" for s in found.config.outgoing)
            lines.append(f"  {' ' * width}  {found.config.name}: {smtp}")
            receiving = ", ".join(
                f"{s.protocol.value.upper()} {s.host}:{s.port} {s.security.value}"
                for s in found.config.incoming
            )
            if receiving:
                lines.append(f"  {' ' * width}  receiving: {receiving}")
            lines.append(f"  {' ' * width}  from {found.where}")
            lines.extend(f"  {' ' * width}  note: {note}" for note in found.notes)
    lines.append("")
    winner = result.found
    if winner is None:
        lines.append("No source knew this address; the usual server names will be tested.")
    else:
        trust = "trusted" if winner.trusted else "NOT verified - confirm it before you use it"
        lines.append(f"Using {winner.config.name}, from {winner.description} ({trust}).")
        lines.extend(f"  You need to know: {r.text}" for r in winner.config.requirements)
    lines.append("")
    lines.append("Servers and ports to test:")
    for cand in candidates:
        label = f" ({cand.label})" if cand.label else ""
        documented = "  documented" if cand.documented else ""
        documented += "" if cand.trusted else "  (tested without your password)"
        security = _SECURITY_WORDS.get(cand.security.value, cand.security.value)
        protocol = f"{cand.protocol.value.upper()} " if cand.protocol.incoming else ""
        lines.append(f"  {protocol}{cand.host} port {cand.port} {security}{label}{documented}")
    return "\n".join(lines)


def _status(result: Found | NotFound | NetworkError | None, note: str) -> str:
    if isinstance(result, Found):
        return "found, " + ("trusted" if result.trusted else "untrusted")
    if isinstance(result, NotFound):
        return f"nothing: {result.reason}"
    if isinstance(result, NetworkError):
        return f"failed ({result.kind.value}): {result.reason}"
    return note or "not asked"
