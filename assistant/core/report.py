"""The JSON document of a run (docs/check-report.schema.json): for IT scripts and the IT export.

Built only from evidence fields; there is no place in it where a password could be put.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assistant import __version__
from assistant.core.explanation import (
    explain,
    incoming_recommendation_sentence,
    recommendation_sentence,
)
from assistant.core.models import Evidence, ProbeResult, Reply, Security, Verdict
from assistant.core.sasl_oauth import OAUTH_MECHANISMS

SCHEMA_VERSION = 2
"""2: IMAP and POP3 (candidates' "protocol", "incoming_recommendation", replies' "status")."""


def _reply(reply: Reply | None) -> dict[str, Any] | None:
    if reply is None:
        return None
    document: dict[str, Any] = {"code": reply.code, "text": reply.text}
    if reply.status:
        document["status"] = reply.status
    return document


def security_used(result: ProbeResult) -> Security | None:
    """The mode the connection really used (an auto port: what detection found), if encrypted."""
    if result.verdict is Verdict.ENCRYPTED_IMPLICIT:
        return Security.IMPLICIT_TLS
    if result.verdict is Verdict.ENCRYPTED_STARTTLS:
        return Security.STARTTLS
    return None


def _value(security: Security | None) -> str | None:
    return None if security is None else security.value


def _sign_in_method(ev: Evidence) -> str | None:
    """ "oauth2" for a token from the provider's window, "password" for a password, None untried."""
    if ev.auth_mechanism is None:
        return None
    return "oauth2" if ev.auth_mechanism in OAUTH_MECHANISMS else "password"


def candidate_document(result: ProbeResult, timeout: float) -> dict[str, Any]:
    ev = result.evidence
    cert = ev.certificate
    cand = result.candidate
    return {
        "protocol": cand.protocol.value,
        "host": cand.host,
        "port": cand.port,
        "security": cand.security.value,
        "label": cand.label,
        "rescue_of": cand.rescue_of,
        "security_used": _value(security_used(result)),
        "name_source": cand.source.value,
        "trusted": cand.trusted,
        "verdict": result.verdict.value,
        "detail": result.detail.value or None,
        "explanation": explain(result, timeout=timeout).text,
        "sign_in": result.auth.value,
        "sign_in_method": _sign_in_method(ev),
        "test_message_sent": result.test_message_sent,
        "evidence": {
            "addresses": ev.addresses,
            "connected_to": ev.connected_to,
            "greeting": _reply(ev.greeting),
            "ehlo_before_tls": ev.ehlo_before_tls,
            "starttls_offered": ev.starttls_offered,
            "starttls_reply": _reply(ev.starttls_reply),
            "tls_version": ev.tls_version,
            "tls_cipher": ev.tls_cipher,
            "certificate_verified": ev.certificate_verified,
            "verify_message": ev.verify_message,
            "certificate": None
            if cert is None
            else {
                "subject_cn": cert.subject_cn,
                "names": list(cert.names),
                "issuer": cert.issuer,
                "not_before": cert.not_before.isoformat(),
                "not_after": cert.not_after.isoformat(),
                "self_signed": cert.self_signed,
                "sha256": cert.fingerprint_sha256,
            },
            "ehlo_after_tls": ev.ehlo_after_tls,
            "auth_mechanisms_before_tls": ev.auth_before_tls,
            "auth_mechanisms": ev.auth_mechanisms,
            "auth_reply": _reply(ev.auth_reply),
            "auth_username": ev.auth_username,
            "test_message_reply": _reply(ev.test_message_reply),
            "unexpected_data": ev.unexpected_data,
            "rescue_names": ev.rescue_names,
            "alerts": ev.alerts,
            "error": None if ev.error is None else str(ev.error),  # in the current language
            "transcript": ev.transcript,
        },
        "timings_ms": dict(result.timings_ms),
    }


def _recommendation_entry(
    result: ProbeResult | None, *, with_protocol: bool = False
) -> dict[str, Any] | None:
    """One recommended server as the document names it: the security it really used, if known.

    The sending and receiving recommendations are the same entry; only the receiving one says
    its protocol (IMAP or POP3), as sending is always SMTP.
    """
    if result is None:
        return None
    cand = result.candidate
    entry: dict[str, Any] = {
        "host": cand.host,
        "port": cand.port,
        "security": (security_used(result) or cand.security).value,
        "trusted": cand.trusted,
    }
    if with_protocol:
        entry["protocol"] = cand.protocol.value
    return entry


def run_document(
    address: str,
    results: list[ProbeResult],
    recommendation: ProbeResult | None,
    timeout: float,
    incoming_recommendation: ProbeResult | None = None,
) -> dict[str, Any]:
    """`recommendation` is the sending half's; `incoming_recommendation` the receiving half's."""
    receiving = any(r.candidate.protocol.incoming for r in results)
    sending = any(not r.candidate.protocol.incoming for r in results)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "mailsetup", "version": __version__},
        "address": address,
        "candidates": [candidate_document(r, timeout) for r in results],
        "recommendation": _recommendation_entry(recommendation),
        "summary": recommendation_sentence(recommendation) if sending else None,
        "tested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "incoming_recommendation": _recommendation_entry(
            incoming_recommendation, with_protocol=True
        ),
        "incoming_summary": incoming_recommendation_sentence(incoming_recommendation)
        if receiving
        else None,
    }
