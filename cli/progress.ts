// Progress of a long page-by-page job (`convert`, `docs export`) on a terminal: one line on
// stderr rewritten in place ("writing out.pdf: page 3 of 12"), cleared at the end. Nothing is
// printed when stderr is not a terminal (scripts, tests, pipes) or for a single page.

export interface Progress {
  page(n: number): void;
  done(): void;
}

export function pageProgress(what: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total < 2) return { page() {}, done() {} };
  let shown = false;
  return {
    page(n: number): void {
      stream.write(`\r${what}: page ${n} of ${total}\x1b[K`);
      shown = true;
    },
    done(): void {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
