// The front panel: 2×20 LCD and keypad, as one active object. Each screen is a named state;
// menu entries are data (`MenuItem`), so other concerns add their own dialogs (print a box,
// reports, send a fax, settings) as states of this object without touching the menu code.
import { Active, TimeEvt } from '../kernel/index.ts';
import type { State, Evt } from '../kernel/index.ts';
import type { Lcd } from '../../hal/lcd.ts';
import { LCD_COLS } from '../../hal/lcd.ts';
import type { Clock } from '../../hal/clock.ts';
import { fmtPanelClock } from '../clock/calendar.ts';
import type { StoreCapacity } from '../store/capacity.ts';
import { sizeText } from '../store/capacity.ts';

/** What the idle screen shows; the appliance wires it to the line, the store and the mailbox. */
export interface PanelStatus {
  /** Short line state: IDLE, RING, SEND, RECV, DIAL… (at most 4 characters shown). */
  lineState(): string;
  /** Store use in percent. */
  memoryPercent(): number;
  /** Confidential documents waiting to be fetched or printed. */
  waitingConfidential(): number;
  /** The store takes no more documents: the idle screen says so instead of the percentage. */
  memoryFull?: () => boolean;
  /** The store's size and room in typical pages: the Status screen, UP/DOWN at the idle screen. */
  capacity?: () => StoreCapacity;
}

export interface KeyEvt extends Evt {
  key: string;
}

export interface MenuItem {
  label: string;
  state: State<Panel>;
}

/** Leave a dialog for the idle screen when no key came for this long. */
export const IDLE_TIMEOUT_MS = 60000;
const MESSAGE_MS = 2500;

export function fit(text: string): string {
  if (text.length > LCD_COLS) return text.substring(0, LCD_COLS);
  while (text.length < LCD_COLS) text += ' ';
  return text;
}

/**
 * An entry line ('> ' + what is being typed) longer than the LCD shows its end, marked with '<':
 * the digits just typed matter, not the start of a long number.
 */
function scrollEntry(text: string): string {
  if (text.length <= LCD_COLS || text.substring(0, 2) !== '> ') return text;
  return '<' + text.substring(text.length - (LCD_COLS - 1));
}

export class Panel extends Active {
  readonly tick: TimeEvt;
  readonly inactivity: TimeEvt;
  readonly messageTimer: TimeEvt;
  readonly items: MenuItem[] = [];
  /** Keys that open a dialog straight from the idle screen (BOX, REPORT, START…). */
  readonly shortcuts: { [key: string]: State<Panel> } = {};
  /** Two lines to show once the panel is back at the idle screen (set by the appliance). */
  notice: string[] | null = null;
  /** Told each time the panel is back at its idle screen (the appliance lets go of its dialogs). */
  onIdle: (() => void) | null = null;
  menuIndex = 0;
  /** Page or step within the current dialog. */
  page = 0;
  /** Digits typed in the current dialog. */
  entry = '';
  messageText: string[] = ['', ''];
  afterMessage: State<Panel> | null = null;
  lines: string[] = ['', ''];

  constructor(
    prio: number,
    readonly lcd: Lcd,
    readonly clock: Clock,
    readonly status: PanelStatus,
    readonly utcOffsetMinutes: number,
  ) {
    super('panel', prio, 16, IDLE);
    this.tick = new TimeEvt(this, 'TICK');
    this.inactivity = new TimeEvt(this, 'INACTIVE');
    this.messageTimer = new TimeEvt(this, 'MSG_DONE');
  }

  addItem(label: string, state: State<Panel>): void {
    this.items.push({ label: label, state: state });
  }

  addShortcut(key: string, state: State<Panel>): void {
    this.shortcuts[key] = state;
  }

  show(line0: string, line1: string): void {
    const a = fit(scrollEntry(line0));
    const b = fit(scrollEntry(line1));
    if (a !== this.lines[0]) this.lcd.setLine(0, a);
    if (b !== this.lines[1]) this.lcd.setLine(1, b);
    this.lines = [a, b];
  }

  /** Show a message for a moment, then go to `then` (the idle screen by default). */
  message(line0: string, line1: string, then?: State<Panel>): void {
    this.messageText = [line0, line1];
    this.afterMessage = then || IDLE;
    this.tran(MESSAGE);
  }

  localTime(): number {
    return this.clock.wall() + this.utcOffsetMinutes * 60000;
  }

  /** Restart the inactivity timeout (dialogs call this on each key). */
  touch(): void {
    this.inactivity.arm(IDLE_TIMEOUT_MS);
  }
}

/** The first of `choices` that fits the LCD (longer wordings first), else the last one cut. */
function firstFitting(choices: string[]): string {
  for (let i = 0; i < choices.length; i++) if (choices[i].length <= LCD_COLS) return choices[i];
  return choices[choices.length - 1];
}

/**
 * The memory screen: the store's size and use, and the room left in typical pages (an estimate,
 * hence '~'; firmware/store/capacity.ts says what a typical page is).
 */
export function memoryLines(c: StoreCapacity): string[] {
  const size = sizeText(c.flashBytes);
  return [
    firstFitting(['Memory ' + size + ' ' + c.percent + '% used', 'Mem ' + size + ' ' + c.percent + '% used', 'Mem ' + size + ' ' + c.percent + '%']),
    firstFitting(['Room ~' + c.freePages + ' of ' + c.totalPages + ' pages', '~' + c.freePages + ' of ' + c.totalPages + ' pages', '~' + c.freePages + '/' + c.totalPages + ' pages', '~' + c.freePages + '/' + c.totalPages]),
  ];
}

function isDialKey(k: string): boolean {
  return (k >= '0' && k <= '9') || k === '*' || k === '#';
}

function renderIdle(me: Panel): void {
  const st = me.status;
  const line = st.lineState().substring(0, 4);
  const top = fmtPanelClock(me.localTime());
  const mem = st.memoryFull && st.memoryFull() ? 'MEMORY FULL' : 'MEM ' + st.memoryPercent() + '%';
  me.show(top + '    '.substring(0, LCD_COLS - top.length - line.length) + line, mem + '  CONF ' + st.waitingConfidential());
}

export const IDLE: State<Panel> = {
  name: 'IDLE',
  on: function (me: Panel, e: Evt) {
    switch (e.sig) {
      case 'ENTRY': {
        me.inactivity.disarm();
        renderIdle(me);
        const idle = me.onIdle;
        if (idle) idle();
        // Tick on the next whole second of the clock, then every second.
        me.tick.arm(1000 - (me.clock.wall() % 1000), 1000);
        break;
      }
      case 'EXIT':
        me.tick.disarm();
        break;
      case 'TICK':
      case 'STATUS_CHANGED':
        // Something the person must see (a failed send) waits for the idle screen, then shows.
        if (me.notice) {
          const n = me.notice;
          me.notice = null;
          me.message(n[0], n[1], IDLE);
          break;
        }
        renderIdle(me);
        break;

      case 'KEY':
        if ((e as KeyEvt).key === 'MENU' || (e as KeyEvt).key === 'OK') {
          me.menuIndex = 0;
          me.tran(MENU);
        } else if (((e as KeyEvt).key === 'UP' || (e as KeyEvt).key === 'DOWN') && me.status.capacity) {
          // As office machines show their memory on a key: the idle line keeps its MEM n%, an
          // arrow shows the size and the room left in pages for a moment.
          const m = memoryLines(me.status.capacity!());
          me.message(m[0], m[1], IDLE);
        } else if (isDialKey((e as KeyEvt).key) && me.shortcuts['DIAL']) {
          // As office machines do: a digit at the idle screen starts typing a fax number.
          me.entry = (e as KeyEvt).key;
          me.tran(me.shortcuts['DIAL']);
        } else if (me.shortcuts[(e as KeyEvt).key]) {
          me.entry = '';
          me.tran(me.shortcuts[(e as KeyEvt).key]);
        }
        break;
    }
  },
};

function renderMenu(me: Panel): void {
  const n = me.items.length;
  const i = me.menuIndex;
  me.show('>' + (i + 1) + ' ' + me.items[i].label, i + 1 < n ? ' ' + (i + 2) + ' ' + me.items[i + 1].label : '');
}

export const MENU: State<Panel> = {
  name: 'MENU',
  on: function (me: Panel, e: Evt) {
    switch (e.sig) {
      case 'ENTRY':
        me.touch();
        renderMenu(me);
        break;
      case 'INACTIVE':
        me.tran(IDLE);
        break;
      case 'KEY': {
        const k = (e as KeyEvt).key;
        me.touch();
        if (k === 'UP') me.menuIndex = (me.menuIndex + me.items.length - 1) % me.items.length;
        else if (k === 'DOWN') me.menuIndex = (me.menuIndex + 1) % me.items.length;
        else if (k === 'BACK' || k === 'STOP' || k === 'MENU') {
          me.tran(IDLE);
          break;
        } else if (k === 'OK') {
          me.entry = '';
          me.tran(me.items[me.menuIndex].state);
          break;
        } else if (k >= '1' && k <= '9' && Number(k) <= me.items.length) {
          me.menuIndex = Number(k) - 1;
          me.entry = '';
          me.tran(me.items[me.menuIndex].state);
          break;
        }
        renderMenu(me);
        break;
      }
    }
  },
};

export const MESSAGE: State<Panel> = {
  name: 'MESSAGE',
  on: function (me: Panel, e: Evt) {
    switch (e.sig) {
      case 'ENTRY':
        me.show(me.messageText[0], me.messageText[1]);
        me.messageTimer.arm(MESSAGE_MS);
        break;
      case 'EXIT':
        me.messageTimer.disarm();
        break;
      case 'MSG_DONE':
      case 'KEY':
        me.tran(me.afterMessage || IDLE);
        break;
    }
  },
};
