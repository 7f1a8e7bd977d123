"""What one source answers, and what a whole discovery run found.

Every answer keeps its origin and whether it can be trusted: a setting that came over plain http or
from DNS without DNSSEC could have been changed on the way, so the wizard shows where it came from
and the person (or IT) confirms it (DESIGN §6). Sources never raise: a failure is a `NetworkError`
value with a plain sentence, so one broken source cannot break the run.

The sentences (reasons, notes, where an answer came from) are kept as `Worded`: untranslated, with
their values apart, and worded in the person's language when they are shown (`reason`, `notes`,
`where` give that text; `mailsetup discover` prints it).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from assistant.core.address import ParsedAddress
from assistant.core.trust import NameSource
from assistant.discovery.model import ProviderConfig
from assistant.i18n import N_, Worded, gettext, word


class Origin(enum.StrEnum):
    """Where an answer came from, in the words the wizard and the report use."""

    PROFILE = "profile"
    DATABASE = "database"
    AUTOCONFIG = "autoconfig"
    WELL_KNOWN = "well-known"
    AUTOCONFIG_HTTP = "autoconfig-http"
    ISPDB = "ispdb"
    MX = "mx"
    SRV = "srv"
    GUESS = "guess"

    @property
    def local(self) -> bool:
        """The answer comes from what is on this computer (the IT profile, the built-in list, the
        usual names): no network is needed to give it."""
        return self in _LOCAL

    @property
    def priority(self) -> int:
        """Its place in the merge: lower wins when both found settings (DESIGN §6)."""
        return _PRIORITY[self]

    @property
    def description(self) -> str:
        """English (the JSON report keeps it so); the window shows it through `_()`."""
        return _ORIGIN_TEXT[self]

    @property
    def insecure_description(self) -> str:
        """The same source when its answer did not arrive over https all the way (a redirect to
        http, say): never called secure then."""
        return _INSECURE_TEXT.get(self, _ORIGIN_TEXT[self])


_ORIGIN_TEXT = {
    Origin.PROFILE: N_("your IT department's profile"),
    Origin.DATABASE: N_("the list of providers built into this program"),
    Origin.AUTOCONFIG: N_("your provider's own settings file (secure connection)"),
    Origin.WELL_KNOWN: N_("your domain's published settings file (secure connection)"),
    Origin.AUTOCONFIG_HTTP: N_("your provider's settings file over an insecure connection"),
    Origin.ISPDB: N_("Thunderbird's public provider database"),
    Origin.MX: N_("the domain's mail server records (DNS)"),
    Origin.SRV: N_("the domain's service records (DNS)"),
    Origin.GUESS: N_("usual server names (a guess)"),
}

# Lower wins the merge. Trusted answers come before untrusted ones; within each group the order of
# DESIGN §6 (and of Thunderbird's account setup) is kept.
_PRIORITY = {
    Origin.PROFILE: 10,
    Origin.DATABASE: 20,
    Origin.AUTOCONFIG: 30,
    Origin.WELL_KNOWN: 31,
    Origin.ISPDB: 40,
    Origin.MX: 50,
    Origin.AUTOCONFIG_HTTP: 55,
    Origin.SRV: 60,
    Origin.GUESS: 90,
}

_LOCAL = frozenset({Origin.PROFILE, Origin.DATABASE, Origin.GUESS})

_INSECURE_TEXT = {
    Origin.AUTOCONFIG: N_("your provider's settings file over an insecure connection"),
    Origin.WELL_KNOWN: N_("your domain's published settings file over an insecure connection"),
    Origin.ISPDB: N_("Thunderbird's public provider database over an insecure connection"),
}

# Where the server names of an answer came from, for the trust rule (assistant.core.trust).
_NAME_SOURCES = {
    Origin.PROFILE: NameSource.PROFILE,
    Origin.DATABASE: NameSource.DATABASE,
    Origin.AUTOCONFIG: NameSource.HTTPS_AUTOCONFIG,
    Origin.WELL_KNOWN: NameSource.HTTPS_AUTOCONFIG,
    Origin.ISPDB: NameSource.HTTPS_AUTOCONFIG,
    Origin.AUTOCONFIG_HTTP: NameSource.PLAIN_HTTP,
    Origin.MX: NameSource.DNS,
    Origin.SRV: NameSource.DNS,
    Origin.GUESS: NameSource.GUESS,
}


class ErrorKind(enum.StrEnum):
    TIMEOUT = "timeout"
    DNS = "dns"
    TLS = "tls"
    HTTP = "http"
    NETWORK = "network"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Found:
    """Settings were found. `place` is the URL or DNS name they came from (or a sentence naming
    it); `remarks` are notes for the person. Both are worded when shown: `where`, `notes`."""

    origin: Origin
    trusted: bool
    config: ProviderConfig
    place: str | Worded
    remarks: tuple[str | Worded, ...] = ()
    outside_domain: tuple[str, ...] = ()
    names_from: NameSource | None = None
    """Set by a source that knows better than its origin where the names came from (the MX
    source, when the MX led to a provider of the bundled database)."""

    @property
    def where(self) -> str:
        """Where the settings came from, in the current language (a URL stays a URL)."""
        return str(word(self.place))

    @property
    def notes(self) -> tuple[str, ...]:
        """The notes for the person, in the current language."""
        return tuple(str(word(remark)) for remark in self.remarks)

    @property
    def description(self) -> str:
        """Where the answer came from, in words that never call an insecure answer secure."""
        return self.origin.description if self.trusted else self.origin.insecure_description

    @property
    def name_source(self) -> NameSource:
        """Where this answer's server names came from, as the trust rule sees it: an https source
        whose answer was not https all the way counts as plain http."""
        if self.names_from is not None:
            return self.names_from
        source = _NAME_SOURCES[self.origin]
        if source is NameSource.HTTPS_AUTOCONFIG and not self.trusted:
            return NameSource.PLAIN_HTTP
        return source


class _NoAnswer:
    """What the two answers without settings share: `why` there are none, kept untranslated
    with its values apart and worded when read (`reason`)."""

    __slots__ = ()
    why: str | Worded

    @property
    def reason(self) -> str:
        """Why, in the current language."""
        return str(word(self.why))


@dataclass(frozen=True, slots=True)
class NotFound(_NoAnswer):
    """The source worked and has nothing for this address (`why`, in plain words)."""

    origin: Origin
    why: str | Worded


@dataclass(frozen=True, slots=True)
class NetworkError(_NoAnswer):
    """The source could not answer (time-out, DNS failure, bad certificate, broken file …)."""

    origin: Origin
    kind: ErrorKind
    why: str | Worded


SourceResult = Found | NotFound | NetworkError


class AnswerState(enum.StrEnum):
    ANSWERED = "answered"
    CANCELLED = "cancelled"  # a higher-priority source already won
    NOT_RUN = "not_run"  # switched off (offline, ISPDB off) or could never win


@dataclass(frozen=True, slots=True)
class SourceAnswer:
    """One source's line in the report: its answer, or why it has none. `title` and `note` are
    marked sentences (`N_`), translated where they are shown."""

    name: str
    title: str
    priority: int
    origin: Origin
    state: AnswerState
    result: SourceResult | None = None
    elapsed_ms: float = 0.0
    note: str = ""

    @property
    def found(self) -> Found | None:
        return self.result if isinstance(self.result, Found) else None

    def to_dict(self) -> dict[str, object]:
        doc: dict[str, object] = {
            "source": self.name,
            "title": self.title,
            "priority": self.priority,
            "origin": self.origin.value,
            "state": self.state.value,
            "elapsed_ms": round(self.elapsed_ms, 2),
        }
        if self.note:
            doc["note"] = gettext(self.note)
        result = self.result
        if isinstance(result, Found):
            doc.update(
                status="found",
                trusted=result.trusted,
                where=result.where,
                notes=list(result.notes),
                outside_domain=list(result.outside_domain),
                names_from=result.name_source.value,
                provider=result.config.to_dict(),
            )
        elif isinstance(result, NotFound):
            doc.update(status="not_found", reason=result.reason)
        elif isinstance(result, NetworkError):
            doc.update(status="error", error=result.kind.value, reason=result.reason)
        return doc


@dataclass(slots=True)
class DiscoveryResult:
    """Every source's answer (in priority order) and the winner, if any."""

    address: ParsedAddress
    answers: list[SourceAnswer] = field(default_factory=list)
    winner: SourceAnswer | None = None
    elapsed_ms: float = 0.0

    @property
    def found(self) -> Found | None:
        return self.winner.found if self.winner else None

    @property
    def config(self) -> ProviderConfig | None:
        found = self.found
        return found.config if found else None

    @property
    def trusted(self) -> bool:
        found = self.found
        return bool(found and found.trusted)
