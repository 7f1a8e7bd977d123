#!/bin/sh
# Wrap the PyInstaller .app in a compressed disk image with a link to /Applications (drag to install).
#
#   sh packaging/macos/make_dmg.sh VERSION      (after: python -m PyInstaller packaging/mailsetup.spec)
#
# Input:  "dist/Mail Setup Assistant.app"
# Output: dist/MailSetupAssistant-VERSION.dmg
# IT profile: the app reads /Library/Application Support/Mail Setup Assistant/profile.json (or
# --profile FILE); nothing is added inside the signed .app. See docs/INSTALLING.md.
set -eu
VERSION="${1:?usage: make_dmg.sh VERSION}"
APP="dist/Mail Setup Assistant.app"
DMG="dist/MailSetupAssistant-${VERSION}.dmg"
STAGE="build/dmg"

[ -d "$APP" ] || { echo "make_dmg: $APP not found (run PyInstaller first)" >&2; exit 1; }
rm -rf "$STAGE" "$DMG"
mkdir -p "$STAGE"
# ditto keeps the bundle's symbolic links, permissions and code signature intact.
ditto "$APP" "$STAGE/Mail Setup Assistant.app"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "Mail Setup Assistant" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"
hdiutil verify "$DMG"
echo "make_dmg: $DMG"
