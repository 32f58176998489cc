// The board's key store: a few small secrets kept apart from the data flash, so a copy of the
// data flash alone does not reveal them. On an ESP32 this is an NVS partition under flash
// encryption (the AES key sits in eFuses, readable only by the flash controller); the simulator
// keeps it in a separate file. Optional: a board without one keeps the device secret as a
// record of the data flash, which only flash encryption protects (docs/SECURITY.md).

export interface KeyStore {
  read(name: string): Uint8Array | null;
  /** False when it could not be written. */
  write(name: string, value: Uint8Array): boolean;
}
