"""Where the app registration comes from: the IT profile's `oauth` object (HTTPS endpoints only,
friendly errors) or the build's registration; without either, one sentence says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.core.oauth_explain import SignInProblem, classify_error
from assistant.oauth.providers import client_for, unregistered_notice
from assistant.profile import ProfileError, load_profile

MS_AUTHORIZE = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize"
MS_TOKEN = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"


def _write(tmp_path: Path, oauth: object) -> Path:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({"company": "Contoso", "oauth": oauth}))
    return path


def _good() -> dict[str, object]:
    return {
        "authorization_endpoint": MS_AUTHORIZE,
        "token_endpoint": MS_TOKEN,
        "client_id": "0f0f0f0f-1111-2222-3333-444444444444",
        "scopes": ["https://outlook.office.com/SMTP.Send", "offline_access"],
        "tenant": "contoso.onmicrosoft.com",
    }


def test_a_profile_registration_is_used_with_its_tenant(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, _good()))
    assert profile.oauth is not None
    client = client_for("microsoft-work", profile.oauth, profile_name=profile.company)
    assert client is not None and client.provider == "Microsoft"
    assert client.authorization_endpoint == (
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"
    )
    assert client.scopes == ("https://outlook.office.com/SMTP.Send", "offline_access")
    own = client_for(None, profile.oauth, profile_name=profile.company)
    assert own is not None and own.provider == "Contoso"  # the profile's own servers


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"token_endpoint": "http://login.example.test/token"},
            "“oauth.token_endpoint” must be an https:// address",
        ),
        (
            {"authorization_endpoint": "https:///nohost"},
            "“oauth.authorization_endpoint” must be an https:// address",
        ),
        ({"client_id": ""}, "“oauth.client_id” must be the app's client id"),
        ({"scopes": []}, "“oauth.scopes” must be a list of scopes"),
        ({"scopes": "https://mail.google.com/"}, "“oauth.scopes” must be a list of scopes"),
        ({"secret": "x"}, "“oauth.secret” is not a field"),
    ],
)
def test_a_bad_registration_is_named_in_one_sentence(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    with pytest.raises(ProfileError, match=message):
        load_profile(_write(tmp_path, {**_good(), **change}))


def test_the_builds_registration_and_the_defaults_per_account_kind() -> None:
    registration = {
        "microsoft": {"client_id": "ms-id"},
        "google": {"client_id": "g-id", "client_secret": "g-secret"},
    }
    work = client_for("microsoft-work", registration=registration)
    home = client_for("microsoft-consumer", registration=registration)
    google = client_for("google", registration=registration)
    assert work is not None and "/organizations/oauth2/v2.0/token" in work.token_endpoint
    assert home is not None and "/consumers/oauth2/v2.0/authorize" in home.authorization_endpoint
    assert set(work.scopes) >= {
        "https://outlook.office.com/SMTP.Send",
        "https://outlook.office.com/IMAP.AccessAsUser.All",
        "https://outlook.office.com/POP.AccessAsUser.All",
        "offline_access",
    }
    assert google is not None and google.token_endpoint == "https://oauth2.googleapis.com/token"
    assert google.authorization_endpoint == "https://accounts.google.com/o/oauth2/v2/auth"
    assert "https://mail.google.com/" in google.scopes
    assert "g-secret" not in repr(google)


def test_the_repository_ships_no_registration_and_says_so() -> None:
    assert client_for("microsoft-work") is None and client_for("google") is None
    assert unregistered_notice("microsoft-consumer").startswith(
        "This copy of the assistant cannot test a sign-in with Microsoft"
    )
    assert unregistered_notice("") == ""


@pytest.mark.parametrize(
    ("error", "description", "problem"),
    [
        ("access_denied", "AADSTS65004: User declined to consent", SignInProblem.DENIED),
        ("invalid_grant", "AADSTS65001: consent", SignInProblem.CONSENT_REQUIRED),
        ("access_denied", "AADSTS50105: not assigned to a role", SignInProblem.APP_NOT_ALLOWED),
        (
            "invalid_request",
            "AADSTS50020: User account from identity provider does not exist in tenant",
            SignInProblem.OTHER_ORGANISATION,
        ),
        ("invalid_grant", "Bad Request", SignInProblem.INVALID_GRANT),
        (
            "invalid_grant",
            "AADSTS70008: The provided authorization code has expired",
            SignInProblem.INVALID_GRANT,
        ),
        ("admin_policy_enforced", "", SignInProblem.APP_NOT_ALLOWED),
        (
            "invalid_client",
            "AADSTS700016: Application not found in the directory",
            SignInProblem.NOT_REGISTERED,
        ),
        ("something_new", "", SignInProblem.OTHER),
    ],
)
def test_provider_errors_map_to_explained_problems(
    error: str, description: str, problem: SignInProblem
) -> None:
    assert classify_error(error, description) is problem


def test_every_problem_has_its_explanation_and_every_explanation_a_problem() -> None:
    from assistant.core.oauth_explain import problem_sentences
    from assistant.resources import load_json

    ids = [entry["id"] for entry in load_json("oauth.json")["refusals"]]
    assert sorted(ids) == sorted(p.value for p in SignInProblem)
    for problem in SignInProblem:
        text = " ".join(problem_sentences(problem, provider="Microsoft", address="a@x.test"))
        assert text and "{" not in text


@pytest.mark.parametrize(
    ("seconds", "english", "spanish"),
    [
        (300, "5 minutes", "5 minutos"),
        (1800, "30 minutes", "30 minutos"),
        (90, "90 seconds", "90 segundos"),
        (5, "5 seconds", "5 segundos"),
    ],
)
def test_the_sign_in_wait_is_said_as_a_person_says_it(
    seconds: float, english: str, spanish: str
) -> None:
    """`--sign-in-wait 5` used to be told as "within 0.0833333 minutes"."""
    from assistant import i18n
    from assistant.core.oauth_explain import wait_words

    assert wait_words(seconds) == english
    i18n.set_language("es")  # tests/conftest.py puts English back after each test
    assert wait_words(seconds) == spanish
