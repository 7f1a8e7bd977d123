"""Plain-language sentences for verdicts, written for someone who has never heard of SMTP.

Each template is translated first (the GUI passes Qt's translate function as `tr`; the CLI uses the
text as it is) and then filled with facts from the evidence. Server text is only ever quoted, cleaned,
after our own words — never mixed into them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from assistant.core.models import AuthOutcome, Detail, ProbeResult, Security, Verdict
from assistant.core.signin import provider_step, reply_entry
from assistant.i18n import N_, gettext
from assistant.resources import load_json

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return gettext(text)  # the current language (the CLI and the window share the catalogs)


SECURITY_NAMES: dict[Security, str] = {
    Security.IMPLICIT_TLS: N_("SSL/TLS"),
    Security.STARTTLS: N_("STARTTLS"),
    Security.PLAIN: N_("no encryption"),
    Security.AUTO: N_("automatic"),
}

HEADLINES: dict[Verdict, str] = {
    Verdict.ENCRYPTED_IMPLICIT: N_("Encrypted from the first byte (SSL/TLS). Recommended."),
    Verdict.ENCRYPTED_STARTTLS: N_(
        "Connects, then switches to encryption before anything private is sent (STARTTLS). Good."
    ),
    Verdict.PLAINTEXT_ONLY: N_(
        "The server answers but offers no encryption: your password and messages could be read "
        "on the way. Not recommended."
    ),
    Verdict.TLS_FAILED: N_("Encryption was offered but could not be set up."),
    Verdict.CERT_EXPIRED: N_(
        "Encryption works, but the server's identity card (its certificate) has expired."
    ),
    Verdict.CERT_NAME_MISMATCH: N_(
        "Encryption works, but the server's identity card (its certificate) was issued for a "
        "different name."
    ),
    Verdict.CERT_UNTRUSTED: N_(
        "Encryption works, but the server's identity card (its certificate) is not signed by an "
        "authority this computer trusts."
    ),
    Verdict.BLOCKED: N_(
        "No answer at all. Usually your internet provider, office or hotel network blocks this port."
    ),
    Verdict.REFUSED: N_("The server exists but does not offer this port."),
    Verdict.NO_SUCH_HOST: N_("This server name does not exist (a typo, or the wrong name)."),
    Verdict.NO_NETWORK: N_("This computer could not reach the internet."),
    Verdict.NOT_SMTP: N_("Something answered, but it is not a mail server."),
    Verdict.SERVER_REFUSED_US: "The mail server turned us away.",
}

DETAILS: dict[Detail, str] = {
    Detail.NO_GREETING: N_(
        "It accepted the connection but never said hello, even after {timeout} seconds."
    ),
    Detail.GARBAGE_GREETING: N_("It answered with something that is not mail-server talk."),
    Detail.PLAIN_ON_TLS_PORT: N_(
        "This port does not encrypt from the start; it speaks plain, unencrypted mail talk instead. "
        "Use it with STARTTLS only if the server offers it, or pick another port."
    ),
    Detail.TLS_ON_PLAIN_PORT: N_("This port expects encryption from the start (SSL/TLS) instead."),
    Detail.LINE_TOO_LONG: N_(
        "It sent an answer far longer than any mail server would (over 8,000 characters in one line)."
    ),
    Detail.CONNECTION_RESET: N_(
        "It cut the connection the moment we connected. A firewall or the server itself may be "
        "refusing this computer's network."
    ),
    Detail.CLOSED_EARLY: N_("It hung up before saying anything."),
    Detail.ERROR_GREETING: N_(
        "It answered with an error instead of a welcome: it may be busy, or your network may be "
        "on a block list. Try again later, or from another network."
    ),
    Detail.STARTTLS_REFUSED: N_(
        "The server offered to switch to encryption but then refused. We did not continue without "
        "encryption."
    ),
    Detail.HANDSHAKE_FAILED: N_("Setting up the encryption failed ({error})."),
    Detail.OLD_TLS: N_(
        "The server only offers an outdated kind of encryption that is no longer considered safe. "
        "Ask your provider to update it."
    ),
    Detail.DEADLINE: N_("It answered far too slowly and was cut off after {timeout} seconds."),
    Detail.SELF_SIGNED: N_("The server signed its certificate itself, so nobody vouches for it."),
    Detail.UNKNOWN_ISSUER: N_(
        "The certificate was signed by “{issuer}”, which this computer does not know."
    ),
    Detail.NOT_YET_VALID: N_("The certificate is not valid yet (it starts on {not_before})."),
    Detail.DNS_UNAVAILABLE: N_(
        "Names could not be looked up at all. Check that this computer is connected to the internet."
    ),
    Detail.UNREACHABLE: N_("There is no route to the server. Check that this computer is online."),
    Detail.EHLO_REFUSED: "It only speaks an old form of mail talk without encryption.",
}

AUTH_SENTENCES: dict[AuthOutcome, str] = {
    AuthOutcome.NOT_TRIED: "",
    AuthOutcome.ACCEPTED: N_("Your sign-in was accepted."),
    AuthOutcome.WRONG_PASSWORD: N_("The server did not accept the user name or password."),
    AuthOutcome.APP_PASSWORD_REQUIRED: N_(
        "Your provider wants an app password here, not your normal password."
    ),
    AuthOutcome.WEB_LOGIN_REQUIRED: N_(
        "Your provider wants you to sign in once in a web browser first, then try again."
    ),
    AuthOutcome.DISABLED_BY_ORGANISATION: N_(
        "Your organisation has turned off sign-in for mail programs. Ask your IT administrator to "
        "enable it for your mailbox."
    ),
    AuthOutcome.OAUTH_ONLY: N_(
        "This provider no longer accepts passwords from mail programs; you need a program that "
        "supports Microsoft or Google sign-in."
    ),
    AuthOutcome.NOT_OFFERED: N_("The server does not offer sign-in on this port."),
    AuthOutcome.REFUSED_OTHER: N_("The server refused the sign-in."),
    AuthOutcome.TEMPORARY: N_("The server could not check the sign-in right now; try again later."),
}


def headline(result: ProbeResult, tr: Translate = _same) -> str:
    return tr(HEADLINES[result.verdict])


def explain(result: ProbeResult, tr: Translate = _same, timeout: float = 10.0) -> str:
    """Headline plus what we know about why, in plain words."""
    ev = result.evidence
    parts = [headline(result, tr)]
    cert = ev.certificate
    facts = {
        "timeout": f"{timeout:g}",
        "error": ev.error or tr("no reason given"),
        "tls_version": ev.tls_version or "?",
        "issuer": cert.issuer if cert else "?",
        "not_before": cert.not_before.date().isoformat() if cert else "?",
    }
    if result.detail is not Detail.NONE:
        parts.append(tr(DETAILS[result.detail]).format(**facts))
    if cert is not None and result.verdict is Verdict.CERT_EXPIRED and result.detail is Detail.NONE:
        days = (datetime.now(UTC) - cert.not_after).days
        parts.append(
            tr("It expired on {date} ({days} days ago).").format(
                date=cert.not_after.date().isoformat(), days=days
            )
        )
    if cert is not None and result.verdict is Verdict.CERT_NAME_MISMATCH:
        parts.append(
            tr("It is for {names}, not for {host}.").format(
                names=", ".join(cert.names) or "?", host=result.candidate.host
            )
        )
        if ev.rescue_names:
            parts.append(
                tr("{name} leads to the same server, so we tested that name too.").format(
                    name=ev.rescue_names[0]
                )
            )
    if result.verdict is Verdict.BLOCKED and result.candidate.port == 25:
        parts.append(
            tr(
                "Port 25 is blocked by many home internet providers; that is normal. Use 465 or 587."
            )
        )
    if result.verdict is Verdict.SERVER_REFUSED_US and ev.greeting is not None:
        parts.append(quote_server(ev.greeting.text, tr))
    if result.candidate.rescue_of:
        parts.append(
            tr("This is the name on the server's certificate, found while testing {other}.").format(
                other=result.candidate.rescue_of
            )
        )
    parts.extend(sign_in_explanation(result, tr))
    return " ".join(p for p in parts if p)


def sign_in_explanation(result: ProbeResult, tr: Translate = _same) -> list[str]:
    """What the sign-in outcome means, what to do next for this provider, and the server's words."""
    if result.auth is AuthOutcome.NOT_TRIED:
        return []
    parts = [tr(AUTH_SENTENCES[result.auth])]
    reply = result.evidence.auth_reply
    if result.auth is AuthOutcome.OAUTH_ONLY and reply is None:
        parts.append(tr(load_json("signin.json")["oauth_explanation"]))
    if reply is not None and result.auth is not AuthOutcome.ACCEPTED:
        entry = reply_entry(reply)
        if entry is not None:
            parts.append(tr(entry["meaning"]))
    step = provider_step(result.candidate.host, result.auth)
    if step:
        parts.append(tr(step))
    if reply is not None and result.auth is not AuthOutcome.ACCEPTED:
        parts.append(quote_server(f"{reply.code} {reply.text}", tr))
    if result.test_message_sent is True:
        parts.append(tr("The test message to you was accepted for delivery: check your inbox."))
    elif result.test_message_sent is False:
        parts.append(tr("The server did not accept the test message."))
        sent = result.evidence.test_message_reply
        if sent is not None:
            parts.append(quote_server(f"{sent.code} {sent.text}", tr))
    return parts


def quote_server(text: str, tr: Translate = _same) -> str:
    """Server words, clearly marked as theirs (they are already cleaned by the wire layer)."""
    return tr("The server said: “{text}”").format(text=text)


def recommendation_sentence(result: ProbeResult | None, tr: Translate = _same) -> str:
    if result is None:
        return tr(
            "No safe way to send was found. Nothing encrypted answered: ask your email provider "
            "for the outgoing server name, or try from another network."
        )
    cand = result.candidate
    how = {
        Verdict.ENCRYPTED_IMPLICIT: tr("SSL/TLS — encrypted from the start"),
        Verdict.ENCRYPTED_STARTTLS: tr("STARTTLS — encrypted before anything private is sent"),
    }[result.verdict]
    return tr("Use {host}, port {port}, {how}.").format(host=cand.host, port=cand.port, how=how)
