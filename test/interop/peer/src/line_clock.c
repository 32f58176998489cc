/* line_clock: real-time pacing of the audio line (see line_clock.h). */
#define _GNU_SOURCE
#include "line_clock.h"

#include <time.h>

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void line_clock_start(line_clock_t *c)
{
    c->next_us = now_us();
    c->blocks = 0;
}

int line_clock_wait_ms(const line_clock_t *c)
{
    long long d = c->next_us - now_us();
    if (d <= 0)
        return 0;
    return (int) ((d + 999) / 1000);
}

int line_clock_take_due(line_clock_t *c)
{
    long long now = now_us();
    int n = 0;
    while (c->next_us <= now && n < 5) {
        c->next_us += LINE_BLOCK_MS * 1000;
        n++;
    }
    if (c->next_us <= now)
        c->next_us = now + LINE_BLOCK_MS * 1000;   /* stalled > 100 ms: drop the backlog */
    c->blocks += n;
    return n;
}
