"""The sentences a person reads, built from real results against loopback servers."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.core.explanation import explain, recommendation_sentence, table
from assistant.core.models import Candidate, Security, Verdict
from assistant.core.probe_run import run_and_wait
from assistant.core.trust import policy_for
from tests.servers import Loopback


def test_every_verdict_has_a_plain_headline() -> None:
    verdicts = table()["verdicts"]
    assert set(verdicts) == {v.value for v in Verdict}
    for sentence in (entry["headline"] for entry in verdicts.values()):
        assert sentence.endswith(".")
        for jargon in ("errno", "SSL_", "Exception", "socket"):
            assert jargon not in sentence


def test_expired_certificate_says_when(loopback: Loopback) -> None:
    server = loopback.starttls(expired=True)
    outcome = run_and_wait([server.candidate()], loopback.settings())
    result = outcome.results[0]
    assert result.verdict is Verdict.CERT_EXPIRED
    cert = result.evidence.certificate
    assert cert is not None
    days = (datetime.now(UTC) - cert.not_after).days
    text = explain(result).text
    assert f"It expired on {cert.not_after.date().isoformat()} ({days} days ago)." in text


def test_name_mismatch_lists_the_names_and_the_rescue(loopback: Loopback) -> None:
    loopback.map_name("mail.customer.test")
    loopback.map_name("server1.hosting.test")
    server = loopback.implicit_tls(name="server1.hosting.test")
    candidate = Candidate("mail.customer.test", server.port, Security.IMPLICIT_TLS)
    outcome = run_and_wait([candidate], loopback.settings())
    mismatch, rescue = outcome.results
    text = explain(mismatch).text
    assert "issued for a different name" in text
    assert "It is for server1.hosting.test, not for mail.customer.test." in text
    assert "server1.hosting.test leads to the same server, so we tested that name too." in text
    # Without a password nothing is at risk, so the certificate's name is recommended; but the
    # sentence says that nothing vouches for it (tests/unit/test_trust.py: with a password, it asks).
    assert recommendation_sentence(outcome.recommendation) == (
        f"Use server1.hosting.test, port {server.port}, SSL/TLS — encrypted from the start. But "
        "first make sure server1.hosting.test belongs to your provider or hosting company: nothing "
        "we found vouches for that name."
    )
    assert "name on the server's certificate" in explain(rescue).text
    assert "found while testing mail.customer.test." in explain(rescue).text
    # A hosting company's server domain from the provider list is trusted: no hedge.
    settings = loopback.settings()
    settings.trust = policy_for("customer.test", hosting_domains=["hosting.test"])
    trusted = run_and_wait([candidate], settings)
    assert recommendation_sentence(trusted.recommendation) == (
        f"Use server1.hosting.test, port {server.port}, SSL/TLS — encrypted from the start."
    )


def test_nothing_safe_says_what_to_do_next(loopback: Loopback) -> None:
    outcome = run_and_wait([loopback.plain().candidate()], loopback.settings())
    assert outcome.recommendation is None
    assert recommendation_sentence(None) == "No safe way to send was found."


def test_server_words_are_quoted_not_mixed_in(loopback: Loopback) -> None:
    from tests.servers import scripted as s

    server = loopback.scripted(s.send_then_wait(b"421 4.7.0 Try again later\r\n"))
    outcome = run_and_wait([server.candidate()], loopback.settings())
    text = explain(outcome.results[0]).text
    assert text.startswith("The mail server turned us away.")
    assert text.endswith("The server said: “4.7.0 Try again later”")


def test_translation_hook_is_used() -> None:
    from assistant.core.models import ProbeResult

    result = ProbeResult(Candidate("h.example", 25, Security.STARTTLS), Verdict.REFUSED)
    assert (
        explain(result, tr=lambda s: s.upper()).text
        == "THE SERVER EXISTS BUT DOES NOT OFFER THIS PORT."
    )
