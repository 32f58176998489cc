/* audio_path: fixed-delay line direction (see audio_path.h). */
#include "audio_path.h"

#include <string.h>

void audio_path_init(audio_path_t *p, int delay_ms)
{
    memset(p, 0, sizeof(*p));
    int n = (delay_ms + LINE_BLOCK_MS / 2) / LINE_BLOCK_MS;
    if (n < 0)
        n = 0;
    if (n > AUDIO_PATH_MAX_BLOCKS)
        n = AUDIO_PATH_MAX_BLOCKS;
    p->blocks = n;
}

void audio_path_carry(audio_path_t *p, const int16_t *in, int16_t *out)
{
    size_t bytes = sizeof(int16_t) * LINE_BLOCK_SAMPLES;
    if (in)
        memcpy(p->ring[p->head], in, bytes);
    else
        memset(p->ring[p->head], 0, bytes);
    /* The slot written `blocks` ticks ago is the one `blocks` positions behind head. */
    int tail = (p->head + AUDIO_PATH_MAX_BLOCKS + 1 - p->blocks) % (AUDIO_PATH_MAX_BLOCKS + 1);
    memcpy(out, p->ring[tail], bytes);
    p->head = (p->head + 1) % (AUDIO_PATH_MAX_BLOCKS + 1);
}
