// Front-panel keys. Key names: '0'-'9', '*', '#', and the function keys below.

export type KeyName =
  | '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#'
  | 'MENU' | 'OK' | 'BACK' | 'UP' | 'DOWN' | 'START' | 'STOP' | 'BOX' | 'REPORT' | 'SPEED';

export const KEY_NAMES: KeyName[] = [
  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#',
  'MENU', 'OK', 'BACK', 'UP', 'DOWN', 'START', 'STOP', 'BOX', 'REPORT', 'SPEED',
];

export interface Keypad {
  onKey: ((key: KeyName) => void) | null;
}
