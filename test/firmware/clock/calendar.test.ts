import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { civilFromMs, msFromCivil, fmtDateTime, fmtPanelClock, validCivil } from '../../../firmware/clock/calendar.ts';

test('agrees with Date over four centuries of random instants', () => {
  let seed = 12345;
  for (let i = 0; i < 2000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const ms = Math.floor((seed / 2147483648) * 4e12) * 3 - 2e12;
    const c = civilFromMs(ms);
    const d = new Date(ms);
    assert.equal(
      [c.year, c.month, c.day, c.hour, c.minute, c.second],
      [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()],
    );
    assert.is(msFromCivil(c), Math.floor(ms / 1000) * 1000);
  }
});

test('formats for reports and the idle screen', () => {
  const t = Date.UTC(2026, 10, 25, 9, 5, 7);
  assert.is(fmtDateTime(t), '2026-11-25 09:05');
  assert.is(fmtPanelClock(t), '25.11. 09:05:07');
});

test('validates dates typed on the panel', () => {
  assert.ok(validCivil({ year: 2028, month: 2, day: 29, hour: 23, minute: 59, second: 0 }));
  assert.not.ok(validCivil({ year: 2027, month: 2, day: 29, hour: 0, minute: 0, second: 0 }));
  assert.not.ok(validCivil({ year: 2026, month: 13, day: 1, hour: 0, minute: 0, second: 0 }));
  assert.not.ok(validCivil({ year: 2026, month: 4, day: 31, hour: 0, minute: 0, second: 0 }));
  assert.not.ok(validCivil({ year: 2026, month: 4, day: 30, hour: 24, minute: 0, second: 0 }));
});

test.run();
