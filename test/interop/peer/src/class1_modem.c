/* class1_modem: SpanDSP t31 + dte_link, call control left to the owner (see class1_modem.h). */
#define _GNU_SOURCE
#include "class1_modem.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <tiffio.h>
#include <spandsp.h>

#include "peer_log.h"

static int at_to_dte(at_state_t *s, void *user_data, const uint8_t *buf, size_t len)
{
    (void) s;
    class1_modem_t *m = user_data;
    dte_link_write(&m->link, buf, len);
    return (int) len;
}

static int modem_control(t31_state_t *s, void *user_data, int op, const char *num)
{
    (void) s;
    class1_modem_t *m = user_data;
    switch (op) {
    case AT_MODEM_CONTROL_CALL:
        snprintf(m->dialled, sizeof(m->dialled), "%s", num ? num : "");
        peer_note("[%s] DTE dials ATD%s", m->tag, m->dialled);
        m->dial_requested = 1;
        break;
    case AT_MODEM_CONTROL_ANSWER:
        peer_note("[%s] DTE answers (ATA)", m->tag);
        m->answer_requested = 1;
        break;
    case AT_MODEM_CONTROL_HANGUP:
    case AT_MODEM_CONTROL_ONHOOK:
        if (m->offhook || m->dial_requested || m->answer_requested) {
            peer_note("[%s] DTE hangs up", m->tag);
            m->hangup_requested = 1;
        }
        m->offhook = 0;
        m->dial_requested = 0;
        m->answer_requested = 0;
        break;
    case AT_MODEM_CONTROL_CTS:
        /* t31 passes the new state of circuit 106 as the pointer's value. */
        dte_link_set_cts(&m->link, (int) (intptr_t) num != 0);
        break;
    default:
        break;
    }
    return 0;
}

int class1_modem_init(class1_modem_t *m, const char *tag, int tcp_port, int log)
{
    memset(m, 0, sizeof(*m));
    m->tag = tag;
    int r = tcp_port >= 0 ? dte_link_open_tcp(&m->link, tcp_port, tag) : dte_link_open_pty(&m->link, tag);
    if (r < 0)
        return -1;
    m->t31 = t31_init(NULL, at_to_dte, m, modem_control, m, NULL, NULL);
    if (!m->t31)
        return -1;
    t31_set_transmit_on_idle(m->t31, TRUE);
    peer_log_attach(t31_get_logging_state(m->t31), tag, log);
    return 0;
}

static void feed_one(void *ctx, uint8_t byte)
{
    class1_modem_t *m = ctx;
    char c = (char) byte;
    t31_at_rx(m->t31, &c, 1);
}

void class1_modem_service(class1_modem_t *m, short revents_in, short revents_out)
{
    if (revents_in)
        dte_link_on_readable(&m->link);
    if (revents_out)
        dte_link_on_writable(&m->link);
    dte_link_feed(&m->link, feed_one, m);
    if (m->link.gone && (m->offhook || m->dial_requested || m->answer_requested)) {
        /* A TCP DTE that disconnects is like DTR dropping: the modem goes on hook. */
        m->hangup_requested = 1;
        m->offhook = m->dial_requested = m->answer_requested = 0;
    }
}

void class1_modem_tx(class1_modem_t *m, int16_t *amp, int len)
{
    int n = t31_tx(m->t31, amp, len);
    if (n < len)
        memset(amp + n, 0, sizeof(int16_t) * (size_t) (len - n));
}

void class1_modem_rx(class1_modem_t *m, int16_t *amp, int len)
{
    t31_rx(m->t31, amp, len);
}

void class1_modem_ring(class1_modem_t *m)
{
    t31_call_event(m->t31, AT_CALL_EVENT_ALERTING);
}

void class1_modem_connected(class1_modem_t *m)
{
    m->offhook = 1;
    t31_call_event(m->t31, AT_CALL_EVENT_CONNECTED);
}

void class1_modem_answered(class1_modem_t *m)
{
    m->offhook = 1;
    t31_call_event(m->t31, AT_CALL_EVENT_ANSWERED);
}

void class1_modem_remote_hangup(class1_modem_t *m)
{
    if (m->offhook)
        t31_call_event(m->t31, AT_CALL_EVENT_HANGUP);
    m->offhook = 0;
}

void class1_modem_busy(class1_modem_t *m)
{
    m->dial_requested = 0;
    t31_call_event(m->t31, AT_CALL_EVENT_BUSY);
}

void class1_modem_close(class1_modem_t *m)
{
    dte_link_drain(&m->link, 500);
    dte_link_close(&m->link);
    if (m->t31)
        t31_free(m->t31);
    m->t31 = NULL;
}
