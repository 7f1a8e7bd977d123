"""GUI budgets (DESIGN §13), each measured in a fresh subprocess:

1. longest GUI event-loop stall while both halves are probed in one run: ten sending candidates
   (SMTP) and nine receiving ones (IMAP, POP3) (heartbeat QTimer; budget ≤ 50 ms);
2. start to first page painted, against a bare PySide6 QWizard started the same way (≤ 1.3×);
3. peak RSS of a full run, from the first page to the settings page (≤ 150 MB).

    .venv/bin/python bench/bench_gui.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = dict(
    os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), QT_LOGGING_RULES="qt.qpa.*=false"
)
# A person's copy runs from compiled bytecode (the installers ship it; a source checkout caches
# it on first start): a shell that forbids writing it would time the compiler instead.
ENV.pop("PYTHONDONTWRITEBYTECODE", None)

FIRST_PAINT = r"""
import os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            sys.stdout.write("painted\n"); sys.stdout.flush(); os._exit(0)
        return False
app = QApplication(["bench"])
KIND = sys.argv[1]
if KIND == "bare":
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWizard, QWizardPage
    wizard = QWizard()
    page = QWizardPage(); page.setTitle("Welcome"); page.setSubTitle("A bare wizard")
    label = QLabel("Hello")
    QVBoxLayout(page).addWidget(label)
    wizard.addPage(page)
else:
    from assistant.gui.i18n import install_translations
    from assistant.gui.wizard import MailSetupWizard
    keep = install_translations(app)
    wizard = MailSetupWizard()
    label = wizard.welcome.labels[0]
filt = Painted(); label.installEventFilter(filt)  # the first page's text is on screen
wizard.resize(800, 600); wizard.show()
app.exec()
"""

SERVERS = r"""
import json, os, sys, threading
# Real servers are on other machines: here they share this machine's two cores with the window, so
# they run at the lowest priority (--servers-share-cpu measures them at normal priority instead).
if os.environ.get("BENCH_SERVERS_NICE", "1") == "1":
    os.nice(19)
from tests.servers import Loopback
from tests.servers.farm import password_authenticator
farm = Loopback()
servers = [farm.implicit_tls(authenticator=password_authenticator(), auth_require_tls=False) for _ in range(3)]
servers += [farm.starttls() for _ in range(3)] + [farm.plain()]
servers += [farm.closed() for _ in range(2)] + [farm.full_backlog()]
from assistant.core.models import Security
from tests.servers.farm import MAIL_HOST
from tests.servers.scripted_incoming import ImapScript, Pop3Script, imap_handler, pop3_handler
ctx = farm.pki.server_context(MAIL_HOST)
def imap(tls):
    return farm.scripted(imap_handler(ImapScript(tls_context=ctx, implicit_tls=tls)),
                         Security.IMPLICIT_TLS if tls else Security.STARTTLS)
def pop3(tls):
    return farm.scripted(pop3_handler(Pop3Script(tls_context=ctx, implicit_tls=tls)),
                         Security.IMPLICIT_TLS if tls else Security.STARTTLS)
incoming = [(imap(True), "imap") for _ in range(3)] + [(imap(False), "imap") for _ in range(2)]
incoming += [(pop3(True), "pop3") for _ in range(2)] + [(pop3(False), "pop3") for _ in range(2)]
print(json.dumps({"ports": [[s.port, s.security.value, "smtp"] for s in servers]
                  + [[s.port, s.security.value, proto] for s, proto in incoming],
                  "ca": str(farm.pki.ca_pem_file())}), flush=True)
sys.stdin.read()  # run until the parent closes our stdin
farm.close()
"""

FULL_RUN = r"""
import json, resource, socket, ssl, sys, time
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from assistant.core.ports import PortSpec
from assistant.core.models import Protocol, Security
from assistant.core.probe import ProbeSettings
from assistant.gui.wizard import MailSetupWizard

spec = json.loads(sys.argv[1])
def resolve(host, port):
    return [(socket.AF_INET, ("127.0.0.1", port))]
# The production trust path (assistant.core.tls.system_trust_context): OpenSSL's default store,
# pointed at the test CA through SSL_CERT_FILE (set for this process by the parent).
from assistant.gui.app import favour_the_window
favour_the_window()  # as run_gui() does
app = QApplication(["bench"])
wizard = MailSetupWizard(settings_factory=lambda: ProbeSettings(timeout=2.0, resolver=resolve),
                         ports=[PortSpec(p, Security(s), Protocol(k)) for p, s, k in spec["ports"]],
                         hosts=["mail.example.test"], timeout=2.0)
wizard.resize(800, 600); wizard.show()
loop = QEventLoop()
# A person spends seconds typing; meanwhile the engine loads in the background (as in the app).
wizard.ensure_pages()
assert wizard.engine_ready.wait(30)
from PySide6.QtTest import QTest
def settle():
    # What a person's screen has done before the next click: the window is shown and active and
    # the page is painted. Without it the timed click would also pay for activating the window
    # (which repaints all of it in the active colours), something no person's click ever does.
    assert QTest.qWaitForWindowActive(wizard, 5000)
    for _ in range(3):
        app.processEvents()
settle()
gaps = []
last = [time.perf_counter()]
marks = []
def beat():
    now = time.perf_counter(); gaps.append(now - last[0]); marks.append(now); last[0] = now
heartbeat = QTimer(); heartbeat.setInterval(5); heartbeat.timeout.connect(beat)
wizard.bridge.finished.connect(lambda _o: loop.quit())
wizard.next(); settle(); wizard.address.address.setText("alice@example.test"); wizard.next(); settle()
last[0] = time.perf_counter(); heartbeat.start()
started = time.perf_counter()
wizard.next()  # Testing: the run starts here
loop.exec()
heartbeat.stop()
run_s = time.perf_counter() - started
assert wizard.testing.isComplete() and wizard.testing.row_count() == len(spec["ports"]) == 19
assert wizard.state.incoming is not None and wizard.state.incoming.recommendation is not None
wizard.next(); wizard.next()
for guide in wizard.settings.guides:
    wizard.settings.select_program(guide.id)
    loop.processEvents()
assert wizard.settings.values() and wizard.settings.receiving_values()
wizard.shutdown()
top = sorted(range(len(gaps)), key=lambda i: -gaps[i])[:4]
print("TOP", [(round(gaps[i]*1000), round((marks[i]-started)*1000)) for i in top], file=sys.stderr)
print(json.dumps({"max_stall_ms": max(gaps) * 1000, "beats": len(gaps), "run_s": run_s,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def first_paint_s(kind: str) -> float:
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT, kind],
        env=ENV,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed = time.perf_counter() - start
    if "painted" not in out.stdout:
        raise RuntimeError(f"{kind} never painted: {out.stderr[-500:]}")
    return elapsed


def full_run() -> dict[str, float]:
    """The GUI in one process, the nineteen servers in another (as real servers are elsewhere)."""
    servers = subprocess.Popen(
        [sys.executable, "-c", SERVERS],
        env=ENV,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert servers.stdout is not None and servers.stdin is not None
        spec = servers.stdout.readline()
        out = subprocess.run(
            [sys.executable, "-c", FULL_RUN, spec],
            env=dict(ENV, SSL_CERT_FILE=json.loads(spec)["ca"]),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        if servers.stdin is not None:
            servers.stdin.close()
        servers.wait(10)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    if os.environ.get("BENCH_DEBUG"):
        print(out.stderr.strip().splitlines()[-1], file=sys.stderr)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--runs", type=int, default=5, help="full runs for the stall and RSS")
    parser.add_argument(
        "--servers-share-cpu",
        action="store_true",
        help="run the loopback servers at normal priority, competing with the window",
    )
    args = parser.parse_args()
    if args.servers_share_cpu:
        ENV["BENCH_SERVERS_NICE"] = "0"

    import compileall

    compileall.compile_dir(str(ROOT / "assistant"), quiet=1)
    compileall.compile_dir(str(ROOT / "tests" / "servers"), quiet=1)
    first_paint_s("bare")  # warm the OS file cache for both, untimed
    first_paint_s("ours")
    bare, ours = [], []
    for _ in range(args.rounds):  # alternate so drift affects both alike
        bare.append(first_paint_s("bare"))
        ours.append(first_paint_s("ours"))
    bare_med, ours_med = statistics.median(bare), statistics.median(ours)
    # This VM's start-up times jitter by ±30 %; each round runs the two back to back, so the median
    # of the per-round ratios cancels slow drift best. The best-of-N ratio is printed beside it.
    ratio = statistics.median(o / b for o, b in zip(ours, bare, strict=True))
    best_ratio = min(ours) / min(bare)

    runs = [full_run() for _ in range(args.runs)]
    stall = max(r["max_stall_ms"] for r in runs)
    rss = max(r["peak_rss_mb"] for r in runs)

    ok = stall <= 50 and ratio <= 1.3 and rss <= 150
    print(
        f"event-loop stall, both halves (10 SMTP + 9 IMAP/POP3 candidates): max {stall:.1f} ms "
        f"over {len(runs)} runs "
        f"(budget 50 ms; run took {statistics.median(r['run_s'] for r in runs):.2f} s)"
    )
    print(
        f"start to first page painted: ours {ours_med * 1000:.0f} ms, bare QWizard {bare_med * 1000:.0f} ms "
        f"(medians); ratio {ratio:.2f}x (median of {args.rounds} back-to-back pairs; best-of-N "
        f"{best_ratio:.2f}x; budget 1.3x)"
    )
    print(f"peak RSS of a full run: {rss:.1f} MB (budget 150 MB)")
    print("OK: within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
