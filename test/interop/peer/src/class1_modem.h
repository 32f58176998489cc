/*
 * class1_modem: SpanDSP's T.31 Class 1 modem (t31_*) attached to a dte_link.
 *
 * SpanDSP's AT interpreter reports the DTE's ATD/ATA/ATH and its CTS needs through a modem
 * control callback; the call itself is the application's business. This wrapper records those
 * requests as flags, and the owner (faxpeer's line to a terminal, modempair's line between two
 * modems) raises the call events (CONNECTED after ATD, ANSWERED after ATA, ALERTING for RING)
 * from its main loop, never from inside the AT interpreter.
 */
#ifndef FAXPEER_CLASS1_MODEM_H
#define FAXPEER_CLASS1_MODEM_H

#include <stdint.h>

#include "dte_link.h"

struct t31_state_s;

typedef struct class1_modem {
    struct t31_state_s *t31;
    dte_link_t link;
    const char *tag;
    int dial_requested;          /* ATD seen: the owner connects the call */
    char dialled[64];
    int answer_requested;        /* ATA seen: the owner answers the ringing call */
    int hangup_requested;        /* ATH seen (or the TCP DTE went away) */
    int offhook;                 /* between CONNECT/ANSWER and ATH */
} class1_modem_t;

int class1_modem_init(class1_modem_t *m, const char *tag, int tcp_port, int log);
/* Poll/feed glue: call with the link's revents. */
void class1_modem_service(class1_modem_t *m, short revents_in, short revents_out);
/* Audio: generate `len` samples (zero-padded when the modem is silent) and take `len` in. */
void class1_modem_tx(class1_modem_t *m, int16_t *amp, int len);
void class1_modem_rx(class1_modem_t *m, int16_t *amp, int len);
/* Call events (SpanDSP's at_call_event_e). */
void class1_modem_ring(class1_modem_t *m);
void class1_modem_connected(class1_modem_t *m);
void class1_modem_answered(class1_modem_t *m);
void class1_modem_remote_hangup(class1_modem_t *m);
/* The number dialled is engaged: the DTE gets BUSY. */
void class1_modem_busy(class1_modem_t *m);
void class1_modem_close(class1_modem_t *m);

#endif
