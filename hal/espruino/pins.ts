// The appliance board's wiring, in one place. Pin names are the board's (ESP32 GPIO numbers
// here, as Espruino writes them: D12 …). Change this object for another board.
export interface PinMap {
  modemRx: string;
  modemTx: string;
  modemBaud: number;
  modemDtr: string;
  hookRelay: string;
  ringDetect: string;
  loopCurrent: string;
  /** HD44780 in 4-bit mode: rs, en, d4..d7. */
  lcd: string[];
  keypadRows: string[];
  keypadCols: string[];
  /** ESC/POS thermal printer on a second UART (tx) with a paper sensor input. The UART is named
   *  as the interpreter names it; on an ESP32 Serial1 is the console (UART0 on D1/D3, its setup
   *  ignores rx/tx), so the printer takes Serial3. */
  printerUart: string;
  printerTx: string;
  /** Given so the UART does not take its default rx: Serial3's is GPIO16, the modem's receive line. */
  printerRx: string;
  paperSensor: string;
  /** Flash region for the record store: first byte address and sectors of 4 KB. */
  storeAddress: number;
  storeSectors: number;
  /**
   * An external SPI NOR flash chip for the store instead (a larger store: a 4 MB chip holds
   * about 69 typical pages, the internal region about 17). Its size comes from the chip.
   */
  storeChip?: StoreChip;
}

/** The wiring of an external SPI flash chip (hal/espruino/spi-flash.ts). */
export interface StoreChip {
  /** The hardware SPI bus as the interpreter names it: 'SPI1', 'SPI2'. */
  spi: string;
  sck: string;
  miso: string;
  mosi: string;
  /** Chip select (active low). */
  cs: string;
  /** Clock in Hz (default 8 MHz). */
  baud?: number;
  /** Use at most this many bytes of the chip (default: all of it, up to 16 MB). */
  maxBytes?: number;
}

/**
 * Documents an ESP32's store keeps at most (the board's `storeMaxDocuments`), whatever its flash:
 * each kept document's index is ~62 variables (three pages), so 30 add ~1,900 to every moment
 * the bench measures with one (docs/ESPRUINO.md, "Documents kept").
 */
export const ESP32_MAX_DOCUMENTS = 30;

export const ESP32_APPLIANCE: PinMap = {
  modemRx: 'D16',
  modemTx: 'D17',
  modemBaud: 115200,
  modemDtr: 'D4',
  hookRelay: 'D25',
  ringDetect: 'D34',
  loopCurrent: 'D35',
  lcd: ['D13', 'D12', 'D14', 'D27', 'D26', 'D33'],
  keypadRows: ['D32', 'D15', 'D2', 'D0'],
  keypadCols: ['D18', 'D19', 'D21', 'D22', 'D23', 'D1'],
  printerUart: 'Serial3',
  printerTx: 'D5',
  printerRx: 'D36', // input-only and otherwise unused (a printer status line could go here)
  paperSensor: 'D39',
  // 1 MB between the firmware and the 'flash' partition (0x310000): the ESP32 builds' Storage,
  // where the saved code lives, is 0x320000–0x3FFFFF and must not be touched; the Flash module
  // reaches only the first 4 MB. (IDF4 partition table: the app partition ends at 0x204000; in the
  // older table this is the unused ota_0.) Another partition table needs another address here.
  storeAddress: 0x210000,
  storeSectors: 256,
};
