// This board has no image sensor: documents to send come from the LAN (the appliance's fax
// server role). The scanner reports an empty feeder, which the panel shows as "No document".
import type { Scanner, ScanPageInfo } from '../scanner.ts';

export class NoScanner implements Scanner {
  onDocument: ((present: boolean) => void) | null = null;
  documentPresent(): boolean {
    return false;
  }
  beginPage(): ScanPageInfo | null {
    return null;
  }
  nextLine(): Uint8Array | null {
    return null;
  }
}
