/* hn store: the results folder on disk: every file written atomically (a
 * temporary beside it, fsync, rename, fsync of the folder), folders made on
 * demand, UTC timestamps.  try: tests/harness/test-store */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, buf, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

static void fsync_dir_of(const char *path)
{
    char copy[4096];
    int fd;
    snprintf(copy, sizeof copy, "%s", path);
    fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int hn_store_write(const char *path, const char *buf, size_t len)
{
    char tmp[4200];
    int fd, rc;
    snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return -errno;
    rc = write_all(fd, buf, len);
    if (rc == 0 && fchmod(fd, 0644) < 0)
        rc = -errno;
    if (rc == 0 && fsync(fd) < 0)
        rc = -errno;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc == 0 && rename(tmp, path) < 0)
        rc = -errno;
    if (rc < 0) {
        unlink(tmp);
        return rc;
    }
    fsync_dir_of(path);
    return 0;
}

int hn_store_write_json(const char *path, const json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    int rc;
    size_t len;
    if (!s)
        return -ENOMEM;
    len = strlen(s);
    s[len] = '\0';
    {
        char *t = realloc(s, len + 2);
        if (!t) {
            free(s);
            return -ENOMEM;
        }
        s = t;
        s[len++] = '\n';
    }
    rc = hn_store_write(path, s, len);
    free(s);
    return rc;
}

int hn_store_mkdirs(const char *dir)
{
    char p[4096];
    size_t i;
    snprintf(p, sizeof p, "%s", dir);
    for (i = 1; p[i]; i++) {
        if (p[i] != '/')
            continue;
        p[i] = '\0';
        if (mkdir(p, 0755) < 0 && errno != EEXIST)
            return -errno;
        p[i] = '/';
    }
    if (mkdir(p, 0755) < 0 && errno != EEXIST)
        return -errno;
    return 0;
}

void hn_utc_now(char *buf, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
