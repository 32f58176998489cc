// The LAN protocol's refusals (docs/LAN-PROTOCOL.md §6), apart from the frames (frame.ts, which
// re-exports them): the message bodies (messages.ts) throw them too, and the mail delivery module
// uses those without the frame code (docs/ESPRUINO.md, "Modules loaded on demand").

/** A protocol refusal with a machine-readable code (docs/LAN-PROTOCOL.md §6). */
export interface LanError extends Error {
  code: string;
}

export function lanError(code: string, message: string): LanError {
  const e = new Error('lan: ' + message) as LanError;
  e.code = code;
  return e;
}
