// Answering fax machines at numbers of the simulated line (`faxvault sim --remote 5551234[,ecm]`):
// what the appliance sends from the panel, its send queue or `--send` reaches a machine that
// answers, and the pages it received are written as PNG files a person can open
// (DIR/remote-NUMBER/page-N.png), each announced with its path.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from './session.ts';
import type { RemoteFax } from './line/index.ts';
import { readRawFax } from '../host/image/raw.ts';
import { encodePngBitmap } from '../host/image/png.ts';

export interface RemoteSpec {
  number: string;
  ecm: boolean;
}

/** `5551234` or `5551234,ecm`; throws an Error naming what is wrong. */
export function parseRemote(text: string): RemoteSpec {
  const m = /^([0-9*#]{1,20})(,ecm)?$/.exec(text);
  if (!m) throw new Error(`--remote must be a number, optionally with ,ecm (e.g. 5551234 or 5551234,ecm; got '${text}')`);
  return { number: m[1], ecm: !!m[2] };
}

export interface RemoteMachines {
  /** Write the pages received since the last look; one line per machine that got some. */
  collect(): string[];
}

export function attachRemoteMachines(session: Session, specs: RemoteSpec[], dir: string): RemoteMachines {
  const line = session.sim.line;
  if (!line) throw new Error('--remote needs the virtual line (--modem virtual)');
  const machines: { spec: RemoteSpec; far: RemoteFax; saved: number }[] = [];
  for (const spec of specs) {
    const far = line.attachRemote(spec.number, { role: 'receive', ecm: spec.ecm, coding: spec.ecm ? 'MMR' : 'MR', fine: true, ident: spec.number });
    machines.push({ spec, far, saved: 0 });
  }
  return {
    collect() {
      const out: string[] = [];
      for (const m of machines) {
        if (m.far.pages.length <= m.saved) continue;
        const folder = join(dir, 'remote-' + m.spec.number);
        mkdirSync(folder, { recursive: true });
        const files: string[] = [];
        const coding = (m.far.result.coding || 'MH').toLowerCase() as 'mh' | 'mr' | 'mmr';
        for (let i = m.saved; i < m.far.pages.length; i++) {
          const [p] = readRawFax(m.far.pages[i], { coding });
          if (!p) continue;
          const f = join(folder, `page-${i + 1}.png`);
          writeFileSync(f, encodePngBitmap(p));
          files.push(f);
        }
        m.saved = m.far.pages.length;
        out.push(`remote ${m.spec.number} received ${files.length} page${files.length === 1 ? '' : 's'}: ${files.join(' ')}`);
      }
      return out;
    },
  };
}
