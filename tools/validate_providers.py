#!/usr/bin/env python3
"""Validate the bundled provider database: `python tools/validate_providers.py [FILE]`.

Checks what JSON Schema cannot: ids and domains unique across providers, every address domain
really a domain, MX patterns that cannot shadow each other unintentionally (the catch-all last),
placeholders spelt right, the loader accepts every entry, and the providers the reference table
names are all present. Prints one line per problem and exits 1 if there is any; the tests run it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_FILE = ROOT / "resources" / "providers" / "providers.json"
SCHEMA_FILE = ROOT / "resources" / "providers" / "providers.schema.json"
DOCS_SCHEMA = ROOT / "docs" / "providers.schema.json"
MIN_PROVIDERS = 40
PLACEHOLDERS = ("%EMAILADDRESS%", "%EMAILLOCALPART%", "%EMAILDOMAIN%")

# The providers of shared/reference/providers-and-replies.md: id → one domain or MX it must claim.
REQUIRED: dict[str, str] = {
    "gmail": "gmail.com",
    "google-workspace": "mx:aspmx.l.google.com",
    "outlook-com": "hotmail.com",
    "microsoft365": "mx:contoso-com.mail.protection.outlook.com",
    "yahoo": "yahoo.com",
    "aol": "aol.com",
    "icloud": "icloud.com",
    "zoho": "zoho.com",
    "fastmail": "fastmail.com",
    "gmx-net": "gmx.net",
    "gmx-com": "gmx.com",
    "web-de": "web.de",
    "ionos-de": "mx:mx00.ionos.de",
    "godaddy": "mx:smtp.secureserver.net",
    "ovh": "mx:mx1.mail.ovh.net",
    "namecheap-privateemail": "mx:mx1.privateemail.com",
    "comcast": "comcast.net",
    "proton-bridge": "proton.me",
    "cpanel": "mx:mail.%EMAILDOMAIN%",
}


def problems(path: Path = DEFAULT_FILE) -> list[str]:
    """Every problem found in `path`, as sentences; empty when the file is good."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{path}: cannot read: {exc}"]
    found = _schema_problems(document)
    if found:
        return found  # the checks below assume the shape is right
    providers: list[dict[str, Any]] = document["providers"]
    found += _uniqueness(providers)
    found += _placeholders(providers)
    found += _domains(providers)
    found += _required(providers)
    found += _loader(document)
    if len(providers) < MIN_PROVIDERS:
        found.append(f"only {len(providers)} providers; at least {MIN_PROVIDERS} are expected")
    if DOCS_SCHEMA.exists() and DOCS_SCHEMA.read_bytes() != SCHEMA_FILE.read_bytes():
        found.append("docs/providers.schema.json differs from resources/providers/providers.schema.json")
    return found


def _schema_problems(document: Any) -> list[str]:
    try:
        import jsonschema
    except ImportError:
        return ["the jsonschema package is needed to validate (pip install jsonschema)"]
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"schema: {'/'.join(str(p) for p in error.absolute_path) or '(top)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]


def _uniqueness(providers: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    seen_ids: set[str] = set()
    owner: dict[str, str] = {}
    mx_owner: dict[str, str] = {}
    for provider in providers:
        ident = provider["id"]
        if ident in seen_ids:
            found.append(f"{ident}: the id is used twice")
        seen_ids.add(ident)
        for domain in provider["domains"]:
            if domain in owner:
                found.append(f"{ident}: domain {domain} is already claimed by {owner[domain]}")
            owner[domain] = ident
        for pattern in provider["mx"]:
            if pattern in mx_owner:
                found.append(f"{ident}: MX pattern {pattern} is already used by {mx_owner[pattern]}")
            mx_owner[pattern] = ident
        servers = [(s["host"], s["port"]) for s in provider["smtp"]]
        if len(set(servers)) != len(servers):
            found.append(f"{ident}: the same SMTP host and port is listed twice")
    return found


def _placeholders(providers: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for provider in providers:
        texts = [s["host"] for s in provider["smtp"] + provider["incoming"]]
        texts += [s.get("username", "") for s in provider["smtp"] + provider["incoming"]]
        texts += provider["mx"]
        for text in texts:
            rest = text
            for placeholder in PLACEHOLDERS:
                rest = rest.replace(placeholder, "")
            if "%" in rest:
                found.append(f"{provider['id']}: unknown placeholder in “{text}”")
    return found


def _domains(providers: list[dict[str, Any]]) -> list[str]:
    from assistant.core.address import normalise_domain
    from assistant.core.ports import InputError

    found: list[str] = []
    for provider in providers:
        for domain in provider["domains"]:
            try:
                if normalise_domain(domain) != domain:
                    found.append(f"{provider['id']}: domain {domain} is not in its ASCII lower-case form")
            except InputError as exc:
                found.append(f"{provider['id']}: domain {domain}: {exc}")
        if provider["kind"] == "mailbox" and not provider["domains"] and not provider["mx"]:
            found.append(f"{provider['id']}: a mailbox provider needs domains or MX patterns")
    return found


def _required(providers: list[dict[str, Any]]) -> list[str]:
    from assistant.core.address import ParsedAddress
    from assistant.discovery.database import ProviderDatabase

    database = ProviderDatabase.from_document({"providers": providers})
    sample = ParsedAddress("someone", "example.com", "example.com")
    found: list[str] = []
    for ident, claim in REQUIRED.items():
        if database.by_id(ident) is None:
            found.append(f"{ident}: a provider from the reference table is missing")
            continue
        if claim.startswith("mx:"):
            host = claim[3:].replace("%EMAILDOMAIN%", sample.domain)
            entry = database.by_mx(host, sample)
        else:
            entry = database.by_domain(claim)
        if entry is None or entry.config.provider_id != ident:
            got = entry.config.provider_id if entry else "nothing"
            found.append(f"{ident}: {claim} should lead to {ident}, leads to {got}")
    return found


def _loader(document: dict[str, Any]) -> list[str]:
    from assistant.discovery.database import DatabaseError, ProviderDatabase

    try:
        ProviderDatabase.from_document(document)
    except DatabaseError as exc:
        return [f"loader: {exc}"]
    return []


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_FILE
    found = problems(path)
    for line in found:
        print(f"{path.name}: {line}")
    if not found:
        count = len(json.loads(path.read_text(encoding="utf-8"))["providers"])
        print(f"{path.name}: OK, {count} providers")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
