// The trace ring: the last N lines of what happened (frames, transitions, faults), time-stamped
// with the kernel clock, readable by a fax engineer. Optionally echoed live to a sink.

export class TraceRing {
  private lines: string[] = [];
  private next = 0;
  private wrapped = false;
  sink: ((line: string) => void) | null = null;

  constructor(readonly size: number) {}

  add(timeMs: number, who: string, text: string): void {
    const line = fmtTime(timeMs) + ' ' + who + ': ' + text;
    if (this.lines.length < this.size) this.lines.push(line);
    else {
      this.lines[this.next] = line;
      this.wrapped = true;
    }
    this.next = (this.next + 1) % this.size;
    if (this.sink) this.sink(line);
  }

  /** Oldest first. */
  snapshot(): string[] {
    if (!this.wrapped) return this.lines.slice(0);
    return this.lines.slice(this.next).concat(this.lines.slice(0, this.next));
  }
}

/** `12.345` seconds with millisecond precision. */
export function fmtTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const frac = Math.floor(ms - s * 1000);
  return s + '.' + (frac < 10 ? '00' : frac < 100 ? '0' : '') + frac;
}
