// mkdir -p without Node's recursive mkdir, which never returns on some paths (under /proc it
// spins at 100% CPU: the kernel answers ENOENT for a name whose parent exists, and the
// recursive walk retries forever). Here each missing folder is made once, top down, and the
// first failure is thrown as it is.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeDirs(dir: string, mode = 0o777): void {
  const missing: string[] = [];
  for (let p = resolve(dir); !existsSync(p); ) {
    missing.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const m of missing.reverse()) mkdirSync(m, { mode });
}
