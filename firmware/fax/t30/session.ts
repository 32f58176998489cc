// The T.30 session (ITU-T T.30 §5, phases A–E): one active object for caller and answerer,
// transmitter and receiver, with and without ECM (Annex A), on the Class 1 driver. Its states
// are nested (kernel superstates): what a group of states does alike is written once in their
// parent. Each state below is the node of T.30's flow charts (Figure 5-2 a–d; Annex A for ECM)
// it implements, with the name SpanDSP's t30.c gives the same node where it has one.
//
//   state          parent     T.30 node and what happens there                      SpanDSP
//   FAX            -          top: STOP with no call drops the queued jobs           -
//   INIT           FAX        set the modem up (Class 1), again every 5 s            -
//   IDLE           FAX        on hook; RINGs counted, ANSWER, a job to send          T30_STATE_ANSWERING/T (entry)
//   IN_CALL        FAX        a call: driver failure ends it, STOP cancels it        -
//   RESPONSE       IN_CALL    "response received?" (§5.4.3): T4, three tries, CRP,   repeat_last_command()
//                             DCN; a command's wait is a child of it
//   CANCELLING     FAX        STOP: cut the driver's work short, then phase E        -
//   DISCONNECT     FAX        phase E: DCN, its flags across, then on hook           T30_STATE_C
//   HANGUP         FAX        on hook, the journal record                            T30_STATE_CALL_FINISHED
//   receiver.ts
//   RECEIVING      IN_CALL    the receiving side: the page's decode runs in slices   -
//   R_ANSWER       RECEIVING  node R: answer (CED), T1 starts                        T30_STATE_ANSWERING
//   R_SEND_DIS     RECEIVING  node R→B: CSI + DIS                                    T30_STATE_R
//   R_WAIT_CMD     RECEIVING  "command received?" (T2; T4 and T1 in phase B)         T30_STATE_F_*, _R
//   R_TCF          RECEIVING  node F: TCF checked, CFR or FTT                        T30_STATE_F_TCF
//   R_RESPOND      RECEIVING  a response (CFR/FTT/MCF/RTN/RTP/PPR/CTR/ERR) going out T30_STATE_F_CFR, _F_FTT, _F_POST_RCP_*
//   R_PAGE         RECEIVING  phase C: page data or an ECM block in                  T30_STATE_F_DOC_NON_ECM, _F_DOC_ECM
//   sender.ts
//   T_DIAL         IN_CALL    node T: dial, CNG; T1 from the connection              T30_STATE_T
//   T_WAIT_DIS     IN_CALL    phase B: listen for DIS again until T1                 T30_STATE_T
//   T_SEND_DCS     IN_CALL    node D: TSI, SUB, SID, DCS (a command)                 T30_STATE_D
//   T_TCF          IN_CALL    node D: TCF                                            T30_STATE_D_TCF
//   T_WAIT_CFR     RESPONSE   node D: CFR on, FTT one rate down, DIS = not heard     T30_STATE_D_POST_TCF
//   T_PAGE         IN_CALL    node I: phase C, a page without ECM                    T30_STATE_I
//   T_SEND_POST    IN_CALL    node II: MPS or EOP (a command)                        T30_STATE_II
//   T_WAIT_MCF     RESPONSE   node III: MCF/RTP/PIP on, RTN/PIN retrain and again    T30_STATE_II_Q
//   ecm-sender.ts
//   T_ECM_BLOCK    IN_CALL    node IV: a block of HDLC frames (or the PPR's ones)    T30_STATE_IV
//   T_ECM_PPS      IN_CALL    node IV: PPS-NULL/MPS/EOP (a command)                  T30_STATE_IV_PPS_NULL, _IV_PPS_Q
//   T_ECM_WAIT     RESPONSE   MCF on, PPR resend (4th: CTC), RNR: RR until T5        T30_STATE_IV_PPS_Q
//   T_ECM_RR       IN_CALL    RR after RNR (a command)                               T30_STATE_IV_PPS_RNR
//   T_ECM_CTC      IN_CALL    CTC one rate lower (a command)                         T30_STATE_IV_CTC
//   T_ECM_CTR      RESPONSE   CTR: the block again, long training                    T30_STATE_IV_CTC
//
// Timers (T.30 §5.4.3.2): T1 35 s (phase B), T2 6 s (waiting for a command), T4 3 s (waiting for
// a response), T5 60 s (RNR), each a time event with its expiry handled in IN_CALL (T2/T4: the
// receive ends) or the waiting state; T3 (operator intervention) is not used: no voice here. Every state
// writes a trace line per transition and every frame is traced by name (`<- DIS 14400 fine MH
// MR ECM SUB`, `-> DCS 9600 std MR`); every error path sends DCN while the line is up and hangs
// up; every call ends in one journal record.
import type { Class1 } from '../class1/driver.ts';
import type { State } from '../../kernel/index.ts';
import { CallContext, INIT } from './call.ts';
import type { SessionOptions } from './call.ts';
import { R_ANSWER } from './receiver.ts';

export type { SessionOptions, SenderLink } from './call.ts';

export class T30Session extends CallContext {
  constructor(c1: Class1, prio: number, opts: SessionOptions) {
    super(c1, prio, opts, INIT as State<CallContext>);
    this.answerState = R_ANSWER;
  }
}
