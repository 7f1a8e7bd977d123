#!/usr/bin/env python3
"""Time to the first discovery answer for a bundled provider (budget: under 5 ms, no network).

Runs the real `discover()` with default (online) options: a bundled provider must win before any
network source is even started, so the figure also proves that nothing is sent. Prints the cold
figure (first call of the process: loads and indexes the provider file) and warm figures
(median and 99th percentile over many calls), for a few providers. Exit status 1 if over budget.

    .venv/bin/python bench/bench_discovery.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.discovery import AnswerState, DiscoveryOptions, discover, to_candidates
from assistant.discovery.result import SourceAnswer

BUDGET_MS = 5.0
ADDRESSES = ("ana@gmail.com", "bob@hotmail.com", "cy@web.de", "dee@yahoo.co.uk", "ed@qq.com")


def first_answer_ms(address: str) -> tuple[float, float]:
    """(time to the first answer via the callback, time to candidates) in milliseconds."""
    first: list[float] = []
    start = time.perf_counter()

    def on_answer(answer: SourceAnswer) -> None:
        if not first and answer.found is not None:
            first.append(time.perf_counter())

    result = discover(address, DiscoveryOptions(on_answer=on_answer))
    candidates = to_candidates(result)
    done = time.perf_counter()
    assert result.winner is not None and result.winner.name == "database", address
    assert candidates, address
    network = [a for a in result.answers if a.name not in ("database", "guess")]
    assert all(a.state is AnswerState.NOT_RUN for a in network), "a network source was started"
    return (first[0] - start) * 1000, (done - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()

    cold_first, cold_total = first_answer_ms(ADDRESSES[0])
    print(
        f"cold (loads the provider file): first answer {cold_first:.2f} ms, "
        f"candidates ready {cold_total:.2f} ms"
    )

    worst_p99 = 0.0
    for address in ADDRESSES:
        firsts, totals = [], []
        for _ in range(args.runs):
            first, total = first_answer_ms(address)
            firsts.append(first)
            totals.append(total)
        firsts.sort()
        totals.sort()
        p99 = firsts[int(len(firsts) * 0.99) - 1]
        worst_p99 = max(worst_p99, p99)
        print(
            f"{address:18s} first answer median {statistics.median(firsts) * 1000:7.1f} µs, "
            f"p99 {p99 * 1000:7.1f} µs; candidates ready median "
            f"{statistics.median(totals) * 1000:7.1f} µs"
        )
    worst = max(cold_first, worst_p99)
    verdict = "within" if worst < BUDGET_MS else "OVER"
    print(
        f"budget {BUDGET_MS:.0f} ms: worst (cold or p99) {worst:.2f} ms → {verdict} budget; "
        f"ratio {worst / BUDGET_MS:.3f} of budget; no network source started"
    )
    return 0 if worst < BUDGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
