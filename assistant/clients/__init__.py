"""Mail-program guides: where each program keeps its incoming and outgoing server settings and what
it calls them.

The guides are data (`resources/clients/*.json`, labels from `docs`' reference on mail clients), so a
corrected label is a one-line change. This package has no Qt in it: it loads the guides and turns a
tested setting into the list of (label, value) pairs a person types, with a `tr` function supplied by
the front end so every piece of our own wording can be translated.
"""

from assistant.clients.guides import (
    AccountGuide,
    ClientGuide,
    GuideField,
    RenderedField,
    SendSetting,
    ServerPart,
    for_setting,
    load_guides,
    oauth_account_for_host,
    render_fields,
    render_text,
    setting_from_result,
)
from assistant.resources import resources_dir

__all__ = [
    "AccountGuide",
    "ClientGuide",
    "GuideField",
    "RenderedField",
    "SendSetting",
    "ServerPart",
    "for_setting",
    "load_guides",
    "oauth_account_for_host",
    "render_fields",
    "render_text",
    "resources_dir",
    "setting_from_result",
]
