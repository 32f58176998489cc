// Settings for a simulator run: the embedded demo configuration, or a JSON file validated by the
// firmware's own schema (every bad field named).
import { readFileSync } from 'node:fs';
import { validateSettings } from '../firmware/app/settings.ts';
import type { Settings } from '../firmware/config/settings.ts';
import { UsageError } from '../cli/command.ts';
import { DEMO_SETTINGS } from './demo.ts';

export function loadSettings(file: string | null): Settings {
  let json: unknown = DEMO_SETTINGS;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read config file ${file}: ${(e as Error).message}`);
    }
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
    }
  }
  const r = validateSettings(json);
  if (!r.settings) {
    throw new UsageError(`config file ${file ?? '(embedded)'} has ${r.errors.length} error(s):\n  ` + r.errors.join('\n  '));
  }
  // A box without a pass code (or its hash) can never be opened at the panel or by docs: its
  // documents would be stuck. Refused here, naming the boxes.
  const boxes = (r.settings.boxes as { number: string; code?: string; codeHash?: string }[] | undefined) ?? [];
  const closed = boxes.filter((b) => b.code === undefined && !b.codeHash).map((b) => b.number);
  if (closed.length) {
    throw new UsageError(`config file ${file ?? '(embedded)'}: box ${closed.join(', ')} has no pass code ("code"): nothing stored in it could ever be opened`);
  }
  return r.settings;
}
