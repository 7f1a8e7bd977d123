"""The words a screen reader tells for a control: its accessible name and what it does.

Every control a person can reach carries both, and each page writes them again on a language
switch (`Page.retranslate`); a button's visible text (with its `&` shortcut) goes with them, and a
drop-down list's label and the name of its open list. These helpers set them together, in that
order, so no page leaves one of them out.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QWidget


def describe(control: QWidget, name: str, description: str) -> None:
    """Give `control` the name a screen reader says and the sentence telling what it does."""
    control.setAccessibleName(name)
    control.setAccessibleDescription(description)


def word_button(button: QAbstractButton, text: str, name: str, description: str) -> None:
    """A button's or check box's visible text (with its `&` shortcut), then its spoken words."""
    button.setText(text)
    describe(button, name, description)


def word_choice(
    label: QLabel, box: QComboBox, text: str, name: str, description: str, choices: str
) -> None:
    """A drop-down list's words: its label's text (the `&` shortcut moves to the list), the spoken
    name and what choosing does, and the name of the open list of `choices` a screen reader reads."""
    label.setText(text)
    describe(box, name, description)
    box.view().setAccessibleName(choices)
