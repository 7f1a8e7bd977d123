"""Reading an email address from whatever the person typed or pasted.

People paste addresses from everywhere: a signature ("Ana Ruiz <ana@example.com>"), a web link
("mailto:ana@example.com?subject=hi"), a phone with full-width characters, an all-caps sheet from IT,
a domain with a trailing dot. We accept all of those, and turn everything else into one friendly
sentence (`InputError`) rather than an exception, because the wizard validates as the person types.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

from assistant.i18n import N_, WordedError


class InputError(WordedError):
    """Something the person typed cannot be used; the message is written for them.

    It holds the sentence untranslated with its values apart, and words itself in the current
    language each time it is shown (`str(exc)`): the wizard can switch language after the error."""


MAX_ADDRESS = 254  # RFC 5321 path limit minus the angle brackets
MAX_LOCAL = 64

# ASCII "atext" of RFC 5322 plus dots; anything above ASCII is allowed too (RFC 6531 addresses).
_LOCAL_ASCII = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_ANGLE = re.compile(r"<([^<>]*)>")
# Characters that look like an @ or a dot on phones and in East Asian input methods.
_LOOKALIKES = str.maketrans({"＠": "@", "﹫": "@", "。": ".", "．": ".", "｡": "."})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    """An address split into the parts discovery needs.

    `domain` is the lower-case ASCII (IDNA) form used on the network; `display_domain` is what the
    person recognises (Unicode, lower case).
    """

    local: str
    domain: str
    display_domain: str

    @property
    def address(self) -> str:
        """The address as we show it back (and use as the default username)."""
        return f"{self.local}@{self.display_domain}"

    @property
    def ascii_address(self) -> str:
        return f"{self.local}@{self.domain}"


def normalise_domain(text: str) -> str:
    """Lower-case ASCII form of a domain, without a trailing dot; InputError if impossible."""
    domain = text.translate(_LOOKALIKES).translate(_INVISIBLE).strip().rstrip(".").lower()
    if not domain:
        raise InputError(N_("The part after the @ is missing."))
    if domain.startswith("[") or _looks_like_ip(domain):
        raise InputError(
            N_("Please use the domain name after the @, not a computer's number (IP).")
        )
    if any(c.isspace() for c in domain):
        raise InputError(N_("The part after the @ cannot contain spaces."))
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InputError(
            N_("“{domain}” is not a valid domain name."), domain=_short(domain)
        ) from None
    if len(ascii_domain) > 253 or "." not in ascii_domain:
        raise InputError(
            N_("“{domain}” is not a complete domain name (like example.com)."),
            domain=_short(domain),
        )
    if not is_dns_name(ascii_domain):
        raise InputError(N_("“{domain}” is not a valid domain name."), domain=_short(domain))
    return ascii_domain


def is_host_label(label: str) -> bool:
    """One label of a host name (RFC 1123): letters, digits and inner hyphens, 1 to 63 of them."""
    return _LABEL.match(label) is not None


def is_dns_name(name: str) -> bool:
    """A lower-case ASCII host name of two labels or more: what a domain typed after the @ and a
    name in a server's certificate must both be. A last label of digits is a respelling of an IP
    address ("127.0.1"), not a name."""
    labels = name.split(".")
    return (
        len(name) <= 253
        and len(labels) >= 2
        and all(map(is_host_label, labels))
        and not labels[-1].isdigit()
    )


def parse(text: str) -> ParsedAddress:
    """Parse what the person typed; InputError (with a sentence for them) if it is no address."""
    if not isinstance(text, str):
        raise InputError(N_("Please type your email address, like name@example.com."))
    address = text.translate(_INVISIBLE).translate(_LOOKALIKES).strip()
    angle = _ANGLE.search(address)
    if angle:  # "Ana Ruiz <ana@example.com>"
        address = angle.group(1).strip()
    if address[:7].lower() == "mailto:":
        address = unquote(address[7:].split("?", 1)[0]).strip()
    if not address:
        raise InputError(N_("Please type your email address, like name@example.com."))
    if any(c.isspace() for c in address):
        raise InputError(N_("An email address has no spaces in it."))
    if address.count("@") != 1:
        raise InputError(N_("An email address has exactly one @, like name@example.com."))
    if len(address) > MAX_ADDRESS:
        raise InputError(N_("That is too long to be an email address."))
    local, domain = address.split("@")
    _check_local(local)
    ascii_domain = normalise_domain(domain)
    display = _display_domain(domain, ascii_domain)
    return ParsedAddress(local=local, domain=ascii_domain, display_domain=display)


def _check_local(local: str) -> None:
    if not local:
        raise InputError(N_("The part before the @ is missing."))
    if len(local) > MAX_LOCAL:
        raise InputError(N_("The part before the @ is too long for an email address."))
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise InputError(
            N_("The part before the @ cannot start or end with a dot, or have two in a row.")
        )
    for char in local:
        if char.isascii():
            if not _LOCAL_ASCII.match(char):
                raise InputError(
                    N_(
                        "The part before the @ has a character an email address cannot have: “{char}”."
                    ),
                    char=char,
                )
        elif unicodedata.category(char)[0] in ("C", "Z"):
            raise InputError(
                N_("The part before the @ has an invisible or control character in it.")
            )


def _display_domain(raw: str, ascii_domain: str) -> str:
    """The Unicode form to show; falls back to the ASCII form when it does not round-trip."""
    try:
        return ascii_domain.encode("ascii").decode("idna")
    except UnicodeError:
        return raw.strip().rstrip(".").lower()


def _looks_like_ip(domain: str) -> bool:
    return ":" in domain or all(part.isdigit() for part in domain.split(".") if part)


def _short(text: str, limit: int = 60) -> str:
    """What the person typed, safe to print: shortened, unprintable characters replaced."""
    text = "".join(c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else "�" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
