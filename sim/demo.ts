// The quick-start demo (`npm start`): embedded settings with confidential box 12, and a remote
// fax machine that sends a two-page letter to box 12 a few seconds after boot. Without a
// terminal it also plays a key script and exits; in a terminal the keys are yours.
import { newBitmap, rowOf } from '../host/image/bitmap.ts';
import type { Bitmap } from '../host/image/bitmap.ts';
import { paintTextRow, CELL_H, MARGIN_Y } from '../firmware/print/text-page.ts';

export const DEMO_SETTINGS = {
  station: { ident: '+49 30 1234567', name: 'faxvault demo', number: '100' },
  fax: { ringsBeforeAnswer: 2, ecm: true, maxRate: 14400, unknownSub: 'ordinary' },
  panel: { utcOffsetMinutes: 0, adminCode: '1234' },
  boxes: [{ number: '12', owner: 'mail:ann@example.com', code: '4711', protection: 'all' }],
};

export const DEMO_BOX = '12';

/**
 * Key script of the scripted demo: wait for the call to box 12, print the box with its pass code
 * (4711), keep the document, look at the status screen.
 */
export const DEMO_KEYS = 'wait:45s BOX 12 OK 4711 OK wait:3s BACK wait:3s MENU 1 DOWN BACK BACK wait:2s';

/** A fine A4-width page of text lines (the letter the remote machine sends). */
export function textPage(lines: string[], height: number): Bitmap {
  const b = newBitmap(1728, height, 204, 196);
  for (let i = 0; i < lines.length; i++) {
    for (let y = 0; y < CELL_H; y++) {
      const at = MARGIN_Y + i * (CELL_H + 6) + y;
      if (at < height) paintTextRow(lines[i], y, rowOf(b, at));
    }
  }
  return b;
}

export function demoLetter(): Bitmap[] {
  return [
    textPage(['CONFIDENTIAL - FOR ANN ONLY', '', 'Quarterly figures, draft 3', 'Revenue   4,210', 'Costs     3,877', '', 'page 1 of 2'], 600),
    textPage(['CONFIDENTIAL - FOR ANN ONLY', '', 'Please do not forward.', '', 'page 2 of 2'], 600),
  ];
}
