// The front panel. `createPanel()` builds the Panel object with the menu entries of this folder;
// other concerns add theirs with `panel.addItem(label, state)` before the kernel starts.
//   Keys (hal/keypad.ts): MENU/OK open the menu; UP/DOWN move; OK or a digit chooses; BACK/STOP leave.
export { Panel, IDLE, MENU, MESSAGE, fit, IDLE_TIMEOUT_MS } from './panel.ts';
export type { PanelStatus, KeyEvt, MenuItem } from './panel.ts';
export { STATUS, FIRMWARE_VERSION } from './status-screen.ts';
export { SET_TIME } from './set-time.ts';
// The appliance dialogs (they reach the store, mailbox, spooler and scanner through
// attachServices(panel, services) at boot):
//   BOX_NUMBER   print a confidential box: number → pass code as **** → prints every document of
//                the box → "Delete N documents?"; wrong code / locked / empty / no box each say so
//   REPORTS      1 confidential reception list, 2 journal, 3 settings list
//   SEND_NUMBER  send from the scanner: digits or SPEED + 0-9, START; COPY scans and prints
//   SETTINGS     behind the administrator code (so are REPORTS_GUARDED and SET_TIME_GUARDED; the
//                factory code 0000 only leads to choosing a new one): unknown SUB, box code
//                (resetting it deletes what the box holds), admin code, rings
export { attachServices, services } from './services.ts';
export type { PanelServices } from './services.ts';
export { BOX_NUMBER, BOX_CODE, BOX_DELETE } from './box-print.ts';
export { BOX_PRINTING, setPrintedNext } from './box-printing.ts';
export { REPORTS, printReport } from './reports-menu.ts';
export { SEND_NUMBER, COPY, SCANNING, DIAL_FROM_IDLE } from './send.ts';
export { ADMIN_CODE, ADMIN_MENU, SETTINGS, REPORTS_GUARDED, SET_TIME_GUARDED, askAdmin, guarded } from './admin.ts';
export { speedDialSchema, speedDial } from './speed-dial.ts';
