"""Finding the provider while the address is typed, and the company (IT) profile."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from assistant.discovery import DiscoveryOptions
from assistant.gui.app import gui_options
from assistant.gui.state import PageId
from tests.gui.conftest import ADDRESS, MakeWizard, go_to_testing, wait_for_run
from tests.servers import Loopback
from tests.servers.farm import MAIL_HOST


def test_gmail_is_recognised_offline_and_its_servers_are_the_ones_tested(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    # Nothing leaves this machine: offline discovery, and smtp.gmail.com resolves to loopback
    # (where nothing listens on 465/587, so those rows end as "Not offered").
    loopback.map_name("smtp.gmail.com")
    wizard = make_wizard([], hosts=[])
    wizard.next()
    with qtbot.waitSignal(wizard.discovery.finished, timeout=5_000):
        qtbot.keyClicks(wizard.address.address, "someone@gmail.com")
    page = wizard.address
    assert page.provider_line.isVisible()
    assert page.provider_line.text() == (
        "Looks like Gmail — found in the list of providers built into this program."
    )
    info = page.servers_info.plain_text()
    assert "app password" in info  # the provider's special requirement
    # Each half's names, not all of them called "the outgoing server".
    assert info.endswith(
        "We will test the servers it names:\n"
        "Receiving mail: imap.gmail.com, pop.gmail.com\n"
        "Sending mail: smtp.gmail.com"
    )
    wizard.next()
    assert wizard.page_id() is PageId.SIGN_IN
    assert "Google does not accept your normal password" in wizard.sign_in.advice.plain_text()
    wizard.next()
    assert wizard.page_id() is PageId.TESTING
    # Both halves, receiving first, each from the provider list (nothing listens: NO_SUCH_HOST).
    assert wizard.testing.group_titles() == ["Receiving (IMAP or POP3)", "Sending (SMTP)"]
    assert wizard.testing.candidates_shown(incoming=True) == [
        ("imap.gmail.com", "IMAP 993 (SSL/TLS)"),
        ("pop.gmail.com", "POP3 995 (SSL/TLS)"),
    ]
    assert wizard.testing.candidates_shown(incoming=False) == [
        ("smtp.gmail.com", "465 (SSL/TLS)"),
        ("smtp.gmail.com", "587 (STARTTLS)"),
    ]
    assert all(c.documented for c in wizard.state.candidates())
    wizard.testing.stop()


def test_untrusted_or_unknown_domains_fall_back_to_guesses(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = make_wizard([], hosts=[])
    wizard.next()
    with qtbot.waitSignal(wizard.discovery.finished, timeout=5_000):
        qtbot.keyClicks(wizard.address.address, "bob@small-office.example")
    assert not wizard.address.provider_line.isVisible()
    assert wizard.address.servers_info.plain_text() == (
        "We will try the usual server names for small-office.example (a guess from your address):\n"
        "Receiving mail: imap.small-office.example, mail.small-office.example, "
        "small-office.example, pop.small-office.example, pop3.small-office.example\n"
        "Sending mail: smtp.small-office.example, mail.small-office.example, small-office.example"
    )


def test_a_stale_lookup_is_dropped_when_the_address_changes(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    release = threading.Event()
    calls: list[int] = []

    def slow_first() -> DiscoveryOptions:  # called on the discovery thread
        calls.append(1)
        if len(calls) == 1:
            release.wait(10)
        return DiscoveryOptions(offline=True)

    wizard = make_wizard([], hosts=[], discovery_options=slow_first)
    wizard.next()
    wizard.address.address.setText("someone@gmail.com")
    wizard.address.look_up_now()
    assert wizard.discovery.pending_for("someone@gmail.com")
    qtbot.waitUntil(lambda: len(calls) == 1)  # the Gmail lookup is the one held back
    assert "Looking up the settings for gmail.com" in wizard.address.servers_info.plain_text()
    with qtbot.waitSignal(wizard.discovery.finished, timeout=5_000) as answer:
        wizard.address.address.setText("someone@yahoo.com")
        wizard.address.look_up_now()
    assert answer.args[0].found.config.name == "Yahoo Mail"
    dropped = wizard.discovery.dropped
    release.set()  # the Gmail answer now arrives late
    qtbot.waitUntil(lambda: wizard.discovery.dropped == dropped + 1, timeout=5_000)
    assert "Yahoo Mail" in wizard.address.provider_line.text()
    assert wizard.state.discovery is not None and wizard.state.discovery.found is not None
    assert wizard.state.discovery.found.config.name == "Yahoo Mail"


def test_next_before_the_lookup_ends_waits_on_the_testing_page_not_in_the_window(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    release = threading.Event()

    def slow() -> DiscoveryOptions:
        release.wait(10)
        return DiscoveryOptions(offline=True)

    loopback.map_name("smtp.gmail.com")
    wizard = make_wizard([], hosts=[], discovery_options=slow)
    wizard.next()
    qtbot.keyClicks(wizard.address.address, "someone@gmail.com")
    wizard.next()  # at once: the lookup starts now and the window does not wait for it
    wizard.next()
    assert wizard.page_id() is PageId.TESTING
    assert "Looking up the settings for gmail.com" in wizard.testing.summary.text()
    assert wizard.testing.row_count() == 0 and not wizard.testing.isComplete()
    release.set()
    qtbot.waitUntil(lambda: wizard.testing.row_count() == 4, timeout=5_000)  # IMAP, POP3, SMTP×2
    wizard.testing.stop()


def _profile(tmp_path: Path, **data: object) -> str:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_profile_prepared_by_its_servers_programs_and_support_contact(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, tmp_path: Path
) -> None:
    closed = loopback.closed()
    profile = _profile(
        tmp_path,
        company="Smile Dental",
        support={"name": "Dana", "email": "it@smile.example", "phone": "555 0100"},
        servers=[{"host": MAIL_HOST, "port": closed.port, "security": "starttls"}],
        mail_programs=["thunderbird", "outlook-classic"],
    )
    wizard = make_wizard([], hosts=[], profile_path=profile)
    assert wizard.welcome.prepared_by.isVisible()
    assert wizard.welcome.prepared_by.text().startswith("Prepared by Smile Dental IT")
    assert "it@smile.example" in wizard.welcome.prepared_by.text()
    assert not wizard.welcome.profile_problem.isVisible()
    assert [g.id for g in wizard.settings.guides] == ["thunderbird", "outlook-classic"]
    go_to_testing(qtbot, wizard)
    assert "as set up by Smile Dental IT" in wizard.address.servers_info.plain_text()
    assert wizard.discovery.address is None  # IT named the server: nothing is looked up
    assert wizard.testing.candidates_shown() == [(MAIL_HOST, f"{closed.port} (STARTTLS)")]
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert wizard.results.support.isVisible()
    assert wizard.results.support.text() == (
        "Need help? Ask Smile Dental IT: Dana, it@smile.example, 555 0100."
    )


def test_profile_allowed_ports_and_no_contact_when_all_is_well(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, tmp_path: Path
) -> None:
    tls = loopback.implicit_tls()
    closed = loopback.closed()
    profile = _profile(tmp_path, company="Smile Dental", allowed_ports=[tls.port])
    wizard = make_wizard([tls, closed], profile_path=profile)
    go_to_testing(qtbot, wizard)
    assert wizard.testing.candidates_shown() == [(MAIL_HOST, f"{tls.port} (SSL/TLS)")]
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert not wizard.results.support.isVisible()


def test_a_bad_profile_says_what_is_wrong_and_the_assistant_still_works(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, tmp_path: Path
) -> None:
    profile = _profile(tmp_path, company="Smile Dental", allowed_ports=["465"])
    wizard = make_wizard([loopback.implicit_tls()], profile_path=profile)
    problem = wizard.welcome.profile_problem
    assert problem.isVisible()
    assert "“allowed_ports[0]” must be a port number" in problem.text()
    assert "works normally without it" in problem.text()
    assert not wizard.welcome.prepared_by.isVisible()
    go_to_testing(qtbot, wizard)
    wait_for_run(qtbot, wizard)
    assert wizard.state.recommendation is not None


def test_run_gui_takes_profile_and_leaves_the_rest_to_qt() -> None:
    assert gui_options(["--profile", "it.json", "--lang", "es", "-style", "fusion"]) == (
        "it.json",
        "es",
        ["-style", "fusion"],
    )
    assert gui_options([]) == (None, None, [])


def test_profile_naming_a_provider_wins_over_the_lookup(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, tmp_path: Path
) -> None:
    profile = _profile(tmp_path, company="Smile Dental", provider="gmail", online_lookup=False)
    wizard = make_wizard([], hosts=[], profile_path=profile)
    assert "Thunderbird's public list" not in wizard.welcome.labels[2].plain_text()  # switched off
    wizard.next()
    with qtbot.waitSignal(wizard.discovery.finished, timeout=5_000):
        qtbot.keyClicks(wizard.address.address, ADDRESS)
    assert wizard.address.provider_line.text() == (
        "Looks like Gmail — found in your IT department's profile."
    )
    assert {c.host for c in wizard.state.candidates()} == {
        "imap.gmail.com",
        "pop.gmail.com",
        "smtp.gmail.com",
    }


def test_profile_allowing_none_of_the_ports_tests_nothing_and_says_so(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, tmp_path: Path
) -> None:
    """The same answer as `mailsetup check` (tests/unit/test_plan.py): nothing is tested."""
    tls = loopback.implicit_tls()
    profile = _profile(tmp_path, company="Smile Dental", allowed_ports=[tls.port + 1])
    wizard = make_wizard([tls], profile_path=profile)
    go_to_testing(qtbot, wizard)
    assert wizard.testing.summary.text() == "The company profile allows none of these ports."
    assert wizard.testing.row_count() == 0
    assert wizard.bridge.run is None  # no run was started
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()


def test_a_profile_with_a_receiving_server_is_tested_for_both_halves(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, tmp_path: Path
) -> None:
    """IT presets the IMAP server as well: the address page says "the servers", the testing page
    shows it in the receiving group, and the results page has a receiving recommendation."""
    from tests.servers.scripted_incoming import ImapScript, imap_handler

    smtp = loopback.implicit_tls()
    ctx = loopback.pki.server_context(MAIL_HOST)
    imaps = loopback.scripted(imap_handler(ImapScript(tls_context=ctx, implicit_tls=True)))
    profile = _profile(
        tmp_path,
        company="Smile Dental",
        servers=[
            {"host": MAIL_HOST, "port": smtp.port, "security": "tls"},
            {"host": MAIL_HOST, "port": imaps.port, "security": "tls", "protocol": "imap"},
        ],
    )
    wizard = make_wizard([], hosts=[], profile_path=profile)
    go_to_testing(qtbot, wizard)
    assert wizard.address.servers_info.plain_text() == (
        f"We will test {MAIL_HOST}, as set up by Smile Dental IT."
    )
    assert wizard.testing.candidates_shown(incoming=True) == [
        (MAIL_HOST, f"IMAP {imaps.port} (SSL/TLS)")
    ]
    assert wizard.testing.candidates_shown(incoming=False) == [
        (MAIL_HOST, f"{smtp.port} (SSL/TLS)")
    ]
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert wizard.results.incoming_recommendation.text().startswith(
        f"Receive with IMAP: use {MAIL_HOST}, port {imaps.port}"
    )
