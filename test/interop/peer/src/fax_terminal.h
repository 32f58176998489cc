/*
 * fax_terminal: a SpanDSP fax terminal (fax_* audio front end + t30_* session) set up from our
 * options, with its outcome collected at phase E and printed as the harness's RESULT line.
 * Used by faxpeer (terminal behind a T.31 modem) and terminalpair (two terminals, no modem).
 */
#ifndef FAXPEER_FAX_TERMINAL_H
#define FAXPEER_FAX_TERMINAL_H

#include <stdint.h>
#include <stdio.h>

struct fax_state_s;
struct t30_state_s;

typedef struct terminal_options {
    const char *send_file;       /* TIFF to send, or NULL */
    const char *receive_file;    /* where to write what is received, or NULL */
    int ecm;
    int max_rate;                /* 14400 … 2400: the fastest modem family offered */
    int codings;                 /* T30_SUPPORT_*_COMPRESSION bits */
    const char *ident;           /* TSI/CSI */
    const char *sub;             /* SUB sent with DCS, or NULL */
    const char *pwd;             /* SID/PWD sent with DCS, or NULL */
    int log;
} terminal_options_t;

typedef struct fax_terminal {
    struct fax_state_s *fax;
    struct t30_state_s *t30;
    const char *tag;
    int sending;
    int phase_e;                 /* phase E has been reported */
    int completion;              /* its T.30 completion code */
    int pages, rate, ecm, encoding, width, length, xres, yres;
    char remote[64], sub[64], pwd[64];
    long long started_ms, phase_e_ms;
} fax_terminal_t;

/* Parse "mh,mr,mmr" into T30_SUPPORT_*_COMPRESSION bits; -1 on an unknown name. */
int terminal_parse_codings(const char *s);
/* Is max_rate one of the rates the three modems offer? */
int terminal_rate_ok(int max_rate);
void terminal_start(fax_terminal_t *t, const terminal_options_t *o, int calling, const char *tag);
/* Audio: `len` samples out (zero-padded), `len` samples in. */
void terminal_tx(fax_terminal_t *t, int16_t *amp, int len);
void terminal_rx(fax_terminal_t *t, int16_t *amp, int len);
/* End the call now (phase E follows at once). */
void terminal_terminate(fax_terminal_t *t);
/* "RESULT status=… " for a terminal that reached phase E, else status=-1 with `why`. */
void terminal_print_result(const fax_terminal_t *t, FILE *out, const char *prefix, const char *why);
void terminal_free(fax_terminal_t *t);

#endif
