# Two entry points for a fresh Linux machine; both create .venv themselves when it is missing.
#   make run    start Mail Setup Assistant (ARGS="check you@example.com" for the command line)
#   make test   run the whole test suite
PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench clean translations

# The translation catalogs: .po (committed) -> .mo (built here, never committed). See docs/TRANSLATING.md.
translations: $(STAMP)
	$(VENV)/bin/python -m tools.translations compile

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: translations
	$(VENV)/bin/mailsetup $(ARGS)

test: translations
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check assistant tests bench
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(VENV)/bin/python -m bench.bench_probe
	$(VENV)/bin/python -m bench.bench_both_halves

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

# make package: the Linux one-folder bundle (dist/mailsetup/) and the Debian package (dist/*.deb).
# PyInstaller and Pillow are build tools only: installed into .venv here, never runtime dependencies.
# Needs dpkg-deb and readelf (Debian: dpkg, binutils). Windows and macOS installers: .github/workflows.
PACKAGE_TOOLS := $(VENV)/.package-tools

$(PACKAGE_TOOLS): $(STAMP) packaging/requirements-build.txt
	$(VENV)/bin/python -m pip install --quiet -r packaging/requirements-build.txt
	touch $(PACKAGE_TOOLS)

.PHONY: package
package: $(PACKAGE_TOOLS) translations
	rm -rf dist/mailsetup dist/mail-setup-assistant_*.deb
	$(VENV)/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/mailsetup.spec
	$(VENV)/bin/python packaging/linux/build_deb.py --bundle dist/mailsetup --out dist
