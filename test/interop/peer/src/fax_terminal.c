/* fax_terminal: SpanDSP fax terminal set-up and outcome (see fax_terminal.h). */
#define _GNU_SOURCE
#include "fax_terminal.h"

#include <inttypes.h>
#include <string.h>
#include <strings.h>
#include <tiffio.h>
#include <spandsp.h>

#include "peer_log.h"

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
    fax_terminal_t *t = user_data;
    if (t->phase_e)
        return;
    t30_stats_t st;
    t30_get_transfer_statistics(s, &st);
    t->phase_e = 1;
    t->phase_e_ms = peer_now_ms();
    t->completion = completion_code;
    t->pages = t->sending ? st.pages_tx : st.pages_rx;
    t->rate = st.bit_rate;
    t->ecm = st.error_correcting_mode ? 1 : 0;
    t->encoding = st.encoding;
    t->width = st.width;
    t->length = st.length;
    t->xres = st.x_resolution;
    t->yres = st.y_resolution;
    copy_ident(t->remote, sizeof(t->remote), t30_get_rx_ident(s));
    copy_ident(t->sub, sizeof(t->sub), t30_get_rx_sub_address(s));
    /* With DCS the password travels in the frame T.30 calls PWD/SID (SpanDSP: sender ident);
       with DTC (polling) it is the polling password. */
    copy_ident(t->pwd, sizeof(t->pwd), t30_get_rx_sender_ident(s));
    if (!t->pwd[0])
        copy_ident(t->pwd, sizeof(t->pwd), t30_get_rx_password(s));
    peer_note("%s phase E: %d (%s)", t->tag, completion_code, t30_completion_code_to_str(completion_code));
}

static int phase_b(t30_state_t *s, void *user_data, int result)
{
    (void) s;
    fax_terminal_t *t = user_data;
    peer_note("%s phase B: %s", t->tag, t30_frametype((uint8_t) result));
    return T30_ERR_OK;
}

static int phase_d(t30_state_t *s, void *user_data, int result)
{
    fax_terminal_t *t = user_data;
    t30_stats_t st;
    t30_get_transfer_statistics(s, &st);
    peer_note("%s phase D: %s (pages sent %d, received %d, bad rows %d)", t->tag,
              t30_frametype((uint8_t) result), st.pages_tx, st.pages_rx, st.bad_rows);
    return T30_ERR_OK;
}

int terminal_parse_codings(const char *s)
{
    int bits = 0;
    char buf[64];
    snprintf(buf, sizeof(buf), "%s", s);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (!strcasecmp(tok, "mh")) bits |= T30_SUPPORT_T4_1D_COMPRESSION;
        else if (!strcasecmp(tok, "mr")) bits |= T30_SUPPORT_T4_2D_COMPRESSION;
        else if (!strcasecmp(tok, "mmr")) bits |= T30_SUPPORT_T6_COMPRESSION;
        else return -1;
    }
    return bits;
}

int terminal_rate_ok(int r)
{
    return r == 14400 || r == 12000 || r == 9600 || r == 7200 || r == 4800 || r == 2400;
}

static int supported_modems(int max_rate)
{
    if (max_rate <= 4800)
        return T30_SUPPORT_V27TER;
    if (max_rate <= 9600)
        return T30_SUPPORT_V27TER | T30_SUPPORT_V29;
    return T30_SUPPORT_V27TER | T30_SUPPORT_V29 | T30_SUPPORT_V17;
}

void terminal_start(fax_terminal_t *t, const terminal_options_t *o, int calling, const char *tag)
{
    memset(t, 0, sizeof(*t));
    t->tag = tag;
    t->sending = o->send_file != NULL;
    t->started_ms = peer_now_ms();
    t->fax = fax_init(NULL, calling);
    t->t30 = fax_get_t30_state(t->fax);
    fax_set_transmit_on_idle(t->fax, TRUE);
    fax_set_tep_mode(t->fax, FALSE);
    peer_log_attach(fax_get_logging_state(t->fax), tag, o->log);
    peer_log_attach(t30_get_logging_state(t->t30), tag, o->log);

    t30_set_tx_ident(t->t30, o->ident);
    t30_set_supported_modems(t->t30, supported_modems(o->max_rate));
    t30_set_supported_compressions(t->t30, o->codings);
    t30_set_supported_resolutions(t->t30, T30_SUPPORT_STANDARD_RESOLUTION | T30_SUPPORT_FINE_RESOLUTION
                                              | T30_SUPPORT_SUPERFINE_RESOLUTION);
    t30_set_supported_image_sizes(t->t30, T30_SUPPORT_215MM_WIDTH | T30_SUPPORT_255MM_WIDTH
                                              | T30_SUPPORT_303MM_WIDTH | T30_SUPPORT_UNLIMITED_LENGTH
                                              | T30_SUPPORT_A4_LENGTH | T30_SUPPORT_B4_LENGTH
                                              | T30_SUPPORT_US_LETTER_LENGTH | T30_SUPPORT_US_LEGAL_LENGTH);
    /* DIS bits 49 (subaddressing) and 50 (password): without them a sender never sends SUB/PWD. */
    t30_set_supported_t30_features(t->t30, T30_SUPPORT_IDENTIFICATION | T30_SUPPORT_SUB_ADDRESSING);
    t30_set_ecm_capability(t->t30, o->ecm);
    if (o->send_file)
        t30_set_tx_file(t->t30, o->send_file, -1, -1);
    if (o->receive_file)
        t30_set_rx_file(t->t30, o->receive_file, -1);
    if (o->sub)
        t30_set_tx_sub_address(t->t30, o->sub);
    if (o->pwd)
        t30_set_tx_sender_ident(t->t30, o->pwd);   /* not t30_set_tx_password: that is for polling */
    t30_set_phase_b_handler(t->t30, phase_b, t);
    t30_set_phase_d_handler(t->t30, phase_d, t);
    t30_set_phase_e_handler(t->t30, phase_e, t);
    peer_note("%s %s, %s %s", tag, calling ? "calling" : "answering",
              o->send_file ? "sending" : "receiving", o->send_file ? o->send_file : o->receive_file);
}

void terminal_tx(fax_terminal_t *t, int16_t *amp, int len)
{
    int n = fax_tx(t->fax, amp, len);
    if (n < len)
        memset(amp + n, 0, sizeof(int16_t) * (size_t) (len - n));
}

void terminal_rx(fax_terminal_t *t, int16_t *amp, int len)
{
    fax_rx(t->fax, amp, len);
}

void terminal_terminate(fax_terminal_t *t)
{
    if (t->t30 && !t->phase_e)
        t30_terminate(t->t30);
}

static void put_value(FILE *out, const char *key, const char *v)
{
    fprintf(out, " %s=", key);
    for (const unsigned char *c = (const unsigned char *) v; *c; c++) {
        if (*c <= ' ' || *c >= 0x7F || *c == '%' || *c == '=' || *c == '(' || *c == ')')
            fprintf(out, "%%%02X", *c);
        else
            fputc(*c, out);
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

void terminal_print_result(const fax_terminal_t *t, FILE *out, const char *prefix, const char *why)
{
    fputs(prefix, out);
    if (!t || !t->phase_e) {
        fprintf(out, "RESULT status=-1 (%s) pages=0 rate=0 ecm=0 coding=none\n", why);
    } else {
        fprintf(out, "RESULT status=%d (%s) pages=%d rate=%d ecm=%d coding=%s width=%d length=%d xres=%d yres=%d",
                t->completion, t30_completion_code_to_str(t->completion), t->pages, t->rate, t->ecm,
                coding_name(t->encoding), t->width, t->length, t->xres, t->yres);
        put_value(out, "sub", t->sub);
        put_value(out, "pwd", t->pwd);
        put_value(out, "remote", t->remote);
        fprintf(out, " duration=%.1f\n", (t->phase_e_ms - t->started_ms) / 1000.0);
    }
    fflush(out);
}

void terminal_free(fax_terminal_t *t)
{
    if (t->fax)
        fax_free(t->fax);
    t->fax = NULL;
    t->t30 = NULL;
}
