"""The IT report as one self-contained HTML file: readable by staff, opens in any browser.

It says what was tested, when, and from which computer name (none: every test introduces itself with
the neutral name [127.0.0.1]); where each setting came from and how far it can be trusted; each
port's result in words with its evidence; and what to ask the provider. No script, no external
file, no password (the model has no field for one), and every piece of server text is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from assistant.core.explanation import protocol_name, security_name, sentence, table
from assistant.core.models import AuthOutcome, Protocol, Security, Verdict
from assistant.export.account import NEUTRAL_NAME, AccountSettings, AuthMethod, PortResult
from assistant.export.lead import lead_sentences
from assistant.i18n import Translate, current_language, gettext

_SIGN_IN_REFUSED = {
    AuthOutcome.WRONG_PASSWORD,
    AuthOutcome.APP_PASSWORD_REQUIRED,
    AuthOutcome.WEB_LOGIN_REQUIRED,
    AuthOutcome.DISABLED_BY_ORGANISATION,
    AuthOutcome.REFUSED_OTHER,
}

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2em auto;
max-width:60em;padding:0 1em;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:.35em .5em;
text-align:left;vertical-align:top}th{background:#f0f0f0}
.ok{color:#0a6b0a;font-weight:bold}.warn{color:#9a5a00;font-weight:bold}.bad{color:#a01010;font-weight:bold}
.summary{font-size:1.1em;font-weight:bold}.evidence{font-size:.9em;color:#333;margin:.3em 0 0 0}
.evidence{display:grid;grid-template-columns:fit-content(12em) 1fr;column-gap:.8em}
.evidence dt{font-weight:bold}.evidence dd{margin:0}
code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.95em}.muted{color:#555}
"""


def report_html(account: AccountSettings, tr: Translate = gettext) -> str:
    """The whole report as one HTML document (UTF-8 text)."""
    e = html.escape
    title = tr("Mail test report for {address}").format(address=account.address)
    when = account.tested_at.strftime("%Y-%m-%d %H:%M %Z").strip() if account.tested_at else ""
    facts = [
        (tr("Email address"), e(account.address)),
        (tr("Tested on"), e(when or tr("not recorded"))),
        (
            tr("Computer name sent"),
            e(
                tr(
                    "none: the test introduced itself as {name}, so this computer's name was not "
                    "sent to any server"
                ).format(name=NEUTRAL_NAME)
            ),
        ),
        (
            tr("Made with"),
            e(tr("Mail Setup Assistant {version}").format(version=account.tool_version)),
        ),
    ]
    if account.company:
        facts.append((tr("Company"), e(account.company)))
    if account.support:
        facts.append((tr("Support"), e(account.support)))
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{current_language()}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        *(_element("p", lead, "summary") for lead in lead_sentences(account, tr)),
        _table((tr("What"), tr("Details")), facts),
        _element("h2", tr("Settings to use")),
        _settings(account, tr),
        _element("h2", tr("Where the settings came from")),
        _origin(account, tr),
        _element("h2", tr("Every port tested")),
        _ports(account, tr),
        _element("h2", tr("What to ask your provider")),
        "<ul>" + "".join(f"<li>{e(q)}</li>" for q in questions(account, tr)) + "</ul>",
        _element("p", tr("No password is in this report."), "muted"),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _element(tag: str, text: str, css: str = "") -> str:
    """Plain text in one element, escaped. Sentences are translated before they get here: a `tr()`
    written inside an f-string is invisible to the catalogue's extractor, so it stayed English."""
    attribute = f' class="{css}"' if css else ""
    return f"<{tag}{attribute}>{html.escape(text)}</{tag}>"


def _table(head: tuple[str, ...], rows: Sequence[Sequence[str]]) -> str:
    """Rows are already-escaped HTML; the header is escaped here."""
    header = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def _server_head(tr: Translate) -> tuple[str, str, str]:
    """The columns both tables (settings and tested ports) begin with: what for, server, port."""
    return (tr("For"), tr("Server"), tr("Port"))


def _half_name(protocol: Protocol, tr: Translate) -> str:
    """The half a server serves, as the wizard names it ("Sending (SMTP)", "Receiving (IMAP)"):
    sentences of resources/explanations.json, with the one protocol this server speaks."""
    if protocol is Protocol.SMTP:
        return sentence("sending_group", tr)
    return sentence("receiving_group_of", tr, protocol=protocol_name(protocol, tr))


def _sign_in_name(auth: AuthMethod, tr: Translate) -> str:
    """How the mail program signs in, in the table's words ("your password", "no sign-in" …)."""
    return sentence(f"auth_{auth.value}", tr)


def _server_cells(
    protocol: Protocol, host: str, port: int, tr: Translate, label: str = ""
) -> tuple[str, str, str]:
    """The escaped cells under `_server_head`; a tested port's label goes under its name."""
    e = html.escape
    where = f"<code>{e(host)}</code>"
    if label:
        where += f'<br><span class="muted">{e(tr(label))}</span>'
    return (e(_half_name(protocol, tr)), where, e(str(port)))


def _settings(account: AccountSettings, tr: Translate) -> str:
    e = html.escape
    if not account.halves():
        return _element("p", tr("No setting can be recommended: nothing encrypted worked."), "bad")
    rows = []
    for half in account.halves():
        security = e(security_name(half.security, tr))
        if half.security is Security.PLAIN:
            security = f'<span class="bad">{security} ({e(tr("not encrypted"))})</span>'
        rows.append(
            (
                *_server_cells(half.protocol, half.host, half.port, tr),
                security,
                f"<code>{e(half.username)}</code>",
                e(_sign_in_name(half.auth, tr)),
                e(tr("tested here") if half.tested else tr("from the provider, not tested here"))
                + (
                    ""
                    if half.vouched
                    else "<br>" + _element("span", tr("nothing vouches for this name"), "warn")
                ),
            )
        )
    head = (
        *_server_head(tr),
        tr("Encryption"),
        tr("User name"),
        tr("Sign-in"),
        tr("Checked"),
    )
    note = ""
    if account.incoming is None and account.receiving_tested:
        note = _element("p", sentence("report_no_safe_incoming", tr), "bad")
    elif account.incoming is None:
        note = _element(
            "p", tr("The incoming (receiving) server was not part of this test."), "muted"
        )
    return _table(head, rows) + note


def _name_sources(account: AccountSettings, tr: Translate) -> str:
    """One row per server name: where it came from and whether it was trusted with the password."""
    e = html.escape
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for port in account.ports:
        if port.host in seen or not port.name_source:
            continue
        seen.add(port.host)
        known = f"report_source_{port.name_source}" in table()["sentences"]
        source = sentence(f"report_source_{port.name_source}", tr) if known else port.name_source
        if port.trusted is None:
            trusted = ""
        elif port.trusted:
            trusted = _element("span", tr("yes"), "ok")
        else:
            trusted = _element("span", tr("no: tested without the password"), "warn")
        rows.append((f"<code>{e(port.host)}</code>", e(source), trusted))
    if not rows:
        return ""
    return _table((tr("Server name"), tr("Came from"), tr("Trusted with the password")), rows)


def _origin(account: AccountSettings, tr: Translate) -> str:
    e = html.escape
    if account.found_in:
        where = account.found_in
    else:
        where = tr(
            "The server names were given for this test (typed in, from the command line or from "
            "the company profile), not looked up."
        )
    trust = tr(
        "A setting is only recommended when its server proved who it is: its certificate was "
        "checked against this computer's own list of trusted authorities and names the server. "
        "Where the names came from does not change that check; a name from an insecure source "
        "is tested without the password."
    )
    return f"<p>{e(where)}</p>{_name_sources(account, tr)}<p>{e(trust)}</p>"


def _result_words(port: PortResult, tr: Translate) -> str:
    if port.safe:
        return _element("span", tr("Encrypted, safe"), "ok")
    if port.verdict is Verdict.PLAINTEXT_ONLY:
        return _element("span", tr("Works, NOT encrypted"), "warn")
    return _element("span", tr("Not usable"), "bad")


def _ports(account: AccountSettings, tr: Translate) -> str:
    e = html.escape
    rows = []
    for port in account.ports:
        result = _result_words(port, tr)
        if port.recommended:
            result += "<br>" + _element("b", tr("recommended"))
        rows.append(
            (
                *_server_cells(port.protocol, port.host, port.port, tr, port.label),
                e(security_name(port.security, tr)),
                result,
                f"{e(port.explanation)}{_evidence(port, tr)}",
            )
        )
    if not rows:
        return _element("p", tr("Nothing was tested."))
    head = (
        *_server_head(tr),
        tr("Asked for"),
        tr("Result"),
        tr("What happened, and the evidence"),
    )
    return _table(head, rows)


def _evidence(port: PortResult, tr: Translate) -> str:
    e = html.escape
    ev = port.evidence
    items: list[tuple[str, str]] = []
    if ev.connected_to:
        items.append((tr("Connected to"), ev.connected_to))
    elif ev.addresses:
        items.append((tr("Addresses"), ", ".join(ev.addresses)))
    if ev.greeting:
        items.append((tr("Greeting"), ev.greeting.shown))
    if ev.starttls_offered is not None and port.security is not Security.IMPLICIT_TLS:
        items.append((tr("STARTTLS offered"), tr("yes") if ev.starttls_offered else tr("no")))
    if ev.tls_version:
        items.append((tr("Encryption"), " ".join(x for x in (ev.tls_version, ev.tls_cipher) if x)))
    cert = ev.certificate
    if cert is not None:
        items.append((tr("Certificate for"), ", ".join(cert.names) or (cert.subject_cn or "?")))
        items.append(
            (tr("Issued by"), cert.issuer + (tr(" (self-signed)") if cert.self_signed else ""))
        )
        items.append((tr("Valid until"), cert.not_after.date().isoformat()))
    if ev.certificate_verified is not None:
        verified = tr("yes") if ev.certificate_verified else tr("no")
        if ev.verify_message and not ev.certificate_verified:
            verified += f" ({ev.verify_message})"
        items.append((tr("Certificate trusted"), verified))
    if ev.auth_mechanisms:
        items.append((tr("Sign-in methods"), " ".join(ev.auth_mechanisms)))
    if port.sign_in is not AuthOutcome.NOT_TRIED:
        items.append((tr("Sign-in"), sentence(f"report_sign_in_{port.sign_in.value}", tr)))
    if ev.auth_reply:
        items.append((tr("Sign-in reply"), ev.auth_reply.shown))
    if ev.unexpected_data:
        items.append(
            (
                tr("Unexpected data"),
                tr("{count} line(s), ignored").format(count=len(ev.unexpected_data)),
            )
        )
    if ev.error:
        items.append((tr("Error"), str(ev.error)))
    if not items:
        return ""
    body = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in items)
    return f'<dl class="evidence">{body}</dl>'


def questions(account: AccountSettings, tr: Translate = gettext) -> list[str]:
    """What to ask the provider, one question per problem found (none when all is well)."""
    asked: list[str] = []
    for port in account.ports:
        ev = port.evidence
        cert = ev.certificate
        key = f"report_ask_{port.verdict}"  # a question for IT where the table has one
        if key not in table()["sentences"]:
            if port.sign_in not in _SIGN_IN_REFUSED:
                continue
            key = "report_ask_sign_in"
        question = sentence(
            key,
            tr,
            host=port.host,
            port=port.port,
            names=", ".join(cert.names)
            if cert and cert.names
            else sentence("report_other_name", tr),
            issuer=cert.issuer if cert else "?",
            date=cert.not_after.date().isoformat() if cert else "?",
            reason=ev.error or port.detail or sentence("report_no_reason", tr),
        )
        if question not in asked:
            asked.append(question)
    if account.outgoing is None:
        asked.insert(0, sentence("report_ask_no_safe", tr))
    if account.incoming is None and account.receiving_tested:
        asked.insert(0, sentence("report_ask_no_safe_incoming", tr))
    return asked or [sentence("report_ask_nothing", tr)]
