// The parts of the Espruino interpreter's API that hal/espruino uses (espruino.com/Reference).
declare function getTime(): number;
declare function setTime(seconds: number): void;
declare function setTimeout(cb: () => void, ms: number): number;
declare function clearTimeout(id: number): void;
declare function digitalWrite(pin: EspruinoPin, value: boolean | number): void;
declare function digitalRead(pin: EspruinoPin): number;
declare function pinMode(pin: EspruinoPin, mode: string): void;
declare function setWatch(cb: (e: { state: boolean; time: number }) => void, pin: EspruinoPin, opts: { repeat: boolean; edge: string; debounce?: number }): number;
declare function require(name: string): any;
declare function print(text: string): void;
declare const E: { hwRand(): number; reboot?: () => void; on(event: string, cb: () => void): void; toUint8Array(s: string): Uint8Array };
declare const Serial2: EspruinoSerial;
declare const global: any;

type EspruinoPin = any;

interface EspruinoSerial {
  // Serial.setup throws on an option it does not know (src/jsserial.c): these are the ones it takes.
  setup(baud: number, opts: { rx?: EspruinoPin; tx?: EspruinoPin; cts?: EspruinoPin; flow?: 'none' | 'xon'; bytesize?: number; parity?: string; stopbits?: number; errors?: boolean }): void;
  write(data: Uint8Array | string | number[]): void;
  on(event: 'data', cb: (data: string) => void): void;
}
