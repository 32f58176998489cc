// Class 1 (ITU-T T.31) modem driver and the software HDLC used for ECM data.
export { Class1 } from './driver.ts';
export type { C1Frames, C1Why, C1DataEnd, Why } from './driver.ts';
export { HdlcEncoder, HdlcDecoder, fcs16, fcsOk } from './hdlc.ts';
