// firmware/print — the print side of the appliance (owned by the print/scanner engineer of issue 5):
//   - the print spooler (an active object): prints ordinary receptions as they arrive, keeps them in
//     the store while paper is out and resumes when it returns, prints confidential documents only on
//     an explicit request after the pass code;
//   - report rendering with a bitmap font (confidential reception list, call journal, settings list),
//     produced row by row, never as a page bitmap;
//   - the scan path: feeder -> T.4 encoder -> printer (copy) or store (outgoing document / page source
//     for the fax line).
export {};
