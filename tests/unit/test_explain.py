"""The sentences a person reads, built from real results against loopback servers."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.core.explanation import explain, recommendation_sentence, table
from assistant.core.models import Candidate, Security, Verdict
from assistant.core.probe_run import run_and_wait
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
    assert recommendation_sentence(outcome.recommendation) == (
        f"Use server1.hosting.test, port {server.port}, SSL/TLS — encrypted from the start."
    )
    assert "name on the server's certificate" in explain(rescue).text


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
