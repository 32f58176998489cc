// Prepended to the device bundle: the few built-ins the Espruino interpreter lacks that the
// lowered code (ours or noble's) calls. Each is defined only where missing. Keep this small: every
// function here costs device variables. scripts/check-device-bundle.mjs allows exactly these.
if (!Math.imul) Math.imul = function (a, b) { var ah = (a >>> 16) & 0xffff, al = a & 0xffff, bh = (b >>> 16) & 0xffff, bl = b & 0xffff; return (al * bl + (((ah * bl + al * bh) << 16) >>> 0)) | 0; };
if (!Math.clz32) Math.clz32 = function (x) { x >>>= 0; if (x === 0) return 32; var n = 0; while (!(x & 0x80000000)) { x <<= 1; n++; } return n; };
if (!Math.trunc) Math.trunc = function (x) { return x < 0 ? Math.ceil(x) : Math.floor(x); };
if (!Number.isInteger) Number.isInteger = function (x) { return typeof x === 'number' && isFinite(x) && Math.floor(x) === x; };
if (!Number.isSafeInteger) Number.isSafeInteger = function (x) { return Number.isInteger(x) && Math.abs(x) <= 9007199254740991; };
if (!Object.freeze) Object.freeze = function (o) { return o; };
if (!Array.from) Array.from = function (a, f) { var r = []; for (var i = 0; i < a.length; i++) r.push(f ? f(a[i], i) : a[i]); return r; };
