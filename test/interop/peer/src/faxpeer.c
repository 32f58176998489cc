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
#include "line_clock.h"
#include "peer_log.h"

#define RING_PERIOD_MS 6000      /* one RING per ring cycle: 2 s on, 4 s off */
#define FIRST_RING_DELAY_MS 1500 /* of DTE silence after it has set the modem up */
#define LINGER_MS 8000           /* after phase E, how long the DTE has to hang up */
#define DROPPED_GRACE_MS 15000   /* after the DTE hung up, how long the terminal may take to notice */
#define QUIET_EXIT_MS 1500       /* after the call, stay until the DTE has been quiet this long */

typedef struct options {
    const char *send_file;
    const char *receive_file;
    int terminal_calls;          /* --dial: the terminal calls the DTE; --answer: the DTE dials */
    int ecm;
    int max_rate;
    int codings;                 /* T30_SUPPORT_*_COMPRESSION bits */
    const char *ident;
    const char *sub;
    const char *pwd;
    int tcp_port;                /* -1: pty */
    int log;
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
    fax_state_t *fax;
    t30_state_t *t30;
    call_state_t state;
    long long state_since_ms;
    long long last_ring_ms;
    int rings;
    int phase_e;                 /* the terminal's phase E has been reported */
    int terminated;              /* t30_terminate() called */
    int completion;
    t30_stats_t stats;
    char remote[64], sub[64], pwd[64];
    long long connected_ms, phase_e_ms;
    int connected;
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

/* ---- the fax terminal ------------------------------------------------------------------ */

static void copy_ident(char *dst, size_t len, const char *src)
{
    /* Idents arrive right-justified with padding (T.30 §5.3.6.2.4): keep the text only. */
    while (src && *src == ' ')
        src++;
    snprintf(dst, len, "%s", src ? src : "");
    size_t n = strlen(dst);
    while (n > 0 && dst[n - 1] == ' ')
        dst[--n] = '\0';
}

static void phase_e(t30_state_t *s, void *user_data, int completion_code)
{
    peer_t *p = user_data;
    if (p->phase_e)
        return;
    p->phase_e = 1;
    p->phase_e_ms = peer_now_ms();
    p->completion = completion_code;
    t30_get_transfer_statistics(s, &p->stats);
    copy_ident(p->remote, sizeof(p->remote), t30_get_rx_ident(s));
    copy_ident(p->sub, sizeof(p->sub), t30_get_rx_sub_address(s));
    /* With DCS the password travels in the frame T.30 calls PWD/SID (SpanDSP: sender ident);
       with DTC (polling) it is the polling password. */
    copy_ident(p->pwd, sizeof(p->pwd), t30_get_rx_sender_ident(s));
    if (!p->pwd[0])
        copy_ident(p->pwd, sizeof(p->pwd), t30_get_rx_password(s));
    peer_note("terminal phase E: %d (%s)", completion_code, t30_completion_code_to_str(completion_code));
}

static int phase_b(t30_state_t *s, void *user_data, int result)
{
    (void) s;
    (void) user_data;
    peer_note("terminal phase B: %s", t30_frametype((uint8_t) result));
    return T30_ERR_OK;
}

static int phase_d(t30_state_t *s, void *user_data, int result)
{
    (void) user_data;
    t30_stats_t st;
    t30_get_transfer_statistics(s, &st);
    peer_note("terminal phase D: %s (pages sent %d, received %d, bad rows %d)",
              t30_frametype((uint8_t) result), st.pages_tx, st.pages_rx, st.bad_rows);
    return T30_ERR_OK;
}

static int supported_modems(int max_rate)
{
    if (max_rate <= 4800)
        return T30_SUPPORT_V27TER;
    if (max_rate <= 9600)
        return T30_SUPPORT_V27TER | T30_SUPPORT_V29;
    return T30_SUPPORT_V27TER | T30_SUPPORT_V29 | T30_SUPPORT_V17;
}

static void start_terminal(peer_t *p, int calling)
{
    const options_t *o = &p->opt;
    p->fax = fax_init(NULL, calling);
    p->t30 = fax_get_t30_state(p->fax);
    fax_set_transmit_on_idle(p->fax, TRUE);
    fax_set_tep_mode(p->fax, FALSE);
    peer_log_attach(fax_get_logging_state(p->fax), "TERMINAL", o->log);
    peer_log_attach(t30_get_logging_state(p->t30), "TERMINAL", o->log);

    t30_set_tx_ident(p->t30, o->ident);
    t30_set_supported_modems(p->t30, supported_modems(o->max_rate));
    t30_set_supported_compressions(p->t30, o->codings);
    t30_set_supported_resolutions(p->t30, T30_SUPPORT_STANDARD_RESOLUTION | T30_SUPPORT_FINE_RESOLUTION
                                              | T30_SUPPORT_SUPERFINE_RESOLUTION);
    t30_set_supported_image_sizes(p->t30, T30_SUPPORT_215MM_WIDTH | T30_SUPPORT_255MM_WIDTH
                                              | T30_SUPPORT_303MM_WIDTH | T30_SUPPORT_UNLIMITED_LENGTH
                                              | T30_SUPPORT_A4_LENGTH | T30_SUPPORT_B4_LENGTH
                                              | T30_SUPPORT_US_LETTER_LENGTH | T30_SUPPORT_US_LEGAL_LENGTH);
    /* DIS bits 49 (subaddressing) and 50 (password): without them a sender never sends SUB/PWD. */
    t30_set_supported_t30_features(p->t30, T30_SUPPORT_IDENTIFICATION | T30_SUPPORT_SUB_ADDRESSING);
    t30_set_ecm_capability(p->t30, o->ecm);
    if (o->send_file)
        t30_set_tx_file(p->t30, o->send_file, -1, -1);
    if (o->receive_file)
        t30_set_rx_file(p->t30, o->receive_file, -1);
    if (o->sub)
        t30_set_tx_sub_address(p->t30, o->sub);
    if (o->pwd)
        t30_set_tx_sender_ident(p->t30, o->pwd);   /* not t30_set_tx_password: that is for polling */
    t30_set_phase_b_handler(p->t30, phase_b, p);
    t30_set_phase_d_handler(p->t30, phase_d, p);
    t30_set_phase_e_handler(p->t30, phase_e, p);
    peer_note("terminal %s, %s %s", calling ? "calling" : "answering",
              o->send_file ? "sending" : "receiving", o->send_file ? o->send_file : o->receive_file);
}

/* ---- the line ----------------------------------------------------------------------------- */

static void carry_block(peer_t *p)
{
    int16_t from_modem[LINE_BLOCK_SAMPLES], from_fax[LINE_BLOCK_SAMPLES];
    int16_t to_modem[LINE_BLOCK_SAMPLES], to_fax[LINE_BLOCK_SAMPLES];
    int up = p->state == CALL_LINE_UP || p->state == CALL_TERMINAL_DONE;

    class1_modem_tx(&p->modem, from_modem, LINE_BLOCK_SAMPLES);
    if (p->fax) {
        int n = fax_tx(p->fax, from_fax, LINE_BLOCK_SAMPLES);
        if (n < LINE_BLOCK_SAMPLES)
            memset(from_fax + n, 0, sizeof(int16_t) * (size_t) (LINE_BLOCK_SAMPLES - n));
    }
    audio_path_carry(&p->to_fax, up ? from_modem : NULL, to_fax);
    audio_path_carry(&p->to_modem, up && p->fax ? from_fax : NULL, to_modem);
    class1_modem_rx(&p->modem, to_modem, LINE_BLOCK_SAMPLES);
    if (p->fax)
        fax_rx(p->fax, to_fax, LINE_BLOCK_SAMPLES);
}

/* ---- the result ------------------------------------------------------------------------- */

static void put_value(const char *key, const char *v)
{
    printf(" %s=", key);
    for (const unsigned char *c = (const unsigned char *) v; *c; c++) {
        if (*c <= ' ' || *c >= 0x7F || *c == '%' || *c == '=' || *c == '(' || *c == ')')
            printf("%%%02X", *c);
        else
            putchar(*c);
    }
}

static const char *coding_name(int encoding)
{
    switch (encoding) {
    case T4_COMPRESSION_ITU_T4_1D: return "MH";
    case T4_COMPRESSION_ITU_T4_2D: return "MR";
    case T4_COMPRESSION_ITU_T6: return "MMR";
    default: return "none";
    }
}

static void print_result(peer_t *p)
{
    if (!p->phase_e) {
        printf("RESULT status=-1 (%s) pages=0 rate=0 ecm=0 coding=none", stop_signal ? "killed" : "not connected");
    } else {
        const t30_stats_t *s = &p->stats;
        printf("RESULT status=%d (%s) pages=%d rate=%d ecm=%d coding=%s width=%d length=%d xres=%d yres=%d",
               p->completion, t30_completion_code_to_str(p->completion),
               p->opt.send_file ? s->pages_tx : s->pages_rx, s->bit_rate, s->error_correcting_mode ? 1 : 0,
               coding_name(s->encoding), s->width, s->length, s->x_resolution, s->y_resolution);
        put_value("sub", p->sub);
        put_value("pwd", p->pwd);
        put_value("remote", p->remote);
        printf(" duration=%.1f", p->connected ? (p->phase_e_ms - p->connected_ms) / 1000.0 : 0.0);
    }
    printf("\n");
    fflush(stdout);
}

/* ---- the call state machine ---------------------------------------------------------------- */

static void connect_line(peer_t *p, int terminal_calls)
{
    p->connected = 1;
    p->connected_ms = peer_now_ms();
    if (terminal_calls)
        class1_modem_answered(&p->modem);     /* the DTE's ATA: answer tone, then V.21 transmit */
    else
        class1_modem_connected(&p->modem);    /* the DTE's ATD: CONNECT, +FRH=3 implied */
    start_terminal(p, terminal_calls);
    enter(p, CALL_LINE_UP);
}

static void finish(peer_t *p)
{
    print_result(p);
    enter(p, CALL_FINISHED);
}

static void step_wait_dte(peer_t *p)
{
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
        enter(p, p->phase_e ? CALL_TERMINAL_DONE : CALL_LINE_DROPPED);
        if (p->phase_e)
            finish(p);
        return;
    }
    if (p->phase_e)
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
    if (!p->phase_e && !p->terminated && peer_now_ms() - p->state_since_ms >= DROPPED_GRACE_MS) {
        p->terminated = 1;
        peer_note("terminal still in call %d ms after the DTE hung up: terminating", DROPPED_GRACE_MS);
        t30_terminate(p->t30);
    }
    if (p->phase_e)
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

static int parse_codings(const char *s)
{
    int bits = 0;
    char buf[64];
    snprintf(buf, sizeof(buf), "%s", s);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (!strcasecmp(tok, "mh")) bits |= T30_SUPPORT_T4_1D_COMPRESSION;
        else if (!strcasecmp(tok, "mr")) bits |= T30_SUPPORT_T4_2D_COMPRESSION;
        else if (!strcasecmp(tok, "mmr")) bits |= T30_SUPPORT_T6_COMPRESSION;
        else {
            fprintf(stderr, "faxpeer: unknown coding '%s' (mh, mr, mmr)\n", tok);
            exit(2);
        }
    }
    return bits;
}

static void parse_options(options_t *o, int argc, char **argv)
{
    int dial = -1;
    memset(o, 0, sizeof(*o));
    o->ecm = 1;
    o->max_rate = 14400;
    o->codings = T30_SUPPORT_T4_1D_COMPRESSION | T30_SUPPORT_T4_2D_COMPRESSION | T30_SUPPORT_T6_COMPRESSION;
    o->ident = "+49 30 5550100";
    o->tcp_port = -1;
    o->timeout_s = 300;
    o->max_rings = 10;
    o->delay_ms = 40;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VALUE() do { if (!v) usage(); i++; } while (0)
        if (!strcmp(a, "--send")) { NEED_VALUE(); o->send_file = v; }
        else if (!strcmp(a, "--receive")) { NEED_VALUE(); o->receive_file = v; }
        else if (!strcmp(a, "--dial")) dial = 1;
        else if (!strcmp(a, "--answer")) dial = 0;
        else if (!strcmp(a, "--ecm")) o->ecm = 1;
        else if (!strcmp(a, "--no-ecm")) o->ecm = 0;
        else if (!strcmp(a, "--max-rate")) { NEED_VALUE(); o->max_rate = atoi(v); }
        else if (!strcmp(a, "--codings")) { NEED_VALUE(); o->codings = parse_codings(v); }
        else if (!strcmp(a, "--ident")) { NEED_VALUE(); o->ident = v; }
        else if (!strcmp(a, "--sub")) { NEED_VALUE(); o->sub = v; }
        else if (!strcmp(a, "--pwd")) { NEED_VALUE(); o->pwd = v; }
        else if (!strcmp(a, "--tcp")) { NEED_VALUE(); o->tcp_port = atoi(v); }
        else if (!strcmp(a, "--log")) o->log = 1;
        else if (!strcmp(a, "--timeout")) { NEED_VALUE(); o->timeout_s = atoi(v); }
        else if (!strcmp(a, "--rings")) { NEED_VALUE(); o->max_rings = atoi(v); }
        else if (!strcmp(a, "--delay")) { NEED_VALUE(); o->delay_ms = atoi(v); }
        else if (!strcmp(a, "--watch-stdin")) o->watch_stdin = 1;
        else usage();
#undef NEED_VALUE
    }
    if (!!o->send_file == !!o->receive_file)
        usage();
    if (o->max_rate != 14400 && o->max_rate != 12000 && o->max_rate != 9600 && o->max_rate != 7200
        && o->max_rate != 4800 && o->max_rate != 2400) {
        fprintf(stderr, "faxpeer: --max-rate must be 14400, 12000, 9600, 7200, 4800 or 2400\n");
        exit(2);
    }
    o->terminal_calls = dial >= 0 ? dial : (o->send_file != NULL);
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

    if (class1_modem_init(&p->modem, "MODEM", p->opt.tcp_port, p->opt.log) < 0)
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
                if (p->t30 && !p->phase_e)
                    t30_terminate(p->t30);
                finish(p);
            }
            break;
        }
        if (p->state == CALL_FINISHED && now - p->state_since_ms >= 500
            && (now - p->last_dte_activity_ms >= QUIET_EXIT_MS || now - p->state_since_ms >= 5000))
            break;
    }
    class1_modem_close(&p->modem);
    if (p->fax)
        fax_free(p->fax);
    return p->phase_e && p->completion == T30_ERR_OK ? 0 : 1;
}
