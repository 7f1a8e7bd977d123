"""Files a person or IT takes away: settings sheet (PDF), Thunderbird autoconfig, Apple profile, IT report.

All of them are written from one model, `AccountSettings` (account.py). Only `pdf_sheet` imports Qt;
the rest is plain Python so the command line can write them without a window.
"""

from assistant.export.account import (
    AccountSettings,
    AuthMethod,
    ExportError,
    PortResult,
    ServerHalf,
    account_from_document,
    account_from_outcome,
)

__all__ = [
    "AccountSettings",
    "AuthMethod",
    "ExportError",
    "PortResult",
    "ServerHalf",
    "account_from_document",
    "account_from_outcome",
]
