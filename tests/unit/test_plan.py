"""The command line and the wizard follow one plan: the same inputs give the same test and answer.

`mailsetup check`'s plan is built by `cli.plan_for` from its arguments; the wizard's by
`WizardState.plan()` from what was typed on its pages. Both call `assistant.plan.make_plan`, and
these tests hold them to it, including a company profile that allows none of the default ports
(the command line used to stop while the wizard tested anyway).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant import cli
from assistant.core.address import parse
from assistant.core.explanation import Audience
from assistant.core.models import Candidate, Protocol, Security
from assistant.core.ports import PortSpec, parse_ports, parse_server
from assistant.core.trust import NameSource
from assistant.discovery import DiscoveryOptions, discover
from assistant.gui.state import WizardState
from assistant.outcome import conclude, conclude_halves
from assistant.plan import Plan
from assistant.profile import load_profile

ROOT = Path(__file__).parents[2]


def _cli_plan(capsys: pytest.CaptureFixture[str], *argv: str) -> Plan | str:
    args = cli.build_parser().parse_args(["check", *argv])
    plan = cli.plan_for(args)
    if isinstance(plan, int):
        assert plan == cli.EXIT_BAD_INPUT
        return capsys.readouterr().err.strip().removeprefix("mailsetup: ")
    return plan


def _wizard_plan(
    address: str,
    hosts: tuple[str, ...] = (),
    ports: str = "",
    profile: Path | None = None,
) -> Plan:
    state = WizardState(
        ports=parse_ports(ports) if ports else [],
        profile=load_profile(profile) if profile else None,
    )
    state.parsed = parse(address)
    state.typed_servers = [parse_server(h) for h in hosts]
    if state.needs_discovery():  # the wizard's discovery job does this on its worker thread
        state.discovery = discover(state.parsed, DiscoveryOptions(offline=True))
    return state.plan()


def _profile(tmp_path: Path, **fields: object) -> Path:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({"company": "Smile Dental", **fields}), encoding="utf-8")
    return path


def _keys(plan: Plan | str) -> list[str]:
    assert isinstance(plan, Plan), plan
    return [c.key for c in plan.candidates]


def _sending_keys(plan: Plan | str) -> list[str]:
    """The sending half (both front ends also test receiving, IMAP and POP3, by default)."""
    assert isinstance(plan, Plan), plan
    rest = [c for c in plan.candidates if c.protocol.incoming]
    assert all(c.key.startswith(("imap:", "pop3:")) for c in rest)
    return [c.key for c in plan.candidates if not c.protocol.incoming]


def test_typed_server_same_candidates(capsys: pytest.CaptureFixture[str]) -> None:
    cli_plan = _cli_plan(capsys, "ana@example.com", "--host", "Mail.Example.com")
    wizard_plan = _wizard_plan("ana@example.com", ("mail.example.com",))
    assert _keys(cli_plan) == _keys(wizard_plan)  # both halves, the same candidates
    # The typed name first for receiving too (then the domain's usual names, tested below).
    assert [k for k in _keys(cli_plan) if not k.startswith("smtp:")][:4] == [
        f"{proto}:mail.example.com:{p}/{s}"
        for proto, p, s in (
            ("imap", 993, "tls"),
            ("imap", 143, "starttls"),
            ("pop3", 995, "tls"),
            ("pop3", 110, "starttls"),
        )
    ]
    assert _sending_keys(wizard_plan) == [
        f"smtp:mail.example.com:{p}/{s}"
        for p, s in (
            (465, "tls"),
            (587, "starttls"),
            (25, "starttls"),
            (26, "starttls"),
            (2525, "starttls"),
        )
    ]


def test_given_ports_replace_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    cli_plan = _cli_plan(
        capsys, "ana@example.com", "--host", "h.example.com", "--ports", "587,2526/tls"
    )
    wizard_plan = _wizard_plan("ana@example.com", ("h.example.com",), "587,2526/tls")
    assert (
        _keys(cli_plan)
        == _keys(wizard_plan)
        == [
            "smtp:h.example.com:587/starttls",
            "smtp:h.example.com:2526/tls",
        ]
    )


def test_known_provider_from_the_database(capsys: pytest.CaptureFixture[str]) -> None:
    cli_plan = _cli_plan(capsys, "bob@gmail.com")
    wizard_plan = _wizard_plan("bob@gmail.com")
    assert _keys(cli_plan) == _keys(wizard_plan)
    assert isinstance(cli_plan, Plan) and cli_plan.candidates[0].host == "smtp.gmail.com"
    assert cli_plan.found_in == wizard_plan.found_in
    assert wizard_plan.found_in is not None and "Gmail" in wizard_plan.found_in


def test_profile_servers_and_allowed_ports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    profile = _profile(
        tmp_path,
        servers=[{"host": "mail.smile.example", "port": 465, "security": "tls"}],
        allowed_ports=[465, 587],
    )
    cli_plan = _cli_plan(capsys, "ana@smile.example", "--profile", str(profile))
    wizard_plan = _wizard_plan("ana@smile.example", profile=profile)
    assert _keys(cli_plan) == _keys(wizard_plan) == ["smtp:mail.smile.example:465/tls"]


def test_profile_that_allows_none_of_the_ports_stops_both(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    profile = _profile(tmp_path, allowed_ports=[2526])
    said = _cli_plan(
        capsys, "ana@example.com", "--host", "mail.example.com", "--profile", str(profile)
    )
    wizard_plan = _wizard_plan("ana@example.com", ("mail.example.com",), profile=profile)
    assert wizard_plan.candidates == ()
    assert said == wizard_plan.problem == "The company profile allows none of these ports."


def test_outcome_is_the_same_for_both_front_ends(capsys: pytest.CaptureFixture[str]) -> None:
    """Given the same results, both front ends conclude the same recommendation, cards and next
    steps; only the wording of a step names each front end's own controls."""
    from assistant.core.models import ProbeResult, Verdict

    cli_plan = _cli_plan(capsys, "ana@example.com", "--host", "mail.example.com")
    wizard_plan = _wizard_plan("ana@example.com", ("mail.example.com",))
    assert isinstance(cli_plan, Plan)
    results = [ProbeResult(c, Verdict.REFUSED) for c in cli_plan.candidates]
    ours = conclude(cli_plan, results, audience=Audience.CLI)
    theirs = conclude(wizard_plan, results, audience=Audience.WINDOW)
    assert ours.recommendation is theirs.recommendation is None
    assert [c.sentences for c in ours.cards] == [c.sentences for c in theirs.cards]
    assert ours.steps == theirs.steps and ours.steps
    assert ours.headline == theirs.headline


@pytest.mark.parametrize(
    ("ports", "found", "halves", "all_safe"),
    [
        ("465", {"smtp"}, ("sending",), True),
        ("465,imap:993/tls", {"smtp"}, ("receiving", "sending"), False),
        ("465,imap:993/tls", {"smtp", "imap"}, ("receiving", "sending"), True),
        ("imap:993/tls", {"imap"}, ("receiving", "sending"), True),
        ("imap:993/tls", set(), ("receiving", "sending"), False),
    ],
)
def test_both_front_ends_conclude_the_halves_by_one_rule(
    capsys: pytest.CaptureFixture[str],
    ports: str,
    found: set[str],
    halves: tuple[str, ...],
    all_safe: bool,
) -> None:
    """Which halves were tested, whether every tested half has a safe setting (the command line's
    exit code) and whether IT should be offered, is `conclude_halves`'s to say; the window keeps
    exactly what it says."""
    from assistant.core.models import ProbeResult, Verdict

    plan = _cli_plan(capsys, "ana@example.com", "--host", "mail.example.com", "--ports", ports)
    assert isinstance(plan, Plan)
    results = [
        ProbeResult(c, Verdict.ENCRYPTED_IMPLICIT if c.protocol.value in found else Verdict.REFUSED)
        for c in plan.candidates
    ]
    concluded = conclude_halves(plan, results, audience=Audience.CLI)
    named = {id(concluded.receiving): "receiving", id(concluded.sending): "sending"}
    assert tuple(named[id(o)] for o in concluded.outcomes()) == halves
    assert concluded.all_safe is all_safe
    # IT's contact is offered for a tested half that went wrong, and only then (no sign-in was
    # tried, so here that is exactly a half without a safe setting; an untested sending half
    # beside a tested receiving one does not count).
    assert concluded.needs_help is not all_safe

    state = WizardState(ports=parse_ports(ports))
    state.parsed = parse("ana@example.com")
    state.typed_servers = [parse_server("mail.example.com")]
    state.conclude(results)
    window = conclude_halves(state.plan(), results)
    assert state.halves == window
    assert state.outcome == window.sending and state.incoming == window.receiving


def test_front_ends_hold_no_candidate_selection_and_no_advice() -> None:
    """cli.py and gui/ render; the plan chooses and the table speaks (a grep, as the issue asks)."""
    table = json.loads((ROOT / "resources" / "explanations.json").read_text(encoding="utf-8"))
    advice = [step[k] for step in table["next_steps"].values() for k in ("window", "cli")]
    advice += [e["todo"] for e in table["sign_in"].values() if e.get("todo")]
    advice += [
        table["sentences"][key]
        for key in (
            "plaintext_banner",
            "plaintext_offer",
            "settings_password_refused",
            "others_need_nothing",
            "trust_risk",
            "trust_note_cli",
            "blocked_465_use_starttls",
        )
    ]
    advice += [e["text"] for k, e in table["before_sign_in"].items() if not k.startswith("$")]
    selection = re.compile(
        r"\b(build_candidates|to_candidates|config_candidates|guess_hosts|default_ports|"
        r"rank|port_specs)\(|\.allows\("
    )
    files = [ROOT / "assistant" / "cli.py", *(ROOT / "assistant" / "gui").rglob("*.py")]
    for path in files:
        source = path.read_text(encoding="utf-8")
        assert not selection.search(source), f"{path.name} chooses candidates"
        for sentence in advice:
            words = sentence.split("{")[0].strip()
            if len(words) > 25:  # long enough to be a sentence, not a word like "STARTTLS"
                assert words not in source, f"{path.name} holds advice: {words!r}"


def test_candidate_keys_name_the_protocol() -> None:
    assert Candidate("h.example", 465, Security.IMPLICIT_TLS).key == "smtp:h.example:465/tls"
    assert PortSpec(465, Security.IMPLICIT_TLS) in parse_ports("465")


def test_cli_says_did_you_mean_before_testing(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 9 (e) on the command line: the near miss is said on stderr, before any test."""
    plan = _cli_plan(capsys, "bob@gmial.com", "--host", "mail.example.com")
    assert isinstance(plan, Plan)
    err = capsys.readouterr().err
    assert err.startswith("mailsetup: Did you mean gmail.com? Testing bob@gmial.com as typed")
    _cli_plan(capsys, "bob@gmail.com", "--host", "mail.example.com")
    assert "Did you mean" not in capsys.readouterr().err


def test_a_mistyped_domain_says_what_to_do_once_for_both_halves() -> None:
    """No server name exists for either half: the receiving half says to check the address, and
    the sending half points back to it instead of saying it again (it said it twice)."""
    from assistant.core.models import ProbeResult, Verdict

    plan = _wizard_plan("bob@gmial.com")
    results = [ProbeResult(c, Verdict.NO_SUCH_HOST) for c in plan.candidates]
    halves = conclude_halves(plan, results)
    assert halves.receiving is not None
    (check_address,) = halves.receiving.next_steps
    assert "check your email address for typos" in check_address
    assert halves.sending.next_steps == ("The same as for receiving mail, above.",)
    page = [halves.receiving.headline, halves.receiving.note]
    page += [halves.sending.headline, halves.sending.note]
    lines = [line for text in page for line in text.splitlines() if line != "What to do next:"]
    assert len(lines) == len(set(lines)), lines


def test_a_password_refused_on_both_halves_says_what_to_do_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Both servers refused the password: each half says where and why, and "go Back to the
    Sign-in step" is said once, at the end of the password's story (it was said twice)."""
    from assistant.core.models import AuthOutcome, ProbeResult, Reply, Verdict

    plan = _cli_plan(
        capsys, "ana@example.com", "--host", "mail.example.com", "--ports", "465,imap:993/tls"
    )
    assert isinstance(plan, Plan)
    results = []
    for c in plan.candidates:
        result = ProbeResult(c, Verdict.ENCRYPTED_IMPLICIT, auth=AuthOutcome.WRONG_PASSWORD)
        result.evidence.certificate_verified = True
        result.evidence.auth_reply = Reply(535, ("Authentication failed",), "")
        results.append(result)
    halves = conclude_halves(plan, results, password_given=True)
    assert halves.receiving is not None
    told = [halves.receiving.sign_in, halves.sending.sign_in]
    assert all(story is not None for story in told)
    text = " ".join(story.text for story in told if story is not None)
    assert text.count("go Back to the Sign-in step") == 1
    assert text.rstrip().endswith("go Back to the Sign-in step and test again.")
    assert text.count("did not work") == 2  # each half still says where it was refused


def test_a_typed_outgoing_server_still_finds_the_providers_receiving_servers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The field asks for the outgoing server. Typing `smtp.gmail.com` tests it for both halves as
    before, and the bundled list's documented IMAP and POP3 servers beside it (offline), so the
    receiving half is not judged on the outgoing server's name alone."""
    from assistant.core.models import ProbeResult, Verdict

    cli_plan = _cli_plan(capsys, "me@gmail.com", "--host", "smtp.gmail.com")
    wizard_plan = _wizard_plan("me@gmail.com", ("smtp.gmail.com",))
    assert _keys(cli_plan) == _keys(wizard_plan)
    assert isinstance(cli_plan, Plan)
    keys = _keys(cli_plan)
    assert keys[0] == "smtp:smtp.gmail.com:465/tls" and "imap:smtp.gmail.com:993/tls" in keys
    assert keys[-2:] == ["imap:imap.gmail.com:993/tls", "pop3:pop.gmail.com:995/tls"]
    documented = [c for c in cli_plan.candidates if c.host == "imap.gmail.com"]
    assert documented and all(c.trusted for c in documented)
    results = [
        ProbeResult(
            c,
            Verdict.ENCRYPTED_IMPLICIT
            if c.host != "smtp.gmail.com" or c.protocol.value == "smtp"
            else Verdict.REFUSED,
        )
        for c in cli_plan.candidates
    ]
    halves = conclude_halves(cli_plan, results)
    assert halves.receiving is not None and halves.receiving.recommendation is not None
    assert halves.receiving.recommendation.candidate.host == "imap.gmail.com"
    # Nothing is added when the ports were chosen.
    chosen = _cli_plan(capsys, "me@gmail.com", "--host", "smtp.gmail.com", "--ports", "465")
    assert _keys(chosen) == ["smtp:smtp.gmail.com:465/tls"]


def test_a_typed_server_of_the_own_domain_brings_the_domains_usual_receiving_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """For a domain the bundled list does not know, typing `smtp.mycompany.test` used to leave the
    receiving half to that one name ("No safe way to receive mail was found" when IMAP lives on
    imap.mycompany.test). The domain's usual receiving names are tried beside it, as discovery
    guesses them, trusted as names under the person's own domain. A typed server outside the
    domain (a hosting company's) brings no guesses: it says nothing about the domain's names."""
    from assistant.core.models import ProbeResult, Verdict

    cli_plan = _cli_plan(capsys, "me@mycompany.test", "--host", "smtp.mycompany.test")
    assert isinstance(cli_plan, Plan)
    assert _keys(cli_plan) == _keys(_wizard_plan("me@mycompany.test", ("smtp.mycompany.test",)))
    receiving = [c for c in cli_plan.candidates if c.protocol is not Protocol.SMTP]
    hosts = list(dict.fromkeys(c.host for c in receiving))
    assert hosts == [
        "smtp.mycompany.test",
        "imap.mycompany.test",
        "mail.mycompany.test",
        "mycompany.test",
        "pop.mycompany.test",
        "pop3.mycompany.test",
    ]
    assert all(c.trusted for c in receiving)
    assert {c.source for c in receiving if c.host != "smtp.mycompany.test"} == {NameSource.GUESS}
    assert len({c.key for c in cli_plan.candidates}) == len(cli_plan.candidates)  # none twice
    results = [
        ProbeResult(
            c,
            Verdict.ENCRYPTED_IMPLICIT
            if c.protocol is Protocol.SMTP or c.host == "imap.mycompany.test"
            else Verdict.NO_SUCH_HOST,
        )
        for c in cli_plan.candidates
    ]
    halves = conclude_halves(cli_plan, results)
    assert halves.receiving is not None and halves.receiving.recommendation is not None
    assert halves.receiving.recommendation.candidate.key == "imap:imap.mycompany.test:993/tls"
    elsewhere = _cli_plan(capsys, "me@mycompany.test", "--host", "smtp.hosting.test")
    assert isinstance(elsewhere, Plan)
    assert {c.host for c in elsewhere.candidates} == {"smtp.hosting.test"}


def test_the_wizard_words_time_outs_with_the_limit_its_probes_used() -> None:
    """A settings factory with its own limit (the demo's 4 s, the benchmark's 2 s) and no
    `timeout` given: the cards said "10 seconds" while every probe stopped at the factory's."""
    from assistant.core.models import Detail, ProbeResult, Verdict
    from assistant.core.probe import ProbeSettings

    state = WizardState(
        settings_factory=lambda: ProbeSettings(timeout=4.0), ports=parse_ports("465")
    )
    state.parsed = parse("ana@example.com")
    state.typed_servers = [parse_server("mail.example.com")]
    assert state.probe_settings().timeout == state.time_limit == 4.0
    (candidate,) = state.plan().candidates
    silent = ProbeResult(candidate, Verdict.NOT_MAIL_SERVER, Detail.NO_GREETING)
    (card,) = state.conclude([silent]).cards
    assert "even after 4 seconds" in card.explanation.meaning
    assert "10 seconds" not in " ".join(card.sentences)


def test_a_guess_beside_a_typed_server_that_does_not_exist_is_no_typo_to_check(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The typed smtp.mycompany.test answers but has no IMAP or POP3, and the domain's usual
    receiving names do not exist: the advice is to ask for the incoming server, not to "check the
    server name for typos" (the name typed was right; the guesses just missed)."""
    from assistant.core.models import ProbeResult, Verdict

    plan = _cli_plan(capsys, "me@mycompany.test", "--host", "smtp.mycompany.test")
    assert isinstance(plan, Plan)

    def verdict(c: Candidate) -> Verdict:
        if c.protocol is Protocol.SMTP:
            return Verdict.ENCRYPTED_IMPLICIT
        return Verdict.REFUSED if c.host == "smtp.mycompany.test" else Verdict.NO_SUCH_HOST

    results = [ProbeResult(c, verdict(c)) for c in plan.candidates]
    halves = conclude_halves(plan, results, audience=Audience.CLI)
    assert halves.receiving is not None and halves.receiving.recommendation is None
    steps = halves.receiving.next_steps
    assert not any("typos" in step for step in steps), steps
    assert any("incoming (IMAP or POP3) server" in step for step in steps), steps
    # The typed name itself not existing still says to check it.
    missing = [ProbeResult(c, Verdict.NO_SUCH_HOST) for c in plan.candidates]
    told = conclude_halves(plan, missing, audience=Audience.CLI).receiving
    assert told is not None
    assert "Check the server name (--host) for typos." in told.next_steps
    # The typed name keeps a card of its own; the usual names that missed share one.
    assert [c.where for c in told.cards] == [
        "smtp.mycompany.test, ports 993, 143, 995, 110",
        "imap.mycompany.test, mail.mycompany.test, mycompany.test, pop.mycompany.test, "
        "pop3.mycompany.test",
    ]
    assert [c.explanation.headline for c in told.cards] == [
        "This server name does not exist (a typo, or the wrong name).",
        "No server has any of these names: they are the usual names tried for your domain.",
    ]
