/* procfs: the primitives: read a /proc file into the caller's buffer and pick
 * a "Key: value [kB]" field out of it by hand.
 *   try: meson test -C build probe (tests/harness/test-probe.c reads a tree through it) */
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

ssize_t procfs_read(const char *path, char *buf, size_t cap)
{
    size_t len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    while (len + 1 < cap) {
        ssize_t r = read(fd, buf + len, cap - 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            return -e;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    buf[len] = '\0';
    return (ssize_t)len;
}

static const char *line_with(const char *buf, const char *key, size_t klen)
{
    const char *p = buf;
    while (p && *p) {
        if (strncmp(p, key, klen) == 0)
            return p + klen;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return NULL;
}

int procfs_field(const char *buf, const char *key, uint64_t *out)
{
    const char *p = line_with(buf, key, strlen(key));
    uint64_t v = 0;
    if (!p)
        return -ENOENT;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p < '0' || *p > '9')
        return -ENOENT;
    while (*p >= '0' && *p <= '9')
        v = v * 10 + (uint64_t)(*p++ - '0');
    while (*p == ' ')
        p++;
    if (p[0] == 'k' && p[1] == 'B')
        v *= 1024;
    *out = v;
    return 0;
}
