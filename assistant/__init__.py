"""Mail Setup Assistant: gets a person's email working, receiving and sending, in plain words."""

from __future__ import annotations

PRODUCT_NAME = "Mail Setup Assistant"


def __getattr__(name: str) -> str:
    # Read lazily: importlib.metadata costs ~30 ms, which the window's start-up should not pay.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("mail-setup-assistant")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0+source"
    raise AttributeError(name)
