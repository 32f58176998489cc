/*
 * faxpeer: a real fax machine at the end of a real Class 1 modem, for testing a DTE.
 *
 *   DTE (efax, faxvault) ==pty/TCP== SpanDSP T.31 modem ~~8 kHz audio~~ SpanDSP fax terminal
 *
 * The modem and the terminal exchange 160-sample blocks in lock step every 20 ms of wall clock
 * (line_clock), so the DTE meets real-time T.30 timing. The terminal either sends a TIFF or
 * receives into one, and either calls the DTE (RING is presented, the DTE answers with ATA) or
 * is called by it (the DTE dials with ATD). The line delays audio by --delay MS each way
 * (default 40 ms, see audio_path.h).
 *
 * stdout, for the harness: first line "PTY /dev/pts/N" or "TCP 127.0.0.1:PORT", last line
 *   RESULT status=0 (OK) pages=2 rate=14400 ecm=1 coding=MR width=1728 length=2200 sub=.. pwd=.. remote=..
 * (values percent-encoded: space is %20). stderr: the peer's trace, and SpanDSP's T.30/HDLC
 * trace with --log.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <tiffio.h>
#include <spandsp.h>

#include "audio_path.h"
#include "class1_modem.h"
#include "fax_terminal.h"
#include "line_clock.h"
#include "peer_log.h"

#define RING_PERIOD_MS 6000      /* one RING per ring cycle: 2 s on, 4 s off */
#define FIRST_RING_DELAY_MS 1500 /* of DTE silence after it has set the modem up */
#define LINGER_MS 8000           /* after phase E, how long the DTE has to hang up */
#define DROPPED_GRACE_MS 15000   /* after the DTE hung up, how long the terminal may take to notice */
#define QUIET_EXIT_MS 1500       /* after the call, stay until the DTE has been quiet this long */

typedef struct options {
    terminal_options_t term;     /* file, ECM, rates, codings, ident, SUB/PWD, log */
    int terminal_calls;          /* --dial: the terminal calls the DTE; --answer: the DTE dials */
    int tcp_port;                /* -1: pty */
    int timeout_s;
    int max_rings;
    int delay_ms;                /* one-way line delay */
    int watch_stdin;             /* exit when stdin closes (the harness that started us is gone) */
} options_t;

/* Named call states; one handler per state in step_call(). */
typedef enum {
    CALL_WAIT_DTE,               /* --dial: waiting for the DTE to set the modem up and go quiet */
    CALL_RINGING,                /* --dial: RING presented, waiting for ATA */
    CALL_WAIT_DIAL,              /* --answer: waiting for the DTE's ATD */
    CALL_LINE_UP,                /* audio flows, the terminal runs */
    CALL_TERMINAL_DONE,          /* phase E reached, waiting for the DTE to hang up */
    CALL_LINE_DROPPED,           /* the DTE hung up first, the terminal runs on silence */
    CALL_FINISHED                /* RESULT printed, waiting for the DTE to go quiet */
} call_state_t;

static const char *state_names[] = {
    "WAIT_DTE", "RINGING", "WAIT_DIAL", "LINE_UP", "TERMINAL_DONE", "LINE_DROPPED", "FINISHED"
};

typedef struct peer {
    options_t opt;
    class1_modem_t modem;
    fax_terminal_t term;
    int term_started;
    call_state_t state;
    long long state_since_ms;
    long long last_ring_ms;
    int rings;
    int terminated;              /* terminal_terminate() called */
    long long last_dte_activity_ms;
    audio_path_t to_fax, to_modem;
} peer_t;

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

/* stdin is a pipe from the harness: EOF means it has exited, and so should we. */
static int parent_gone(void)
{
    char buf[64];
    ssize_t n = read(0, buf, sizeof(buf));
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR);
}

static void enter(peer_t *p, call_state_t s)
{
    peer_note("call %s -> %s", state_names[p->state], state_names[s]);
    p->state = s;
    p->state_since_ms = peer_now_ms();
}

/* ---- the line ----------------------------------------------------------------------------- */

static void carry_block(peer_t *p)
{
    int16_t from_modem[LINE_BLOCK_SAMPLES], from_fax[LINE_BLOCK_SAMPLES];
    int16_t to_modem[LINE_BLOCK_SAMPLES], to_fax[LINE_BLOCK_SAMPLES];
    int up = p->state == CALL_LINE_UP || p->state == CALL_TERMINAL_DONE;

    class1_modem_tx(&p->modem, from_modem, LINE_BLOCK_SAMPLES);
    if (p->term_started)
        terminal_tx(&p->term, from_fax, LINE_BLOCK_SAMPLES);
    audio_path_carry(&p->to_fax, up ? from_modem : NULL, to_fax);
    audio_path_carry(&p->to_modem, up && p->term_started ? from_fax : NULL, to_modem);
    class1_modem_rx(&p->modem, to_modem, LINE_BLOCK_SAMPLES);
    if (p->term_started)
        terminal_rx(&p->term, to_fax, LINE_BLOCK_SAMPLES);
}

/* ---- the call state machine ---------------------------------------------------------------- */

static void connect_line(peer_t *p, int terminal_calls)
{
    if (terminal_calls)
        class1_modem_answered(&p->modem);     /* the DTE's ATA: answer tone, then V.21 transmit */
    else
        class1_modem_connected(&p->modem);    /* the DTE's ATD: CONNECT, +FRH=3 implied */
    terminal_start(&p->term, &p->opt.term, terminal_calls, "TERMINAL");
    p->term_started = 1;
    enter(p, CALL_LINE_UP);
}

static void finish(peer_t *p)
{
    terminal_print_result(p->term_started ? &p->term : NULL, stdout, "",
                          stop_signal ? "killed" : "not connected");
    enter(p, CALL_FINISHED);
}

/* --dial: the line is the terminal's; a DTE that dials out meanwhile finds it engaged. */
static void refuse_dial(peer_t *p)
{
    if (p->modem.dial_requested) {
        peer_note("the DTE dialled while the terminal is the caller: BUSY");
        class1_modem_busy(&p->modem);
    }
}

static void step_wait_dte(peer_t *p)
{
    refuse_dial(p);
    if (p->modem.answer_requested) {          /* answered before the first RING: fine */
        p->modem.answer_requested = 0;
        connect_line(p, 1);
    } else if (p->modem.link.heard && peer_now_ms() - p->last_dte_activity_ms >= FIRST_RING_DELAY_MS) {
        /* The DTE has set the modem up and gone quiet: now it waits for RING. Ringing while it
           is still initialising races its own ATA (efax answers without waiting for RING, and
           takes a RING arriving just after its ATA as the answer to it). */
        enter(p, CALL_RINGING);
        p->last_ring_ms = -RING_PERIOD_MS;
    }
}

static void step_ringing(peer_t *p)
{
    long long now = peer_now_ms();
    refuse_dial(p);
    if (p->modem.answer_requested) {
        p->modem.answer_requested = 0;
        connect_line(p, 1);
        return;
    }
    if (now - p->last_ring_ms >= RING_PERIOD_MS) {
        if (p->rings >= p->opt.max_rings) {
            peer_note("no answer after %d rings", p->rings);
            finish(p);
            return;
        }
        p->rings++;
        p->last_ring_ms = now;
        class1_modem_ring(&p->modem);
    }
}

static void step_wait_dial(peer_t *p)
{
    if (p->modem.dial_requested) {
        p->modem.dial_requested = 0;
        connect_line(p, 0);
    }
}

static void step_line_up(peer_t *p)
{
    if (p->modem.hangup_requested) {
        p->modem.hangup_requested = 0;
        enter(p, p->term.phase_e ? CALL_TERMINAL_DONE : CALL_LINE_DROPPED);
        if (p->term.phase_e)
            finish(p);
        return;
    }
    if (p->term.phase_e)
        enter(p, CALL_TERMINAL_DONE);
}

static void step_terminal_done(peer_t *p)
{
    if (p->modem.hangup_requested || peer_now_ms() - p->state_since_ms >= LINGER_MS) {
        if (!p->modem.hangup_requested)
            peer_note("the DTE did not hang up within %d ms of phase E", LINGER_MS);
        p->modem.hangup_requested = 0;
        class1_modem_remote_hangup(&p->modem);
        finish(p);
    }
}

static void step_line_dropped(peer_t *p)
{
    if (!p->term.phase_e && !p->terminated && peer_now_ms() - p->state_since_ms >= DROPPED_GRACE_MS) {
        p->terminated = 1;
        peer_note("terminal still in call %d ms after the DTE hung up: terminating", DROPPED_GRACE_MS);
        terminal_terminate(&p->term);
    }
    if (p->term.phase_e)
        finish(p);
}

static void step_call(peer_t *p)
{
    switch (p->state) {
    case CALL_WAIT_DTE: step_wait_dte(p); break;
    case CALL_RINGING: step_ringing(p); break;
    case CALL_WAIT_DIAL: step_wait_dial(p); break;
    case CALL_LINE_UP: step_line_up(p); break;
    case CALL_TERMINAL_DONE: step_terminal_done(p); break;
    case CALL_LINE_DROPPED: step_line_dropped(p); break;
    case CALL_FINISHED: break;
    }
}

/* ---- options and main loop -------------------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr,
            "usage: faxpeer (--send FILE.tif | --receive OUT.tif) [--dial | --answer] [--ecm | --no-ecm]\n"
            "               [--max-rate 14400|9600|4800] [--codings mh,mr,mmr] [--ident ID]\n"
            "               [--sub S] [--pwd P] [--tcp PORT] [--log] [--timeout S] [--rings N] [--delay MS]\n"
            "               [--watch-stdin]   (exit when stdin reaches EOF: the parent is gone)\n"
            "  --dial    the terminal calls the DTE (RING, the DTE answers with ATA); default with --send\n"
            "  --answer  the DTE dials (ATD), the terminal answers; default with --receive\n");
    exit(2);
}

static void parse_options(options_t *o, int argc, char **argv)
{
    int dial = -1;
    terminal_options_t *t = &o->term;
    memset(o, 0, sizeof(*o));
    t->ecm = 1;
    t->max_rate = 14400;
    t->codings = T30_SUPPORT_T4_1D_COMPRESSION | T30_SUPPORT_T4_2D_COMPRESSION | T30_SUPPORT_T6_COMPRESSION;
    t->ident = "+49 30 5550100";
    o->tcp_port = -1;
    o->timeout_s = 300;
    o->max_rings = 10;
    o->delay_ms = 40;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VALUE() do { if (!v) usage(); i++; } while (0)
        if (!strcmp(a, "--send")) { NEED_VALUE(); t->send_file = v; }
        else if (!strcmp(a, "--receive")) { NEED_VALUE(); t->receive_file = v; }
        else if (!strcmp(a, "--dial")) dial = 1;
        else if (!strcmp(a, "--answer")) dial = 0;
        else if (!strcmp(a, "--ecm")) t->ecm = 1;
        else if (!strcmp(a, "--no-ecm")) t->ecm = 0;
        else if (!strcmp(a, "--max-rate")) { NEED_VALUE(); t->max_rate = atoi(v); }
        else if (!strcmp(a, "--codings")) {
            NEED_VALUE();
            if ((t->codings = terminal_parse_codings(v)) <= 0) {
                fprintf(stderr, "faxpeer: --codings takes mh, mr, mmr separated by commas\n");
                exit(2);
            }
        }
        else if (!strcmp(a, "--ident")) { NEED_VALUE(); t->ident = v; }
        else if (!strcmp(a, "--sub")) { NEED_VALUE(); t->sub = v; }
        else if (!strcmp(a, "--pwd")) { NEED_VALUE(); t->pwd = v; }
        else if (!strcmp(a, "--tcp")) { NEED_VALUE(); o->tcp_port = atoi(v); }
        else if (!strcmp(a, "--log")) t->log = 1;
        else if (!strcmp(a, "--timeout")) { NEED_VALUE(); o->timeout_s = atoi(v); }
        else if (!strcmp(a, "--rings")) { NEED_VALUE(); o->max_rings = atoi(v); }
        else if (!strcmp(a, "--delay")) { NEED_VALUE(); o->delay_ms = atoi(v); }
        else if (!strcmp(a, "--watch-stdin")) o->watch_stdin = 1;
        else usage();
#undef NEED_VALUE
    }
    if (!!t->send_file == !!t->receive_file)
        usage();
    if (!terminal_rate_ok(t->max_rate)) {
        fprintf(stderr, "faxpeer: --max-rate must be 14400, 12000, 9600, 7200, 4800 or 2400\n");
        exit(2);
    }
    o->terminal_calls = dial >= 0 ? dial : (t->send_file != NULL);
}

int main(int argc, char **argv)
{
    static peer_t peer;
    peer_t *p = &peer;
    parse_options(&p->opt, argc, argv);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    peer_now_ms();

    if (class1_modem_init(&p->modem, "MODEM", p->opt.tcp_port, p->opt.term.log) < 0)
        return 1;
    char line[200];
    dte_link_describe(&p->modem.link, line, sizeof(line));
    printf("%s\n", line);
    fflush(stdout);

    p->state = p->opt.terminal_calls ? CALL_WAIT_DTE : CALL_WAIT_DIAL;
    p->state_since_ms = peer_now_ms();
    peer_note("faxpeer ready on %s, the %s", line, p->opt.terminal_calls ? "terminal will call" : "DTE dials");

    audio_path_init(&p->to_fax, p->opt.delay_ms);
    audio_path_init(&p->to_modem, p->opt.delay_ms);
    line_clock_t clock;
    line_clock_start(&clock);
    long long deadline = (long long) p->opt.timeout_s * 1000;
    for (;;) {
        struct pollfd fds[3];
        int in_fd = dte_link_poll_in_fd(&p->modem.link);
        int out_fd = dte_link_poll_out_fd(&p->modem.link);
        fds[0].fd = in_fd;
        fds[0].events = POLLIN;
        fds[1].fd = out_fd;
        fds[1].events = POLLOUT;
        fds[2].fd = p->opt.watch_stdin ? 0 : -1;
        fds[2].events = POLLIN;
        int r = poll(fds, 3, line_clock_wait_ms(&clock));
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0 && fds[2].fd == 0 && (fds[2].revents & (POLLIN | POLLHUP)) && parent_gone())
            stop_signal = SIGHUP;
        short rin = in_fd >= 0 && r > 0 ? (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) : 0;
        short rout = out_fd >= 0 && r > 0 ? (fds[1].revents & POLLOUT) : 0;
        if (rin)
            p->last_dte_activity_ms = peer_now_ms();
        class1_modem_service(&p->modem, rin, rout);

        for (int n = line_clock_take_due(&clock); n > 0; n--) {
            carry_block(p);
            class1_modem_service(&p->modem, 0, 0);   /* CTS may have come back */
        }
        step_call(p);

        long long now = peer_now_ms();
        if (stop_signal || now >= deadline) {
            if (p->state != CALL_FINISHED) {
                peer_note(stop_signal ? "stopped by signal %d" : "timeout after %d s",
                          stop_signal ? (int) stop_signal : p->opt.timeout_s);
                if (p->term_started)
                    terminal_terminate(&p->term);
                finish(p);
            }
            break;
        }
        if (p->state == CALL_FINISHED && now - p->state_since_ms >= 500
            && (now - p->last_dte_activity_ms >= QUIET_EXIT_MS || now - p->state_since_ms >= 5000))
            break;
    }
    class1_modem_close(&p->modem);
    int ok = p->term.phase_e && p->term.completion == T30_ERR_OK;
    terminal_free(&p->term);
    return ok ? 0 : 1;
}
