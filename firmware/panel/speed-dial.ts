// Speed dial: settings section `speedDial`, up to ten numbers (keys 0-9 after SPEED).
import type { Schema } from '../config/schema.ts';
import type { Settings } from '../config/settings.ts';

export function speedDialSchema(): Schema {
  return {
    type: 'array',
    max: 10,
    of: { type: 'string', max: 20, pattern: /^[0-9*#]*$/, patternText: 'digits, * and # only' },
  };
}

/** The number on speed-dial key `n`, or '' when none. */
export function speedDial(settings: Settings, n: number): string {
  const list = settings.speedDial as string[] | undefined;
  return list && n < list.length ? list[n] : '';
}
