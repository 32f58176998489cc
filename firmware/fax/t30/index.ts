// The fax line for the rest of the appliance: a T.30 session (ITU-T T.30, Group 3, with ECM per
// Annex A) on a Class 1 modem (ITU-T T.31). Both are active objects on the kernel.
//
//   const c1 = new Class1(board.modemUart, PRIO_C1);          // firmware/fax/class1/driver.ts
//   const fax = new T30Session(c1, PRIO_T30, {
//     ident: '+49 30 5550100',                                 // our CSI/TSI
//     caps: defaultCaps(),                                     // what we offer in DIS / may pick in DCS
//     policy: { maxBadPercent: 5, maxBadRun: 10, rtpOnErrors: false },   // receiver's RTN policy
//     autoAnswerRings: 2,                                      // 0: answer only on fax.answer()
//     ecmBlockFrames: 64,                                      // sender's ECM block (× 256 octets of RAM)
//     sink: { pageStart(info) {…}, pageData(bytes) {…}, pageEnd(confirmed, quality) {…} }, // each: null or a Refusal
//     onCallEnd(record) {…},                                   // one JournalRecord per call
//     sender: linkedSender,                                    // to send too (linked-sender.ts; a board: a module)
//   });
//   kernel.add(c1); kernel.add(fax); kernel.start();           // the session sets the modem up
//   fax.send({ number: '5550199', pages: [{ width: 1728, fine: true, open() { return rows; } }], sub: '12', sid: 'pw' });
//   fax.answer();                                              // on RING, when not auto-answering
//   fax.cancel();                                              // STOP: DCN at the next turn, 'cancelled'
//
// Sending: pages are rows (packed 1-bit, MSB first, 1 = black); the session codes them in the
// negotiated coding (MMR with ECM when both ends can, else MR, else MH), halves fine pages for a
// standard-only receiver, pads lines to the receiver's minimum scan-line time, and may call
// `open()` again to resend a page after RTN.
// Receiving: pages stream to `sink` as coded data exactly as on the line (LSB first) with their
// parameters (width, resolution, coding, ECM, rate) and the call's remote TSI, SUB and password
// (SID). `pageEnd(true)` means the page was confirmed with MCF/RTP and must be kept;
// `pageEnd(false)` means it was refused (RTN) or the call broke before MCF: discard it.
// Every method of the sink answers null (taken) or a Refusal ({ full, reason }): a Refusal from
// `pageStart`/`pageData`/`pageEnd(true)` makes the receiver refuse the page with DCN and end the
// call cleanly ('memory-full' when `full`, else 'refused' with its reason): the sender then
// knows the page was not delivered. An optional `sink.accept(info)` is asked when DCS arrives
// (TSI, SUB, password known): a Refusal ends the call with DCN before training.
// Every call ends with `onCallEnd({ direction, remoteIdent, number, pages, rate, coding, ecm,
// result, reason, sub, start, duration })`: `result` is a code ('ok', 'busy', 'page-rejected',
// …), `reason` a sentence for the journal printout. A page kept under the bad-line policy with
// some concealed lines is never silent: its PageQuality goes to pageEnd and the reason says
// "…; 5 damaged line(s) concealed on page(s) 2". A policy of { maxBadPercent: 0, maxBadRun: 0 }
// answers RTN to any damaged page (the sender then retrains and sends it again).
export { T30Session } from './session.ts';
export type { SessionOptions, SenderLink } from './session.ts';
export type {
  SendJob, SendPage, RowReader, CodedReader, DocumentSink, Refusal, PageInfo, PageQuality, JournalRecord, ResultCode, BadLinePolicy,
} from './types.ts';
export type { Caps, Params, Coding } from './dis.ts';
import type { Caps } from './dis.ts';
import type { BadLinePolicy } from './types.ts';

/** Everything this terminal can do: V.17/V.29/V.27ter, fine, MH/MR/MMR, ECM, unlimited length, SUB and password. */
export function defaultCaps(): Caps {
  return {
    v27: true, v29: true, v17: true, fine: true, mr: true, mmr: true, ecm: true, widths: 0, lengths: 1,
    minScanStd: 0, minScanFine: 0, sub: true, pwd: true, canReceive: true, canSend: false,
  };
}

/** RTN when more than 5 % of lines or more than 10 consecutive lines were bad. */
export function defaultPolicy(): BadLinePolicy {
  return { maxBadPercent: 5, maxBadRun: 10, rtpOnErrors: false };
}
