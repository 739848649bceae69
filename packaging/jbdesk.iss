; Inno Setup 6 script for jbdesk (Windows 10/11, x64).
; This file is UTF-8 with a BOM so the Korean names survive; keep it that way when editing.
;
; Build the PyInstaller one-folder app first, then compile from the repository root:
;   pyinstaller packaging\jbdesk.spec --noconfirm --distpath dist --workpath build
;   iscc /DAppVersion=0.1.0 packaging\jbdesk.iss
; Output: dist\installer\jbdesk-<version>-setup.exe
;
; Defines you can override with /D on the iscc command line:
;   AppVersion  version shown in Add/Remove Programs and used in the file name
;               (keep equal to jbdesk.__version__; tests/test_packaging.py checks the default)
;   DistDir     the PyInstaller output folder that contains jbdesk.exe and jbdesk-cli.exe
;   OutDir      where setup.exe is written
;
; Per-user or per-machine: PrivilegesRequired=lowest plus PrivilegesRequiredOverridesAllowed lets the
; person installing choose. Per-machine (admin) installs to "C:\Program Files\jbdesk"; per-user installs
; to "%LOCALAPPDATA%\Programs\jbdesk" without admin rights. Silent per-machine install:
;   jbdesk-0.1.0-setup.exe /VERYSILENT /ALLUSERS      (per-user: /CURRENTUSER)
;
; USER DATA: jbdesk keeps its database, keys, backups, exports and logs in %LOCALAPPDATA%\jbdesk
; (platformdirs user_data_dir("jbdesk", roaming=False)) or in the folder given by --data-dir /
; JBDESK_HOME. The installer never writes there and the uninstaller deliberately does NOT delete it:
; there is no [UninstallDelete] or [Code] section touching it, so reports survive an uninstall,
; an upgrade or a reinstall. To remove the data, delete that folder by hand.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "jbdesk"
#define AppDisplayName "jbdesk 사회서비스원 보고"
#define AppPublisher "전북특별자치도사회서비스원"
#define AppExe "jbdesk.exe"
#define RepoRoot AddBackslash(SourcePath) + ".."
#ifndef DistDir
  #define DistDir RepoRoot + "\dist\jbdesk"
#endif
#ifndef OutDir
  #define OutDir RepoRoot + "\dist\installer"
#endif

[Setup]
; AppId identifies the product for upgrades and uninstall: never change it.
AppId={{2F247CDF-6D8D-4A21-ACF5-3F662A8D0127}
AppName={#AppName}
AppVerName={#AppDisplayName} {#AppVersion}
AppVersion={#AppVersion}
VersionInfoVersion={#AppVersion}
AppPublisher={#AppPublisher}
AppCopyright={#AppPublisher}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppDisplayName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
UsePreviousPrivileges=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; The bundled NanumGothic fonts are under the SIL Open Font License: shown before installing
; (as information, not a licence the user must accept) and installed as {app}\licenses\OFL.txt.
InfoBeforeFile={#RepoRoot}\resources\fonts\OFL.txt
SetupIconFile={#RepoRoot}\resources\icons\jbdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppDisplayName}
OutputDir={#OutDir}
OutputBaseFilename={#AppName}-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "korean"; MessagesFile: "compiler:Languages\Korean.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the program folder's runtime completely, so no stale DLLs or modules from an
; older build are left behind. This only touches {app}\_internal, never the user data folder.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The whole PyInstaller one-folder build: jbdesk.exe (GUI), jbdesk-cli.exe (console) and _internal\
; (runtime, Qt, resources\fonts|data|icons, jbdesk\store\migrations).
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#RepoRoot}\resources\fonts\OFL.txt"; DestDir: "{app}\licenses"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppDisplayName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppDisplayName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#StringChange(AppDisplayName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent
