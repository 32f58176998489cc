/*
 * line_clock: the audio line's pace. Real time: one block of 160 samples (20 ms at 8 kHz) per
 * 20 ms of wall clock, as a telephone line would carry it. Both ends of the line exchange a
 * block in lock step on every tick.
 */
#ifndef FAXPEER_LINE_CLOCK_H
#define FAXPEER_LINE_CLOCK_H

#define LINE_BLOCK_SAMPLES 160
#define LINE_BLOCK_MS 20

typedef struct line_clock {
    long long next_us;           /* monotonic time of the next block */
    long long blocks;            /* blocks carried so far */
} line_clock_t;

void line_clock_start(line_clock_t *c);
/* Milliseconds to wait before the next block is due (0 when one is due now). */
int line_clock_wait_ms(const line_clock_t *c);
/* Number of blocks due now (0..n); after a long stall the clock skips ahead rather than
   racing, so that a DTE never sees the line run faster than real time. */
int line_clock_take_due(line_clock_t *c);

#endif
