// Calendar arithmetic on Unix milliseconds, without Date (its time zone and formatting differ
// between the interpreter and Node; this is exact and the same everywhere).

export interface CivilTime {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
  hour: number;
  minute: number;
  second: number;
}

/** Days since 1970-01-01 to (y, m, d): the proleptic Gregorian calendar, in eras of 400 years. */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromMs(unixMs: number): CivilTime {
  const secs = Math.floor(unixMs / 1000);
  const days = Math.floor(secs / 86400);
  let rem = secs - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rem / 3600);
  rem -= hour * 3600;
  const minute = Math.floor(rem / 60);
  return { year: year, month: month, day: day, hour: hour, minute: minute, second: rem - minute * 60 };
}

export function msFromCivil(t: CivilTime): number {
  return ((daysFromCivil(t.year, t.month, t.day) * 24 + t.hour) * 60 + t.minute) * 60000 + t.second * 1000;
}

function two(n: number): string {
  return n < 10 ? '0' + n : '' + n;
}

/** `2026-11-25 14:05` */
export function fmtDateTime(unixMs: number): string {
  const c = civilFromMs(unixMs);
  return c.year + '-' + two(c.month) + '-' + two(c.day) + ' ' + two(c.hour) + ':' + two(c.minute);
}

/** `25.11. 14:05:09` — fits the idle screen. */
export function fmtPanelClock(unixMs: number): string {
  const c = civilFromMs(unixMs);
  return two(c.day) + '.' + two(c.month) + '. ' + two(c.hour) + ':' + two(c.minute) + ':' + two(c.second);
}

export function validCivil(t: CivilTime): boolean {
  if (t.year < 2000 || t.year > 2099 || t.month < 1 || t.month > 12 || t.day < 1) return false;
  const dim = daysFromCivil(t.month === 12 ? t.year + 1 : t.year, t.month === 12 ? 1 : t.month + 1, 1) - daysFromCivil(t.year, t.month, 1);
  return t.day <= dim && t.hour < 24 && t.minute < 60 && t.second < 60;
}
