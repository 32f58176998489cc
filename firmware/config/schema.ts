// A small schema language for the appliance's settings: enough to validate a JSON settings file
// with messages that name the bad field (`fax.ringsBeforeAnswer: must be an integer from 1 to 9`),
// and to fill in defaults. Runs on the device too (settings arrive from the panel, the LAN, a file).

export type Schema =
  | { type: 'string'; min?: number; max?: number; pattern?: RegExp; patternText?: string; def?: string }
  | { type: 'int'; min: number; max: number; def?: number }
  | { type: 'bool'; def?: boolean }
  | { type: 'enum'; values: string[]; def?: string }
  | { type: 'object'; fields: { [name: string]: Schema }; optional?: string[] }
  | { type: 'array'; of: Schema; max: number; def?: unknown[] };

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 24 ? v.substring(0, 24) + '…' : v);
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}

/**
 * Check `value` against `schema`; returns the value with defaults filled in. Every problem is
 * pushed to `errors` as `path: message`; the caller must not use the result when errors exist.
 */
export function check(schema: Schema, value: unknown, path: string, errors: string[]): unknown {
  const at = path || '(top level)';
  if (value === undefined && 'def' in schema && schema.def !== undefined) return schema.def;
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') {
        errors.push(at + ': must be a string (got ' + describe(value) + ')');
        return value;
      }
      if (schema.min !== undefined && value.length < schema.min) errors.push(at + ': must have at least ' + schema.min + ' characters');
      if (schema.max !== undefined && value.length > schema.max) errors.push(at + ': must have at most ' + schema.max + ' characters');
      if (schema.pattern && !schema.pattern.test(value)) errors.push(at + ': ' + (schema.patternText || 'has a bad format') + ' (got ' + describe(value) + ')');
      return value;
    case 'int':
      if (typeof value !== 'number' || Math.floor(value) !== value || value < schema.min || value > schema.max) {
        errors.push(at + ': must be an integer from ' + schema.min + ' to ' + schema.max + ' (got ' + describe(value) + ')');
      }
      return value;
    case 'bool':
      if (typeof value !== 'boolean') errors.push(at + ': must be true or false (got ' + describe(value) + ')');
      return value;
    case 'enum':
      if (typeof value !== 'string' || schema.values.indexOf(value) < 0) {
        errors.push(at + ': must be one of ' + schema.values.join(', ') + ' (got ' + describe(value) + ')');
      }
      return value;
    case 'array': {
      if (value === undefined) return [];
      if (!Array.isArray(value)) {
        errors.push(at + ': must be a list (got ' + describe(value) + ')');
        return value;
      }
      if (value.length > schema.max) errors.push(at + ': at most ' + schema.max + ' entries (got ' + value.length + ')');
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) out.push(check(schema.of, value[i], path + '[' + i + ']', errors));
      return out;
    }
    case 'object': {
      if (value === undefined) value = {};
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errors.push(at + ': must be an object (got ' + describe(value) + ')');
        return value;
      }
      const obj = value as { [k: string]: unknown };
      const out: { [k: string]: unknown } = {};
      const keys = Object.keys(obj);
      for (let i = 0; i < keys.length; i++) {
        if (!(keys[i] in schema.fields)) errors.push((path ? path + '.' : '') + keys[i] + ': unknown setting');
      }
      const names = Object.keys(schema.fields);
      for (let i = 0; i < names.length; i++) {
        const n = names[i];
        const sub = schema.fields[n];
        const p = path ? path + '.' + n : n;
        if (obj[n] === undefined && !('def' in sub && sub.def !== undefined) && sub.type !== 'object' && sub.type !== 'array') {
          if (schema.optional && schema.optional.indexOf(n) >= 0) continue;
          errors.push(p + ': missing');
          continue;
        }
        out[n] = check(sub, obj[n], p, errors);
      }
      return out;
    }
  }
  return value;
}
