// NOR-flash-like storage: erase sets a sector to 0xFF, programming can only clear bits.

export interface Flash {
  readonly sectorSize: number;
  readonly sectorCount: number;
  /** Read `length` bytes at absolute byte address `addr`. */
  read(addr: number, length: number): Uint8Array;
  /** Program bytes at `addr` (bits only go 1 -> 0). Must not cross a sector boundary. */
  program(addr: number, data: Uint8Array): void;
  /** Erase one whole sector to 0xFF. */
  erase(sector: number): void;
}
