"""What the printed settings sheet says, as simple HTML for Qt's rich text (no Qt here).

One page for one person: both halves in the chosen program's own labels, the company and its
support contact when a profile sets them, the date, one line per tested port, and never the password
(the model has no field for one). `pdf_sheet` lays this out on an A4 or Letter page.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from assistant.clients.guides import (
    ClientGuide,
    SendSetting,
    UnsupportedSetting,
    for_setting,
    oauth_account_for_host,
    render_fields,
)
from assistant.core.explanation import protocol_name, security_name, sentence
from assistant.core.models import Protocol, Security, Verdict
from assistant.export.account import AccountSettings, AuthMethod, PortResult, ServerHalf
from assistant.export.lead import lead_sentences, missing_incoming
from assistant.i18n import Translate, gettext
from assistant.marks import strip_marks


@dataclass(frozen=True, slots=True)
class SheetField:
    label: str
    value: str


def send_setting(half: ServerHalf) -> SendSetting:
    """The client guides' view of one half (sending or receiving, by its protocol)."""
    # Microsoft 365, Outlook.com, Gmail: the guide gives the provider's own sign-in (provider data).
    kind = oauth_account_for_host(half.host) if half.auth is not AuthMethod.NONE else ""
    signs_in = half.auth is not AuthMethod.NONE
    return SendSetting(
        half.host, half.port, half.security, half.username, signs_in, kind, half.protocol
    )


def half_fields(guide: ClientGuide, half: ServerHalf, tr: Translate = gettext) -> list[SheetField]:
    """The fields to type for one half, labelled as the program labels them.

    A guide without an incoming part (none ships without one) lists the incoming server with
    plain labels. UnsupportedSetting when the program cannot use this setting (new Outlook and a
    server without encryption)."""
    if guide.part(half.protocol) is not None:
        return [
            SheetField(f.label.rstrip(":"), f.value)
            for f in render_fields(guide, send_setting(half), None if tr is gettext else tr)
        ]
    kind = "IMAP" if half.protocol is Protocol.IMAP else "POP3"
    return [
        SheetField(tr("Account type"), kind),
        SheetField(tr("Incoming mail server"), half.host),
        SheetField(tr("Port"), str(half.port)),
        SheetField(tr("Encryption"), security_name(half.security, tr)),
        SheetField(tr("User name"), half.username),
    ]


def port_line(port: PortResult, tr: Translate = gettext) -> str:
    """One line per tested port: "mail.example.com port 465 SSL/TLS: encrypted, works", and
    the protocol first for a receiving one (993 alone does not say IMAP to everyone)."""
    if port.safe:
        result = tr("encrypted, works")
    elif port.security is Security.PLAIN or port.verdict is Verdict.PLAINTEXT_ONLY:
        result = tr("works, but NOT encrypted")
    else:
        result = tr("not usable")
    line = tr("{host} port {port} {security}: {result}").format(
        host=port.host, port=port.port, security=security_name(port.security, tr), result=result
    )
    if port.protocol.incoming:  # "IMAP imap.example.com port 993 SSL/TLS: …", as `check` says it
        return sentence("where_incoming", tr, protocol=protocol_name(port.protocol, tr), where=line)
    return line


def tested_lines(account: AccountSettings, tr: Translate = gettext) -> list[str]:
    """The sheet's "Tested on" lines: every port of the servers the sheet says to use and every
    other way that works (encrypted, or not and said so), then how many others did not. A run can
    test two dozen ways (the usual names of a domain, each on four ports); a line for each name
    that failed would tell the person nothing they can type, and would push the sheet off its
    page. The IT report lists every one."""
    used = {half.host for half in account.halves()}
    shown = [
        p for p in account.ports if p.host in used or p.safe or p.verdict is Verdict.PLAINTEXT_ONLY
    ]
    lines = [port_line(p, tr) for p in shown]
    failed = len(account.ports) - len(shown)
    if failed:
        lines.append(
            tr("Other ways tested that did not work: {count} (the IT report lists each).").format(
                count=failed
            )
        )
    return lines


@dataclass(frozen=True, slots=True)
class Sheet:
    """What one settings sheet shows: whose settings, for which program, in which words, and the
    date in its footer. The HTML (`sheet_html`), the PDF and the printout (`pdf_sheet`) are all
    made from one value, so the three can never be handed different settings or languages."""

    account: AccountSettings
    guide: ClientGuide
    tr: Translate = gettext
    """Translates the sheet's own sentences."""
    guide_tr: Translate | None = None
    """Translates the guide's sentences (they live in another translation context); None: `tr`,
    or the guide's own translation when `tr` translates nothing."""
    made_on: datetime | None = None
    """The date the footer says the sheet was made; None: today."""

    @property
    def title(self) -> str:
        """The sheet's heading, also the PDF's title."""
        return self.tr("Email settings for {address}").format(address=self.account.address)


def sheet_html(sheet: Sheet) -> str:
    """The sheet's content. Sizes are in points, so the page shows them at their printed size."""
    e = html.escape
    account, guide, tr = sheet.account, sheet.guide, sheet.tr
    gtr = sheet.guide_tr or (guide.tr if tr is gettext else tr)
    program = gtr(guide.name)
    own_account = False  # the program adds the provider's own account type: no server fields
    if account.outgoing is not None:
        setting = send_setting(account.outgoing)
        own_account = guide.account_for(setting) is not None
        guide = for_setting(guide, setting)
    out = [
        f'<h1 style="font-size:17pt">{e(sheet.title)}</h1>',
        "<p>"
        + e(tr("For {program}").format(program=program))
        + (e(tr(" · from {company}").format(company=account.company)) if account.company else "")
        + "</p>",
    ]
    # A program that adds the provider's own account type gets no server fields, so the sheet
    # does not lead with server names either (the run's summary, as before, when there is one).
    if own_account:
        leads = [account.summary] if account.summary else []
    else:
        leads = lead_sentences(account, tr)
    out.extend(f"<p><b>{e(lead)}</b></p>" for lead in leads)
    if account.outgoing is not None:
        steps = "".join(f"<li>{e(strip_marks(gtr(s)))}</li>" for s in guide.steps)
        where = tr("Where to type it")
        out.append(f'<h2 style="font-size:13pt">{e(where)}</h2><ol>{steps}</ol>')
    missing = missing_incoming(account, tr)
    if missing and not own_account:  # where the receiving half would be
        out.append(f'<h2 style="font-size:13pt">{e(tr("Receiving mail"))}</h2>')
        out.append(f"<p>{e(strip_marks(missing))}</p>")
    for half in () if own_account else account.halves():
        heading = tr("Sending mail") if half.protocol is Protocol.SMTP else tr("Receiving mail")
        out.append(f'<h2 style="font-size:13pt">{e(heading)}</h2>')
        part = guide.part(half.protocol)
        section = part.section if part is not None else ""
        if section:
            out.append(f"<p>{e(strip_marks(gtr(section)))}</p>")
        if half.security is Security.PLAIN:
            warning = tr(
                "Warning: this server is NOT encrypted. Ask your provider for an encrypted way."
            )
            out.append(f"<p><b>{e(warning)}</b></p>")
        try:
            fields = half_fields(guide, half, gtr)
        except UnsupportedSetting:
            out.append(
                "<p>"
                + e(tr("{program} cannot use a server without encryption.").format(program=program))
                + "</p>"
            )
            continue
        rows = "".join(
            f'<tr><td width="42%">{e(f.label)}</td><td><b>{e(f.value)}</b></td></tr>'
            for f in fields
        )
        out.append(f'<table border="1" cellspacing="0" cellpadding="4" width="100%">{rows}</table>')
        if not half.tested:
            untested = sentence("documented_not_tested", tr)
            out.append(f"<p>{e(untested)}</p>")
        if not half.vouched:
            out.append(
                "<p><b>"
                + e(
                    tr(
                        "Before you type your password: make sure {host} belongs to your "
                        "provider or hosting company. Nothing we found vouches for that name."
                    ).format(host=half.host)
                )
                + "</b></p>"
            )
    if account.ports:
        when = account.tested_at.date().isoformat() if account.tested_at else ""
        heading = tr("Tested on {date}").format(date=when) if when else tr("Tested")
        out.append(f'<h2 style="font-size:13pt">{e(heading)}</h2>')
        out.append("<p>" + "<br>".join(e(line) for line in tested_lines(account, tr)) + "</p>")
    footer = [tr("Your password is not on this sheet: your mail program asks for it.")]
    if account.company or account.support:
        who = account.company or tr("your IT department")
        help_line = tr("Help: {company}").format(company=who)
        if account.support:
            help_line += " — " + account.support
        footer.insert(0, help_line)
    made = (sheet.made_on or datetime.now()).date().isoformat()
    footer.append(tr("Made by Mail Setup Assistant on {date}.").format(date=made))
    out.append("<hr><p>" + "<br>".join(e(line) for line in footer) + "</p>")
    return "\n".join(out)
