/* dte_link: pty or loopback TCP endpoint of a software Class 1 modem (see dte_link.h). */
#define _GNU_SOURCE
#include "dte_link.h"
#include "peer_log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#define XON 0x11
#define XOFF 0x13

static void set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

static void init_common(dte_link_t *l, const char *tag)
{
    memset(l, 0, sizeof(*l));
    l->listen_fd = -1;
    l->fd = -1;
    l->slave_fd = -1;
    l->tag = tag;
    l->outq = malloc(DTE_LINK_OUTQ);
}

int dte_link_open_pty(dte_link_t *l, const char *tag)
{
    init_common(l, tag);
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0) {
        perror("posix_openpt");
        return -1;
    }
    const char *slave = ptsname(m);
    if (!slave) {
        perror("ptsname");
        return -1;
    }
    snprintf(l->name, sizeof(l->name), "%s", slave);
    /* Hold the slave open ourselves: the master then never reads EIO while the DTE closes and
       reopens the device, and we can put the line into raw mode before any DTE sees it (a fresh
       pty echoes and translates CR, which would loop the DTE's commands back to it). */
    l->slave_fd = open(slave, O_RDWR | O_NOCTTY);
    if (l->slave_fd >= 0) {
        struct termios t;
        if (tcgetattr(l->slave_fd, &t) == 0) {
            cfmakeraw(&t);
            cfsetispeed(&t, B115200);
            cfsetospeed(&t, B115200);
            tcsetattr(l->slave_fd, TCSANOW, &t);
        }
    }
    set_nonblocking(m);
    l->fd = m;
    return 0;
}

int dte_link_open_tcp(dte_link_t *l, int port, const char *tag)
{
    init_common(l, tag);
    l->is_tcp = 1;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t) port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *) &a, sizeof(a)) < 0 || listen(s, 1) < 0) {
        perror("bind/listen");
        return -1;
    }
    socklen_t al = sizeof(a);
    getsockname(s, (struct sockaddr *) &a, &al);
    snprintf(l->name, sizeof(l->name), "127.0.0.1:%d", ntohs(a.sin_port));
    set_nonblocking(s);
    l->listen_fd = s;
    return 0;
}

void dte_link_describe(const dte_link_t *l, char *buf, size_t len)
{
    snprintf(buf, len, "%s %s", l->is_tcp ? "TCP" : "PTY", l->name);
}

int dte_link_poll_in_fd(const dte_link_t *l)
{
    if (l->fd < 0)
        return l->listen_fd;
    if (l->gone || l->held || l->pending_pos < l->pending_len)
        return -1;
    return l->fd;
}

int dte_link_poll_out_fd(const dte_link_t *l)
{
    return (l->fd >= 0 && l->out_len > 0 && !l->gone) ? l->fd : -1;
}

void dte_link_on_readable(dte_link_t *l)
{
    if (l->fd < 0) {
        int c = accept(l->listen_fd, NULL, NULL);
        if (c >= 0) {
            int one = 1;
            setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            set_nonblocking(c);
            l->fd = c;
            peer_note("[%s] DTE connected on %s", l->tag, l->name);
        }
        return;
    }
    if (l->held || l->pending_pos < l->pending_len)
        return;
    ssize_t n = read(l->fd, l->pending, sizeof(l->pending));
    if (n > 0) {
        l->pending_pos = 0;
        l->pending_len = (int) n;
        l->heard = 1;
        l->bytes_in += n;
    } else if (n == 0 && l->is_tcp) {
        peer_note("[%s] DTE closed the connection", l->tag);
        l->gone = 1;
    }
}

void dte_link_feed(dte_link_t *l, dte_byte_sink_t sink, void *ctx)
{
    /* One byte per call: SpanDSP's t31_at_rx drops whatever follows DLE ETX in the same call. */
    while (!l->held && l->pending_pos < l->pending_len)
        sink(ctx, l->pending[l->pending_pos++]);
}

static void try_flush(dte_link_t *l)
{
    while (l->fd >= 0 && l->out_len > 0 && !l->gone) {
        size_t chunk = l->out_len;
        if (l->out_head + chunk > DTE_LINK_OUTQ)
            chunk = DTE_LINK_OUTQ - l->out_head;
        ssize_t n = write(l->fd, l->outq + l->out_head, chunk);
        if (n <= 0) {
            if (n < 0 && errno != EAGAIN && errno != EINTR && l->is_tcp)
                l->gone = 1;
            return;
        }
        l->bytes_out += n;
        l->out_head = (l->out_head + (size_t) n) % DTE_LINK_OUTQ;
        l->out_len -= (size_t) n;
    }
}

void dte_link_on_writable(dte_link_t *l)
{
    try_flush(l);
}

void dte_link_write(dte_link_t *l, const uint8_t *buf, size_t len)
{
    if (l->fd < 0 || l->gone)
        return;                  /* nobody connected: like a modem talking to an unplugged port */
    for (size_t i = 0; i < len; i++) {
        if (l->out_len == DTE_LINK_OUTQ) {
            peer_note("[%s] DTE is not reading: output dropped", l->tag);
            return;
        }
        l->outq[(l->out_head + l->out_len) % DTE_LINK_OUTQ] = buf[i];
        l->out_len++;
    }
    try_flush(l);
}

void dte_link_set_cts(dte_link_t *l, int on)
{
    if (on && l->held) {
        uint8_t c = XON;
        l->held = 0;
        dte_link_write(l, &c, 1);
    } else if (!on && !l->held) {
        uint8_t c = XOFF;
        l->held = 1;
        l->xoffs++;
        dte_link_write(l, &c, 1);
    }
}

void dte_link_drain(dte_link_t *l, int timeout_ms)
{
    while (l->out_len > 0 && timeout_ms > 0 && l->fd >= 0 && !l->gone) {
        struct pollfd p = { .fd = l->fd, .events = POLLOUT };
        poll(&p, 1, 10);
        try_flush(l);
        timeout_ms -= 10;
    }
}

void dte_link_close(dte_link_t *l)
{
    peer_note("[%s] DTE link closed: %ld bytes from the DTE, %ld to it, %ld XOFF sent", l->tag, l->bytes_in,
              l->bytes_out, l->xoffs);
    if (l->fd >= 0)
        close(l->fd);
    if (l->slave_fd >= 0)
        close(l->slave_fd);
    if (l->listen_fd >= 0)
        close(l->listen_fd);
    l->fd = l->slave_fd = l->listen_fd = -1;
    free(l->outq);
    l->outq = NULL;
}
