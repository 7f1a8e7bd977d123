"""The Debian package, installed into this machine: it runs like the development app and leaves nothing.

Uses dist/mail-setup-assistant_<version>_<arch>.deb when `make package` built it after the last change
to the app, its resources or the packaging; otherwise runs `make package` first. Then `dpkg -i` (and
`apt-get -f install` for its Depends), and the tests below run the *installed* program. The last test
purges the package and checks that nothing it installed is left. Root with dpkg only; skips otherwise.

Every network test runs inside a fresh network namespace where only loopback exists, so nothing the
installed program does can reach another machine.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "mail-setup-assistant"
APP_ID = "org.mailsetupassistant.MailSetupAssistant"
INSTALL_DIR = Path("/opt/mail-setup-assistant")
LAUNCHER = Path("/usr/bin/mailsetup")
DESKTOP = Path("/usr/share/applications") / f"{APP_ID}.desktop"
METAINFO = Path("/usr/share/metainfo") / f"{APP_ID}.metainfo.xml"
# Everything the package installs outside INSTALL_DIR, for the leftovers check.
INSTALLED_ELSEWHERE = [
    LAUNCHER,
    DESKTOP,
    METAINFO,
    Path("/usr/share/doc") / PACKAGE,
    *(
        Path(f"/usr/share/icons/hicolor/{s}x{s}/apps/{APP_ID}.png")
        for s in (16, 24, 32, 48, 64, 128, 256, 512)
    ),
    Path(f"/usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg"),
]
# Inputs of the package: a .deb older than any of these is rebuilt.
BUILD_INPUTS = ["assistant", "resources", "packaging", "pyproject.toml"]
SCREENSHOT_ENV = (
    "MAILSETUP_INSTALLED_SCREENSHOT"  # where to keep the screenshot (docs/screenshots/…)
)

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(1800)]


def _version() -> str:
    return str(
        tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    )


def _newest_input() -> float:
    # The build environment too: installing, upgrading or removing a package changes site-packages.
    newest = Path(sysconfig.get_paths()["purelib"]).stat().st_mtime
    for name in BUILD_INPUTS:
        path = ROOT / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        for file in files:
            if "__pycache__" not in file.parts:
                newest = max(newest, file.stat().st_mtime)
    return newest


def _deb_path() -> Path:
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    )
    return ROOT / "dist" / f"{PACKAGE}_{_version()}_{arch.stdout.strip()}.deb"


def _fresh_deb() -> Path:
    deb = _deb_path()
    if deb.is_file() and deb.stat().st_mtime >= _newest_input():
        return deb
    build = subprocess.run(
        ["make", "package"], cwd=ROOT, capture_output=True, text=True, timeout=1500
    )
    assert build.returncode == 0, (
        f"make package failed:\n{build.stdout[-4000:]}\n{build.stderr[-4000:]}"
    )
    assert deb.is_file(), f"make package did not produce {deb}"
    return deb


def _apt(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(["apt-get", *args], env=env, capture_output=True, text=True, timeout=900)


def _apt_install(*args: str) -> None:
    if _apt("install", "-y", "-qq", "--no-install-recommends", *args).returncode != 0:
        _apt("update", "-qq")
        done = _apt("install", "-y", "-qq", "--no-install-recommends", *args)
        assert done.returncode == 0, done.stdout + done.stderr


def _installed() -> bool:
    query = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Status}", PACKAGE], capture_output=True, text=True
    )
    return query.returncode == 0 and "installed" in query.stdout.split()


def _purge() -> None:
    subprocess.run(["dpkg", "--purge", PACKAGE], capture_output=True, text=True, check=True)


def _app_env(home: Path) -> dict[str, str]:
    """A plain user environment: no development PYTHONPATH, no Qt overrides, a scratch home."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("QT_", "PYTHON", "MAILSETUP_"))
        and key not in {"DISPLAY", "WAYLAND_DISPLAY"}
    }
    home.mkdir(parents=True, exist_ok=True)
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env.update(HOME=str(home), XDG_RUNTIME_DIR=str(runtime), XDG_CONFIG_HOME=str(home / ".config"))
    return env


@pytest.fixture(scope="module")
def installed_deb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if sys.platform != "linux" or shutil.which("dpkg") is None or shutil.which("apt-get") is None:
        pytest.skip("needs a Debian-family Linux with dpkg and apt-get")
    if os.geteuid() != 0:
        pytest.skip("installing the .deb into this machine needs root")
    deb = _fresh_deb()
    if _installed():
        _purge()
    started = time.monotonic()
    install = subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True)
    if install.returncode != 0:  # missing Depends: let apt bring them and finish the configuration
        fixed = _apt("-f", "install", "-y", "-qq")
        if fixed.returncode != 0:
            _apt("update", "-qq")
            fixed = _apt("-f", "install", "-y", "-qq")
        assert fixed.returncode == 0, install.stderr + fixed.stdout + fixed.stderr
    assert _installed(), f"{PACKAGE} is not installed after dpkg -i"
    print(f"installed {deb.name} in {time.monotonic() - started:.1f} s")
    try:
        yield deb
    finally:
        if _installed():
            _purge()


def test_installed_version(installed_deb: Path, tmp_path: Path) -> None:
    assert LAUNCHER.is_symlink() and LAUNCHER.resolve() == INSTALL_DIR / "mailsetup"
    proc = subprocess.run(
        [str(LAUNCHER), "--version"],
        env=_app_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"Mail Setup Assistant {_version()}"


def _can_unshare_network() -> bool:
    """A container without CAP_SYS_ADMIN cannot make a network namespace; then go without."""
    if not (shutil.which("unshare") and shutil.which("ip")):
        return False
    probe = subprocess.run(
        ["unshare", "--net", "ip", "link", "set", "lo", "up"], capture_output=True
    )
    return probe.returncode == 0


def _in_loopback_only_namespace(
    command: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run `command` beside a plain aiosmtpd server, in a network namespace that has only loopback."""
    helper = [sys.executable, "-m", "tests.packaging.loopback_smtp", *command]
    script = "ip link set lo up && exec " + shlex.join(helper)
    env = {**env, "PYTHONPATH": str(ROOT)}  # for the helper only; the frozen app ignores it
    # Without a namespace it is still loopback only by its arguments, but without the guarantee.
    argv = ["unshare", "--net", "sh", "-c", script] if _can_unshare_network() else helper
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def test_installed_check_against_loopback_server(installed_deb: Path, tmp_path: Path) -> None:
    proc = _in_loopback_only_namespace(
        [
            str(LAUNCHER),
            "check",
            "alice@example.test",
            "--host",
            "127.0.0.1",
            "--ports",
            "{port}/starttls",
            "--timeout",
            "5",
            "--json",
        ],
        _app_env(tmp_path),
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr  # 1: no safe way to send was found
    document = json.loads(proc.stdout)
    assert document["tool"]["version"] == _version()
    [candidate] = document["candidates"]
    assert candidate["host"] == "127.0.0.1"
    assert candidate["verdict"] == "PLAINTEXT_ONLY"
    assert candidate["evidence"]["connected_to"].startswith("127.0.0.1:")


def test_menu_entry_icons_and_metainfo(installed_deb: Path) -> None:
    entry = _desktop_entry()
    assert entry["Name"] == "Mail Setup Assistant"
    assert entry["Icon"] == APP_ID and entry["Terminal"] == "false"
    assert Path(shutil.which(_exec_argv(entry)[0]) or "").resolve() == INSTALL_DIR / "mailsetup"
    for path in INSTALLED_ELSEWHERE:
        assert path.exists() or path.is_symlink(), path
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(
            ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True
        )
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout + check.stderr
    if shutil.which("appstreamcli"):
        check = subprocess.run(
            ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout + check.stderr


def _desktop_entry() -> dict[str, str]:
    entry: dict[str, str] = {}
    in_main = False
    for line in DESKTOP.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            in_main = line.strip() == "[Desktop Entry]"
        elif in_main and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            entry[key.strip()] = value.strip()
    return entry


def _exec_argv(entry: dict[str, str]) -> list[str]:
    """The Exec= command line with the field codes (%f, %U, …) removed, as a launcher would run it."""
    return [
        arg for arg in shlex.split(entry["Exec"]) if not (len(arg) == 2 and arg.startswith("%"))
    ]


def test_frozen_app_uses_the_keychain(installed_deb: Path, tmp_path: Path) -> None:
    env = _app_env(tmp_path / "home")
    hook = subprocess.run(
        [str(LAUNCHER), "keychain-selftest", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if hook.returncode != 0:
        pytest.skip("waiting for keychain-selftest command")
    if not (shutil.which("gnome-keyring-daemon") and shutil.which("dbus-run-session")):
        _apt_install("gnome-keyring", "dbus", "dbus-daemon")
    env["XDG_DATA_HOME"] = str(tmp_path / "home" / ".local" / "share")
    inner = (
        "echo -n unlock-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
        f"exec {shlex.quote(str(LAUNCHER))} keychain-selftest"
    )
    proc = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", inner],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Secret Service" in proc.stdout, proc.stdout


def _start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not report its display number"
    return xvfb, f":{number}"


def _find_window(display: str, title: str, deadline: float) -> str | None:
    while time.monotonic() < deadline:
        tree = subprocess.run(
            ["xwininfo", "-root", "-tree", "-display", display], capture_output=True, text=True
        ).stdout
        for line in tree.splitlines():
            parts = line.split()
            if parts and parts[0].startswith("0x") and f'"{title}"' in line and "x" in line:
                size = next((p for p in parts if "+" in p and "x" in p.split("+")[0]), "")
                if size and not size.startswith(("1x1", "10x10")):
                    return parts[0]
        time.sleep(0.2)
    return None


def test_starts_from_its_menu_entry_under_xvfb(installed_deb: Path, tmp_path: Path) -> None:
    """Start the installed app the way a desktop does (the .desktop entry's Exec=) on a real X server."""
    if not (shutil.which("Xvfb") and shutil.which("xwininfo") and shutil.which("import")):
        _apt_install("xvfb", "x11-utils", "imagemagick")
    xvfb, display = _start_xvfb()
    app = None
    try:
        env = {**_app_env(tmp_path / "home"), "DISPLAY": display}
        app = subprocess.Popen(
            _exec_argv(_desktop_entry()),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        window = _find_window(display, "Mail Setup Assistant", time.monotonic() + 30)
        if window is None:
            app.kill()
            _out, err = app.communicate(timeout=10)
            pytest.fail(
                f"no 'Mail Setup Assistant' window appeared on {display}:\n{err.decode()[-3000:]}"
            )
        shot = tmp_path / "installed-first-page.png"
        deadline = time.monotonic() + 30
        colours: list[str] = ["0", "0", "0"]
        while time.monotonic() < deadline:  # poll until the first page is painted
            assert app.poll() is None, "the app exited on its own"
            subprocess.run(
                ["import", "-display", display, "-window", window, str(shot)],
                check=True,
                timeout=30,
            )
            colours = subprocess.run(
                ["identify", "-format", "%k %w %h", str(shot)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            if int(colours[0]) > 20:
                break
        assert int(colours[0]) > 20, f"the window looks blank ({colours[0]} colours)"
        assert int(colours[1]) >= 400 and int(colours[2]) >= 300, colours
        assert app.poll() is None, "the app exited on its own"
        if os.environ.get(SCREENSHOT_ENV):
            shutil.copyfile(shot, os.environ[SCREENSHOT_ENV])
    finally:
        if app is not None and app.poll() is None:
            os.killpg(app.pid, signal.SIGTERM)
            try:
                app.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(app.pid, signal.SIGKILL)
        xvfb.terminate()
        xvfb.wait(timeout=10)


def test_purge_leaves_nothing_behind(installed_deb: Path) -> None:
    """Runs last in this module: remove the package and look for anything it left."""
    _purge()
    assert not _installed()
    assert not INSTALL_DIR.exists(), sorted(str(p) for p in INSTALL_DIR.rglob("*"))[:20]
    leftovers = [str(p) for p in INSTALLED_ELSEWHERE if p.exists() or p.is_symlink()]
    assert not leftovers, leftovers
    stray = [str(p) for p in Path("/usr/share/applications").glob("*MailSetup*")]
    stray += [str(p) for p in Path("/usr/share/icons/hicolor").rglob(f"{APP_ID}.*")]
    assert not stray, stray
    query = subprocess.run(["dpkg-query", "-W", PACKAGE], capture_output=True, text=True)
    assert query.returncode != 0 or not query.stdout.strip().endswith(_version()), query.stdout
