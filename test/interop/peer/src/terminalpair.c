/*
 * terminalpair: two SpanDSP fax terminals on one audio line, no modem and no DTE, run as fast as
 * the CPU allows (nobody waits on real time). It checks faxpeer's terminal configuration
 * (fax_terminal.c) where efax cannot: ECM, MR, MMR, SUB and SID/PWD, the rate ceilings. The
 * calling terminal sends, the answering one receives.
 *
 *   terminalpair --send A.tif --receive B.tif [--ecm | --no-ecm] [--max-rate N] [--codings LIST]
 *                [--rx-codings LIST] [--sub S] [--pwd P] [--tx-ident ID] [--rx-ident ID] [--log]
 *
 * stdout: "SENDER RESULT …" and "RECEIVER RESULT …" (faxpeer's RESULT format). Exit 0 when both
 * ended with status 0. (duration= is wall time here, near 0; the trace gives the line time.)
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>
#include <spandsp.h>

#include "audio_path.h"
#include "fax_terminal.h"
#include "line_clock.h"
#include "peer_log.h"

#define MAX_CALL_SECONDS 600     /* of line time: far beyond any T.30 timer */

static void usage(void)
{
    fprintf(stderr, "usage: terminalpair --send A.tif --receive B.tif [--ecm | --no-ecm] [--max-rate N]\n"
                    "       [--codings LIST] [--rx-codings LIST] [--sub S] [--pwd P] [--tx-ident ID]\n"
                    "       [--rx-ident ID] [--delay MS] [--log]\n");
    exit(2);
}

static int codings_or_die(const char *v)
{
    int c = terminal_parse_codings(v);
    if (c <= 0) {
        fprintf(stderr, "terminalpair: codings are mh, mr, mmr separated by commas\n");
        exit(2);
    }
    return c;
}

int main(int argc, char **argv)
{
    terminal_options_t tx, rx;
    int delay_ms = 40;
    memset(&tx, 0, sizeof(tx));
    tx.ecm = 1;
    tx.max_rate = 14400;
    tx.codings = T30_SUPPORT_T4_1D_COMPRESSION | T30_SUPPORT_T4_2D_COMPRESSION | T30_SUPPORT_T6_COMPRESSION;
    tx.ident = "+49 30 5550101";
    rx = tx;
    rx.ident = "+49 30 5550102";
    int rx_codings = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VALUE() do { if (!v) usage(); i++; } while (0)
        if (!strcmp(a, "--send")) { NEED_VALUE(); tx.send_file = v; }
        else if (!strcmp(a, "--receive")) { NEED_VALUE(); rx.receive_file = v; }
        else if (!strcmp(a, "--ecm")) tx.ecm = rx.ecm = 1;
        else if (!strcmp(a, "--no-ecm")) tx.ecm = rx.ecm = 0;
        else if (!strcmp(a, "--max-rate")) { NEED_VALUE(); tx.max_rate = rx.max_rate = atoi(v); }
        else if (!strcmp(a, "--codings")) { NEED_VALUE(); tx.codings = rx.codings = codings_or_die(v); }
        else if (!strcmp(a, "--rx-codings")) { NEED_VALUE(); rx_codings = codings_or_die(v); }
        else if (!strcmp(a, "--sub")) { NEED_VALUE(); tx.sub = v; }
        else if (!strcmp(a, "--pwd")) { NEED_VALUE(); tx.pwd = v; }
        else if (!strcmp(a, "--tx-ident")) { NEED_VALUE(); tx.ident = v; }
        else if (!strcmp(a, "--rx-ident")) { NEED_VALUE(); rx.ident = v; }
        else if (!strcmp(a, "--delay")) { NEED_VALUE(); delay_ms = atoi(v); }
        else if (!strcmp(a, "--log")) tx.log = rx.log = 1;
        else usage();
#undef NEED_VALUE
    }
    if (!tx.send_file || !rx.receive_file || !terminal_rate_ok(tx.max_rate))
        usage();
    if (rx_codings)
        rx.codings = rx_codings;

    static fax_terminal_t sender, receiver;
    static audio_path_t forward, back;
    audio_path_init(&forward, delay_ms);
    audio_path_init(&back, delay_ms);
    peer_now_ms();
    terminal_start(&sender, &tx, 1, "SENDER");
    terminal_start(&receiver, &rx, 0, "RECEIVER");

    /* The sending terminal's phase E follows its post-DCN flush: run until both have ended. */
    long blocks = 0;
    const long max_blocks = (long) MAX_CALL_SECONDS * 1000 / LINE_BLOCK_MS;
    while ((!sender.phase_e || !receiver.phase_e) && blocks < max_blocks) {
        int16_t s_out[LINE_BLOCK_SAMPLES], r_out[LINE_BLOCK_SAMPLES];
        int16_t s_in[LINE_BLOCK_SAMPLES], r_in[LINE_BLOCK_SAMPLES];
        terminal_tx(&sender, s_out, LINE_BLOCK_SAMPLES);
        terminal_tx(&receiver, r_out, LINE_BLOCK_SAMPLES);
        audio_path_carry(&forward, s_out, r_in);
        audio_path_carry(&back, r_out, s_in);
        terminal_rx(&sender, s_in, LINE_BLOCK_SAMPLES);
        terminal_rx(&receiver, r_in, LINE_BLOCK_SAMPLES);
        blocks++;
    }
    if (blocks >= max_blocks) {
        peer_note("no phase E within %d s of line time: terminating", MAX_CALL_SECONDS);
        terminal_terminate(&sender);
        terminal_terminate(&receiver);
    }
    peer_note("line time %.1f s", blocks * LINE_BLOCK_MS / 1000.0);
    terminal_print_result(&sender, stdout, "SENDER ", "no call");
    terminal_print_result(&receiver, stdout, "RECEIVER ", "no call");
    int ok = sender.completion == T30_ERR_OK && receiver.completion == T30_ERR_OK;
    terminal_free(&sender);
    terminal_free(&receiver);
    return ok ? 0 : 1;
}
