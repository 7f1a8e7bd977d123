; Inno Setup 6 script: per-user installer for Mail Setup Assistant (no administrator rights, no UAC prompt).
;
;   iscc /DAppVersion=0.1.0 /DAppVersionNumeric=0.1.0.0 packaging\windows\mailsetup.iss
;
; Input:  dist\mailsetup\  (PyInstaller one-folder build of packaging\mailsetup.spec, made on Windows)
;         build\icons\mailsetup.ico  (packaging\make_icons.py; the spec renders it)
; Output: dist\MailSetupAssistant-<version>-setup.exe
;
; Installs into %LOCALAPPDATA%\Programs\Mail Setup Assistant, adds a Start-menu entry for the current
; user, and registers an uninstaller under Settings > Apps. Uninstalling removes the program folder
; completely (including a profile.json IT put there) and the Start-menu entry.
; IT profile: a profile.json placed beside the setup .exe is copied next to the installed app.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z /DAppVersionNumeric=X.Y.Z.0 mailsetup.iss
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric AppVersion
#endif
#define AppName "Mail Setup Assistant"
#define AppExe "MailSetupAssistant.exe"
#define Root "..\.."

[Setup]
; A fixed AppId keeps upgrades in place; never change it.
AppId={{6F0B7C52-3E4A-4B8E-9A51-0D2C8E7F4A13}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Mail Setup Assistant developers
VersionInfoVersion={#AppVersionNumeric}
; Per-user: with PrivilegesRequired=lowest, {autopf} is %LOCALAPPDATA%\Programs and {autoprograms}
; the user's own Start menu, so Windows never asks for an administrator.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}\dist
OutputBaseFilename=MailSetupAssistant-{#AppVersion}-setup
SetupIconFile={#Root}\build\icons\mailsetup.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\mailsetup\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The IT profile shipped beside the installer, if there is one.
Source: "{src}\profile.json"; DestDir: "{app}"; Flags: external skipifsourcedoesntexist ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Anything created in the program folder after installation (a profile.json copied by IT, caches).
Type: filesandordirs; Name: "{app}"
