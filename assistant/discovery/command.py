"""`mailsetup discover ADDRESS`: every source's answer, with origin and trust, and the candidates.

For IT people and scripts: it shows *why* the assistant will test what it tests. It waits for every
source (unlike the wizard, which stops at the first good answer) so the whole picture is visible.
Exit codes: 0 settings were found by a source, 1 only guesses are left, 2 the input cannot be used.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from assistant.core.address import parse
from assistant.core.explanation import protocol_name, security_name
from assistant.core.models import Candidate
from assistant.core.ports import InputError
from assistant.discovery.dns import Nameserver, parse_nameserver
from assistant.discovery.options import DiscoveryOptions
from assistant.discovery.parallel_search import discover
from assistant.discovery.result import DiscoveryResult, Found, NetworkError, NotFound, Origin
from assistant.discovery.server_candidates import to_candidates
from assistant.discovery.sources.ispdb import DEFAULT_ISPDB_URL, check_base_url
from assistant.i18n import Translate, gettext, word
from assistant.i18n import gettext as _

if TYPE_CHECKING:
    from assistant.discovery.result import SourceResult

EXIT_FOUND, EXIT_GUESS_ONLY, EXIT_BAD_INPUT = 0, 1, 2


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


def render(result: DiscoveryResult, candidates: list[Candidate], tr: Translate = gettext) -> str:
    """The readable form, one block per source, then the choice and the candidates, in the
    language of `tr`: every sentence is translated first and filled after; host names, ports and
    the `tls`/`starttls` of the settings lines are shown as they are."""
    lines = [tr("Finding the mail servers for {address}").format(address=result.address.address)]
    lines.append("")
    titles = [tr(answer.title) for answer in result.answers]
    width = max(len(title) for title in titles)
    indent = f"  {' ' * width}  "
    for answer, title in zip(result.answers, titles, strict=True):
        mark = "*" if result.winner is answer else " "
        lines.append(f"{mark} {title.ljust(width)}  {_status(answer.result, answer.note, tr)}")
        found = answer.found
        if found is not None:
            smtp = ", ".join(f"{s.host}:{s.port} {s.security.value}" for s in found.config.outgoing)
            lines.append(f"{indent}{found.config.name}: {smtp}")
            receiving = ", ".join(
                f"{s.protocol.value.upper()} {s.host}:{s.port} {s.security.value}"
                for s in found.config.incoming
            )
            if receiving:
                lines.append(indent + tr("receiving: {servers}").format(servers=receiving))
            lines.append(indent + tr("from {where}").format(where=word(found.place, tr)))
            lines.extend(
                indent + tr("note: {note}").format(note=word(remark, tr))
                for remark in found.remarks
            )
    lines.append("")
    winner = result.found
    if winner is None:
        lines.append(tr("No source knew this address; the usual server names will be tested."))
    else:
        using = (
            tr("Using {provider}, from {origin} (trusted).")
            if winner.trusted
            else tr(
                "Using {provider}, from {origin} (NOT verified - confirm it before you use it)."
            )
        )
        lines.append(using.format(provider=winner.config.name, origin=tr(winner.description)))
        lines.extend(
            "  " + tr("You need to know: {requirement}").format(requirement=tr(r.text))
            for r in winner.config.requirements
        )
    lines.append("")
    lines.append(tr("Servers and ports to test:"))
    for cand in candidates:
        where = tr("{host} port {port} {security}").format(
            host=cand.host, port=cand.port, security=security_name(cand.security, tr)
        )
        if cand.protocol.incoming:
            where = f"{protocol_name(cand.protocol, tr)} {where}"
        label = f" ({tr(cand.label)})" if cand.label else ""
        documented = "  " + tr("documented") if cand.documented else ""
        untested = "" if cand.trusted else "  " + tr("(tested without your password)")
        lines.append(f"  {where}{label}{documented}{untested}")
    return "\n".join(lines)


def _status(result: SourceResult | None, note: str, tr: Translate) -> str:
    if isinstance(result, Found):
        return tr("found, trusted") if result.trusted else tr("found, untrusted")
    if isinstance(result, NotFound):
        return tr("nothing: {reason}").format(reason=word(result.why, tr))
    if isinstance(result, NetworkError):
        return tr("failed ({error}): {reason}").format(
            error=result.kind.value, reason=word(result.why, tr)
        )
    return tr(note) if note else tr("not asked")
