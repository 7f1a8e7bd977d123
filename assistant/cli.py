"""`mailsetup`: no arguments starts the wizard; `mailsetup check …` runs the same engine headless.

Exit codes: 0 a safe setting was found, 1 none was found, 2 the input could not be used.
Every problem a person can cause prints one friendly line, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import NoReturn

from assistant import PRODUCT_NAME, __version__
from assistant.core.explain import SECURITY_NAMES, explain, recommendation_sentence
from assistant.core.models import AuthOutcome, ProbeResult
from assistant.core.ports import (
    InputError,
    PortSpec,
    build_candidates,
    default_ports,
    normalise_host,
    parse_address,
    parse_ports,
)
from assistant.core.probe import DEFAULT_TIMEOUT_S, ProbeSettings
from assistant.core.probe_run import ProbeRun, RunOutcome, run_and_wait
from assistant.core.report import run_document
from assistant.core.signin import Credentials
from assistant.discovery import DiscoveryOptions, DiscoveryResult, Origin, discover, to_candidates
from assistant.discovery import command as discover_command
from assistant.profile import find_profile

EXIT_FOUND, EXIT_NONE_SAFE, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl+C


class _FriendlyParser(argparse.ArgumentParser):
    """argparse, but a mistake prints one plain line and exits 2 instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments"):
            message = "I don't know the option " + message.split(":", 1)[1].strip()
        elif message.startswith("the following arguments are required"):
            message = "Please give your email address, like: mailsetup check name@example.com"
        self.exit(EXIT_BAD_INPUT, f"mailsetup: {message}. (See: mailsetup --help)\n")


def _timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a number of seconds") from None
    if not 0.5 <= value <= 120:
        raise argparse.ArgumentTypeError("the time limit must be between 0.5 and 120 seconds")
    return value


def _ports(text: str) -> list[PortSpec]:
    try:
        return parse_ports(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _FriendlyParser(
        prog="mailsetup",
        description=f"{PRODUCT_NAME}: finds your outgoing mail server and tests it. "
        "Without a command it opens the step-by-step assistant.",
        epilog="For documentation and IT instructions: mailsetup --screenshots DIR ADDRESS "
        "[--host H] [--ports SPEC] walks the assistant through a real run and saves one "
        "picture per page.",
    )
    parser.add_argument("--version", action="version", version=f"{PRODUCT_NAME} {__version__}")
    profile_help = "use this company profile (JSON) instead of the installed one"
    parser.add_argument("--profile", metavar="FILE", default=None, help=profile_help)
    sub = parser.add_subparsers(dest="command", parser_class=_FriendlyParser)
    check = sub.add_parser("check", help="test the outgoing mail server for an address")
    check.add_argument("--profile", metavar="FILE", default=argparse.SUPPRESS, help=profile_help)
    check.add_argument("address", help="your email address")
    check.add_argument(
        "--host", action="append", default=[], metavar="H", help="server name to test (repeatable)"
    )
    check.add_argument(
        "--ports",
        type=_ports,
        default=None,
        metavar="SPEC",
        help="ports to test, like 465,587,25 or 2526/tls,8025/starttls (default 465,587,25,26,2525)",
    )
    check.add_argument(
        "--timeout",
        type=_timeout,
        default=DEFAULT_TIMEOUT_S,
        metavar="S",
        help=f"time limit per test in seconds (default {DEFAULT_TIMEOUT_S:g})",
    )
    check.add_argument("--json", action="store_true", help="print one JSON document")
    check.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (or ask for it) and check the sign-in; "
        "it is only ever sent over a verified encrypted connection",
    )
    check.add_argument(
        "--send-test",
        action="store_true",
        help="after a successful sign-in, send one test message to your own address",
    )
    from assistant.oauth.command import add_arguments as add_oauth_arguments

    add_oauth_arguments(check)
    discover_command.add_parser(sub)
    sub.add_parser(
        "keychain-selftest",
        help="check that this computer's keychain can store, find and forget a password "
        "(a random one, removed again)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments:
        # The wizard: start it before importing anything the command line needs.
        from assistant.gui.app import run_gui

        return int(run_gui([]))
    if arguments[:1] == ["--screenshots"]:
        from assistant.gui.screenshots import run_screenshots

        return run_screenshots(arguments[1:])
    args = build_parser().parse_args(arguments)
    if args.command is None:
        from assistant.gui.app import run_gui

        return int(run_gui(["--profile", args.profile] if args.profile else []))
    if args.command == "check":
        return _check(args)
    if args.command == "discover":
        return discover_command.run(args)
    if args.command == "keychain-selftest":
        return _keychain_selftest()
    return EXIT_BAD_INPUT


def _keychain_selftest() -> int:
    """For IT and the installer smoke test: does the keychain really work on this computer?"""
    import secrets

    from assistant.credentials import KeychainUnavailable, KeyringStore, open_store

    store, problem = open_store()
    if problem is not None or not isinstance(store, KeyringStore):
        print(f"mailsetup: {problem}", file=sys.stderr)
        return EXIT_NONE_SAFE
    account = f"selftest-{secrets.token_hex(4)}@mailsetup.invalid"
    probe_secret = secrets.token_urlsafe(16)
    try:
        store.remember(account, probe_secret)
        found = store.get(account) == probe_secret
        store.forget(account)
        gone = store.get(account) is None
    except KeychainUnavailable as exc:
        print(f"mailsetup: {exc}", file=sys.stderr)
        return EXIT_NONE_SAFE
    if not (found and gone):
        print("mailsetup: the keychain did not give the test password back.", file=sys.stderr)
        return EXIT_NONE_SAFE
    print(f"The keychain works: {store.description}.")
    return EXIT_FOUND


def _check(args: argparse.Namespace, settings: ProbeSettings | None = None) -> int:
    try:
        address, domain = parse_address(args.address)
        hosts = [normalise_host(h) for h in args.host]
    except InputError as exc:
        print(f"mailsetup: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    profile, problem = find_profile(getattr(args, "profile", None))
    if problem:
        print(f"mailsetup: {problem} Continuing without it.", file=sys.stderr)
    if profile is not None and not profile.applies_to(domain):
        profile = None
    ports = args.ports
    if profile is not None and profile.servers and not hosts:
        hosts = list(dict.fromkeys(s.host for s in profile.servers))
        ports = ports or profile.port_specs()
    found_in: str | None = None
    oauth_kind = ""  # the provider's own sign-in window, when discovery knows one
    if hosts:
        candidates = build_candidates(hosts, ports or default_ports())
    else:
        options = DiscoveryOptions(ispdb=profile.online_lookup if profile else True)
        if profile is not None and profile.provider:
            from assistant.discovery.sources.profile import ProfileSource

            options.extra_sources = (ProfileSource(profile.provider),)
        discovered = discover(address, options)
        candidates = to_candidates(discovered, ports=ports)
        found_in = _found_in(discovered)
        oauth_kind = discovered.found.config.oauth if discovered.found is not None else ""
    if profile is not None:
        candidates = [c for c in candidates if profile.allows(c.port)]
        if not candidates:
            print("mailsetup: the company profile allows none of these ports.", file=sys.stderr)
            return EXIT_BAD_INPUT
    if args.send_test and not (args.password_stdin or args.oauth):
        print(
            "mailsetup: --send-test needs --password-stdin or --oauth (a test message needs a "
            "sign-in).",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if args.oauth and args.password_stdin:
        print("mailsetup: choose either --password-stdin or --oauth, not both.", file=sys.stderr)
        return EXIT_BAD_INPUT
    settings = settings or ProbeSettings()
    settings.timeout = args.timeout
    if args.password_stdin:
        password = _read_password()
        if not password:
            print("mailsetup: no password was given on standard input.", file=sys.stderr)
            return EXIT_BAD_INPUT
        settings.credentials = Credentials.for_address(address, password)
        del password
    oauth_document = None
    if args.oauth:
        from assistant.oauth import command as oauth_command

        kind = oauth_command.account_kind(candidates, oauth_kind)
        step = oauth_command.sign_in(
            address, kind, profile, settings, quiet=args.json, wait=args.sign_in_wait
        )
        if step.interrupted:
            return EXIT_INTERRUPTED
        oauth_document = step.document
    if not args.json:
        if found_in:
            print(found_in)
        ways = "way" if len(candidates) == 1 else "ways"
        print(f"Testing {len(candidates)} {ways} to send mail for {address} …", flush=True)
    run = ProbeRun(candidates, settings).start()
    try:
        finished = run.wait()
    except KeyboardInterrupt:  # Ctrl+C: stop every probe (sockets closed) and say so, no traceback
        run.cancel()
        run.join_workers(1.0)
        print("mailsetup: stopped.", file=sys.stderr)
        return EXIT_INTERRUPTED
    assert finished is not None
    outcome = finished
    if args.send_test and outcome.recommendation is not None:
        outcome = _send_test(outcome, settings, address)
    if args.json:
        document = run_document(address, outcome.results, outcome.recommendation, args.timeout)
        document["found_in"] = found_in
        if oauth_document is not None:
            document["oauth"] = oauth_document
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(render_table(outcome, args.timeout))
    return EXIT_FOUND if outcome.recommendation is not None else EXIT_NONE_SAFE


def _found_in(result: DiscoveryResult) -> str:
    """Where the servers came from, in one sentence (trust said plainly)."""
    found = result.found
    if found is None or found.origin is Origin.GUESS:
        return "No settings were found for this domain, so the usual server names are tried."
    name = found.config.name or found.config.provider_id
    trust = "" if found.trusted else " (not verified: check the result with your provider)"
    return f"Settings for {name} found in {found.origin.description}{trust}."


def _read_password() -> str:
    """One line from stdin; at a terminal, a hidden prompt. Never from the command line."""
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Password (not shown): ")
    return sys.stdin.readline().rstrip("\r\n")


def _send_test(outcome: RunOutcome, settings: ProbeSettings, address: str) -> RunOutcome:
    """Send the one test message through the recommended setting, if sign-in worked there."""
    rec = outcome.recommendation
    if rec is None or rec.auth is not AuthOutcome.ACCEPTED:
        return outcome
    once = replace(settings, test_message_to=address)
    sent = run_and_wait([rec.candidate], once).results[0]
    results = [sent if r is rec else r for r in outcome.results]
    return replace(outcome, results=results, recommendation=sent if sent.verdict.is_safe else None)


def render_table(outcome: RunOutcome, timeout: float) -> str:
    lines: list[str] = []
    width = max((len(_where(r)) for r in outcome.results), default=10)
    for result in outcome.results:
        label = f" ({result.candidate.label})" if result.candidate.label else ""
        lines.append(f"  {_where(result).ljust(width)}  {_mark(result)}{label}")
        lines.append(f"  {' ' * width}  {explain(result, timeout=timeout)}")
    lines.append("")
    lines.append(recommendation_sentence(outcome.recommendation))
    return "\n".join(lines)


def _where(result: ProbeResult) -> str:
    cand = result.candidate
    return f"{cand.host} port {cand.port} {SECURITY_NAMES[cand.security]}"


def _mark(result: ProbeResult) -> str:
    if result.verdict.is_safe:
        return "OK  encrypted"
    if result.verdict.name == "PLAINTEXT_ONLY":
        return "!!  not encrypted"
    return "--  not usable"


if __name__ == "__main__":
    raise SystemExit(main())
