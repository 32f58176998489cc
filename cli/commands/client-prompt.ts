// The question `faxvault client` asks in a terminal when no --code was given: "fetch now? pass
// code:" (the patent's S24–S26), answered within a set time or left (S38: the notice stays, the
// document waits in its box). The code is read in raw mode, one key at a time, and not echoed —
// it is the box's secret, and a terminal's scroll-back or a screen share would keep it.
// Questions are asked one at a time (notices that arrive meanwhile wait their turn).

/** How the question ended. */
export type Answer =
  | { kind: 'code'; code: string }
  /** Enter on an empty line, or Ctrl-D: not now. */
  | { kind: 'later' }
  /** Nothing typed within the time: left, as if not now. */
  | { kind: 'timeout' }
  /** Ctrl-C (raw mode turns it into a key): the program should stop. */
  | { kind: 'interrupt' };

/** The terminal (process.stdin / stdout in the program; tests may pass others). */
export interface PromptIo {
  input: NodeJS.ReadStream;
  output: NodeJS.WritableStream;
}

/** Pass codes are short digit strings (the panel's keypad); more than this is not a code. */
const MAX_CODE = 32;

/** Asks `question` and reads a line without echo; `seconds` without Enter ends it as a timeout. */
export function askCode(question: string, seconds: number, io: PromptIo = { input: process.stdin, output: process.stdout }): Promise<Answer> {
  const { input, output } = io;
  return new Promise((resolve) => {
    let typed = '';
    let over = false;
    const raw = input.isTTY === true && typeof input.setRawMode === 'function';
    const finish = (a: Answer) => {
      if (over) return;
      over = true;
      clearTimeout(timer);
      input.removeListener('data', onData);
      if (raw) input.setRawMode(false);
      input.pause();
      output.write('\n');
      resolve(a);
    };
    const onData = (chunk: Buffer | string) => {
      const s = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      for (const ch of s) {
        if (ch === '\r' || ch === '\n') return finish(typed ? { kind: 'code', code: typed } : { kind: 'later' });
        if (ch === '\u0003') return finish({ kind: 'interrupt' });
        if (ch === '\u0004' && typed === '') return finish({ kind: 'later' });
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch === '\u0015') typed = ''; // Ctrl-U: the line again
        else if (ch >= ' ' && typed.length < MAX_CODE) typed += ch;
      }
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), seconds * 1000);
    // Raw (no echo) before the question shows: keys typed as soon as it appears are not echoed.
    if (raw) input.setRawMode(true);
    input.on('data', onData);
    input.resume();
    output.write(question);
  });
}

/** Runs asynchronous questions one after another, in the order they were asked for. */
export class PromptQueue {
  private tail: Promise<void> = Promise.resolve();

  add(job: () => Promise<void>): void {
    this.tail = this.tail.then(job).catch((e) => {
      process.stderr.write(`faxvault client: ${(e as Error).message}\n`);
    });
  }
}
