"""The words a testing row shows while a phase runs: the only wording the window adds itself.

Everything said about a *result* (status words, explanations, advice) comes from the engine's one
table (`assistant.core.explanation`); this module only names the phases in progress.
"""

from __future__ import annotations

from assistant.core.explanation import Tone
from assistant.core.models import Phase
from assistant.i18n import gettext as _t

__all__ = ["Tone", "phase_words"]


def phase_words(phase: Phase) -> str:
    """What a row says while a phase is running."""
    if phase in (Phase.RESOLVE, Phase.CONNECT):
        return _t("Connecting…")
    if phase in (Phase.GREETING, Phase.EHLO):
        return _t("Server answered…")
    if phase in (Phase.STARTTLS, Phase.TLS):
        return _t("Setting up encryption…")
    if phase is Phase.CERTIFICATE:
        return _t("Checking certificate…")
    if phase is Phase.AUTH:
        return _t("Signing in…")
    return _t("Finishing…")
