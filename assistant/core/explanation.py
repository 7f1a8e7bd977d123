"""What one test result means, in plain words, as a structured explanation.

Every sentence comes from one table, `resources/explanations.json`, keyed by verdict, detail and
sign-in outcome, so the command line, the wizard and the IT report say the same thing. Each template
is translated first (`tr`) and only then filled with facts from the evidence; server text is only
ever quoted apart (`server_words`), never mixed into our own words. Views choose fields of
`Explanation`; they never edit, split or compare its sentences.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from assistant.core.models import AuthOutcome, Detail, ProbeResult, Protocol, Security, Verdict
from assistant.core.time_limit import DEFAULT_TIMEOUT_S
from assistant.core.trust import NameSource
from assistant.i18n import Translate, gettext, word
from assistant.resources import load_json

TABLE = "explanations.json"


class Tone(enum.StrEnum):
    """Which icon goes with a state. Always shown together with words, never alone."""

    WAITING = "waiting"
    RUNNING = "running"
    GOOD = "good"
    WARNING = "warning"
    BAD = "bad"
    STOPPED = "stopped"


class NextStep(enum.StrEnum):
    """Something a person can do about a failed run; said once per run, in this order."""

    GO_ONLINE = "go_online"
    OTHER_NETWORK = "other_network"
    CHECK_ADDRESS = "check_address"
    CHECK_NAME = "check_name"
    ASK_SERVER = "ask_server"
    ASK_CERTIFICATE = "ask_certificate"
    ASK_UPDATE = "ask_update"
    ASK_ENCRYPTED = "ask_encrypted"
    TRY_LATER = "try_later"


class Audience(enum.StrEnum):
    """Where the next steps are read: advice names the controls of that front end."""

    WINDOW = "window"
    CLI = "cli"


@dataclass(frozen=True, slots=True)
class Explanation:
    """One result in plain words. Empty strings are fields with nothing to say."""

    status: str
    """A few words beside the icon ("Works, encrypted (SSL/TLS)")."""
    tone: Tone
    headline: str
    """What happened, in one sentence."""
    meaning: str
    """Why, and what we know about it (certificate names, dates, the rescue)."""
    sign_in: str
    """What the sign-in outcome means, and the provider's own next step."""
    sign_in_status: str
    sign_in_tone: Tone
    sign_in_todo: str
    """What the person can do about a refused sign-in in the window (empty when nothing)."""
    server_words: str
    """The server's own words, quoted apart (error greeting or sign-in reply)."""
    test_message: str
    next_step: NextStep | None
    """What to do about it when nothing safe was found (the run says each step once)."""
    retype: bool = False
    """Another password could fix this refusal."""

    @property
    def sentences_without_sign_in(self) -> tuple[str, ...]:
        return tuple(p for p in (self.headline, self.meaning, self.server_words) if p)

    @property
    def text(self) -> str:
        """Every field in reading order, for a plain-text view (the command line, the report)."""
        parts = (self.headline, self.meaning, self.sign_in, self.server_words, self.test_message)
        return " ".join(p for p in parts if p)


def table() -> dict[str, Any]:
    data: dict[str, Any] = load_json(TABLE)
    return data


def sentence(key: str, tr: Translate = gettext, **facts: object) -> str:
    """A named sentence of the table, translated, then filled with `facts`."""
    text = tr(table()["sentences"][key])
    return text.format(**facts) if facts else text


def security_name(security: Security, tr: Translate = gettext) -> str:
    return sentence(f"security_{security.value}", tr)


def where(result: ProbeResult, tr: Translate = gettext) -> str:
    """ "smtp.example.com, port 465 (SSL/TLS)": how a tested way is named everywhere."""
    cand = result.candidate
    return sentence(
        "where", tr, host=cand.host, port=cand.port, security=security_name(cand.security, tr)
    )


def quote_server(text: str, tr: Translate = gettext) -> str:
    """Server words, clearly marked as theirs (they are already cleaned by the wire layer)."""
    return sentence("server_said", tr, text=text)


def is_relay_only(result: ProbeResult) -> bool:
    """Encrypted and verified, but no sign-in offered: a port for mail between servers (a
    provider's port 25, say). A mail program cannot send through it with a password."""
    ev = result.evidence
    return (
        result.verdict.is_safe
        and result.candidate.protocol is Protocol.SMTP
        and bool(ev.ehlo_after_tls)
        and not ev.auth_mechanisms
    )


def next_step_text(
    step: NextStep,
    audience: Audience,
    tr: Translate = gettext,
    receiving: bool = False,
    **facts: object,
) -> str:
    """A next step in the audience's words; for the receiving half, its own wording where the
    sending one would name the outgoing server."""
    entry: dict[str, str] = table()["next_steps"][step.value]
    key = f"{audience.value}_receiving"
    text = tr(entry[key] if receiving and key in entry else entry[audience.value])
    return text.format(**facts) if facts else text


def explain(
    result: ProbeResult, tr: Translate = gettext, timeout: float = DEFAULT_TIMEOUT_S
) -> Explanation:
    """The structured explanation of one result."""
    data = table()
    verdict_entry: dict[str, str] = data["verdicts"][result.verdict.value]
    detail_entry: dict[str, str] = (
        data["details"][result.detail.value] if result.detail is not Detail.NONE else {}
    )
    status, tone = tr(verdict_entry["status"]), Tone(verdict_entry["tone"])
    if result.cancelled:
        status, tone = sentence("status_stopped", tr), Tone.STOPPED
    meaning = _meaning(result, verdict_entry, detail_entry, tr, timeout)
    if is_relay_only(result):
        status, tone = sentence("relay_only_status", tr), Tone.WARNING
        meaning = " ".join(p for p in (meaning, sentence("relay_only", tr)) if p)
    step_key = detail_entry.get("next_step") or verdict_entry.get("next_step")
    server_words = ""
    if result.verdict is Verdict.SERVER_REFUSED_US and result.evidence.greeting is not None:
        server_words = quote_server(result.evidence.greeting.text, tr)
    sign_in = _sign_in(result, tr)
    return Explanation(
        status=status,
        tone=tone,
        headline=tr(_headline(result, verdict_entry)),
        meaning=meaning,
        sign_in=sign_in.text,
        sign_in_status=sign_in.status,
        sign_in_tone=sign_in.tone,
        sign_in_todo=sign_in.todo,
        server_words=server_words or sign_in.server_words,
        test_message=_test_message(result, tr),
        next_step=NextStep(step_key) if step_key and not result.verdict.is_safe else None,
        retype=sign_in.retype,
    )


def _headline(result: ProbeResult, verdict_entry: dict[str, str]) -> str:
    """The verdict's headline, or its wording for a name we guessed: "a typo, or the wrong name"
    would blame the person for a name they never typed."""
    if result.candidate.source is NameSource.GUESS and "headline_guess" in verdict_entry:
        return verdict_entry["headline_guess"]
    return verdict_entry["headline"]


def _meaning(
    result: ProbeResult,
    verdict_entry: dict[str, str],
    detail_entry: dict[str, str],
    tr: Translate,
    timeout: float,
) -> str:
    ev = result.evidence
    cert = ev.certificate
    parts: list[str] = []
    template = detail_entry.get("meaning") or verdict_entry.get("meaning", "")
    if template:
        facts = {
            "timeout": f"{timeout:g}",
            "error": word(ev.error, tr) if ev.error else sentence("no_reason", tr),
            "tls_version": ev.tls_version or "?",
            "issuer": cert.issuer if cert else "?",
            "not_before": cert.not_before.date().isoformat() if cert else "?",
        }
        parts.append(tr(template).format(**facts))
    if cert is not None and result.verdict is Verdict.CERT_EXPIRED and result.detail is Detail.NONE:
        days = (datetime.now(UTC) - cert.not_after).days
        parts.append(sentence("expired_on", tr, date=cert.not_after.date().isoformat(), days=days))
    if cert is not None and result.verdict is Verdict.CERT_NAME_MISMATCH:
        names = ", ".join(cert.names) or "?"
        parts.append(sentence("names_on_certificate", tr, names=names, host=result.candidate.host))
        if ev.rescue_names:
            parts.append(sentence("rescue_tested", tr, name=ev.rescue_names[0]))
    if (
        result.verdict is Verdict.BLOCKED
        and result.candidate.port == 25
        and result.candidate.protocol is Protocol.SMTP
    ):
        parts.append(sentence("port_25_blocked", tr))
    if result.candidate.rescue_of:
        parts.append(sentence("rescue_of", tr, other=host_of_key(result.candidate.rescue_of)))
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class _SignIn:
    text: str
    status: str
    tone: Tone
    todo: str
    server_words: str
    retype: bool


def _sign_in(result: ProbeResult, tr: Translate) -> _SignIn:
    """The sign-in outcome in one place: the reply's own meaning where we know the reply (more
    exact than the outcome's general sentence), else that sentence; then the provider's step."""
    from assistant.core.signin import provider_step, reply_entry  # the sign-in code imports ssl

    entry: dict[str, Any] = table()["sign_in"][result.auth.value]
    status, tone = tr(entry["status"]), Tone(entry["tone"])
    if result.auth is AuthOutcome.NOT_TRIED:
        if result.cancelled:
            status, tone = sentence("status_stopped", tr), Tone.STOPPED
        elif result.verdict.is_safe:
            pass
        elif result.verdict in (Verdict.PLAINTEXT_ONLY, Verdict.TLS_FAILED) or (
            result.verdict.is_certificate_problem
        ):
            status = sentence("sign_in_not_safe", tr)
        else:
            status = sentence("sign_in_no_connection", tr)
        return _SignIn("", status, tone, "", "", False)
    from assistant.core.sasl_oauth import OAUTH_MECHANISMS  # imports the wire code (ssl)

    if result.evidence.auth_mechanism in OAUTH_MECHANISMS:
        return _oauth_sign_in(result, entry, tr)
    parts: list[str] = []
    reply = result.evidence.auth_reply
    known = (
        reply_entry(reply)
        if reply is not None and result.auth is not AuthOutcome.ACCEPTED
        else None
    )
    if known is not None:
        parts.append(tr(known["meaning"]))
    else:
        parts.append(tr(entry["sentence"]))
    if result.auth is AuthOutcome.UNTRUSTED_SERVER:
        parts.append(untrusted_reason(result, tr))
    if result.auth is AuthOutcome.OAUTH_ONLY and reply is None:
        parts.append(sentence("oauth_explanation", tr))
    step = provider_step(result.candidate.host, result.auth)
    if step:
        parts.append(tr(step))
    quoted: list[str] = []
    if reply is not None and result.auth is not AuthOutcome.ACCEPTED:
        quoted.append(quote_server(reply.shown, tr))
    # IMAP [ALERT] texts: RFC 9051 says the person must see them.
    quoted += [quote_server(alert, tr) for alert in result.evidence.alerts[:3]]
    words = " ".join(quoted)
    todo = tr(entry["todo"]) if entry.get("todo") else ""
    return _SignIn(
        " ".join(p for p in parts if p), status, tone, todo, words, bool(entry.get("retype"))
    )


def _oauth_sign_in(result: ProbeResult, entry: dict[str, Any], tr: Translate) -> _SignIn:
    """A token from the provider's window was tried: its own meanings (resources/oauth.json),
    never the password advice (app passwords, Caps Lock) that the reply would get otherwise."""
    from assistant.core.oauth_explain import oauth_reply_sentences

    status, tone = tr(entry["status"]), Tone(entry["tone"])
    ours = oauth_reply_sentences(result, tr)
    reply = result.evidence.auth_reply
    if result.auth is AuthOutcome.ACCEPTED:
        return _SignIn(" ".join(ours), sentence("sign_in_accepted_oauth", tr), tone, "", "", False)
    text = " ".join(p for p in (tr(entry["sentence"]), *ours) if p)
    words = quote_server(f"{reply.code} {reply.text}", tr) if reply is not None else ""
    todo = tr(entry["todo"]) if entry.get("todo") else ""
    return _SignIn(text, status, tone, todo, words, False)


_UNTRUSTED_WHY = {
    NameSource.CERTIFICATE: "untrusted_why_certificate",
    NameSource.DNS: "untrusted_why_dns",
    NameSource.PLAIN_HTTP: "untrusted_why_plain_http",
}


def untrusted_reason(result: ProbeResult, tr: Translate = gettext) -> str:
    """Why a server was not trusted with the password: where its name came from."""
    cand = result.candidate
    key = _UNTRUSTED_WHY.get(cand.source, "untrusted_why_other")
    other = host_of_key(cand.rescue_of) if cand.rescue_of else "?"
    return sentence(key, tr, host=cand.host, other=other, source=cand.source.description(tr))


def host_of_key(key: str) -> str:
    """The host part of a `Candidate.key` ("smtp:mail.example.com:465/tls")."""
    return key.split(":", 1)[-1].rsplit(":", 1)[0]


def _test_message(result: ProbeResult, tr: Translate) -> str:
    if result.test_message_sent is True:
        return sentence("test_message_accepted", tr)
    if result.test_message_sent is False:
        parts = [sentence("test_message_refused", tr)]
        sent = result.evidence.test_message_reply
        if sent is not None:
            parts.append(quote_server(f"{sent.code} {sent.text}", tr))
        return " ".join(parts)
    return ""


def before_sign_in_advice(domain: str, tr: Translate = gettext) -> str:
    """What the Sign-in step says about this provider's passwords before anything is tested."""
    domain = domain.lower()
    for key, entry in table()["before_sign_in"].items():
        if key.startswith("$"):
            continue
        if domain in entry["domains"] or any(domain.startswith(p) for p in entry["prefixes"]):
            return tr(entry["text"])
    return ""


def protocol_name(protocol: Protocol, tr: Translate = gettext) -> str:
    return sentence(f"protocol_{protocol.value}", tr)


def imap_or_pop3(tr: Translate = gettext) -> str:
    """The difference between the two ways of receiving, in one plain sentence."""
    return sentence("imap_or_pop3", tr)


def incoming_recommendation_sentence(result: ProbeResult | None, tr: Translate = gettext) -> str:
    """The receiving half's lead sentence: protocol, server, port and encryption, or that
    nothing safe was found."""
    if result is None:
        return sentence("nothing_safe_incoming", tr)
    cand = result.candidate
    key = (
        "use_incoming_tls"
        if result.verdict is Verdict.ENCRYPTED_IMPLICIT
        else "use_incoming_starttls"
    )
    return sentence(
        key, tr, protocol=protocol_name(cand.protocol, tr), host=cand.host, port=cand.port
    )


def recommendation_sentence(result: ProbeResult | None, tr: Translate = gettext) -> str:
    """The one sentence that leads every result: what to use, or that nothing safe was found."""
    if result is None:
        return sentence("nothing_safe", tr)
    cand = result.candidate
    key = "use_tls" if result.verdict is Verdict.ENCRYPTED_IMPLICIT else "use_starttls"
    text = sentence(key, tr, host=cand.host, port=cand.port)
    if not cand.trusted and result.auth is not AuthOutcome.ACCEPTED:
        text += " " + sentence("use_untrusted_check", tr, host=cand.host)
    return text
