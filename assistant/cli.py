"""`mailsetup`: no arguments starts the wizard; `mailsetup check …` runs the same engine headless.

Exit codes: 0 every half tested (sending, receiving) has a safe setting, 1 at least one has none,
2 the input could not be used.
Every problem a person can cause prints one friendly line, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, NoReturn

from assistant import PRODUCT_NAME, __version__, i18n
from assistant.core.address import InputError, parse
from assistant.core.domain_typos import suggest_domain
from assistant.core.explanation import (
    Audience,
    Tone,
    imap_or_pop3,
    sentence,
)
from assistant.core.models import AuthOutcome, Candidate, ProbeResult, Protocol, Verdict
from assistant.core.ports import HostHasPort, PortSpec, normalise_host, parse_ports, quoted
from assistant.core.probe import ProbeSettings
from assistant.core.probe_run import ProbeRun, RunOutcome, run_and_wait
from assistant.core.report import run_document
from assistant.core.signin import Credentials
from assistant.core.time_limit import DEFAULT_TIMEOUT_S
from assistant.discovery import command as discover_command
from assistant.discovery import discover
from assistant.i18n import N_, gettext, ngettext
from assistant.outcome import Card, Halves, Outcome, conclude_halves
from assistant.plan import Plan, PlanInputs, discovery_options, make_plan, typed_hosts
from assistant.profile import find_profile, path_problem

EXIT_FOUND, EXIT_NONE_SAFE, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl+C
KEYCHAIN_BROKEN = N_(
    "The password store on this computer did not work, so no password can be saved in it."
)

# argparse's own words (usage, headings, errors) come from our catalogs too: it looks up `_` and
# `ngettext` in its module at call time. These are the ones a person can meet. ("invalid %(type)s
# value" stays as argparse writes it: _FriendlyParser rewords it.)
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
                option=quoted(message.split(":", 1)[1].strip())
            )
        elif message.startswith(_prefix("the following arguments are required: %s")):
            message = gettext(
                "Please give your email address, like: mailsetup check name@example.com"
            )
        else:
            # argparse's own wording names the function behind a flag ("invalid _ports value")
            # and quotes the whole input: say the flag, quote a few dozen characters.
            message = _INVALID_VALUE.sub(
                lambda m: gettext("“{text}” cannot be used").format(text=quoted(m.group(1))),
                message,
            )
        self.exit(
            EXIT_BAD_INPUT,
            gettext("mailsetup: {message}. (See: mailsetup --help)").format(message=message) + "\n",
        )


_INVALID_VALUE = re.compile(r"invalid \S+ value: '(.*)'$", re.DOTALL)


def _ports(text: str) -> list[PortSpec]:
    try:
        return parse_ports(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None
    except ValueError:
        raise argparse.ArgumentTypeError(
            gettext("“{text}” are not port numbers").format(text=quoted(text))
        ) from None


def add_test_options(parser: argparse.ArgumentParser) -> None:
    """What to test and for how long: the same options, words and defaults for `check` and
    `export`, which run the same plan."""
    from assistant.seconds_option import add_seconds_option

    _ = gettext
    parser.add_argument(
        "--profile",
        metavar="FILE",
        default=argparse.SUPPRESS,  # the top level's --profile stands unless given here
        help=_("use this company profile (JSON) instead of the installed one"),
    )
    for flag, metavar, meaning in (  # server names, each option repeatable
        ("--host", "H", _("server name to test (repeatable)")),
        (
            "--trust-host",
            "NAME",
            _(
                "let this server have the password even though its name came from a source that "
                "could have been forged, e.g. the name on your hosting company's certificate "
                "(repeatable)"
            ),
        ),
    ):
        parser.add_argument(flag, action="append", default=[], metavar=metavar, help=meaning)
    parser.add_argument(
        "--ports",
        type=_ports,
        default=None,
        metavar="SPEC",
        help=_(
            "ports to test, like 465,587,25 or 2526/tls,8025/starttls; imap:993, pop3:110/starttls "
            "for receiving (a bare port is SMTP). Default: both halves, SMTP 465,587,25,26,2525 and "
            "IMAP 993,143, POP3 995,110"
        ),
    )
    add_seconds_option(
        parser, "--timeout", DEFAULT_TIMEOUT_S, (0.5, 120), _("time limit for each test")
    )


def build_parser() -> argparse.ArgumentParser:
    _ = gettext
    parser = _FriendlyParser(
        prog="mailsetup",
        description=_(
            "{product}: finds your mail servers, for receiving and for sending, and tests them. "
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
    parser.add_argument(
        "--profile",
        metavar="FILE",
        default=None,
        help=_("use this company profile (JSON) instead of the installed one"),
    )
    sub = parser.add_subparsers(dest="command", parser_class=_FriendlyParser)
    check = sub.add_parser(
        "check", help=_("test the receiving and sending mail servers for an address")
    )
    check.add_argument("address", help=_("your email address"))
    add_test_options(check)
    check.add_argument(
        "--prefer-pop3",
        action="store_true",
        help=_("recommend POP3 for receiving (mail downloaded to this computer) rather than IMAP"),
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
    from assistant.oauth.command import add_arguments as add_oauth_arguments

    add_oauth_arguments(check)
    discover_command.add_parser(sub)
    from assistant.export import command as export_command

    export_command.add_parser(sub)
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
    if args.command == "export":
        from assistant.export import command as export_command

        return export_command.run(args)
    if args.command == "keychain-selftest":
        return _keychain_selftest()
    return EXIT_BAD_INPUT


def _keychain_selftest() -> int:
    """For IT and the installer smoke test: does the keychain really work on this computer?"""
    import secrets

    from assistant.credentials import KeychainUnavailable, KeyringStore, open_store

    try:
        store, problem = open_store()
    except Exception:  # a broken backend: one sentence, never a traceback
        store, problem = None, KEYCHAIN_BROKEN
    if problem is not None or not isinstance(store, KeyringStore):
        from assistant.credentials import problem_text

        print("mailsetup: " + problem_text(problem or KEYCHAIN_BROKEN), file=sys.stderr)
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
    except Exception:  # the store's own wrapping missed something: still one sentence
        print("mailsetup: " + gettext(KEYCHAIN_BROKEN), file=sys.stderr)
        return EXIT_NONE_SAFE
    if not (found and gone):
        print(
            gettext("mailsetup: the password store did not give the test password back."),
            file=sys.stderr,
        )
        return EXIT_NONE_SAFE
    print(gettext("The password store works: {store}.").format(store=store.description))
    return EXIT_FOUND


@dataclass(frozen=True, slots=True)
class CheckRun:
    """A finished check: what was planned, and what it means (for `check` and `export`)."""

    plan: Plan
    halves: Halves
    timeout: float
    oauth: dict[str, Any] | None = None
    """Only with --oauth: how the sign-in through the provider's window went (no token)."""


def plan_for(args: argparse.Namespace) -> Plan | int:
    """The shared plan for `check`'s arguments (discovery runs here when the plan needs it), or
    exit code 2 with one sentence when the input cannot be used."""
    try:
        address = parse(args.address)
        hosts = typed_hosts(_hosts(args.host, "--host"))
        confirmed = tuple(_hosts(getattr(args, "trust_host", []), "--trust-host"))
    except InputError as exc:
        return _bad_input(str(exc))
    explicit_profile = getattr(args, "profile", None)
    unusable = path_problem(explicit_profile) if explicit_profile is not None else None
    if unusable:  # a device, a FIFO, a folder: never read, the person must fix the path
        return _bad_input(unusable)
    profile, problem = find_profile(explicit_profile)
    if problem:
        print(
            gettext("mailsetup: {problem} Continuing without it.").format(problem=problem),
            file=sys.stderr,
        )
    suggestion = suggest_domain(address.domain)
    if suggestion:  # a likely typo of a known provider: said before anything is tested
        said = sentence("did_you_mean_cli", domain=suggestion, address=address.address)
        print(f"mailsetup: {said}", file=sys.stderr)
    ports = tuple(args.ports) if args.ports else None
    # check and export test both halves, as the window does (ports given replace the defaults).
    inputs = PlanInputs(address, hosts, ports, profile, confirmed=confirmed, receiving=True)
    discovered = discover(address, discovery_options(inputs)) if inputs.needs_discovery else None
    plan = make_plan(inputs, discovered)
    return _bad_input(plan.problem) if plan.problem else plan


def run_check(args: argparse.Namespace, settings: ProbeSettings | None = None) -> CheckRun | int:
    """Plan, test and conclude for `check`'s arguments; an exit code when it cannot or was
    interrupted. Every decision is the shared plan's and outcome's, as in the wizard."""
    plan = plan_for(args)
    if isinstance(plan, int):
        return plan
    address = plan.inputs.address
    if args.send_test and not (args.password_stdin or getattr(args, "oauth", False)):
        return _bad_input(
            gettext(
                "--send-test needs --password-stdin or --oauth (a test message needs a sign-in)."
            )
        )
    if getattr(args, "oauth", False) and args.password_stdin:
        return _bad_input(gettext("choose either --password-stdin or --oauth, not both."))
    settings = settings or ProbeSettings()
    settings.timeout = args.timeout
    settings.trust = plan.trust
    if args.password_stdin:
        password = _read_password()
        if not password:
            return _bad_input(gettext("no password was given on standard input."))
        settings.credentials = Credentials.for_address(address.address, password)
        del password
    oauth_document = None
    if getattr(
        args, "oauth", False
    ):  # the provider's own sign-in window instead of a password (docs/OAUTH.md)
        from assistant.oauth import command as oauth_command

        step = oauth_command.sign_in(
            address.address,
            oauth_command.account_kind(plan.candidates),
            plan.inputs.active_profile,
            settings,
            quiet=args.json,
            wait=args.sign_in_wait,
        )
        if step.interrupted:
            return EXIT_INTERRUPTED
        oauth_document = step.document
    if not args.json:
        if plan.found_in:
            print(plan.found_in)
        count = len(plan.candidates)
        testing = {
            (True, False): ngettext(
                "Testing {count} way to send mail for {address} …",
                "Testing {count} ways to send mail for {address} …",
                count,
            ),
            (False, True): ngettext(
                "Testing {count} way to receive mail for {address} …",
                "Testing {count} ways to receive mail for {address} …",
                count,
            ),
            (True, True): ngettext(
                "Testing {count} way to receive and send mail for {address} …",
                "Testing {count} ways to receive and send mail for {address} …",
                count,
            ),
        }[_halves(plan.candidates)]
        print(testing.format(count=count, address=address.address), flush=True)
    prefer = Protocol.POP3 if getattr(args, "prefer_pop3", False) else Protocol.IMAP
    run = ProbeRun(list(plan.candidates), settings, prefer_incoming=prefer).start()
    try:
        finished = run.wait()
    except KeyboardInterrupt:  # Ctrl+C: stop every probe (sockets closed) and say so, no traceback
        run.cancel()
        run.join_workers(1.0)
        print(gettext("mailsetup: stopped."), file=sys.stderr)
        return EXIT_INTERRUPTED
    assert finished is not None
    results = finished.results
    if args.send_test and finished.recommendation is not None:
        results = _send_test(finished, settings, address.address)

    halves = conclude_halves(
        plan,
        results,
        password_given=settings.credentials is not None,
        audience=Audience.CLI,
        timeout=args.timeout,
        prefer=prefer,
    )
    return CheckRun(plan, halves, args.timeout, oauth_document)


def _check(args: argparse.Namespace, settings: ProbeSettings | None = None) -> int:
    checked = run_check(args, settings)
    if isinstance(checked, int):
        return checked
    outcome, incoming = checked.halves.sending, checked.halves.receiving
    if args.json:
        document = run_document(
            checked.plan.inputs.address.address,
            list(outcome.results) + list(incoming.results if incoming else ()),
            outcome.recommendation,
            checked.timeout,
            incoming_recommendation=incoming.recommendation if incoming else None,
        )
        document["found_in"] = checked.plan.found_in
        if checked.oauth is not None:
            document["oauth"] = checked.oauth
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(render_table(outcome, incoming))
    return EXIT_FOUND if checked.halves.all_safe else EXIT_NONE_SAFE


def _halves(candidates: Sequence[Candidate]) -> tuple[bool, bool]:
    """(sending tested, receiving tested)."""
    protocols = {c.protocol for c in candidates}
    return Protocol.SMTP in protocols, any(p.incoming for p in protocols)


def _hosts(values: Sequence[str], flag: str) -> list[str]:
    """Server names from a flag, checked; a port typed with the name is refused with the flag
    that takes it (on the command line a port goes in --ports)."""
    hosts: list[str] = []
    for value in values:
        try:
            hosts.append(normalise_host(value))
        except HostHasPort as exc:
            raise InputError(
                N_(
                    "{flag} takes only a server name: put the port in --ports, like "
                    "{flag} {host} --ports {port}."
                ),
                flag=flag,
                host=quoted(exc.host),
                port=exc.port,
            ) from None
        except InputError as exc:
            raise InputError("{flag}: {problem}", flag=flag, problem=str(exc)) from None
    return hosts


def _bad_input(sentence: str) -> int:
    print(f"mailsetup: {sentence}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _read_password() -> str:
    """One line from stdin; at a terminal, a hidden prompt. Never from the command line."""
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(gettext("Password (not shown): "))
    return sys.stdin.readline().rstrip("\r\n")


def _send_test(outcome: RunOutcome, settings: ProbeSettings, address: str) -> list[ProbeResult]:
    """Send the one test message through the recommended setting, if sign-in worked there."""
    rec = outcome.recommendation
    if rec is None or rec.auth is not AuthOutcome.ACCEPTED:
        return outcome.results
    once = replace(settings, test_message_to=address)
    sent = run_and_wait([rec.candidate], once).results[0]
    return [sent if r is rec else r for r in outcome.results]


def render_table(outcome: Outcome, incoming: Outcome | None = None) -> str:
    """The outcome as text: each port, then the recommendation, then what to do (said once).
    With the receiving half: "Receiving mail" first, as mail programs ask, then "Sending mail";
    a run of sending only keeps the plain list without headings."""
    cards = (*(incoming.cards if incoming else ()), *outcome.cards)
    # The marks line up after the longest name of one port; a row that tells of several (names
    # that do not exist) and is longer stands on a line of its own.
    width = max((len(c.where) for c in cards if c.stands_for == 1), default=10)
    lines: list[str] = []
    if incoming is not None:
        lines.append(gettext("Receiving mail (IMAP or POP3):"))
        lines += _half(incoming, width, imap_or_pop3())
        if not outcome.cards:
            return "\n".join(lines)
        lines += ["", gettext("Sending mail (SMTP):")]
    lines += _half(outcome, width)
    return "\n".join(lines)


def _half(outcome: Outcome, width: int, after_headline: str = "") -> list[str]:
    lines: list[str] = []
    for card in outcome.cards:
        label = f" ({card.label})" if card.label else ""
        if len(card.where) > width:  # several names: on a line of their own, above the column
            lines.append(f"  {card.where}")
            lines.append(f"  {' ' * width}  {_mark(card)}{label}")
        else:
            lines.append(f"  {card.where.ljust(width)}  {_mark(card)}{label}")
        lines.append(f"  {' ' * width}  {card.explanation.text}")
    lines.append("")
    lines.append(outcome.headline)
    if after_headline:
        lines.append(after_headline)
    lines.extend(outcome.warnings)
    lines.extend(outcome.trust_notes)
    if outcome.next_steps:
        lines.append("")
        lines.extend(f"- {step}" for step in outcome.next_steps)
    return lines


def _mark(card: Card) -> str:
    """A sign and words: nothing is told by the sign alone."""
    tone = card.explanation.tone
    if tone is Tone.GOOD:
        return "OK  " + gettext("encrypted")
    if card.result.verdict is Verdict.PLAINTEXT_ONLY:
        return "!!  " + gettext("not encrypted")
    if tone is Tone.WARNING and card.result.verdict.is_safe:
        return "~~  " + gettext("encrypted, no sign-in")
    return "--  " + gettext("not usable")


if __name__ == "__main__":
    raise SystemExit(main())
