"""`mailsetup export ADDRESS --format pdf|autoconfig|mobileconfig|report|json -o FILE`.

Runs the same check as `mailsetup check` (same options, same exit codes: 0 a safe setting was found,
1 none was found, 2 the input could not be used), or reads a saved run with `--from-report`, and
writes one export. For IT scripts and for the tests; the wizard's Settings page writes the same
files through the same functions.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assistant.export.account import AccountSettings, ExportError, account_from_document
from assistant.export.files import problem, report_paths, save_bytes, save_text, save_with
from assistant.i18n import N_
from assistant.i18n import gettext as _

FORMATS = ("pdf", "autoconfig", "mobileconfig", "report", "json")
DEFAULT_PROGRAM = "thunderbird"
MAX_REPORT_BYTES = 20_000_000

EXIT_FOUND, EXIT_NONE_SAFE, EXIT_BAD_INPUT = 0, 1, 2


def add_parser(sub: Any) -> None:
    from assistant.cli import add_test_options

    export = sub.add_parser(
        "export",
        help=_(
            "test (or read a saved report) and write a settings sheet, Thunderbird file, "
            "Apple profile or IT report"
        ),
    )
    export.add_argument("address", nargs="?", default=None, help=_("your email address"))
    export.add_argument(
        "--format", required=True, choices=FORMATS, help=_("what to write (see README, For IT)")
    )
    export.add_argument(
        "-o", "--output", required=True, metavar="FILE", help=_("where to write it")
    )
    export.add_argument(
        "--program",
        default=None,
        metavar="ID",
        help=_(
            "mail program for the PDF sheet: outlook-classic, outlook-new, outlook-mac, "
            "thunderbird, apple-mail, iphone, android-gmail (default {program})"
        ).format(program=DEFAULT_PROGRAM),
    )
    export.add_argument(
        "--from-report",
        metavar="REPORT.json",
        default=None,
        help=_("export a run saved by `mailsetup check --json` or the assistant, without testing"),
    )
    add_test_options(export)
    # run_check reads these of check's options; an export prints no table and sends nothing. It
    # tests both halves, as check does, so the files carry what was found on this computer.
    export.set_defaults(json=False, send_test=False)
    export.add_argument(
        "--password-stdin",
        action="store_true",
        help=_(
            "read the password from standard input and check the sign-in (never written anywhere)"
        ),
    )
    # The Apple profile's signature: three PEM files (run() wants the certificate and key together).
    for option, meaning in (
        ("--sign-cert", _("sign the Apple profile with this certificate")),
        ("--sign-key", _("the certificate's private key (unencrypted PEM)")),
        ("--sign-chain", _("intermediate certificates to include in the signature")),
    ):
        export.add_argument(option, metavar="PEM", default=None, help=meaning)


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    print(f"mailsetup: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace, settings: Any = None) -> int:
    """The whole command; `settings` lets tests point the engine at loopback servers."""
    from assistant.profile import find_profile

    output = Path(args.output)
    if (args.sign_cert is None) != (args.sign_key is None):
        return _fail(_("signing needs both --sign-cert and --sign-key."))
    if args.sign_cert is not None and args.format != "mobileconfig":
        return _fail(_("only the Apple profile (--format mobileconfig) can be signed."))
    guide_problem = _program_problem(args.program) if args.format == "pdf" else None
    if guide_problem:
        return _fail(guide_problem)
    if args.from_report is not None:
        document = _read_report(Path(args.from_report))
        if isinstance(document, str):
            return _fail(document)
        if args.address and args.address.strip().lower() != str(document["address"]).lower():
            return _fail(
                _("the report is for {report}, not {address}.").format(
                    report=document["address"], address=args.address
                )
            )
    else:
        if not args.address:
            return _fail(
                _(
                    "Please give your email address, like: mailsetup export name@example.com "
                    "--format pdf -o settings.pdf (or --from-report REPORT.json)."
                )
            )
        from assistant.cli import run_check
        from assistant.export.account import outcome_document

        finished = run_check(args, settings)
        if isinstance(finished, int):
            return finished
        document = outcome_document(
            finished.plan.inputs.address.address,
            finished.halves.sending,
            timeout=finished.timeout,
            found_in=finished.plan.found_in,
            username=finished.halves.sending.username,
            incoming=finished.halves.receiving,
        )
    profile, _problem = find_profile(getattr(args, "profile", None))
    domain = str(document["address"]).rsplit("@", 1)[-1]
    if profile is not None and not profile.applies_to(domain):
        profile = None
    try:
        account = account_from_document(document, profile=profile)
    except ExportError as exc:
        return _fail(str(exc))
    try:
        written = _write(args, account, document, output, profile)
    except ExportError as exc:
        # Nothing safe to write is "none found" (1), as for check; anything else is the input (2).
        return _fail(str(exc), EXIT_NONE_SAFE if account.outgoing is None else EXIT_BAD_INPUT)
    except OSError as exc:
        return _fail(
            _("could not write {file} ({reason}). Nothing was changed there.").format(
                file=output, reason=_(problem(exc))
            )
        )
    for path in written:
        print(_("Saved {file}").format(file=path), file=sys.stderr)
    return EXIT_FOUND if account.outgoing is not None else EXIT_NONE_SAFE


def _program_problem(program: str | None) -> str | None:
    from assistant.clients import load_guides

    ids = [g.id for g in load_guides()]
    if program is not None and program not in ids:
        return _("“{program}” is not a mail program I know. Use one of: {programs}.").format(
            program=program, programs=", ".join(ids)
        )
    return None


def _read_report(path: Path) -> dict[str, Any] | str:
    """The saved run, or one sentence saying why it cannot be used."""
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            return _("{file} is too large to be a report.").format(file=path)
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return _("the report {file} does not exist.").format(file=path)
    except (OSError, UnicodeDecodeError):
        return _("the report {file} could not be read.").format(file=path)
    except json.JSONDecodeError as exc:
        return _("the report {file} is not valid JSON (line {line}, column {column}).").format(
            file=path, line=exc.lineno, column=exc.colno
        )
    from assistant.core.report import SCHEMA_VERSION

    known = range(1, SCHEMA_VERSION + 1)  # a report saved by any version of the assistant so far
    if (
        not isinstance(data, dict)
        or data.get("schema_version") not in known
        or "address" not in data
    ):
        return _("{file} is not a report saved by mailsetup check --json or the assistant.").format(
            file=path
        )
    from assistant.core.address import InputError, parse

    try:
        parse(str(data["address"]))
    except InputError:
        return _("the address in the report {file} cannot be used.").format(file=path)
    return data


def _write(
    args: argparse.Namespace,
    account: AccountSettings,
    document: dict[str, Any],
    output: Path,
    profile: Any,
) -> list[Path]:
    fmt = args.format
    if fmt == "json":
        save_text(output, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return [output]
    if fmt == "report":
        from assistant.export.report_html import report_html

        html_path, json_path = report_paths(output)
        save_text(html_path, report_html(account))
        save_text(json_path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return [html_path, json_path]
    if fmt == "autoconfig":
        from assistant.export.autoconfig import autoconfig_xml, hosting_url

        save_text(output, autoconfig_xml(account))
        print(
            _(
                "IT can host it at {url}, or copy it into the isp folder of Thunderbird's "
                "installation."
            ).format(url=hosting_url(account.ascii_domain)),
            file=sys.stderr,
        )
        return [output]
    if fmt == "mobileconfig":
        from assistant.export.mobileconfig import UNSIGNED_NOTE, mobileconfig, sign_profile

        data = mobileconfig(account)
        if args.sign_cert is not None:
            try:
                cert = Path(args.sign_cert).read_bytes()
                key = Path(args.sign_key).read_bytes()
                chain = Path(args.sign_chain).read_bytes() if args.sign_chain else b""
            except OSError as exc:
                raise ExportError(
                    N_("the signing files could not be read ({reason})."), reason=_(problem(exc))
                ) from None
            data = sign_profile(data, cert, key, chain)
        else:
            print(_(UNSIGNED_NOTE), file=sys.stderr)
        save_bytes(output, data)
        return [output]
    # pdf
    account.require_outgoing()
    from assistant.clients import load_guides
    from assistant.export import pdf_sheet
    from assistant.export.sheet import Sheet

    wanted = args.program or (
        profile.mail_programs[0]
        if profile is not None and profile.mail_programs
        else DEFAULT_PROGRAM
    )
    guide = next(g for g in load_guides() if g.id == wanted)
    pdf_sheet.ensure_application()
    sheet = Sheet(account, guide)
    save_with(output, lambda temporary: pdf_sheet.write_pdf(sheet, temporary))
    return [output]
