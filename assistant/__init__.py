"""Mail Setup Assistant: gets a person's email sending working, explained in plain words."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mail-setup-assistant")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

PRODUCT_NAME = "Mail Setup Assistant"
