// Preloaded into a CLI process to simulate a power cut: the moment the process opens a file whose
// name contains FV_CRASH_ON (for writing), it kills itself with SIGKILL — no cleanup, no finally.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';

const prefix = process.env.FV_CRASH_ON;
if (prefix) {
  for (const name of ['openSync', 'writeFileSync']) {
    const orig = fs[name];
    fs[name] = function (path, flags, ...rest) {
      const write = name === 'writeFileSync' || (typeof flags === 'string' && /[wa+]/.test(flags)) || (typeof flags === 'number' && (flags & 3) !== 0);
      if (write && typeof path === 'string' && basename(path).includes(prefix)) process.kill(process.pid, 'SIGKILL');
      return orig.call(this, path, flags, ...rest);
    };
  }
  syncBuiltinESMExports();
}
