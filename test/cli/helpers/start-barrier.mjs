// Preloaded (node --import) into racing CLI processes: each one waits here until the file named
// by FV_BARRIER exists, so they all leave the starting line within a millisecond or two of each
// other instead of whenever Node happened to finish loading.
import { existsSync } from 'node:fs';

const file = process.env.FV_BARRIER;
if (file) {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + 60_000;
  while (!existsSync(file) && Date.now() < until) Atomics.wait(cell, 0, 0, 1);
}
