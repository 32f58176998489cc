/*
 * libtiff's own T.4/T.6 codec, timed in process: the reference of bench/t4.ts (tiffcp's process
 * start and file writing hide most of libtiff's speed). Built by test/setup/15-libtiff-bench.mjs
 * into .cache/libtiff-bench/libtiff-bench.
 *
 *   libtiff-bench decode FILE.tif REPS
 *       every page of FILE (one strip a page, Group 3 or 4) decoded REPS times with
 *       TIFFReadEncodedStrip from a copy of the file in memory; prints
 *       `pages N seconds S bytes B` (S: CPU seconds of the best repetition, all pages)
 *   libtiff-bench encode FILE.tif REPS g3|g3:2d|g4
 *       every page of FILE (uncompressed) coded REPS times, one strip a page, with
 *       TIFFWriteEncodedStrip into a TIFF in memory; prints the same line (B: coded bytes of the
 *       last repetition, strips only, no TIFF structure).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tiffio.h>

typedef struct {
    unsigned char *data;
    toff_t size, cap, pos;
} MemFile;

static tmsize_t mem_read(thandle_t h, void *buf, tmsize_t n) {
    MemFile *m = (MemFile *)h;
    if (m->pos >= m->size) return 0;
    if ((toff_t)n > m->size - m->pos) n = (tmsize_t)(m->size - m->pos);
    memcpy(buf, m->data + m->pos, (size_t)n);
    m->pos += (toff_t)n;
    return n;
}

static tmsize_t mem_write(thandle_t h, void *buf, tmsize_t n) {
    MemFile *m = (MemFile *)h;
    if (m->pos + (toff_t)n > m->cap) {
        toff_t cap = m->cap ? m->cap : 65536;
        while (cap < m->pos + (toff_t)n) cap *= 2;
        m->data = realloc(m->data, (size_t)cap);
        if (!m->data) return -1;
        memset(m->data + m->cap, 0, (size_t)(cap - m->cap));
        m->cap = cap;
    }
    memcpy(m->data + m->pos, buf, (size_t)n);
    m->pos += (toff_t)n;
    if (m->pos > m->size) m->size = m->pos;
    return n;
}

static toff_t mem_seek(thandle_t h, toff_t off, int whence) {
    MemFile *m = (MemFile *)h;
    if (whence == SEEK_CUR) off += m->pos;
    else if (whence == SEEK_END) off += m->size;
    m->pos = off;
    return off;
}

static int mem_close(thandle_t h) { (void)h; return 0; }
static toff_t mem_size(thandle_t h) { return ((MemFile *)h)->size; }
static int mem_map(thandle_t h, void **base, toff_t *size) { (void)h; (void)base; (void)size; return 0; }
static void mem_unmap(thandle_t h, void *base, toff_t size) { (void)h; (void)base; (void)size; }

static TIFF *mem_open(MemFile *m, const char *mode) {
    m->pos = 0;
    return TIFFClientOpen("memory", mode, (thandle_t)m, mem_read, mem_write, mem_seek, mem_close,
                          mem_size, mem_map, mem_unmap);
}

/* CPU time of this process, not wall time: on a shared machine wall time also measures the
 * neighbours (bench/t4.ts times faxvault the same way). */
static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static MemFile load(const char *path) {
    MemFile m = {0};
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    m.size = m.cap = (toff_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    m.data = malloc((size_t)m.size);
    if (fread(m.data, 1, (size_t)m.size, f) != (size_t)m.size) { perror(path); exit(2); }
    fclose(f);
    return m;
}

#define MAX_PAGES 256

typedef struct {
    uint32_t width, height;
    float xres, yres;
    unsigned char *pixels; /* packed rows, MSB first, 1 = black (MINISWHITE) */
    tmsize_t size;
} Page;

static int read_pages(MemFile *file, Page *pages) {
    TIFF *t = mem_open(file, "rm");
    if (!t) exit(2);
    int n = 0;
    do {
        Page *p = &pages[n];
        uint16_t res_unit = RESUNIT_INCH;
        TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &p->width);
        TIFFGetField(t, TIFFTAG_IMAGELENGTH, &p->height);
        if (!TIFFGetField(t, TIFFTAG_XRESOLUTION, &p->xres)) p->xres = 204;
        if (!TIFFGetField(t, TIFFTAG_YRESOLUTION, &p->yres)) p->yres = 196;
        TIFFGetField(t, TIFFTAG_RESOLUTIONUNIT, &res_unit);
        p->size = TIFFScanlineSize(t) * (tmsize_t)p->height;
        p->pixels = malloc((size_t)p->size);
        tmsize_t at = 0;
        for (uint32_t s = 0; s < TIFFNumberOfStrips(t); s++) {
            tmsize_t got = TIFFReadEncodedStrip(t, s, p->pixels + at, p->size - at);
            if (got < 0) { fprintf(stderr, "page %d: read failed\n", n); exit(2); }
            at += got;
        }
        n++;
    } while (n < MAX_PAGES && TIFFReadDirectory(t));
    TIFFClose(t);
    return n;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: libtiff-bench decode FILE.tif REPS | encode FILE.tif REPS g3|g3:2d|g4\n");
        return 2;
    }
    TIFFSetWarningHandler(NULL);
    int reps = atoi(argv[3]);
    MemFile file = load(argv[2]);
    static Page pages[MAX_PAGES];
    double best = 1e30;
    long bytes = 0;
    int n = 0;
    if (strcmp(argv[1], "decode") == 0) {
        n = read_pages(&file, pages); /* sizes the buffers; the first decode is not timed */
        for (int r = 0; r < reps; r++) {
            TIFF *t = mem_open(&file, "rm");
            double t0 = now();
            int k = 0;
            bytes = 0;
            do {
                bytes += (long)TIFFRawStripSize(t, 0);
                if (TIFFReadEncodedStrip(t, 0, pages[k].pixels, pages[k].size) < 0) { fprintf(stderr, "decode failed\n"); return 1; }
                k++;
            } while (k < n && TIFFReadDirectory(t));
            double dt = now() - t0;
            TIFFClose(t);
            if (dt < best) best = dt;
        }
    } else if (strcmp(argv[1], "encode") == 0 && argc >= 5) {
        n = read_pages(&file, pages);
        int g4 = strcmp(argv[4], "g4") == 0;
        int twoD = strcmp(argv[4], "g3:2d") == 0;
        for (int r = 0; r < reps; r++) {
            MemFile out = {0};
            TIFF *t = mem_open(&out, "w");
            double t0 = now();
            bytes = 0;
            for (int k = 0; k < n; k++) {
                TIFFSetField(t, TIFFTAG_IMAGEWIDTH, pages[k].width);
                TIFFSetField(t, TIFFTAG_IMAGELENGTH, pages[k].height);
                TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
                TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
                TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
                TIFFSetField(t, TIFFTAG_FILLORDER, FILLORDER_MSB2LSB);
                TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, pages[k].height);
                TIFFSetField(t, TIFFTAG_XRESOLUTION, pages[k].xres);
                TIFFSetField(t, TIFFTAG_YRESOLUTION, pages[k].yres);
                TIFFSetField(t, TIFFTAG_COMPRESSION, g4 ? COMPRESSION_CCITTFAX4 : COMPRESSION_CCITTFAX3);
                if (!g4) TIFFSetField(t, TIFFTAG_GROUP3OPTIONS, twoD ? GROUP3OPT_2DENCODING : 0);
                tmsize_t w = TIFFWriteEncodedStrip(t, 0, pages[k].pixels, pages[k].size);
                if (w < 0) { fprintf(stderr, "encode failed\n"); return 1; }
                bytes += (long)TIFFRawStripSize(t, 0);
                TIFFWriteDirectory(t);
            }
            double dt = now() - t0;
            TIFFClose(t);
            free(out.data);
            if (dt < best) best = dt;
        }
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[1]);
        return 2;
    }
    printf("pages %d seconds %.6f bytes %ld\n", n, best, bytes);
    return 0;
}
