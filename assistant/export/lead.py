"""The sentences that lead the settings sheet and the IT report: what to use, half by half.

Why here and not in the saved run: the run's `summary` names the sending half only, and was worded
in the language of the run. When both halves were tested, the sheet and the report say what to use
for each, in the language they are made in, from the settings they hand over.
"""

from __future__ import annotations

from assistant.core.explanation import protocol_name, sentence
from assistant.core.models import Security
from assistant.export.account import AccountSettings
from assistant.i18n import Translate, gettext

_ENCRYPTED = (Security.IMPLICIT_TLS, Security.STARTTLS)


def lead_sentences(account: AccountSettings, tr: Translate = gettext) -> list[str]:
    """Receiving first, then sending, as mail programs ask for them; the run's own summary when
    the receiving half was not tested here or either half is not encrypted."""
    incoming, outgoing = account.incoming, account.outgoing
    if (
        incoming is None
        or outgoing is None
        or not (incoming.tested and outgoing.tested)
        or incoming.security not in _ENCRYPTED
        or outgoing.security not in _ENCRYPTED
    ):
        return [account.summary] if account.summary else []
    return [  # the sentence keys end in the setting's one spelling: tls or starttls
        sentence(
            f"use_incoming_{incoming.security.value}",
            tr,
            protocol=protocol_name(incoming.protocol, tr),
            host=incoming.host,
            port=incoming.port,
        ),
        sentence(
            f"send_with_{outgoing.security.value}", tr, host=outgoing.host, port=outgoing.port
        ),
    ]


def missing_incoming(account: AccountSettings, tr: Translate = gettext) -> str:
    """What stands where the receiving half goes when there is none to type ("" when there is):
    nothing safe answered, or receiving was not tested and the provider documents no server. The
    sheet, the settings page and its Copy all say it, or half an account looks like a whole one.
    It may hold glossary marks."""
    if account.incoming is not None:
        return ""
    return sentence(
        "no_incoming_to_type" if account.receiving_tested else "incoming_not_tested", tr
    )
