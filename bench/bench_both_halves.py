"""Full check of both halves — 20 candidates, sending (SMTP) and receiving (IMAP, POP3) — against
loopback servers, with sign-in, three of them time-outs.

Prints wall time of the one parallel run ÷ the slowest single probe (budget ≤ 1.2) and ÷ the sum of
the twenty probes run one after another, all measured in this one run.

    .venv/bin/python -m bench.bench_both_halves [--timeout 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from assistant.core.models import Candidate, Protocol, Security
from assistant.core.probe import probe
from assistant.core.probe_run import run_and_wait
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD, MAIL_HOST, Server
from tests.servers.scripted_incoming import ImapScript, Pop3Script, imap_handler, pop3_handler

IMAP, POP3 = Protocol.IMAP, Protocol.POP3


def build(farm: Loopback) -> list[Candidate]:
    def scripted(handler_server: Server, protocol: Protocol, security: Security) -> Candidate:
        return handler_server.candidate(security, protocol=protocol)

    ctx = farm.pki.server_context
    other = farm.pki.server_context("other.example.net")
    imap = imap_handler
    pop3 = pop3_handler
    candidates = [
        # sending
        farm.implicit_tls().candidate(),
        farm.starttls().candidate(),
        farm.plain().candidate(),
        farm.self_signed(implicit=True).candidate(),
        farm.closed().candidate(),
        farm.full_backlog().candidate(),
        # receiving: IMAP
        scripted(
            farm.scripted(imap(ImapScript(tls_context=ctx(MAIL_HOST), implicit_tls=True))),
            IMAP,
            Security.IMPLICIT_TLS,
        ),
        scripted(
            farm.scripted(imap(ImapScript(tls_context=ctx(MAIL_HOST)))), IMAP, Security.STARTTLS
        ),
        scripted(
            farm.scripted(imap(ImapScript(caps="IMAP4rev1 AUTH=PLAIN", tls_context=None))),
            IMAP,
            Security.STARTTLS,
        ),
        scripted(
            farm.scripted(imap(ImapScript(tls_context=other, implicit_tls=True))),
            IMAP,
            Security.IMPLICIT_TLS,
        ),
        scripted(farm.closed(), IMAP, Security.IMPLICIT_TLS),
        scripted(farm.full_backlog(), IMAP, Security.STARTTLS),
        scripted(
            farm.scripted(imap(ImapScript(tls_context=ctx(MAIL_HOST, expired=True)))),
            IMAP,
            Security.STARTTLS,
        ),
        # receiving: POP3
        scripted(
            farm.scripted(pop3(Pop3Script(tls_context=ctx(MAIL_HOST), implicit_tls=True))),
            POP3,
            Security.IMPLICIT_TLS,
        ),
        scripted(
            farm.scripted(pop3(Pop3Script(tls_context=ctx(MAIL_HOST)))), POP3, Security.STARTTLS
        ),
        scripted(
            farm.scripted(pop3(Pop3Script(caps=("USER", "SASL PLAIN"), tls_context=None))),
            POP3,
            Security.STARTTLS,
        ),
        scripted(
            farm.scripted(
                pop3(Pop3Script(stls_reply=b"-ERR not now\r\n", tls_context=ctx(MAIL_HOST)))
            ),
            POP3,
            Security.STARTTLS,
        ),
        scripted(farm.closed(), POP3, Security.IMPLICIT_TLS),
        scripted(farm.full_backlog(), POP3, Security.IMPLICIT_TLS),
        scripted(
            farm.scripted(pop3(Pop3Script(tls_context=other, implicit_tls=True))),
            POP3,
            Security.IMPLICIT_TLS,
        ),
    ]
    return candidates


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    farm = Loopback()
    try:
        candidates = build(farm)
        settings = farm.settings(timeout=args.timeout, password=CANARY_PASSWORD)
        probe(candidates[0], settings)  # warm-up: imports, first TLS context
        ratios_slowest, ratios_sum, walls, sums, slowest_list = [], [], [], [], []
        for _ in range(args.rounds):
            singles = []
            for candidate in candidates:
                start = time.perf_counter()
                result = probe(candidate, settings)
                singles.append(time.perf_counter() - start)
                assert not result.cancelled
            start = time.perf_counter()
            outcome = run_and_wait(candidates, settings)
            wall = time.perf_counter() - start
            assert len(outcome.results) == len(candidates)
            assert outcome.recommendation is not None
            assert outcome.incoming_recommendation is not None
            assert outcome.incoming_recommendation.candidate.protocol is IMAP
            walls.append(wall)
            sums.append(sum(singles))
            slowest_list.append(max(singles))
            ratios_slowest.append(wall / max(singles))
            ratios_sum.append(wall / sum(singles))
        smtp = sum(1 for c in candidates if c.protocol is Protocol.SMTP)
        print(
            f"candidates: {len(candidates)} ({smtp} SMTP, {len(candidates) - smtp} IMAP/POP3; "
            f"sign-in on; 3 time-outs at {args.timeout:g} s)"
        )
        print(f"rounds: {args.rounds}")
        print(f"parallel wall time       : {statistics.median(walls):.3f} s (median)")
        print(f"slowest single probe     : {statistics.median(slowest_list):.3f} s (median)")
        print(f"sequential sum of probes : {statistics.median(sums):.3f} s (median)")
        print(
            f"wall / slowest single    : {statistics.median(ratios_slowest):.3f}  "
            f"(budget <= 1.2; worst {max(ratios_slowest):.3f})"
        )
        print(f"wall / sequential sum    : {statistics.median(ratios_sum):.3f}")
        return 0 if max(ratios_slowest) <= 1.2 else 1
    finally:
        farm.close()


if __name__ == "__main__":
    raise SystemExit(main())
