"""The About box: what this program is, its version and licence, and exactly what it contacts."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

LICENCE = "MIT"


def _tr(text: str) -> str:
    return QCoreApplication.translate("About", text)


def about_text() -> str:
    """Rich text for the box. Kept in one function so tests can read exactly what people see."""
    import assistant
    from assistant.core.ports import usual_port_numbers

    lines = [
        f"<h3>{assistant.PRODUCT_NAME}</h3>",
        "<p>"
        + _tr("Version {version}. Licence: {licence}.").format(
            version=assistant.__version__, licence=LICENCE
        )
        + "</p>",
        "<p>"
        + _tr(
            "It finds your email provider's incoming and outgoing servers, tests them from this "
            "computer, and shows the settings to type into your mail program."
        )
        + "</p>",
        "<p><b>" + _tr("What it contacts, and why") + "</b></p><ul>",
        "<li>"
        + _tr(
            "Your email provider's mail servers, to test which ones answer and are encrypted, on "
            "the usual ports: {receiving} for receiving (IMAP, POP3); {sending} for sending (SMTP)."
        ).format(
            receiving=usual_port_numbers(receiving=True),
            sending=usual_port_numbers(receiving=False),
        )
        + "</li>",
        "<li>"
        + _tr(
            "To find those servers: your provider's own published settings file, its DNS records, "
            "and Thunderbird's public list of providers (your IT department can switch that off)."
        )
        + "</li>",
        "<li>"
        + _tr(
            "Only if you choose to sign in with Microsoft or Google: their sign-in page, in your web "
            "browser, and their sign-in service, to check that your mail accepts that sign-in."
        )
        + "</li>",
        "</ul><p>"
        + _tr(
            "Your password is only sent to your mail server, over an encrypted connection whose "
            "certificate this computer trusts. It is never written to a file; it is kept in this "
            "computer's password store only if you ask. No email is sent unless you ask for a test "
            "message."
        )
        + "</p>",
    ]
    return "".join(lines)


def show_about(parent: QWidget | None) -> QMessageBox:
    """Open the box (window-modal, not blocking the event loop: probes keep reporting)."""
    box = QMessageBox(parent)
    box.setWindowTitle(_tr("About {product}").format(product=__import__("assistant").PRODUCT_NAME))
    box.setText(about_text())
    box.setAccessibleName(_tr("About this program"))
    box.setIcon(QMessageBox.Icon.Information)
    box.setObjectName("about-box")
    box.open()
    return box
