"""Loading client guides from `resources/clients/` and filling them with a tested setting."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.core.models import ProbeResult, Security, Verdict
from assistant.i18n import gettext, pgettext
from assistant.marks import strip_marks
from assistant.resources import resources_dir

Translate = Callable[[str], str]

FIELD_KINDS = ("value", "choice", "instruction")
SECURITY_KEYS = (Security.IMPLICIT_TLS, Security.STARTTLS, Security.PLAIN)
"""The settings a guide maps to its program's words (the same spelling as everywhere else)."""


def _same(text: str) -> str:
    """The default translation: a guide's own words (ClientGuide.tr) where a guide is at hand."""
    return gettext(text)


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

    def __post_init__(self) -> None:
        if self.security not in SECURITY_KEYS:
            raise ValueError(f"unknown security {self.security!r}")


@dataclass(frozen=True, slots=True)
class GuideField:
    label: str
    value: str
    kind: str = "value"
    note: str = ""


@dataclass(frozen=True, slots=True)
class ClientGuide:
    id: str
    name: str
    order: int
    steps: tuple[str, ...]
    edit_steps: tuple[str, ...]
    section: str
    fields: tuple[GuideField, ...]
    security: dict[str, str | None]
    auth: dict[str, str]
    notes: tuple[str, ...]
    verified: bool

    unverified: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def supports(self, setting: SendSetting) -> bool:
        return self.security.get(setting.security) is not None

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


def setting_from_result(result: ProbeResult, username: str) -> SendSetting:
    """The setting to type for a tested candidate (plain text only for PLAINTEXT_ONLY results).

    `username` is the one the outcome chose: the one that signed in, else the provider's form."""
    security = {
        Verdict.ENCRYPTED_IMPLICIT: Security.IMPLICIT_TLS,
        Verdict.ENCRYPTED_STARTTLS: Security.STARTTLS,
        Verdict.PLAINTEXT_ONLY: Security.PLAIN,
    }.get(result.verdict)
    if security is None:
        raise UnsupportedSetting(f"{result.verdict.value} is not a setting anyone should type")
    ev = result.evidence
    offered = ev.auth_mechanisms if security is not Security.PLAIN else ev.auth_before_tls
    # A server that says nothing about sign-in is still most likely to want one.
    sign_in = bool(offered) or not (ev.ehlo_after_tls or ev.ehlo_before_tls)
    return SendSetting(result.candidate.host, result.candidate.port, security, username, sign_in)


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
            section=str(data.get("section", "")),
            fields=tuple(_field(f, where) for f in data["fields"]),
            security={k: (None if v is None else str(v)) for k, v in security.items()},
            auth={k: str(v) for k, v in data.get("auth", {}).items()},
            notes=tuple(str(n) for n in data.get("notes", ())),
            verified=bool(data.get("verified", True)),
            unverified={
                str(lang): tuple(str(x) for x in labels)
                for lang, labels in data.get("unverified", {}).items()
            },
        )
    except KeyError as exc:
        raise GuideError(f"{where}: missing {exc.args[0]!r}") from None


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
    """Each field with this program's label and the value to type or choose (in the current
    language, in this program's own words, unless `tr` says otherwise)."""
    tr = tr or guide.tr
    security = guide.security.get(setting.security)
    if security is None:
        raise UnsupportedSetting(guide.id)
    facts = {
        "host": setting.host,
        "port": str(setting.port),
        "username": setting.username,
        "security": tr(security),
        "auth": tr(guide.auth.get("password" if setting.sign_in else "none", "")),
    }
    rendered = []
    for item in guide.fields:
        value = tr(item.value).format(**facts) if item.value else ""
        rendered.append(
            RenderedField(tr(item.label), value, item.kind, tr(item.note) if item.note else "")
        )
    return rendered


def render_text(guide: ClientGuide, setting: SendSetting, tr: Translate | None = None) -> str:
    """The whole guide as plain text: for "Copy all" and for anyone pasting it into an email
    (glossary marks become their plain words)."""
    text = _render_text(guide, setting, tr or guide.tr)
    return strip_marks(text)


def _render_text(guide: ClientGuide, setting: SendSetting, tr: Translate) -> str:
    lines = [gettext("Sending settings for {program}").format(program=tr(guide.name)), ""]
    lines += [f"{n}. {tr(step)}" for n, step in enumerate(guide.steps, 1)]
    lines.append("")
    if guide.section:
        lines.append(tr(guide.section))
    for item in render_fields(guide, setting, tr):
        lines.append(f"  {item.label.rstrip(':')}: {item.value}")
    if guide.edit_steps:
        lines.append("")
        lines += [tr(step) for step in guide.edit_steps]
    for note in guide.notes:
        lines.append("")
        lines.append(tr(note))
    return "\n".join(lines) + "\n"
