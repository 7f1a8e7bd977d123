"""Build the Debian package from the PyInstaller bundle (run by `make package`).

    python packaging/linux/build_deb.py [--bundle dist/mailsetup] [--icons build/icons] [--out dist]

Layout installed by the package:
    /opt/mail-setup-assistant/            the one-folder bundle (mailsetup + _internal/)
    /usr/bin/mailsetup                    symbolic link to /opt/mail-setup-assistant/mailsetup
    /usr/share/applications/<id>.desktop  the menu entry
    /usr/share/icons/hicolor/*/apps/<id>  PNG sizes 16…512 and the scalable SVG
    /usr/share/metainfo/<id>.metainfo.xml AppStream metadata for software centres
    /usr/share/doc/mail-setup-assistant/copyright

Depends is worked out from the bundle itself: every shared library an ELF file in it needs (readelf's
NEEDED entries) that the bundle does not carry is looked up in the dynamic linker's cache and mapped to
the Debian package that owns it. The X11 libraries DESIGN §12 names are always listed as well. The
package has no maintainer scripts: dpkg's triggers refresh the menu and icon caches, and `dpkg --purge`
removes every file it installed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
APP_ID = "org.mailsetupassistant.MailSetupAssistant"
PACKAGE = "mail-setup-assistant"
INSTALL_DIR = Path("opt") / PACKAGE
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

# Qt's X11 (xcb) platform plugin needs these on a fresh Debian/Ubuntu desktop (DESIGN §12); libegl1 and
# the xkbcommon/cursor ones are loaded by Qt at run time, so they are listed whatever readelf says.
ALWAYS_DEPENDS = [
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-cursor0",
    "libxkbcommon-x11-0",
    "libegl1",
]
# Never a dependency: the C library and the dynamic linker come with every system.
ESSENTIAL = {"libc6"}


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def project_version() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return str(project["version"])


def debian_version(version: str) -> str:
    # PEP 440 pre-releases sort before the release in Debian only with a tilde: 1.0rc1 → 1.0~rc1.
    return re.sub(r"(\d)(a|b|rc|\.dev)(\d+)", r"\1~\2\3", version)


def is_elf(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with open(path, "rb") as handle:
        return handle.read(4) == b"\x7fELF"


def needed_sonames(tree: Path) -> tuple[set[str], set[str]]:
    """(sonames needed by the ELF files in tree, file names present in tree)."""
    needed: set[str] = set()
    present: set[str] = set()
    for path in tree.rglob("*"):
        present.add(path.name)
        if is_elf(path):
            for line in run("readelf", "-d", "-W", str(path)).splitlines():
                match = re.search(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", line)
                if match:
                    needed.add(match.group(1))
    return needed, present


def linker_cache() -> dict[str, str]:
    """soname → path, for this machine's architecture, from `ldconfig -p`."""
    arch_tag = {"amd64": "x86-64", "arm64": "AArch64", "i386": "libc6,"}.get(architecture(), "")
    found: dict[str, str] = {}
    for line in run("/sbin/ldconfig", "-p").splitlines()[1:]:
        match = re.match(r"\s*(\S+) \((.*?)\) => (\S+)", line)
        if match and (not arch_tag or arch_tag in match.group(2)):
            found.setdefault(match.group(1), match.group(3))
    return found


def owning_package(path: str) -> str | None:
    candidates = {path, os.path.realpath(path)}
    for candidate in list(candidates):
        if candidate.startswith("/usr/"):
            candidates.add(candidate[4:])
        else:
            candidates.add("/usr" + candidate)
    for candidate in sorted(candidates):
        result = subprocess.run(["dpkg-query", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def architecture() -> str:
    return run("dpkg", "--print-architecture").strip()


def compute_depends(tree: Path) -> list[str]:
    needed, present = needed_sonames(tree)
    missing = sorted(needed - present)
    cache = linker_cache()
    packages: set[str] = set(ALWAYS_DEPENDS)
    unresolved: list[str] = []
    for soname in missing:
        path = cache.get(soname)
        package = owning_package(path) if path else None
        if package is None:
            unresolved.append(soname)
        elif package not in ESSENTIAL:
            packages.add(package)
    if unresolved:
        raise SystemExit(
            "build_deb: no installed Debian package provides "
            + ", ".join(unresolved)
            + ". Install the packages that do (apt-get install …) so Depends can name them."
        )
    return sorted(packages)


def normalise_permissions(tree: Path) -> None:
    for path in [tree, *tree.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            executable = path.stat().st_mode & stat.S_IXUSR or is_elf(path)
            path.chmod(
                0o755 if executable and path.suffix not in {".py", ".txt", ".json"} else 0o644
            )


def installed_size_kib(tree: Path) -> int:
    total = 0
    for path in tree.rglob("*"):
        if path.is_symlink():
            total += 1
        elif path.is_file():
            total += (path.stat().st_size + 1023) // 1024
    return total


def check_metainfo(version: str) -> None:
    metainfo = (HERE / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    if f'<release version="{version}"' not in metainfo:
        raise SystemExit(
            f'build_deb: add a <release version="{version}" date=…> entry to '
            f"packaging/linux/{APP_ID}.metainfo.xml before packaging version {version}."
        )


def build(bundle: Path, icons: Path, out: Path) -> Path:
    if not (bundle / "mailsetup").is_file():
        raise SystemExit(f"build_deb: no PyInstaller bundle at {bundle} (run PyInstaller first)")
    version = project_version()
    check_metainfo(version)
    arch = architecture()
    stage = ROOT / "build" / "deb" / PACKAGE
    shutil.rmtree(stage, ignore_errors=True)
    root = stage / "root"

    shutil.copytree(bundle, root / INSTALL_DIR, symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "mailsetup").symlink_to(Path("/") / INSTALL_DIR / "mailsetup")

    share = root / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(HERE / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    (share / "metainfo").mkdir(parents=True)
    shutil.copy2(HERE / f"{APP_ID}.metainfo.xml", share / "metainfo" / f"{APP_ID}.metainfo.xml")
    for size in ICON_SIZES:
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True)
        shutil.copy2(icons / f"mailsetup-{size}.png", target / f"{APP_ID}.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy2(ROOT / "packaging" / "icons" / "mailsetup.svg", scalable / f"{APP_ID}.svg")
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        "Upstream-Name: Mail Setup Assistant\n\n"
        "Files: *\nCopyright: The Mail Setup Assistant developers\nLicense: MIT\n\n"
        "Files: opt/mail-setup-assistant/_internal/*\n"
        "Comment: Bundled Python runtime and libraries, each under its own licence: Python (PSF-2.0),\n"
        " Qt and PySide6 (LGPL-3.0), keyring, truststore and publicsuffixlist (MIT), cryptography\n"
        " (Apache-2.0 or BSD-3-Clause), dnspython (ISC), defusedxml (PSF-2.0), ICU (Unicode-3.0).\n"
        " Their licence texts are in the .dist-info folders beside them and at the projects' sites.\n",
        encoding="utf-8",
    )
    normalise_permissions(root)

    depends = compute_depends(root / INSTALL_DIR)
    debian = root / "DEBIAN"
    debian.mkdir()
    sums = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(root)
        if relative.parts[0] != "DEBIAN":
            sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {relative.as_posix()}\n")
    (debian / "md5sums").write_text("".join(sums), encoding="utf-8")
    control = {
        "Package": PACKAGE,
        "Version": debian_version(version),
        "Architecture": arch,
        "Maintainer": "Mail Setup Assistant developers <noreply@mailsetupassistant.invalid>",
        "Installed-Size": str(installed_size_kib(root)),
        "Depends": ", ".join(depends),
        "Suggests": "gnome-keyring | kwalletmanager",
        "Section": "mail",
        "Priority": "optional",
        "Description": "finds and tests your email's servers, in plain words\n"
        " Mail Setup Assistant gets a person's email working, receiving and sending. It\n"
        " finds the provider's incoming (IMAP, POP3) and outgoing (SMTP) servers, tests\n"
        " the usual ports live, explains which are encrypted, which would send in plain\n"
        " text and which are blocked, and shows the exact settings for the person's mail\n"
        " program.\n"
        " .\n"
        " The mailsetup command runs the same checks headless for IT scripts.",
    }
    (debian / "control").write_text(
        "".join(f"{key}: {value}\n" for key, value in control.items()), encoding="utf-8"
    )
    for path in (debian / "control", debian / "md5sums"):
        path.chmod(0o644)

    out.mkdir(parents=True, exist_ok=True)
    deb = out / f"{PACKAGE}_{debian_version(version)}_{arch}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb)], check=True
    )
    print(f"build_deb: {deb} ({deb.stat().st_size / 1e6:.1f} MB), Depends: {control['Depends']}")
    return deb


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "mailsetup")
    parser.add_argument("--icons", type=Path, default=ROOT / "build" / "icons")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    for tool in ("dpkg-deb", "dpkg-query", "readelf"):
        if shutil.which(tool) is None:
            raise SystemExit(f"build_deb: {tool} is missing (apt-get install dpkg binutils)")
    build(args.bundle.resolve(), args.icons.resolve(), args.out.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
