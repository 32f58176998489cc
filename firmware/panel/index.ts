// The front panel. `createPanel()` builds the Panel object with the menu entries of this folder;
// other concerns add theirs with `panel.addItem(label, state)` before the kernel starts.
//   Keys (hal/keypad.ts): MENU/OK open the menu; UP/DOWN move; OK or a digit chooses; BACK/STOP leave.
export { Panel, IDLE, MENU, MESSAGE, fit, IDLE_TIMEOUT_MS } from './panel.ts';
export type { PanelStatus, KeyEvt, MenuItem } from './panel.ts';
export { STATUS, FIRMWARE_VERSION } from './status-screen.ts';
export { SET_TIME } from './set-time.ts';
