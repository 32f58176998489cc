/*
 * dte_link: the serial side of a software Class 1 modem, i.e. where a DTE (efax, the faxvault
 * firmware's Class 1 driver) plugs in. Either a pseudo-terminal (the DTE opens the slave path)
 * or one loopback TCP connection.
 *
 * Flow control towards the DTE is XON/XOFF (T.31 §6.4 leaves the choice to +IFC; a pty has no
 * CTS wire): the modem asks us to hold when its transmit buffer passes the high tide, we send
 * XOFF (DC3) and stop reading, and on the low tide we send XON (DC1) and read again. Stopping
 * the read is what really protects SpanDSP's 4 KB buffer, which overruns silently.
 */
#ifndef FAXPEER_DTE_LINK_H
#define FAXPEER_DTE_LINK_H

#include <stddef.h>
#include <stdint.h>

#define DTE_LINK_PENDING 256
#define DTE_LINK_OUTQ (1 << 20)

typedef struct dte_link {
    int listen_fd;               /* TCP: listening socket; -1 for a pty */
    int fd;                      /* pty master or accepted TCP socket; -1 until a DTE connects */
    int slave_fd;                /* pty: our own handle on the slave, so the line never "closes" */
    char name[128];              /* "/dev/pts/5" or "127.0.0.1:4711" */
    int is_tcp;
    int held;                    /* XOFF sent, not reading: the modem's buffer is above high tide */
    int heard;                   /* the DTE has sent at least one byte */
    long xoffs;                  /* XOFFs sent so far (flow control evidence in the trace) */
    long bytes_in, bytes_out;
    int gone;                    /* TCP peer closed the connection */
    uint8_t pending[DTE_LINK_PENDING];
    int pending_pos, pending_len;
    uint8_t *outq;               /* bytes to the DTE not yet accepted by the kernel */
    size_t out_head, out_len;
    const char *tag;             /* for stderr diagnostics */
} dte_link_t;

/* Byte sink: the modem's AT/data input, fed exactly one byte per call. */
typedef void (*dte_byte_sink_t)(void *ctx, uint8_t byte);

int dte_link_open_pty(dte_link_t *l, const char *tag);
int dte_link_open_tcp(dte_link_t *l, int port, const char *tag);
/* The announcement line for stdout: "PTY /dev/pts/5" or "TCP 127.0.0.1:4711". */
void dte_link_describe(const dte_link_t *l, char *buf, size_t len);

/* The fd to poll for input (listening socket before a TCP DTE connects), -1 while held. */
int dte_link_poll_in_fd(const dte_link_t *l);
/* The fd to poll for output, -1 when nothing is queued. */
int dte_link_poll_out_fd(const dte_link_t *l);
void dte_link_on_readable(dte_link_t *l);
void dte_link_on_writable(dte_link_t *l);

/* Feed pending DTE bytes to the modem one at a time while not held. */
void dte_link_feed(dte_link_t *l, dte_byte_sink_t sink, void *ctx);
/* Bytes from the modem to the DTE (already DLE-shielded by the modem). */
void dte_link_write(dte_link_t *l, const uint8_t *buf, size_t len);
/* The modem's CTS (circuit 106): 0 = hold (send XOFF), 1 = go on (send XON). */
void dte_link_set_cts(dte_link_t *l, int on);
/* Push queued output out, waiting at most timeout_ms (used before exit). */
void dte_link_drain(dte_link_t *l, int timeout_ms);
void dte_link_close(dte_link_t *l);

#endif
