/*
 * modempair: two SpanDSP T.31 Class 1 modems on one telephone line, each with its own DTE port,
 * so that two Class 1 DTEs (efax, the faxvault firmware) can call each other through modems
 * neither of them wrote.
 *
 *   DTE A ==pty== T.31 modem A ~~8 kHz audio, real time~~ T.31 modem B ==pty== DTE B
 *
 * Either side dials (ATD): the other side's DTE is shown RING every 6 s until it answers (ATA),
 * then the dialler gets CONNECT (+FRH=3 implied) and the answerer sends its answer tone and
 * goes into V.21 transmit. A DTE that answers before anyone dials waits off hook for the call.
 * When one DTE hangs up the line goes silent; as on a real line its modem reports nothing to
 * the other DTE, whose own T.30 timers end the call. The line is free for the next call when
 * both are on hook. Runs until SIGTERM.
 *
 * The line delays audio by --delay MS each way (default 40 ms, see audio_path.h).
 *
 * Each side's DTE port is a pty unless given a loopback TCP port (--tcp PA PB, --tcp-a P,
 * --tcp-b P; 0 = any free port): e.g. the firmware's TCP UART on A and efax on B's pty.
 *
 * stdout: "A PTY /dev/pts/N" and "B PTY /dev/pts/M" (or "A TCP 127.0.0.1:P"), then
 * one line per call event: "CALL A B 123", "CONNECTED A B", "HANGUP A", "IDLE".
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

#define RING_PERIOD_MS 6000
#define MAX_RINGS 10

typedef enum {
    LINE_IDLE,                   /* both on hook (one may be waiting off hook after an early ATA) */
    LINE_RINGING,                /* the caller dialled, the callee's DTE sees RING */
    LINE_UP,                     /* audio flows both ways */
    LINE_CLEARING                /* one DTE hung up; waiting for the other */
} line_state_t;

static const char *state_names[] = { "IDLE", "RINGING", "UP", "CLEARING" };

typedef struct pair {
    class1_modem_t m[2];
    line_state_t state;
    int caller;                  /* index of the dialling modem */
    int early_answer[2];         /* ATA before any call: waiting off hook */
    long long last_ring_ms;
    int rings;
    audio_path_t a_to_b, b_to_a;
} pair_t;

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

static void event(const char *fmt, const char *a, const char *b, const char *c)
{
    printf(fmt, a, b, c);
    printf("\n");
    fflush(stdout);
}

static void enter(pair_t *p, line_state_t s)
{
    peer_note("line %s -> %s", state_names[p->state], state_names[s]);
    p->state = s;
}

static void connect_call(pair_t *p)
{
    int caller = p->caller, callee = 1 - caller;
    class1_modem_connected(&p->m[caller]);
    class1_modem_answered(&p->m[callee]);
    p->early_answer[callee] = 0;
    event("CONNECTED %s %s%s", p->m[caller].tag, p->m[callee].tag, "");
    enter(p, LINE_UP);
}

static void step_idle(pair_t *p)
{
    for (int i = 0; i < 2; i++) {
        class1_modem_t *m = &p->m[i];
        if (m->answer_requested) {
            m->answer_requested = 0;
            p->early_answer[i] = 1;
            peer_note("[%s] answered with no call ringing: waiting off hook", m->tag);
        }
        if (m->hangup_requested) {
            m->hangup_requested = 0;
            p->early_answer[i] = 0;
        }
    }
    for (int i = 0; i < 2; i++) {
        if (!p->m[i].dial_requested)
            continue;
        p->m[i].dial_requested = 0;
        p->caller = i;
        event("CALL %s %s %s", p->m[i].tag, p->m[1 - i].tag, p->m[i].dialled);
        if (p->early_answer[1 - i]) {
            connect_call(p);
        } else {
            p->rings = 0;
            p->last_ring_ms = peer_now_ms() - RING_PERIOD_MS;
            enter(p, LINE_RINGING);
        }
        return;
    }
}

static void step_ringing(pair_t *p)
{
    class1_modem_t *caller = &p->m[p->caller], *callee = &p->m[1 - p->caller];
    if (caller->hangup_requested) {
        caller->hangup_requested = 0;
        event("HANGUP %s%s%s", caller->tag, "", "");
        enter(p, LINE_IDLE);
        return;
    }
    if (callee->answer_requested) {
        callee->answer_requested = 0;
        connect_call(p);
        return;
    }
    long long now = peer_now_ms();
    if (now - p->last_ring_ms >= RING_PERIOD_MS) {
        if (p->rings >= MAX_RINGS) {
            t31_call_event(caller->t31, AT_CALL_EVENT_NO_ANSWER);
            event("NOANSWER %s%s%s", callee->tag, "", "");
            enter(p, LINE_IDLE);
            return;
        }
        p->rings++;
        p->last_ring_ms = now;
        class1_modem_ring(callee);
    }
}

static void step_up(pair_t *p)
{
    for (int i = 0; i < 2; i++) {
        if (p->m[i].hangup_requested) {
            p->m[i].hangup_requested = 0;
            event("HANGUP %s%s%s", p->m[i].tag, "", "");
            enter(p, LINE_CLEARING);
        }
    }
}

static void step_clearing(pair_t *p)
{
    for (int i = 0; i < 2; i++) {
        if (p->m[i].hangup_requested) {
            p->m[i].hangup_requested = 0;
            event("HANGUP %s%s%s", p->m[i].tag, "", "");
        }
    }
    if (!p->m[0].offhook && !p->m[1].offhook) {
        event("IDLE%s%s%s", "", "", "");
        enter(p, LINE_IDLE);
    }
}

static void step_line(pair_t *p)
{
    switch (p->state) {
    case LINE_IDLE: step_idle(p); break;
    case LINE_RINGING: step_ringing(p); break;
    case LINE_UP: step_up(p); break;
    case LINE_CLEARING: step_clearing(p); break;
    }
}

static void carry_block(pair_t *p)
{
    int16_t a[LINE_BLOCK_SAMPLES], b[LINE_BLOCK_SAMPLES], to_a[LINE_BLOCK_SAMPLES], to_b[LINE_BLOCK_SAMPLES];
    int up = p->state == LINE_UP;
    class1_modem_tx(&p->m[0], a, LINE_BLOCK_SAMPLES);
    class1_modem_tx(&p->m[1], b, LINE_BLOCK_SAMPLES);
    audio_path_carry(&p->a_to_b, up ? a : NULL, to_b);
    audio_path_carry(&p->b_to_a, up ? b : NULL, to_a);
    class1_modem_rx(&p->m[0], to_a, LINE_BLOCK_SAMPLES);
    class1_modem_rx(&p->m[1], to_b, LINE_BLOCK_SAMPLES);
}

int main(int argc, char **argv)
{
    static pair_t pair;
    pair_t *p = &pair;
    int log = 0, delay_ms = 40, watch_stdin = 0;
    int ports[2] = { -1, -1 };
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--log"))
            log = 1;
        else if (!strcmp(argv[i], "--watch-stdin"))
            watch_stdin = 1;
        else if (!strcmp(argv[i], "--delay") && i + 1 < argc)
            delay_ms = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--tcp") && i + 2 < argc) {
            ports[0] = atoi(argv[++i]);
            ports[1] = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--tcp-a") && i + 1 < argc) {
            ports[0] = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--tcp-b") && i + 1 < argc) {
            ports[1] = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: modempair [--log] [--delay MS] [--tcp PORT_A PORT_B | --tcp-a PORT | --tcp-b PORT] [--watch-stdin]\n");
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    peer_now_ms();
    audio_path_init(&p->a_to_b, delay_ms);
    audio_path_init(&p->b_to_a, delay_ms);
    static const char *tags[2] = { "A", "B" };
    for (int i = 0; i < 2; i++) {
        if (class1_modem_init(&p->m[i], tags[i], ports[i], log) < 0)
            return 1;
        char line[200];
        dte_link_describe(&p->m[i].link, line, sizeof(line));
        printf("%s %s\n", tags[i], line);
    }
    fflush(stdout);

    line_clock_t clock;
    line_clock_start(&clock);
    while (!stop_signal) {
        struct pollfd fds[5];
        for (int i = 0; i < 2; i++) {
            fds[2 * i].fd = dte_link_poll_in_fd(&p->m[i].link);
            fds[2 * i].events = POLLIN;
            fds[2 * i + 1].fd = dte_link_poll_out_fd(&p->m[i].link);
            fds[2 * i + 1].events = POLLOUT;
        }
        fds[4].fd = watch_stdin ? 0 : -1;
        fds[4].events = POLLIN;
        int r = poll(fds, 5, line_clock_wait_ms(&clock));
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0 && fds[4].fd == 0 && (fds[4].revents & (POLLIN | POLLHUP)) && parent_gone())
            stop_signal = SIGHUP;
        for (int i = 0; i < 2; i++) {
            short rin = fds[2 * i].fd >= 0 && r > 0 ? (fds[2 * i].revents & (POLLIN | POLLHUP | POLLERR)) : 0;
            short rout = fds[2 * i + 1].fd >= 0 && r > 0 ? (fds[2 * i + 1].revents & POLLOUT) : 0;
            class1_modem_service(&p->m[i], rin, rout);
        }
        for (int n = line_clock_take_due(&clock); n > 0; n--) {
            carry_block(p);
            class1_modem_service(&p->m[0], 0, 0);
            class1_modem_service(&p->m[1], 0, 0);
        }
        step_line(p);
    }
    peer_note("stopped by signal %d", (int) stop_signal);
    class1_modem_close(&p->m[0]);
    class1_modem_close(&p->m[1]);
    return 0;
}
