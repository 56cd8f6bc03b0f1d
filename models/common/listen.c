/* listen: the listening socket, the ready line, RLIMIT_NOFILE and the EMFILE
 * spare-fd trick shared by every server model.
 * Try: c10k-server-epoll --port 0   (prints "ready 127.0.0.1:PORT pid=N") */
#include "srv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

long srv_raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return -errno;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return -errno;
    }
    return (long)rl.rlim_cur;
}

static int listen_addr(const struct srv_opts *o, struct sockaddr_storage *ss, socklen_t *len)
{
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
                             .ai_socktype = SOCK_STREAM};
    struct addrinfo *ai = NULL;
    char port[8];
    snprintf(port, sizeof(port), "%u", (unsigned)o->port);
    int rc = getaddrinfo(o->host, port, &hints, &ai);
    if (rc != 0) return rc == EAI_SYSTEM ? -errno : -EINVAL;
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *len = ai->ai_addrlen;
    freeaddrinfo(ai);
    return 0;
}

static int listen_setopt(int fd, int opt)
{
    int one = 1;
    return setsockopt(fd, SOL_SOCKET, opt, &one, sizeof(one)) == 0 ? 0 : -errno;
}

int srv_listen(const struct srv_opts *o, bool reuseport, bool nonblock)
{
    struct sockaddr_storage ss;
    socklen_t len = 0;
    int rc = listen_addr(o, &ss, &len);
    if (rc < 0) return rc;
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);
    if (fd < 0) return -errno;
    rc = listen_setopt(fd, SO_REUSEADDR);
    if (rc == 0 && reuseport) rc = listen_setopt(fd, SO_REUSEPORT);
    if (rc < 0) goto fail;
    if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, o->backlog) != 0) {
        rc = -errno;
        goto fail;
    }
    return fd;
fail:
    close(fd);
    return rc;
}

int srv_bound_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) return -errno;
    if (ss.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return -EAFNOSUPPORT;
}

int srv_ready(int listen_fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    char host[INET6_ADDRSTRLEN];
    if (getsockname(listen_fd, (struct sockaddr *)&ss, &len) != 0) return -errno;
    const void *addr = ss.ss_family == AF_INET6
                           ? (const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr
                           : (const void *)&((struct sockaddr_in *)&ss)->sin_addr;
    if (!inet_ntop(ss.ss_family, addr, host, sizeof(host))) return -errno;
    int port = srv_bound_port(listen_fd);
    if (port < 0) return port;
    if (ss.ss_family == AF_INET6)
        printf("ready [%s]:%d pid=%d\n", host, port, (int)getpid());
    else
        printf("ready %s:%d pid=%d\n", host, port, (int)getpid());
    return fflush(stdout) == 0 ? 0 : -EIO;
}

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
