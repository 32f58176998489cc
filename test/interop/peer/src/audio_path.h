/*
 * audio_path: one direction of the telephone line, a fixed propagation delay in whole blocks.
 *
 * A line with no delay at all is not what DTEs meet: the far end's reply can then start in the
 * same 20 ms as our own carrier stops, and a DTE that issues +FRS (wait for silence) before
 * +FRH=3, as efax does after TCF, never sees the silence and misses the reply. Public networks
 * have tens of milliseconds one way; the default here is 40 ms.
 */
#ifndef FAXPEER_AUDIO_PATH_H
#define FAXPEER_AUDIO_PATH_H

#include <stdint.h>

#include "line_clock.h"

#define AUDIO_PATH_MAX_BLOCKS 25   /* 500 ms */

typedef struct audio_path {
    int blocks;                    /* delay in blocks */
    int head;
    int16_t ring[AUDIO_PATH_MAX_BLOCKS + 1][LINE_BLOCK_SAMPLES];
} audio_path_t;

void audio_path_init(audio_path_t *p, int delay_ms);
/* Put one block in (NULL for silence) and take the block that entered `blocks` ticks ago. */
void audio_path_carry(audio_path_t *p, const int16_t *in, int16_t *out);

#endif
