"""What a run means for the person: the recommendation, each port in plain words, what to do next,
and the story of the password — decided once, here, for the command line and the wizard alike.

`conclude` takes the plan and the results and returns an `Outcome`: a plain view model that the
results page, the testing page's status line and the command line's table only render. It is
tested without widgets (tests/unit/test_outcome.py), including that no card repeats a sentence and
that advice is said once per run, never once per port.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypedDict, Unpack

from assistant.core.explanation import (
    Audience,
    Explanation,
    NextStep,
    Tone,
    explain,
    incoming_recommendation_sentence,
    is_relay_only,
    next_step_text,
    protocol_name,
    quote_server,
    recommendation_sentence,
    security_name,
    sentence,
    untrusted_reason,
    where,
)
from assistant.core.models import AuthOutcome, ProbeResult, Protocol, Verdict
from assistant.core.ranking import rank, rank_incoming
from assistant.core.time_limit import DEFAULT_TIMEOUT_S
from assistant.core.trust import NameSource, TrustQuestion, question_text, questions
from assistant.i18n import Translate, gettext
from assistant.plan import Plan


@dataclass(frozen=True, slots=True)
class Card:
    """One tested port: where (worded for the audience's layout), its explanation, and what it
    is to the person given the whole run (`role_text`: "Recommended …", "This works too …", or
    nothing for a port not to use). A card that stands for several ports (names that do not
    exist) is named by all of them and has no `label`."""

    result: ProbeResult
    where: str
    explanation: Explanation
    role_text: str
    label: str = ""
    """What the port is for ("encrypted submission", "keeps mail on the server"), translated."""
    stands_for: int = 1
    """How many tested ports the card tells of (more than one: names that do not exist)."""

    @property
    def sentences(self) -> tuple[str, ...]:
        """Everything the card says, in order (the page shows exactly these)."""
        ex = self.explanation
        parts = (ex.headline, ex.meaning, self.role_text)
        return tuple(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class SignInStory:
    """The password, told once: accepted where, or refused where and exactly why."""

    tone: Tone
    text: str
    """May hold glossary marks (see gui/widgets/glossary.py)."""
    server_words: str
    offer_test_message: bool
    result: ProbeResult | None
    todo: str = ""
    """The last sentence of `text` when it says what to do about a refusal (told once for both
    halves when both end with it)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    results: tuple[ProbeResult, ...]
    recommendation: ProbeResult | None
    plaintext: ProbeResult | None
    """The best unencrypted server, offered only behind "I understand the risks"."""
    headline: str
    note: str
    """Under the headline: what was checked, or what to do next (may hold glossary marks)."""
    next_steps: tuple[str, ...]
    steps: tuple[NextStep, ...]
    """The same next steps by name (front ends word them for their own controls)."""
    ports_note: str
    cards: tuple[Card, ...]
    warnings: tuple[str, ...]
    sign_in: SignInStory | None
    summary: str
    """The testing page's last line."""
    password_refused: bool
    """The password itself was refused and accepted nowhere: not worth remembering."""
    username: str
    """The user name to type: the one that signed in, else the provider's documented form."""
    trust_questions: tuple[TrustQuestion, ...] = ()
    """Servers that encrypted correctly but were not given the password because nothing vouches
    for their names (assistant.core.trust): ask the person, then test again with
    `plan.trust.confirming(question.host)` (the CLI: --trust-host)."""
    trust_notes: tuple[str, ...] = ()
    """The same, worded for the audience: the question (window) or the --trust-host hint (CLI)."""

    @property
    def needs_help(self) -> bool:
        """Something went wrong that the company's IT could help with: nothing safe, the password
        refused, or a sign-in that did not end in "accepted"."""
        rec = self.recommendation
        return (
            rec is None
            or self.password_refused
            or rec.auth not in (AuthOutcome.NOT_TRIED, AuthOutcome.ACCEPTED)
        )


def conclude(
    plan: Plan,
    results: Sequence[ProbeResult],
    *,
    password_given: bool = False,
    stopped: bool = False,
    audience: Audience = Audience.WINDOW,
    tr: Translate = gettext,
    timeout: float = DEFAULT_TIMEOUT_S,
    receiving: bool = False,
    prefer: Protocol = Protocol.IMAP,
) -> Outcome:
    """Turn the results of a run (or of a stopped run, so far) into what the person is told.

    One half at a time: sending (the SMTP results) or, with `receiving`, receiving (the IMAP and
    POP3 results, `prefer` first). A run of both halves is concluded once for each."""
    results = tuple(r for r in results if r.candidate.protocol.incoming is receiving)
    results = tuple(r for r in results if not r.cancelled) if stopped else results
    if receiving:
        rec = rank_incoming(list(results), prefer)
    else:
        rec = rank(list(results), sign_in_needed=password_given)
    plaintext = _plaintext(results) if rec is None else None
    explanations = [explain(r, tr, timeout) for r in results]
    cards = _cards(results, explanations, rec, tr, audience)
    steps = _next_steps(plan, results, explanations) if rec is None else ()
    domain = plan.inputs.address.display_domain
    step_texts = tuple(
        next_step_text(s, audience, tr, receiving=receiving, domain=domain) for s in steps
    )
    refused = _password_refused(results)
    sign_in = (
        _sign_in_story(results, explanations, rec, tr, offer_test=not receiving)
        if password_given
        else None
    )
    asked = _trust_questions(results) if password_given else ()
    headline = (
        incoming_recommendation_sentence(rec, tr) if receiving else recommendation_sentence(rec, tr)
    )
    if rec is None and any(is_relay_only(r) for r in results):
        headline = sentence("nothing_safe_relay", tr)
    return Outcome(
        results=results,
        recommendation=rec,
        plaintext=plaintext,
        headline=headline,
        note=_note(rec, step_texts, plaintext, tr),
        next_steps=step_texts,
        steps=steps,
        ports_note=sentence("others_need_nothing", tr)
        if rec is not None and any(not r.verdict.is_safe for r in results)
        else "",
        cards=cards,
        warnings=_warnings(results, rec, tr),
        sign_in=sign_in,
        summary=_summary(rec, refused, stopped, password_given, results, tr),
        password_refused=refused,
        username=_username(rec, plan),
        trust_questions=asked,
        trust_notes=tuple(_trust_note(q, audience, tr) for q in asked),
    )


@dataclass(frozen=True, slots=True)
class Halves:
    """One run, both halves concluded from the same results: what `check`, `export` and the
    window render. Which halves were tested is decided here, once, from the results."""

    sending: Outcome
    receiving: Outcome | None
    """None when no receiving (IMAP, POP3) port was tested."""

    def outcomes(self) -> list[Outcome]:
        """Receiving first, then sending: the order mail programs ask for them."""
        return [o for o in (self.receiving, self.sending) if o is not None]

    @property
    def all_safe(self) -> bool:
        """Every half that was tested has a safe setting (the command line's exit 0)."""
        return all(o.recommendation is not None for o in self.outcomes() if o.results)

    @property
    def needs_help(self) -> bool:
        """The company's IT could help with a half: the receiving half when it was tested, the
        sending half when it was tested or is the only one (then nothing at all was tested)."""
        receiving = self.receiving is not None and self.receiving.needs_help
        sending = self.sending.needs_help and (bool(self.sending.results) or self.receiving is None)
        return receiving or sending


class Telling(TypedDict, total=False):
    """How a run is told, the same for both halves: `conclude`'s options but `receiving`."""

    password_given: bool
    stopped: bool
    audience: Audience
    tr: Translate
    timeout: float
    prefer: Protocol


def conclude_halves(
    plan: Plan, results: Sequence[ProbeResult], **telling: Unpack[Telling]
) -> Halves:
    """`conclude` for each half the run tested, told from the same facts (`prefer` orders only
    the receiving half). A half was tested when the plan had its ports or a result is of it."""
    receiving = any(c.protocol.incoming for c in plan.candidates) or any(
        r.candidate.protocol.incoming for r in results
    )
    tr = telling.get("tr", gettext)
    sending = conclude(plan, results, **telling)
    incoming = conclude(plan, results, receiving=True, **telling) if receiving else None
    if incoming is not None and sending.next_steps and sending.next_steps == incoming.next_steps:
        # Nothing safe on either side for the same reasons: say what to do once, under the
        # receiving half, and point back to it from the sending half.
        same = (sentence("same_steps_as_receiving", tr),)
        sending = replace(sending, next_steps=same, note=_note(None, same, sending.plaintext, tr))
    told, last = (incoming.sign_in if incoming else None), sending.sign_in
    if incoming and told and last and told.todo and told.todo == last.todo:
        # The password refused on both sides: what to do about it is said once, at the end.
        shorter = replace(told, text=told.text.removesuffix(told.todo).rstrip(), todo="")
        incoming = replace(incoming, sign_in=shorter)
    return Halves(sending, incoming)


def _trust_questions(results: Sequence[ProbeResult]) -> tuple[TrustQuestion, ...]:
    """The untrusted servers whose sign-in was held back (the only ones worth asking about)."""
    withheld = {r.candidate.key for r in results if r.auth is AuthOutcome.UNTRUSTED_SERVER}
    return tuple(q for q in questions(results) if q.candidate_key in withheld)


def trust_details(question: TrustQuestion, tr: Translate = gettext) -> tuple[str, str, str]:
    """What the window shows beside its "Sign in there?" question: both names and where each
    came from (for a certificate's name), the risk, and the words of the yes button."""
    names = ""
    if question.other_host is not None and question.other_source is not None:
        names = sentence(
            "trust_both_names",
            tr,
            other=question.other_host,
            other_source=question.other_source.description(tr),
            host=question.host,
            source=question.source.description(tr),
        )
    return names, sentence("trust_risk", tr), sentence("trust_yes", tr, host=question.host)


def _trust_note(question: TrustQuestion, audience: Audience, tr: Translate) -> str:
    if audience is Audience.CLI:
        source = question.source.description(tr)
        return sentence("trust_note_cli", tr, host=question.host, source=source)
    return question_text(question, tr)


def _plaintext(results: Sequence[ProbeResult]) -> ProbeResult | None:
    plain = [r for r in results if r.verdict is Verdict.PLAINTEXT_ONLY]
    return min(plain, key=lambda r: r.total_ms) if plain else None


def _cards(
    results: Sequence[ProbeResult],
    explanations: Sequence[Explanation],
    rec: ProbeResult | None,
    tr: Translate,
    audience: Audience = Audience.WINDOW,
) -> tuple[Card, ...]:
    """One card per port, except for names that do not exist: such a name is one card for all
    its ports, and the usual names guessed for the domain that do not exist are one card between
    them. Fifteen, or eight, identical "no such server" cards would tell the person nothing more
    (a typed name keeps its own card: its advice is about that name)."""
    cards: list[Card] = []
    missing: dict[str, list[int]] = {}
    for result, ex in zip(results, explanations, strict=True):
        host = result.candidate.host
        if result.verdict is Verdict.NO_SUCH_HOST:
            if host in missing:
                missing[host].append(result.candidate.port)
                continue
            missing[host] = [result.candidate.port]
        cards.append(_card(result, ex, rec, tr, audience))
    for i, card in enumerate(cards):
        ports = missing.get(card.result.candidate.host, [])
        if card.result.verdict is Verdict.NO_SUCH_HOST and len(ports) > 1:
            named = sentence(
                "where_ports", tr, host=card.result.candidate.host, ports=", ".join(map(str, ports))
            )
            cards[i] = replace(card, where=named, label="", stands_for=len(ports))
    return tuple(_missing_guesses_together(cards, tr))


def _missing_guesses_together(cards: list[Card], tr: Translate) -> list[Card]:
    """The guessed names that do not exist as one card where the first of them stood, named by
    all of them ("imap.gmial.com, mail.gmial.com, gmial.com")."""
    guesses = [
        card
        for card in cards
        if card.result.verdict is Verdict.NO_SUCH_HOST
        and card.result.candidate.source is NameSource.GUESS
    ]
    if len(guesses) < 2:
        return cards
    first = guesses[0]
    together = Card(
        first.result,
        ", ".join(card.result.candidate.host for card in guesses),
        replace(first.explanation, headline=sentence("missing_guesses", tr)),
        "",
        stands_for=sum(card.stands_for for card in guesses),
    )
    merged = {id(card) for card in guesses[1:]}
    return [together if card is first else card for card in cards if id(card) not in merged]


def _card(
    result: ProbeResult,
    ex: Explanation,
    rec: ProbeResult | None,
    tr: Translate,
    audience: Audience = Audience.WINDOW,
) -> Card:
    if result is rec:
        text = sentence("role_recommended", tr)
    elif result.verdict.is_safe and rec is not None and not is_relay_only(result):
        text = sentence("role_also_works", tr)
    else:
        text = ""
    cand = result.candidate
    if audience is Audience.CLI:  # a table column: "mail.example.com port 465 SSL/TLS"
        security = security_name(cand.security, tr)
        named = sentence("where_cli", tr, host=cand.host, port=cand.port, security=security)
    else:  # "mail.example.com, port 465 (SSL/TLS)"
        named = where(result, tr)
    if cand.protocol.incoming:  # "IMAP mail.example.com, port 993 (SSL/TLS)"
        named = sentence(
            "where_incoming", tr, protocol=protocol_name(cand.protocol, tr), where=named
        )
    return Card(result, named, ex, text, tr(cand.label) if cand.label else "")


def _next_steps(
    plan: Plan, results: Sequence[ProbeResult], explanations: Sequence[Explanation]
) -> tuple[NextStep, ...]:
    """Each thing the person can do, once, in the order of `NextStep`. A name that does not exist
    is a typo in the address when the names were only the usual guesses, and in the server field
    when it is the name typed there; a usual name guessed beside a typed server (plan.py) that
    does not exist is only a guess that missed: "check the server name for typos" would send the
    person to a name they typed correctly."""
    wanted: set[NextStep] = set()
    typed = bool(plan.inputs.typed_hosts)
    for result, ex in zip(results, explanations, strict=True):
        step = ex.next_step
        if step is NextStep.CHECK_NAME and not typed:
            step = NextStep.CHECK_ADDRESS
        elif step is NextStep.CHECK_NAME and result.candidate.source is not NameSource.TYPED:
            step = None
        if step is not None:
            wanted.add(step)
        if is_relay_only(result):
            wanted.add(NextStep.ASK_SERVER)
    if not results:
        wanted.add(NextStep.ASK_SERVER)
    return tuple(step for step in NextStep if step in wanted)


def _note(
    rec: ProbeResult | None, steps: Sequence[str], plaintext: ProbeResult | None, tr: Translate
) -> str:
    if rec is not None:
        parts = [sentence("tested_ok", tr)]
        if rec.auth is AuthOutcome.ACCEPTED:
            parts.append(sentence("tested_ok_signed_in", tr))
        return " ".join(parts)
    lines = [sentence("what_next", tr)] + [f"• {step}" for step in steps]
    if plaintext is not None:
        lines.append("• " + sentence("plaintext_offer", tr))
    return "\n".join(lines)


def _warnings(
    results: Sequence[ProbeResult], rec: ProbeResult | None, tr: Translate
) -> tuple[str, ...]:
    """Only what needs the person's attention beside the recommendation itself (the port-465
    rule: a network that blocks 465 is worth knowing about, STARTTLS is what works there)."""
    out: list[str] = []
    blocked_465 = any(r.candidate.port == 465 and r.verdict is Verdict.BLOCKED for r in results)
    if rec is not None and rec.verdict is Verdict.ENCRYPTED_STARTTLS and blocked_465:
        out.append(sentence("blocked_465_use_starttls", tr, port=rec.candidate.port))
    return tuple(out)


def _password_refused(results: Sequence[ProbeResult]) -> bool:
    """The server said the password itself is not the right one (and nowhere accepted it)."""
    refused = (AuthOutcome.WRONG_PASSWORD, AuthOutcome.APP_PASSWORD_REQUIRED)
    auths = [r.auth for r in results]
    return AuthOutcome.ACCEPTED not in auths and any(a in refused for a in auths)


def _sign_in_result(results: Sequence[ProbeResult], rec: ProbeResult | None) -> ProbeResult | None:
    """The result whose sign-in is told: the recommendation's, else the first refusal."""
    if rec is not None and rec.auth is not AuthOutcome.NOT_TRIED:
        return rec
    tried = [r for r in results if r.auth is not AuthOutcome.NOT_TRIED]
    refused = [r for r in tried if r.auth is not AuthOutcome.NOT_OFFERED]
    chosen = refused or tried
    return chosen[0] if chosen else None


def _sign_in_story(
    results: Sequence[ProbeResult],
    explanations: Sequence[Explanation],
    rec: ProbeResult | None,
    tr: Translate,
    offer_test: bool = True,
) -> SignInStory:
    """`offer_test`: the sending half offers the one test message; receiving has none to send."""
    main = _sign_in_result(results, rec)
    if main is None:
        return SignInStory(Tone.WARNING, sentence("password_not_tried", tr), "", False, None)
    ex = explanations[list(results).index(main)]
    named = where(main, tr)
    if main.auth is AuthOutcome.ACCEPTED:
        # A token from the provider's window is no password (mailsetup check --oauth).
        oauth = main.evidence.auth_mechanism in ("XOAUTH2", "OAUTHBEARER")
        accepted = "sign_in_accepted_at" if oauth else "password_accepted_at"
        parts = [sentence(accepted, tr, where=named)]
        offer = offer_test and main is rec
        if offer:
            parts.append(sentence("password_offer_test", tr))
        return SignInStory(Tone.GOOD, " ".join(parts), "", offer, main)
    if main.auth is AuthOutcome.UNTRUSTED_SERVER:
        # Said once: not sent, and why; the question beside it is what the person can do.
        parts = [sentence("password_withheld_at", tr, where=named), untrusted_reason(main, tr)]
    else:
        parts = [sentence("password_failed_at", tr, where=named), ex.sign_in, ex.sign_in_todo]
    mild = (AuthOutcome.NOT_OFFERED, AuthOutcome.TEMPORARY, AuthOutcome.UNTRUSTED_SERVER)
    tone = Tone.WARNING if main.auth in mild else Tone.BAD
    todo = ex.sign_in_todo if main.auth is not AuthOutcome.UNTRUSTED_SERVER else ""
    text = " ".join(p for p in parts if p)
    return SignInStory(tone, text, ex.server_words, False, main, todo)


def _summary(
    rec: ProbeResult | None,
    refused: bool,
    stopped: bool,
    password_given: bool,
    results: Sequence[ProbeResult],
    tr: Translate,
) -> str:
    if stopped:
        return sentence("summary_stopped_found" if rec is not None else "summary_stopped", tr)
    if rec is None:
        return sentence("summary_none", tr)
    accepted = any(r.auth is AuthOutcome.ACCEPTED for r in results)
    if password_given and not accepted and rec.auth is AuthOutcome.UNTRUSTED_SERVER:
        return sentence("summary_found_untrusted", tr)
    if password_given and not accepted and rec.auth is not AuthOutcome.NOT_TRIED:
        return sentence("summary_found_refused", tr)
    return sentence("summary_found", tr)


def _username(rec: ProbeResult | None, plan: Plan) -> str:
    """The user name that signed in, else the provider's documented form, else the address."""
    if rec is not None and rec.auth is AuthOutcome.ACCEPTED and rec.evidence.auth_username:
        return rec.evidence.auth_username
    return plan.username or plan.inputs.address.address


def test_message_words(
    result: ProbeResult, address: str, tr: Translate = gettext, timeout: float = DEFAULT_TIMEOUT_S
) -> tuple[str, str]:
    """What the one test message came to: our sentence, and the server's words quoted apart."""
    if result.test_message_sent is True:
        return sentence("test_message_delivered", tr, address=address), ""
    if result.test_message_sent is False:
        reply = result.evidence.test_message_reply
        words = quote_server(f"{reply.code} {reply.text}", tr) if reply is not None else ""
        return sentence("test_message_not_accepted", tr), words
    why = explain(result, tr, timeout)
    return sentence("test_message_not_sent", tr, why=" ".join(why.sentences_without_sign_in)), ""


def run_summary(
    sending: Outcome, receiving: Outcome | None, *, stopped: bool = False, tr: Translate = gettext
) -> str:
    """The testing page's last line for a run of both halves (one half: that half's own)."""
    if receiving is None:
        return sending.summary
    halves = (receiving, sending)
    found = [o.recommendation is not None for o in halves]
    if stopped:
        return sentence("summary_stopped_found_some" if any(found) else "summary_stopped", tr)
    if not sending.results:  # only the receiving half was tested (ports chosen by the caller)
        return sentence("summary_receive_found" if found[0] else "summary_both_none", tr)
    if all(found):
        refused = tuple(o.password_refused for o in halves)
        signed = tuple(
            o.recommendation is not None
            and o.recommendation.auth in (AuthOutcome.ACCEPTED, AuthOutcome.NOT_TRIED)
            and not o.password_refused
            for o in halves
        )
        # Say where the password itself was refused (receiving, sending, or both).
        if refused[0] and refused[1]:
            key = "summary_both_found_refused"
        elif refused[0] and signed[1]:
            key = "summary_both_found_refused_receiving"
        elif refused[1] and signed[0]:
            key = "summary_both_found_refused_sending"
        elif all(signed):
            key = "summary_both_found"
        else:
            key = "summary_both_found_sign_in"
        return sentence(key, tr)
    if found[0]:
        return sentence("summary_receive_only", tr)
    if found[1]:
        return sentence("summary_send_only", tr)
    return sentence("summary_both_none", tr)
