// Events carry a signal name (readable in traces) and whatever fields their sender adds.
export interface Evt {
  sig: string;
}

/** Sent to a state when it is entered / left (QP's Q_ENTRY_SIG / Q_EXIT_SIG). */
export const ENTRY: Evt = { sig: 'ENTRY' };
export const EXIT: Evt = { sig: 'EXIT' };
