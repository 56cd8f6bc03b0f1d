/* accept: what a model does when accept() fails: the EMFILE spare-fd trick
 * (shed one queued connection so a level-triggered listener does not spin) and
 * the count of connections that could not be taken.
 * Try: tests/integration/emfile_spin.py build/models/epoll/c10k-server-epoll */
#include "srv.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

int srv_spare_open(void)
{
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    return fd >= 0 ? fd : -errno;
}

int srv_shed(int listen_fd, int *spare_fd)
{
    if (*spare_fd >= 0) close(*spare_fd);
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd >= 0) close(fd);
    int spare = srv_spare_open();
    *spare_fd = spare >= 0 ? spare : -1;
    return fd >= 0;
}

void srv_shed_one(int listen_fd, int *spare_fd)
{
    srv_shed(listen_fd, spare_fd);
}

int srv_accept_failed(struct srv_stats *s, const char *model, int listen_fd, int *spare_fd, int err)
{
    if (err == EMFILE || err == ENFILE) {
        /* accept() looks for a free fd before it looks at the queue: EMFILE
         * even with nothing queued, which is not a rejection */
        if (!srv_shed(listen_fd, spare_fd)) return 0;
        srv_stats_reject(s, model, err);
        return 1;
    }
    srv_stats_reject(s, model, err); /* ENOBUFS, ENOMEM...: try again later */
    return 0;
}
