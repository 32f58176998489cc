// Checks of the `boxes` section beyond the schema: box numbers unique, and each owner a FAXNIKS
// identity (crypto/identity.ts) — delivery computes the key from it, so it must be exact. An
// owner given as a bare address is completed: `ann@example.com` → `mail:ann@example.com`,
// `pc-ann.lan` → `host:pc-ann.lan`; the canonical form replaces what was given.
import type { Settings } from '../config/settings.ts';
import { canonicalIdentity } from '../crypto/identity.ts';
import type { BoxSettings } from './schema.ts';

export function checkBoxes(settings: Settings, errors: string[]): void {
  const boxes = settings.boxes as BoxSettings[] | undefined;
  if (!boxes || !Array.isArray(boxes)) return;
  const seen: { [n: string]: number } = {};
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i];
    if (!b || typeof b.number !== 'string') continue;
    if (seen[b.number] !== undefined) errors.push('boxes[' + i + '].number: box ' + b.number + ' is also boxes[' + seen[b.number] + ']');
    else seen[b.number] = i;
    if (typeof b.owner !== 'string' || b.owner === '') continue;
    let id = b.owner;
    if (id.indexOf(':') < 0) id = (id.indexOf('@') >= 0 ? 'mail:' : 'host:') + id;
    try {
      b.owner = canonicalIdentity(id);
    } catch (e) {
      errors.push('boxes[' + i + '].owner: ' + (e && (e as Error).message ? (e as Error).message : String(e)));
    }
  }
}
