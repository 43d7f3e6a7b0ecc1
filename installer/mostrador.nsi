; Mostrador installer: per user, no administrator, side-by-side versions.
;
;   makensis -DVERSION=0.2.0 -DAPPDIR=..\build\dist\Mostrador ^
;            -DLAUNCHERDIR=..\build\dist\MostradorLauncher [-DUPDATE_URL=https://...] mostrador.nsi
;
; Layout under $LOCALAPPDATA\Programs\Mostrador (the updater's install root):
;   MostradorLauncher.exe + _internal\   the launcher (the shortcuts start it)
;   versions\<VERSION>\                  the app; the launcher adopts it (first install: current;
;                                        a newer one over an install: started like an update,
;                                        after a data snapshot, with the health check)
;   update.json                          where to look for updates (when UPDATE_URL is given)
; The shop's data (till store, settings, logs) lives in $LOCALAPPDATA\Mostrador\Mostrador and
; is kept by the uninstaller unless "Delete the shop data" is ticked.

Unicode true
!ifdef QUICK  ; scripts/build_bundle.sh on Linux: checks the script compiles, fast
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef APPDIR
  !define APPDIR "..\build\dist\Mostrador"
!endif
!ifndef LAUNCHERDIR
  !define LAUNCHERDIR "..\build\dist\MostradorLauncher"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\build\dist\Mostrador-${VERSION}-setup.exe"
!endif
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Mostrador"
!define DATA_DIR "$LOCALAPPDATA\Mostrador\Mostrador"

Name "Mostrador ${VERSION}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\Mostrador"
InstallDirRegKey HKCU "Software\Mostrador" "InstallDir"
ShowInstDetails show

!include "MUI2.nsh"
!define MUI_ICON "..\resources\icons\mostrador.ico"
!define MUI_UNICON "..\resources\icons\mostrador.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\MostradorLauncher.exe"
!define MUI_COMPONENTSPAGE_NODESC

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Spanish"
!insertmacro MUI_LANGUAGE "English"

LangString SecDataName ${LANG_SPANISH} "Borrar también los datos de la tienda (caja, ajustes, copias)"
LangString SecDataName ${LANG_ENGLISH} "Also delete the shop data (till, settings, snapshots)"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=${LANG_SPANISH} "ProductName" "Mostrador"
VIAddVersionKey /LANG=${LANG_SPANISH} "FileDescription" "Instalador de Mostrador"
VIAddVersionKey /LANG=${LANG_SPANISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SPANISH} "LegalCopyright" "Mostrador"

Section "Mostrador" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File /r "${LAUNCHERDIR}\*.*"
  ; A new folder per version: a running version is never overwritten.
  SetOutPath "$INSTDIR\versions\${VERSION}"
  File /r "${APPDIR}\*.*"
  !ifdef UPDATE_URL
    FileOpen $0 "$INSTDIR\update.json" w
    FileWrite $0 '{"url": "${UPDATE_URL}"}$\r$\n'
    FileClose $0
  !endif

  CreateDirectory "$SMPROGRAMS\Mostrador"
  CreateShortCut "$SMPROGRAMS\Mostrador\Mostrador.lnk" "$INSTDIR\MostradorLauncher.exe" "" "$INSTDIR\MostradorLauncher.exe" 0
  CreateShortCut "$SMPROGRAMS\Mostrador\Desinstalar Mostrador.lnk" "$INSTDIR\Uninstall.exe"
  CreateShortCut "$DESKTOP\Mostrador.lnk" "$INSTDIR\MostradorLauncher.exe" "" "$INSTDIR\MostradorLauncher.exe" 0

  WriteUninstaller "$INSTDIR\Uninstall.exe"
  WriteRegStr HKCU "Software\Mostrador" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "Mostrador"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "Mostrador"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\MostradorLauncher.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "-un.Mostrador" UnSecMain
  Delete "$DESKTOP\Mostrador.lnk"
  RMDir /r "$SMPROGRAMS\Mostrador"
  RMDir /r "$INSTDIR\versions"
  RMDir /r "$INSTDIR\_internal"
  RMDir /r "$INSTDIR\downloads"
  RMDir /r "$INSTDIR\metadata"
  RMDir /r "$INSTDIR\locks"
  RMDir /r "$INSTDIR\reports"
  Delete "$INSTDIR\MostradorLauncher.exe"
  Delete "$INSTDIR\state.json"
  Delete "$INSTDIR\update.json"
  Delete "$INSTDIR\started.log"
  Delete "$INSTDIR\Uninstall.exe"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\Mostrador"
  RMDir "$INSTDIR"  ; only if empty: the snapshots stay unless the box below is ticked
SectionEnd

Section /o "un.$(SecDataName)" UnSecData
  RMDir /r "$INSTDIR\snapshots"
  RMDir "$INSTDIR"
  RMDir /r "${DATA_DIR}"
  RMDir "$LOCALAPPDATA\Mostrador"
SectionEnd
