/* peer_log: SpanDSP log messages to stderr, stamped with wall time since start. */
#define _GNU_SOURCE
#include "peer_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <inttypes.h>
#include <tiffio.h>
#include <spandsp.h>

long long peer_now_ms(void)
{
    static long long t0 = -1;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    long long now = (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    if (t0 < 0)
        t0 = now;
    return now - t0;
}

static void to_stderr(int level, const char *text)
{
    (void) level;
    long long t = peer_now_ms();
    fprintf(stderr, "%5lld.%03lld %s", t / 1000, t % 1000, text);
}

void peer_log_attach(logging_state_t *s, const char *tag, int verbose)
{
    if (!s)
        return;
    span_log_set_message_handler(s, to_stderr);
    span_log_set_tag(s, tag);
    span_log_set_level(s, (verbose ? SPAN_LOG_FLOW : SPAN_LOG_WARNING) | SPAN_LOG_SHOW_TAG
                              | SPAN_LOG_SHOW_PROTOCOL | SPAN_LOG_SHOW_SEVERITY);
}

void peer_note(const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    long long t = peer_now_ms();
    fprintf(stderr, "%5lld.%03lld PEER %s\n", t / 1000, t % 1000, text);
}
