"""The results view model (assistant.outcome), tested without widgets.

Every verdict and detail goes through `conclude`, with and without a sign-in: no card may repeat a
sentence, no card may carry advice (advice is said once per run, under the headline), and no
sentence of advice may appear twice. Then each defect of issue 9 that lives here, against real
loopback servers.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from assistant.core.address import parse
from assistant.core.explanation import Audience, NextStep, Tone, next_step_text, sentence
from assistant.core.models import (
    AuthOutcome,
    Candidate,
    Detail,
    Evidence,
    ProbeResult,
    Protocol,
    Reply,
    Security,
    Verdict,
)
from assistant.core.network import NameNotFound
from assistant.core.probe_run import run_and_wait
from assistant.outcome import Outcome, conclude
from assistant.plan import PlanInputs, make_plan, typed_hosts
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD, TEST_USER, local_part_authenticator

ADDRESS = parse(TEST_USER)


def _every_advice() -> set[str]:
    return {
        next_step_text(step, audience, domain=ADDRESS.display_domain)
        for step in NextStep
        for audience in Audience
    }


def _result(verdict: Verdict, detail: Detail, auth: AuthOutcome, port: int) -> ProbeResult:
    evidence = Evidence(ehlo_after_tls=["AUTH PLAIN LOGIN"], auth_mechanisms=["PLAIN", "LOGIN"])
    if auth not in (AuthOutcome.NOT_TRIED, AuthOutcome.ACCEPTED):
        evidence.auth_reply = Reply(535, ("5.7.8 Username and Password not accepted.",))
    if verdict is Verdict.SERVER_REFUSED_US:
        evidence.greeting = Reply(554, ("5.7.1 You are on a block list",))
    return ProbeResult(
        Candidate("mail.example.test", port, Security.STARTTLS),
        verdict,
        detail,
        evidence,
        auth=auth,
    )


def _check_page(outcome: Outcome) -> None:
    advice = _every_advice()
    for card in outcome.cards:
        said = card.sentences
        assert len(said) == len(set(said)), f"a card repeats itself: {said}"
        assert not any(s in advice for s in said), f"advice on a card: {said}"
        assert card.explanation.next_step is None or not card.result.verdict.is_safe
    assert len(outcome.next_steps) == len(set(outcome.next_steps))
    page = [outcome.headline, *outcome.warnings, outcome.ports_note]
    if outcome.sign_in is not None:
        page.append(outcome.sign_in.text)
    for step in outcome.next_steps:
        assert outcome.note.count(step) == 1
        assert not any(step in text for text in page), "advice said twice"
    # The same words on two cards only for two ports with the same verdict.
    by_sentence: dict[str, set[Verdict]] = {}
    for card in outcome.cards:
        for said in card.sentences:
            by_sentence.setdefault(said, set()).add(card.result.verdict)
    role_words = {sentence("role_recommended"), sentence("role_also_works")}
    assert all(len(v) == 1 for s, v in by_sentence.items() if s not in role_words)


@pytest.mark.parametrize("verdict", list(Verdict))
@pytest.mark.parametrize("signed_in", [False, True])
def test_every_verdict_and_detail_through_the_view_model(verdict: Verdict, signed_in: bool) -> None:
    plan = make_plan(PlanInputs(ADDRESS, typed_hosts(["mail.example.test"])))
    auths = list(AuthOutcome) if signed_in and verdict.is_safe else [AuthOutcome.NOT_TRIED]
    results = [
        _result(verdict, detail, auth, port)
        for port, (detail, auth) in enumerate(itertools.product(Detail, auths), start=2000)
    ]
    # One run holding every detail of this verdict, next to a refused port and a blocked 25.
    results.append(_result(Verdict.REFUSED, Detail.NONE, AuthOutcome.NOT_TRIED, 26))
    results.append(_result(Verdict.BLOCKED, Detail.NONE, AuthOutcome.NOT_TRIED, 25))
    outcome = conclude(plan, results, password_given=signed_in)
    _check_page(outcome)
    if verdict.is_safe:
        assert outcome.recommendation is not None and not outcome.next_steps
    else:
        assert outcome.recommendation is None and outcome.next_steps
    for result in results:  # and each result alone
        _check_page(conclude(plan, [result], password_given=signed_in))


def test_blocked_port_25_is_explained_once_and_not_told_to_use_other_ports() -> None:
    plan = make_plan(PlanInputs(ADDRESS, typed_hosts(["mail.example.test"])))
    results = [
        _result(Verdict.BLOCKED, Detail.NONE, AuthOutcome.NOT_TRIED, p) for p in (465, 587, 25)
    ]
    outcome = conclude(plan, results)
    card_25 = outcome.cards[2]
    assert "Port 25 is blocked by many home internet providers" in card_25.explanation.meaning
    assert "Use 465 or 587" not in " ".join(card_25.sentences)  # they are blocked too
    assert outcome.next_steps == (next_step_text(NextStep.OTHER_NETWORK, Audience.WINDOW),)


# -- defects, each against real servers -----------------------------------------------------------


def test_a_password_refused_on_every_safe_port_is_not_called_a_success(
    loopback: Loopback,
) -> None:
    servers = [loopback.implicit_tls(), loopback.starttls()]
    settings = loopback.settings(password="not-the-password")
    run = run_and_wait([s.candidate() for s in servers], settings)
    plan = make_plan(PlanInputs(ADDRESS, typed_hosts(["mail.example.test"])))
    outcome = conclude(plan, run.results, password_given=True)
    assert all(r.auth is AuthOutcome.WRONG_PASSWORD for r in outcome.results)
    assert outcome.summary == sentence("summary_found_refused")
    assert "password was not accepted" in outcome.summary
    assert outcome.sign_in is not None and outcome.sign_in.tone is Tone.BAD
    assert outcome.password_refused and outcome.needs_help


def test_b_a_relay_port_is_named_and_never_recommended_when_sign_in_is_needed(
    loopback: Loopback,
) -> None:
    relay = loopback.implicit_tls(sign_in=False)
    submission = loopback.starttls()
    plan = make_plan(PlanInputs(ADDRESS, typed_hosts(["mail.example.test"])))
    for password in (CANARY_PASSWORD, None):
        run = run_and_wait(
            [relay.candidate(), submission.candidate()], loopback.settings(password=password)
        )
        outcome = conclude(plan, run.results, password_given=password is not None)
        relay_card, submission_card = outcome.cards
        assert outcome.recommendation is submission_card.result
        assert relay_card.explanation.status == "Encrypted, but no sign-in"
        assert "cannot send through it" in relay_card.explanation.meaning
        assert relay_card.role_text == ""  # not "This works too"
    alone = run_and_wait([relay.candidate()], loopback.settings(password=CANARY_PASSWORD))
    outcome = conclude(plan, alone.results, password_given=True)
    assert outcome.recommendation is None
    assert outcome.headline == sentence("nothing_safe_relay")
    assert NextStep.ASK_SERVER in outcome.steps


def test_d_nothing_safe_for_a_mistyped_domain_says_each_thing_once() -> None:
    """bob@gmial.com: fifteen names that do not exist give one piece of advice, not fifteen, and
    one card naming the three usual names, not one card each with the same sentence."""
    from assistant.core.probe import ProbeSettings

    def nothing_exists(host: str, port: int) -> Any:
        raise NameNotFound(host)

    typo = parse("bob@gmial.com")
    plan = make_plan(PlanInputs(typo))
    assert len(plan.candidates) == 15
    run = run_and_wait(list(plan.candidates), ProbeSettings(timeout=2, resolver=nothing_exists))
    outcome = conclude(plan, run.results)
    assert {r.verdict for r in outcome.results} == {Verdict.NO_SUCH_HOST}
    assert [c.where for c in outcome.cards] == ["smtp.gmial.com, mail.gmial.com, gmial.com"]
    assert outcome.cards[0].sentences == (
        "No server has any of these names: they are the usual names tried for your domain.",
    )
    assert outcome.cards[0].explanation.status == "No such server"
    assert outcome.steps == (NextStep.CHECK_ADDRESS,)
    assert outcome.next_steps == (
        "Go Back and check your email address for typos: none of the usual server names for "
        "gmial.com exist.",
    )
    _check_page(outcome)
    typed = make_plan(PlanInputs(typo, typed_hosts(["smtp.gmial.com"])))
    # A guessed name is not called "a typo": the person never typed it (the step above says
    # what to check); a typed one is, on a card of its own beside the guesses'.
    one_guess = [r for r in run.results if r.candidate.host == "gmial.com"]
    assert [c.explanation.headline for c in conclude(plan, one_guess).cards] == [
        "No server has this name: it is one of the usual names tried for your domain."
    ]
    missing = ProbeResult(typed.candidates[0], Verdict.NO_SUCH_HOST)  # the typed name's own result
    told = conclude(typed, [missing])
    assert told.steps == (NextStep.CHECK_NAME,)
    assert told.cards[0].explanation.headline == (
        "This server name does not exist (a typo, or the wrong name)."
    )


def test_h_the_user_name_shown_is_the_one_that_signed_in(loopback: Loopback) -> None:
    """A host that wants only the part before the @: the settings show that, not the address."""
    local = TEST_USER.split("@")[0]
    server = loopback.starttls(authenticator=local_part_authenticator())
    run = run_and_wait([server.candidate()], loopback.settings(password=CANARY_PASSWORD))
    plan = make_plan(PlanInputs(ADDRESS, typed_hosts(["mail.example.test"])))
    outcome = conclude(plan, run.results, password_given=True)
    assert outcome.results[0].auth is AuthOutcome.ACCEPTED
    assert outcome.results[0].evidence.auth_username == local
    assert outcome.username == local
    without = conclude(plan, run_and_wait([server.candidate()], loopback.settings()).results)
    assert without.username == TEST_USER  # nothing signed in: the address


@pytest.mark.parametrize(
    ("imap", "smtp", "told"),
    [
        (AuthOutcome.ACCEPTED, AuthOutcome.ACCEPTED, "were found. Press Next to see them."),
        (AuthOutcome.WRONG_PASSWORD, AuthOutcome.WRONG_PASSWORD, "your password was not accepted."),
        (AuthOutcome.WRONG_PASSWORD, AuthOutcome.ACCEPTED, "not accepted for receiving mail."),
        (AuthOutcome.ACCEPTED, AuthOutcome.APP_PASSWORD_REQUIRED, "not accepted for sending mail."),
        (AuthOutcome.ACCEPTED, AuthOutcome.TEMPORARY, "did not sign in everywhere."),
    ],
)
def test_a_the_testing_page_says_where_the_password_was_refused(
    imap: AuthOutcome, smtp: AuthOutcome, told: str
) -> None:
    """Issue 9 (a) for a run of both halves: refused on every safe port of both halves is "not
    accepted", not the vaguer "did not sign in everywhere", and a refusal in one half names it."""
    from assistant.outcome import conclude_halves, run_summary

    plan = make_plan(PlanInputs(ADDRESS, typed_hosts(["mail.example.test"]), receiving=True))
    evidence = Evidence(auth_mechanisms=["PLAIN"])
    results = [
        ProbeResult(
            Candidate("mail.example.test", 993, Security.IMPLICIT_TLS, protocol=Protocol.IMAP),
            Verdict.ENCRYPTED_IMPLICIT,
            evidence=evidence,
            auth=imap,
        ),
        ProbeResult(
            Candidate("mail.example.test", 465, Security.IMPLICIT_TLS),
            Verdict.ENCRYPTED_IMPLICIT,
            evidence=evidence,
            auth=smtp,
        ),
    ]
    halves = conclude_halves(plan, results, password_given=True)
    summary = run_summary(halves.sending, halves.receiving)
    assert summary.startswith("Done: safe ways to receive and to send mail were found")
    assert summary.endswith(told if told.startswith("were") else f"{told} Press Next to see why.")
