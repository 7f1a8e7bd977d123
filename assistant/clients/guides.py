"""Loading client guides from `resources/clients/` and filling them with a tested setting."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.core.models import ProbeResult, Protocol, Security, Verdict
from assistant.i18n import Translate, gettext, pgettext
from assistant.marks import strip_marks
from assistant.resources import resources_dir

FIELD_KINDS = ("value", "choice", "instruction")
SECURITY_KEYS = (Security.IMPLICIT_TLS, Security.STARTTLS, Security.PLAIN)
"""The settings a guide maps to its program's words (the same spelling as everywhere else)."""


class GuideError(ValueError):
    """A guide file is malformed (a packaging or editing mistake, not something a user caused)."""


class UnsupportedSetting(ValueError):
    """This program cannot be set up with this setting (e.g. new Outlook and an unencrypted server)."""


@dataclass(frozen=True, slots=True)
class SendSetting:
    """What the person should type: the outgoing server that was tested."""

    host: str
    port: int
    security: Security  # one of SECURITY_KEYS
    username: str
    sign_in: bool = True
    oauth: str = ""
    """The provider's own sign-in window: an account kind from the provider data
    ("microsoft-consumer", "microsoft-work", "google"), or "" for a password."""
    protocol: Protocol = Protocol.SMTP
    """SMTP for the sending half; IMAP or POP3 for the receiving half (`render_fields` picks the half)."""

    def __post_init__(self) -> None:
        if self.security not in SECURITY_KEYS:
            raise ValueError(f"unknown security {self.security!r}")

    @property
    def oauth_family(self) -> str:
        """ "microsoft" for both kinds of Microsoft account, "google" for Google."""
        return self.oauth.split("-", 1)[0]


@dataclass(frozen=True, slots=True)
class AccountGuide:
    """How a program adds an account of the provider's own type (Microsoft Exchange, Google …):
    steps only, no server fields, because the program signs in with the provider's window."""

    steps: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GuideField:
    label: str
    value: str
    kind: str = "value"
    note: str = ""


@dataclass(frozen=True, slots=True)
class ServerPart:
    """One half of a program's screen, sending or receiving: its own heading, labels and order,
    and its words for the security and sign-in choices. One type for both halves, so that one
    renderer fills either (the two used to be a guide's own fields and an `IncomingPart`, each
    with its own renderer).

    In the guide files the sending half is the top level and the receiving half `incoming`, whose
    `security` and `auth` default to the sending half's when left out. `protocol` is how the
    program names IMAP and POP3 ("POP" in Outlook); empty for the sending half, always SMTP."""

    section: str
    fields: tuple[GuideField, ...]
    security: dict[str, str | None]
    auth: dict[str, str]
    protocol: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ClientGuide:
    id: str
    name: str
    order: int
    steps: tuple[str, ...]
    edit_steps: tuple[str, ...]
    outgoing: ServerPart
    notes: tuple[str, ...]
    verified: bool
    accounts: dict[str, AccountGuide] = field(default_factory=dict)
    oauth_notes: tuple[str, ...] = ()
    incoming: ServerPart | None = None
    """The receiving half, shown before the sending half as every program asks for it."""

    def part(self, protocol: Protocol) -> ServerPart | None:
        """The half of the screen where a setting of this protocol is typed."""
        return self.incoming if protocol.incoming else self.outgoing

    def account_for(self, setting: SendSetting) -> AccountGuide | None:
        """The provider's own account type in this program, if it has one for this setting."""
        if not setting.oauth:
            return None
        return self.accounts.get(setting.oauth) or self.accounts.get(setting.oauth_family)

    unverified: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def supports(self, setting: SendSetting) -> bool:
        if self.account_for(setting) is not None:
            return True
        part = self.part(setting.protocol)
        return part is not None and part.security.get(setting.security) is not None

    def tr(self, text: str) -> str:
        """This program's own words for `text` in the current language (the catalogs hold each
        guide's words under its id, because each program names the same thing its own way)."""
        return pgettext("client:" + self.id, text)

    def unconfirmed_labels(self, language: str) -> tuple[str, ...]:
        """Labels whose wording in `language` could not be confirmed against the real program."""
        return self.unverified.get(language, ())


@dataclass(frozen=True, slots=True)
class RenderedField:
    label: str
    value: str
    kind: str
    note: str

    @property
    def copyable(self) -> bool:
        return self.kind == "value"


def oauth_account_for_host(host: str) -> str:
    """The provider's sign-in kind for an outgoing server of the bundled provider list ("" if none).

    Looked up by host, so a guide is right whichever way the server was found (provider list, MX,
    a profile or typed by hand): smtp.office365.com is Microsoft 365, whoever named it."""
    host = host.lower().rstrip(".")
    return _oauth_hosts().get(host, "")


@lru_cache(maxsize=1)
def _oauth_hosts() -> dict[str, str]:
    from assistant.resources import load_json

    hosts: dict[str, str] = {}
    for provider in load_json("providers/providers.json")["providers"]:
        kind = provider.get("oauth")
        if kind:
            for server in (*provider["smtp"], *provider.get("incoming", ())):
                hosts.setdefault(str(server["host"]).lower(), str(kind))
    return hosts


def setting_from_result(
    result: ProbeResult, username: str, oauth: str | None = None
) -> SendSetting:
    """The setting to type for a tested candidate (plain text only for PLAINTEXT_ONLY results).

    `username` is the one the outcome chose: the one that signed in, else the provider's form.
    `oauth` is the provider's sign-in kind when the caller knows it; by default it is found from
    the server's name in the provider list. An IMAP or POP3 result gives the receiving half."""
    security = {
        Verdict.ENCRYPTED_IMPLICIT: Security.IMPLICIT_TLS,
        Verdict.ENCRYPTED_STARTTLS: Security.STARTTLS,
        Verdict.PLAINTEXT_ONLY: Security.PLAIN,
    }.get(result.verdict)
    if security is None:
        raise UnsupportedSetting(f"{result.verdict.value} is not a setting anyone should type")
    ev = result.evidence
    protocol = result.candidate.protocol
    offered = ev.auth_mechanisms if security is not Security.PLAIN else ev.auth_before_tls
    # A server that says nothing about sign-in is still most likely to want one; a mailbox
    # (IMAP, POP3) always does.
    sign_in = protocol.incoming or bool(offered) or not (ev.ehlo_after_tls or ev.ehlo_before_tls)
    kind = oauth_account_for_host(result.candidate.host) if oauth is None else oauth
    host, port = result.candidate.host, result.candidate.port
    return SendSetting(host, port, security, username, sign_in, kind, protocol)


def _field(raw: Any, where: str) -> GuideField:
    if not isinstance(raw, dict) or not isinstance(raw.get("label"), str):
        raise GuideError(f"{where}: each field needs a label")
    kind = raw.get("kind", "value")
    if kind not in FIELD_KINDS:
        raise GuideError(f"{where}: kind must be one of {FIELD_KINDS}")
    return GuideField(raw["label"], str(raw.get("value", "")), kind, str(raw.get("note", "")))


def parse_guide(data: Any, where: str = "guide") -> ClientGuide:
    if not isinstance(data, dict):
        raise GuideError(f"{where}: not a JSON object")
    try:
        security = data["security"]
        if set(security) != {k.value for k in SECURITY_KEYS}:
            raise GuideError(f"{where}: security must map exactly {SECURITY_KEYS}")
        return ClientGuide(
            id=str(data["id"]),
            name=str(data["name"]),
            order=int(data.get("order", 100)),
            steps=tuple(str(s) for s in data["steps"]),
            edit_steps=tuple(str(s) for s in data.get("edit_steps", ())),
            outgoing=ServerPart(
                section=str(data.get("section", "")),
                fields=tuple(_field(f, where) for f in data["fields"]),
                security={k: (None if v is None else str(v)) for k, v in security.items()},
                auth={k: str(v) for k, v in data.get("auth", {}).items()},
            ),
            notes=tuple(str(n) for n in data.get("notes", ())),
            verified=bool(data.get("verified", True)),
            unverified={
                str(lang): tuple(str(x) for x in labels)
                for lang, labels in data.get("unverified", {}).items()
            },
            accounts=_accounts(data.get("accounts", {}), where),
            oauth_notes=tuple(str(n) for n in data.get("oauth_notes", ())),
            incoming=_incoming(data.get("incoming"), security, data.get("auth", {}), where),
        )
    except KeyError as exc:
        raise GuideError(f"{where}: missing {exc.args[0]!r}") from None


def _incoming(raw: Any, security: Any, auth: Any, where: str) -> ServerPart | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw.get("fields"):
        raise GuideError(f"{where}: incoming needs fields")
    own = raw.get("security", security)
    if set(own) != {k.value for k in SECURITY_KEYS}:
        raise GuideError(f"{where}: incoming.security must map exactly {SECURITY_KEYS}")
    protocol = raw.get("protocol", {})
    if set(protocol) != {Protocol.IMAP.value, Protocol.POP3.value}:
        raise GuideError(f"{where}: incoming.protocol must name imap and pop3")
    return ServerPart(
        section=str(raw.get("section", "")),
        fields=tuple(_field(f, f"{where} incoming") for f in raw["fields"]),
        security={k: (None if v is None else str(v)) for k, v in own.items()},
        auth={k: str(v) for k, v in raw.get("auth", auth).items()},
        protocol={k: str(v) for k, v in protocol.items()},
    )


ACCOUNT_KEYS = ("microsoft", "microsoft-consumer", "microsoft-work", "google")


def _accounts(raw: Any, where: str) -> dict[str, AccountGuide]:
    if not isinstance(raw, dict):
        raise GuideError(f"{where}: accounts must be an object")
    accounts = {}
    for key, value in raw.items():
        if key not in ACCOUNT_KEYS:
            raise GuideError(f"{where}: accounts.{key} is not one of {ACCOUNT_KEYS}")
        if not isinstance(value, dict) or not value.get("steps"):
            raise GuideError(f"{where}: accounts.{key} needs steps")
        accounts[key] = AccountGuide(
            steps=tuple(str(s) for s in value["steps"]),
            notes=tuple(str(n) for n in value.get("notes", ())),
        )
    return accounts


def for_setting(guide: ClientGuide, setting: SendSetting) -> ClientGuide:
    """The guide as it applies to this setting.

    For an account with the provider's own sign-in window (Outlook.com, Microsoft 365, Gmail) a
    program that knows the provider's account type gets only those steps and no server fields, so
    nobody types IMAP settings for a Microsoft 365 mailbox by hand; a program that is set up with
    server fields (Thunderbird) gets them with its OAuth2 choice and a note about the window."""
    account = guide.account_for(setting)
    if account is not None:
        return replace(
            guide,
            steps=account.steps,
            edit_steps=(),
            outgoing=replace(guide.outgoing, section="", fields=()),
            notes=account.notes,
            incoming=None,
        )
    if setting.oauth and guide.oauth_notes:
        return replace(guide, notes=guide.oauth_notes + guide.notes)
    return guide


def load_guides(directory: Path | None = None) -> list[ClientGuide]:
    """Every guide in the folder, in display order."""
    return list(_load(directory or resources_dir() / "clients"))


@lru_cache(maxsize=4)
def _load(directory: Path) -> tuple[ClientGuide, ...]:
    guides = []
    for path in sorted(directory.glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            guides.append(parse_guide(json.load(handle), path.name))
    return tuple(sorted(guides, key=lambda g: (g.order, g.name)))


def render_fields(
    guide: ClientGuide, setting: SendSetting, tr: Translate | None = None
) -> list[RenderedField]:
    """Each field of the half this setting belongs to (receiving for IMAP and POP3, else sending),
    with this program's label and the value to type or choose, in the current language and this
    program's own words unless `tr` says otherwise. None for a program without that half, or that
    adds this provider's own account type (see `for_setting`)."""
    tr = tr or guide.tr
    part = guide.part(setting.protocol)
    if part is None or guide.account_for(setting) is not None:
        return []
    security = part.security.get(setting.security)
    if security is None:
        raise UnsupportedSetting(guide.id)
    name = setting.protocol.value
    facts = {
        "protocol": tr(part.protocol.get(name, name.upper())),
        "host": setting.host,
        "port": str(setting.port),
        "username": setting.username,
        "security": tr(security),
        "auth": tr(part.auth.get(_auth_key(setting, part.auth), "")),
    }
    return [
        RenderedField(
            tr(item.label).format(**facts),  # "{protocol} Incoming Server" in new Outlook
            tr(item.value).format(**facts) if item.value else "",
            item.kind,
            tr(item.note) if item.note else "",
        )
        for item in part.fields
    ]


def _auth_key(setting: SendSetting, auth: dict[str, str]) -> str:
    if setting.oauth and "oauth2" in auth:
        return "oauth2"
    return "password" if setting.sign_in else "none"


def render_text(
    guide: ClientGuide,
    setting: SendSetting | None,
    tr: Translate | None = None,
    incoming: SendSetting | None = None,
    incoming_note: str = "",
) -> str:
    """The whole guide as plain text: for "Copy all" and for anyone pasting it into an email
    (glossary marks become their plain words). Both halves when `incoming` (the tested IMAP or
    POP3 setting) is given, receiving first; `incoming_note` goes under that half, as the sheet
    has it ("From your provider; not tested on this computer.")."""
    decides = setting if setting is not None else incoming
    assert decides is not None, "a guide needs at least one half"
    text = _render_text(
        for_setting(guide, decides), setting, tr or guide.tr, incoming, incoming_note
    )
    return strip_marks(text)


def _render_text(
    guide: ClientGuide,
    setting: SendSetting | None,
    tr: Translate,
    incoming: SendSetting | None,
    incoming_note: str,
) -> str:
    title = (
        gettext("Settings for {program}")
        if incoming is not None
        else gettext("Sending settings for {program}")
    )
    lines = [title.format(program=tr(guide.name)), ""]
    lines += [f"{n}. {tr(step)}" for n, step in enumerate(guide.steps, 1)]
    lines.append("")
    if incoming is not None and (block := _part_lines(guide, incoming, tr)):
        lines += [*block, *([incoming_note] if incoming_note else []), ""]
    if setting is not None:
        lines += _part_lines(guide, setting, tr)
    if guide.edit_steps:
        lines.append("")
        lines += [tr(step) for step in guide.edit_steps]
    for note in guide.notes:
        lines.append("")
        lines.append(tr(note))
    return "\n".join(lines) + "\n"


def _part_lines(guide: ClientGuide, setting: SendSetting, tr: Translate) -> list[str]:
    """One half as text: its heading, then "  Label: value" per field."""
    part = guide.part(setting.protocol)
    if part is None:
        return []
    lines = [tr(part.section)] if part.section else []
    fields = render_fields(guide, setting, tr)
    return lines + [f"  {item.label.rstrip(':')}: {item.value}" for item in fields]
