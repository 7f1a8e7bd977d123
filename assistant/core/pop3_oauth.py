"""POP3 `AUTH XOAUTH2` / `AUTH OAUTHBEARER` with a bearer token (RFC 5034 SASL for POP3).

For the POP3 conversation (`assistant.core.pop3`), on a verified TLS connection after CAPA listed
`SASL … XOAUTH2` (Microsoft 365 and Gmail allow POP3 with a token). Same channel interface as
`assistant.core.imap_oauth`; the initial response goes with the command (RFC 5034 §4 allows it),
or after the server's empty `+` when `initial_response` is False. `+OK` is success; an error
challenge `+ <base64 JSON>` is answered as the mechanism says and the `-ERR` that follows is the
answer (RFC 3206 codes such as `[AUTH]` and `[SYS/TEMP]` are kept).
"""

from __future__ import annotations

import re

from assistant.core.sasl_oauth import OAuthCredentials, SaslError, initial_response
from assistant.core.token_exchange import Channel, TokenAnswer, answer_challenge, record_server_line
from assistant.core.wire import REDACTED, ProtocolError, clean_text
from assistant.i18n import N_, Worded

MAX_STEPS = 4
_CODE = re.compile(r"^\[([A-Z/-]+)\]")
_TEMPORARY = frozenset({"SYS/TEMP", "IN-USE", "LOGIN-DELAY"})
"""RFC 3206 codes that mean "not now" rather than "not this token"."""


def authenticate_pop3(
    channel: Channel,
    mechanism: str,
    creds: OAuthCredentials,
    *,
    initial: bool = True,
    host: str = "",
    port: int = 0,
) -> TokenAnswer:
    response = initial_response(mechanism, creds, host, port)
    if initial:
        channel.send(f"AUTH {mechanism} {response}", shown=f"AUTH {mechanism} {REDACTED}")
    else:
        channel.send(f"AUTH {mechanism}")
    sent = initial
    error: SaslError | None = None
    for _ in range(MAX_STEPS):
        line = channel.read_line().decode("utf-8", "replace")
        record_server_line(channel, line)
        if line.startswith("+OK"):
            return TokenAnswer("+OK", True, clean_text(line[3:].strip()), error=error)
        if line.startswith("-ERR"):
            text = clean_text(line[4:].strip())
            match = _CODE.match(text)
            code = match.group(1) if match else ""
            return TokenAnswer("-ERR", False, text, code, code in _TEMPORARY, error)
        if line.startswith("+"):
            sent, error = answer_challenge(channel, line, mechanism, response, sent, error)
            continue
        raise ProtocolError(Worded(N_("not a POP3 answer")), clean_text(line, 80))
    raise ProtocolError(Worded(N_("no answer to AUTH")))
