// The T.30 session's interface types (documented in index.ts).
import type { Coding } from './dis.ts';
import type { Store } from '../../store/index.ts';

export interface RowReader {
  /** The next row (packed 1-bit pixels, MSB first, 1 = black), or null at the end of the page. */
  next(): Uint8Array | null;
}

export interface SendPage {
  width: number;
  /** 196 lines per inch (else 98). */
  fine: boolean;
  /**
   * Start reading the page from its first row; called again when the page must be resent.
   * Absent on a page of a stored document (`stored`), which the sending side opens itself with
   * the decoder it holds (fax/page-rows.ts openSendPage): its code is not resident on a board.
   */
  open?: () => RowReader;
  /** A page of a stored document: its store, document id and page index (0-based). */
  stored?: StoredPageRef;
  /**
   * The page as it is stored, already coded, when that is what the call needs: `coding`,
   * resolution and width as negotiated, first bit of each octet in its LSB, from the first EOL
   * to RTC/EOFB. null (or absent): the session codes the rows itself. Sending stored data as it
   * is costs no coding at line rate (a slow board keeps up).
   */
  coded?: (coding: 'mh' | 'mr' | 'mmr', fine: boolean, width: number) => CodedReader | null;
}

export interface StoredPageRef {
  store: Store;
  doc: number;
  page: number;
}

/** Coded page data piece by piece; null at the end. */
export interface CodedReader {
  next(): Uint8Array | null;
}

export interface SendJob {
  number: string;
  pages: SendPage[];
  /** Subaddress (SUB) and password (SID) for the receiving box, sent if the remote's DIS allows. */
  sub?: string;
  sid?: string;
}

export interface PageInfo {
  /** 1-based page number within the call. */
  page: number;
  width: number;
  fine: boolean;
  coding: Coding;
  ecm: boolean;
  rate: number;
  /** Coded data is LSB first as on the line (TIFF FillOrder 2). */
  bitOrder: 'lsb-first';
  remoteIdent: string;
  sub: string;
  /** The password (SID/PWD frame) that came with DCS. */
  pwd: string;
}

export interface PageQuality {
  lines: number;
  badLines: number;
  maxBadRun: number;
}

/**
 * A sink's "no": why a call or a page cannot be kept. `full`: no room left (the call ends
 * 'memory-full'); otherwise the call ends 'refused' with `reason` (a wrong password, an unknown
 * subaddress).
 */
export interface Refusal {
  full: boolean;
  reason: string;
}

/**
 * Where received pages go. Each method answers the same way: null when it has taken what it was
 * given, a Refusal when it cannot keep the call or the page (the receiver then refuses the page
 * with DCN, never MCF, and the call ends 'memory-full' or 'refused').
 */
export interface DocumentSink {
  /**
   * Optional: asked when DCS arrives (before training), with the call's TSI, SUB and password:
   * a Refusal ends the call at once with DCN (result 'refused', 'call refused: ' + its reason).
   */
  accept?(info: PageInfo): Refusal | null;
  pageStart(info: PageInfo): Refusal | null;
  pageData(bytes: Uint8Array): Refusal | null;
  /**
   * `confirmed`: the page is good and MCF is about to be sent: make it durable now (a Refusal:
   * it could not be kept, the receiver refuses it with DCN instead of MCF).
   * Not confirmed: the page was refused (RTN) or lost: discard it (answer null).
   */
  pageEnd(confirmed: boolean, quality: PageQuality): Refusal | null;
}

export type ResultCode =
  | 'ok'
  | 'busy'
  | 'no-answer'
  | 'no-dialtone'
  | 'no-carrier'
  | 'no-dis'
  | 'no-dcs'
  | 'training-failed'
  | 'no-response'
  | 'page-rejected'
  | 'remote-disconnected'
  | 'line-dropped'
  | 'memory-full'
  | 'refused'
  | 'incompatible'
  | 'ecm-failed'
  | 'modem-error'
  | 'cancelled';

export interface JournalRecord {
  direction: 'send' | 'receive';
  remoteIdent: string;
  number: string;
  /** Pages confirmed (MCF/RTP) in this call. */
  pages: number;
  rate: number;
  coding: Coding | '';
  ecm: boolean;
  result: ResultCode;
  /** What happened, for a person: "page 2 refused three times (RTN), line too noisy". */
  reason: string;
  sub: string;
  /** Wall-clock start (Unix ms) and duration (ms). */
  start: number;
  duration: number;
}

/** The receiver's bad-line policy (T.30 §5.3.6.1.8 leaves the MCF/RTN choice to the receiver). */
export interface BadLinePolicy {
  /** Most bad lines accepted, as a percentage of the page's lines. */
  maxBadPercent: number;
  /** Most consecutive bad lines accepted. */
  maxBadRun: number;
  /** Answer RTP (confirmed, but retrain) instead of MCF when some lines were bad. */
  rtpOnErrors: boolean;
}
