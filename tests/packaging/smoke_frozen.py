"""Smoke-run a built (frozen) app on any platform; used by the CI workflows after PyInstaller.

    python -m tests.packaging.smoke_frozen CLI [--gui GUI] [--keychain]

CLI is the console program (Linux dist/mailsetup/mailsetup, Windows dist/mailsetup/mailsetup.exe,
macOS "dist/Mail Setup Assistant.app/Contents/MacOS/mailsetup"). Checks, in order:
  1. `CLI --version` prints "Mail Setup Assistant <version from pyproject.toml>";
  2. `CLI --lang es check --help` is Spanish (the compiled catalog is in the bundle);
  3. `CLI check … --host 127.0.0.1 --ports PORT/starttls --json` against a plain aiosmtpd server on
     loopback gives PLAINTEXT_ONLY and exit code 1 (nothing is contacted but 127.0.0.1);
  4. with --keychain: `CLI keychain-selftest` stores, reads back and deletes a test password in the
     OS keychain (exit code 0);
  5. with --gui: the program GUI (no arguments) starts and is still running after 8 seconds.
Exits non-zero with the reason on the first failure.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import tomllib
from pathlib import Path

from tests.packaging.loopback_smtp import main as beside_loopback_server

ROOT = Path(__file__).resolve().parents[2]


def fail(message: str) -> None:
    print(f"SMOKE FAILED: {message}", file=sys.stderr)
    raise SystemExit(1)


def run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=180)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cli", type=Path)
    parser.add_argument("--gui", type=Path)
    parser.add_argument("--keychain", action="store_true")
    args = parser.parse_args(argv)
    cli = str(args.cli.resolve())
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]

    proc = run([cli, "--version"])
    if proc.returncode != 0 or proc.stdout.strip() != f"Mail Setup Assistant {version}":
        fail(f"--version gave {proc.returncode}: {proc.stdout!r} {proc.stderr!r}")
    print(f"ok: {proc.stdout.strip()}")

    proc = run([cli, "--lang", "es", "check", "--help"])
    if proc.returncode != 0 or not proc.stdout.startswith("uso: mailsetup check"):
        fail(
            f"--lang es is not Spanish (no compiled catalog in the bundle?): {proc.stdout[:200]!r}"
        )
    print("ok: --lang es check --help is Spanish")

    check = [cli, "check", "alice@example.test", "--host", "127.0.0.1", "--ports", "{port}/starttls",
             "--timeout", "10", "--json"]  # fmt: skip
    out_file = ROOT / "build" / "smoke-check.json"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    code = _capture(check, out_file)
    document = json.loads(out_file.read_text(encoding="utf-8"))
    verdicts = [c["verdict"] for c in document["candidates"]]
    if code != 1 or verdicts != ["PLAINTEXT_ONLY"]:
        fail(f"check against the loopback server: exit {code}, verdicts {verdicts}")
    print("ok: check against a loopback server: PLAINTEXT_ONLY, exit code 1")

    if args.keychain:
        proc = run([cli, "keychain-selftest"])
        if proc.returncode != 0:
            fail(f"keychain-selftest exit {proc.returncode}: {proc.stdout} {proc.stderr}")
        print(f"ok: {proc.stdout.strip()}")

    if args.gui:
        app = subprocess.Popen([str(args.gui.resolve())])
        time.sleep(8)
        if app.poll() is not None:
            fail(f"the GUI program exited at start with code {app.returncode}")
        app.terminate()
        try:
            app.wait(timeout=15)
        except subprocess.TimeoutExpired:
            app.kill()
        print("ok: the GUI program started and kept running")
    return 0


def _capture(command: list[str], out_file: Path) -> int:
    """Run command beside the loopback server with its standard output in out_file."""
    saved = sys.stdout
    with open(out_file, "w", encoding="utf-8") as sink:
        sys.stdout = sink
        try:
            code = beside_loopback_server(command)
        finally:
            sys.stdout = saved
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
