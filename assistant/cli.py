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

from assistant import PRODUCT_NAME, __version__, i18n
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
from assistant.i18n import N_, gettext, ngettext
from assistant.profile import find_profile

EXIT_FOUND, EXIT_NONE_SAFE, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl+C


# argparse's own words (usage, headings, errors) come from our catalogs too: it looks up `_` and
# `ngettext` in its module at call time. These are the ones a person can meet.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
)
argparse._ = gettext  # type: ignore[attr-defined]
argparse.ngettext = ngettext  # type: ignore[attr-defined]


def _prefix(template: str) -> str:
    """The fixed start of one of argparse's messages, in the current language."""
    return gettext(template).split("%", 1)[0].rstrip(": ")


class _FriendlyParser(argparse.ArgumentParser):
    """argparse, but a mistake prints one plain line and exits 2 instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        if message.startswith(_prefix("unrecognized arguments: %s")):
            message = gettext("I don't know the option {option}").format(
                option=message.split(":", 1)[1].strip()
            )
        elif message.startswith(_prefix("the following arguments are required: %s")):
            message = gettext(
                "Please give your email address, like: mailsetup check name@example.com"
            )
        self.exit(
            EXIT_BAD_INPUT,
            gettext("mailsetup: {message}. (See: mailsetup --help)").format(message=message) + "\n",
        )


def _timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            gettext("“{text}” is not a number of seconds").format(text=text)
        ) from None
    if not 0.5 <= value <= 120:
        raise argparse.ArgumentTypeError(
            gettext("the time limit must be between 0.5 and 120 seconds")
        )
    return value


def _ports(text: str) -> list[PortSpec]:
    try:
        return parse_ports(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None


def build_parser() -> argparse.ArgumentParser:
    _ = gettext
    parser = _FriendlyParser(
        prog="mailsetup",
        description=_(
            "{product}: finds your outgoing mail server and tests it. "
            "Without a command it opens the step-by-step assistant."
        ).format(product=PRODUCT_NAME),
        epilog=_(
            "For documentation and IT instructions: mailsetup --screenshots DIR ADDRESS "
            "[--host H] [--ports SPEC] walks the assistant through a real run and saves one "
            "picture per page."
        ),
    )
    parser.add_argument("--version", action="version", version=f"{PRODUCT_NAME} {__version__}")
    parser.add_argument(
        "--lang",
        metavar="LANG",
        default=None,
        help=_("language of everything shown, like es or en (default: LANGUAGE or LANG)"),
    )
    profile_help = _("use this company profile (JSON) instead of the installed one")
    parser.add_argument("--profile", metavar="FILE", default=None, help=profile_help)
    sub = parser.add_subparsers(dest="command", parser_class=_FriendlyParser)
    check = sub.add_parser("check", help=_("test the outgoing mail server for an address"))
    check.add_argument("--profile", metavar="FILE", default=argparse.SUPPRESS, help=profile_help)
    check.add_argument("address", help=_("your email address"))
    check.add_argument(
        "--host",
        action="append",
        default=[],
        metavar="H",
        help=_("server name to test (repeatable)"),
    )
    check.add_argument(
        "--ports",
        type=_ports,
        default=None,
        metavar="SPEC",
        help=_(
            "ports to test, like 465,587,25 or 2526/tls,8025/starttls (default 465,587,25,26,2525)"
        ),
    )
    check.add_argument(
        "--timeout",
        type=_timeout,
        default=DEFAULT_TIMEOUT_S,
        metavar="S",
        help=_("time limit per test in seconds (default {seconds})").format(
            seconds=f"{DEFAULT_TIMEOUT_S:g}"
        ),
    )
    check.add_argument("--json", action="store_true", help=_("print one JSON document"))
    check.add_argument(
        "--password-stdin",
        action="store_true",
        help=_(
            "read the password from standard input (or ask for it) and check the sign-in; "
            "it is only ever sent over a verified encrypted connection"
        ),
    )
    check.add_argument(
        "--send-test",
        action="store_true",
        help=_("after a successful sign-in, send one test message to your own address"),
    )
    discover_command.add_parser(sub)
    sub.add_parser(
        "keychain-selftest",
        help=_(
            "check that this computer's password store can store, find and forget a password "
            "(a random one, removed again)"
        ),
    )
    return parser


def language_option(arguments: list[str]) -> str | None:
    """`--lang X` / `--lang=X` anywhere on the line, read before anything is worded."""
    for index, argument in enumerate(arguments):
        if argument == "--lang" and index + 1 < len(arguments):
            return arguments[index + 1]
        if argument.startswith("--lang="):
            return argument.split("=", 1)[1]
    return None


def _without_language(arguments: list[str]) -> list[str]:
    out: list[str] = []
    skip = False
    for index, argument in enumerate(arguments):
        if skip:
            skip = False
            continue
        if argument == "--lang" and index + 1 < len(arguments):
            skip = True
            continue
        if argument.startswith("--lang="):
            continue
        out.append(argument)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    language = language_option(arguments)
    if not _without_language(arguments):
        # The wizard: start it before importing anything the command line needs.
        from assistant.gui.app import run_gui

        return int(run_gui(["--lang", language] if language else []))
    if arguments[:1] == ["--screenshots"]:
        from assistant.gui.screenshots import run_screenshots

        return run_screenshots(arguments[1:])
    i18n.set_language(language or i18n.language_from_environment())
    args = build_parser().parse_args(_without_language(arguments))  # --lang may come anywhere
    if args.command is None:
        from assistant.gui.app import run_gui

        gui = ["--lang", language] if language else []
        return int(run_gui(gui + (["--profile", args.profile] if args.profile else [])))
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
        from assistant.credentials import problem_text

        print("mailsetup: " + problem_text(problem or ""), file=sys.stderr)
        return EXIT_NONE_SAFE
    account = f"selftest-{secrets.token_hex(4)}@mailsetup.invalid"
    probe_secret = secrets.token_urlsafe(16)
    try:
        store.remember(account, probe_secret)
        found = store.get(account) == probe_secret
        store.forget(account)
        gone = store.get(account) is None
    except KeychainUnavailable as exc:
        print("mailsetup: " + str(exc), file=sys.stderr)
        return EXIT_NONE_SAFE
    if not (found and gone):
        print(
            gettext("mailsetup: the password store did not give the test password back."),
            file=sys.stderr,
        )
        return EXIT_NONE_SAFE
    print(gettext("The password store works: {store}.").format(store=store.description))
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
        print(
            gettext("mailsetup: {problem} Continuing without it.").format(problem=problem),
            file=sys.stderr,
        )
    if profile is not None and not profile.applies_to(domain):
        profile = None
    ports = args.ports
    if profile is not None and profile.servers and not hosts:
        hosts = list(dict.fromkeys(s.host for s in profile.servers))
        ports = ports or profile.port_specs()
    found_in: str | None = None
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
    if profile is not None:
        candidates = [c for c in candidates if profile.allows(c.port)]
        if not candidates:
            print(
                gettext("mailsetup: the company profile allows none of these ports."),
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
    if args.send_test and not args.password_stdin:
        print(
            gettext(
                "mailsetup: --send-test needs --password-stdin (a test message needs a sign-in)."
            ),
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    settings = settings or ProbeSettings()
    settings.timeout = args.timeout
    if args.password_stdin:
        password = _read_password()
        if not password:
            print(gettext("mailsetup: no password was given on standard input."), file=sys.stderr)
            return EXIT_BAD_INPUT
        settings.credentials = Credentials.for_address(address, password)
        del password
    if not args.json:
        if found_in:
            print(found_in)
        testing = ngettext(
            "Testing {count} way to send mail for {address} …",
            "Testing {count} ways to send mail for {address} …",
            len(candidates),
        )
        print(testing.format(count=len(candidates), address=address), flush=True)
    run = ProbeRun(candidates, settings).start()
    try:
        finished = run.wait()
    except KeyboardInterrupt:  # Ctrl+C: stop every probe (sockets closed) and say so, no traceback
        run.cancel()
        run.join_workers(1.0)
        print(gettext("mailsetup: stopped."), file=sys.stderr)
        return EXIT_INTERRUPTED
    assert finished is not None
    outcome = finished
    if args.send_test and outcome.recommendation is not None:
        outcome = _send_test(outcome, settings, address)
    if args.json:
        document = run_document(address, outcome.results, outcome.recommendation, args.timeout)
        document["found_in"] = found_in
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(render_table(outcome, args.timeout))
    return EXIT_FOUND if outcome.recommendation is not None else EXIT_NONE_SAFE


def _found_in(result: DiscoveryResult) -> str:
    """Where the servers came from, in one sentence (trust said plainly)."""
    found = result.found
    if found is None or found.origin is Origin.GUESS:
        return gettext(
            "No settings were found for this domain, so the usual server names are tried."
        )
    name = found.config.name or found.config.provider_id
    where = gettext(found.origin.description)
    if found.trusted:
        return gettext("Settings for {name} found in {where}.").format(name=name, where=where)
    return gettext(
        "Settings for {name} found in {where} (not verified: check the result with your provider)."
    ).format(name=name, where=where)


def _read_password() -> str:
    """One line from stdin; at a terminal, a hidden prompt. Never from the command line."""
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(gettext("Password (not shown): "))
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
        label = f" ({gettext(result.candidate.label)})" if result.candidate.label else ""
        lines.append(f"  {_where(result).ljust(width)}  {_mark(result)}{label}")
        lines.append(f"  {' ' * width}  {explain(result, timeout=timeout)}")
    lines.append("")
    lines.append(recommendation_sentence(outcome.recommendation))
    return "\n".join(lines)


def _where(result: ProbeResult) -> str:
    cand = result.candidate
    return gettext("{host} port {port} {security}").format(
        host=cand.host, port=cand.port, security=gettext(SECURITY_NAMES[cand.security])
    )


def _mark(result: ProbeResult) -> str:
    """A sign and words: nothing is told by the sign alone."""
    if result.verdict.is_safe:
        return "OK  " + gettext("encrypted")
    if result.verdict.name == "PLAINTEXT_ONLY":
        return "!!  " + gettext("not encrypted")
    return "--  " + gettext("not usable")


if __name__ == "__main__":
    raise SystemExit(main())
