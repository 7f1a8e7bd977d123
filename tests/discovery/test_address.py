"""The address parser: everything people paste is either understood or gets one friendly sentence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.core.address import normalise_domain, parse
from assistant.core.ports import InputError


@pytest.mark.parametrize(
    ("text", "address", "domain"),
    [
        ("ana@example.com", "ana@example.com", "example.com"),
        ("  Ana@EXAMPLE.COM  ", "Ana@example.com", "example.com"),
        ("ana@example.com.", "ana@example.com", "example.com"),
        ("mailto:ana@example.com", "ana@example.com", "example.com"),
        ("MAILTO:ana@example.com?subject=Hello%20there", "ana@example.com", "example.com"),
        ("mailto:ana%40example.com", "ana@example.com", "example.com"),
        ("Ana Ruiz <ana@example.com>", "ana@example.com", "example.com"),
        ("ana@bücher.de", "ana@bücher.de", "xn--bcher-kva.de"),
        ("ana@BÜCHER.DE", "ana@bücher.de", "xn--bcher-kva.de"),
        ("ana@xn--bcher-kva.de", "ana@bücher.de", "xn--bcher-kva.de"),
        ("ana＠example。com", "ana@example.com", "example.com"),
        ("ana\u200b@example.com", "ana@example.com", "example.com"),
        ("o'brien+tag@sub.example.co.uk", "o'brien+tag@sub.example.co.uk", "sub.example.co.uk"),
        ("δοκιμή@παράδειγμα.δοκιμή", "δοκιμή@παράδειγμα.δοκιμή", "xn--hxajbheg2az3al.xn--jxalpdlp"),
    ],
)
def test_understood(text: str, address: str, domain: str) -> None:
    parsed = parse(text)
    assert (parsed.address, parsed.domain) == (address, domain)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "type your email address"),
        ("   ", "type your email address"),
        ("ana", "exactly one @"),
        ("ana@", "after the @ is missing"),
        ("@example.com", "before the @ is missing"),
        ("ana maria@example.com", "no spaces"),
        ("ana@@example.com", "exactly one @"),
        ("ana@localhost", "not a complete domain"),
        ("ana@192.0.2.1", "not a computer's number"),
        ("ana@[192.0.2.1]", "not a computer's number"),
        ("ana..b@example.com", "two in a row"),
        (".ana@example.com", "start or end with a dot"),
        ("ana(x)@example.com", "cannot have: “(”"),
        ("ana@exa_mple.com", "not a valid domain"),
        ("ana@-example.com", "not a valid domain"),
        ("a" * 65 + "@example.com", "too long"),
        ("ana@" + "a" * 64 + ".com", "not a valid domain"),
        ("mailto:", "type your email address"),
        ("ana@exa\ud800mple.com", "not a valid domain"),
        ("ana@exa\x00mple.com", "not a valid domain"),
    ],
)
def test_friendly_errors(text: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse(text)
    message = str(caught.value)
    assert words in message
    assert "\n" not in message and len(message) < 200


def test_display_and_ascii_forms() -> None:
    parsed = parse("Ana@Bücher.de")
    assert parsed.local == "Ana"
    assert parsed.display_domain == "bücher.de"
    assert parsed.ascii_address == "Ana@xn--bcher-kva.de"


def test_normalise_domain_is_idempotent() -> None:
    assert normalise_domain(normalise_domain("Bücher.DE.")) == "xn--bcher-kva.de"


def _check(text: str) -> None:
    try:
        parsed = parse(text)
    except InputError as exc:
        message = str(exc)
        assert message and "\n" not in message
        message.encode("utf-8")  # printable on any terminal: no lone surrogates echoed back
        return
    assert parsed.domain.isascii() and parsed.domain == parsed.domain.lower()
    assert normalise_domain(parsed.domain) == parsed.domain
    assert "@" not in parsed.local and parsed.local


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=80))
def test_any_text_gives_result_or_friendly_error(text: str) -> None:
    _check(text)


_near = st.text(alphabet="abcAB09.-_+@ <>:%＠。\u200bßüé\u3002\x00 \t\"'[]", max_size=40)


@settings(max_examples=3000, deadline=None)
@given(st.tuples(_near, _near, st.sampled_from(["", "mailto:", "Name <", " "])))
def test_near_addresses_give_result_or_friendly_error(parts: tuple[str, str, str]) -> None:
    local, domain, prefix = parts
    _check(f"{prefix}{local}@{domain}")
