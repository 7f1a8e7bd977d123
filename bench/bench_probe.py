"""Full check of 5 candidates (one of them a time-out) against loopback servers.

Prints wall time of the parallel run ÷ the slowest single probe (budget ≤ 1.2) and ÷ the sum of
the five probes run one after another, all measured in this one run.

    .venv/bin/python -m bench.bench_probe [--timeout 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from assistant.core.probe import probe
from assistant.core.probe_run import run_and_wait
from tests.servers import Loopback


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    farm = Loopback()
    try:
        servers = [
            farm.implicit_tls(),
            farm.starttls(),
            farm.plain(),
            farm.closed(),
            farm.full_backlog(),
        ]
        candidates = [s.candidate() for s in servers]
        settings = farm.settings(timeout=args.timeout)
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
            assert len(outcome.results) == 5
            walls.append(wall)
            sums.append(sum(singles))
            slowest_list.append(max(singles))
            ratios_slowest.append(wall / max(singles))
            ratios_sum.append(wall / sum(singles))
        print(
            f"candidates: 5 (implicit TLS, STARTTLS, plain, refused, time-out at {args.timeout:g} s)"
        )
        print(f"rounds: {args.rounds}")
        print(f"parallel wall time       : {statistics.median(walls):.3f} s (median)")
        print(f"slowest single probe     : {statistics.median(slowest_list):.3f} s (median)")
        print(f"sequential sum of probes : {statistics.median(sums):.3f} s (median)")
        print(
            f"wall / slowest single    : {statistics.median(ratios_slowest):.3f}  (budget <= 1.2; worst {max(ratios_slowest):.3f})"
        )
        print(f"wall / sequential sum    : {statistics.median(ratios_sum):.3f}")
        return 0 if max(ratios_slowest) <= 1.2 else 1
    finally:
        farm.close()


if __name__ == "__main__":
    raise SystemExit(main())
