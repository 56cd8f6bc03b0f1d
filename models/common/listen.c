/* listen: the listening socket (one, or one per event loop on the same port),
 * the ready line and RLIMIT_NOFILE, shared by every server model.
 * Try: c10k-server-epoll --port 0   (prints "ready 127.0.0.1:PORT pid=N") */
#include "srv.h"

#include <arpa/inet.h>
#include <errno.h>
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

unsigned srv_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur > SRV_FD_LIMIT_MAX)
        return SRV_FD_LIMIT_MAX;
    return (unsigned)rl.rlim_cur;
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

/* A bound socket (SO_REUSEADDR, and SO_REUSEPORT when reuseport). */
static int listen_bound(const struct srv_opts *o, bool reuseport, bool nonblock)
{
    struct sockaddr_storage ss;
    socklen_t len = 0;
    int rc = listen_addr(o, &ss, &len);
    if (rc < 0) return rc;
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);
    if (fd < 0) return -errno;
    rc = listen_setopt(fd, SO_REUSEADDR);
    if (rc == 0 && reuseport) rc = listen_setopt(fd, SO_REUSEPORT);
    if (rc == 0 && bind(fd, (struct sockaddr *)&ss, len) != 0) rc = -errno;
    if (rc < 0) {
        close(fd);
        return rc;
    }
    return fd;
}

int srv_bind(const struct srv_opts *o, bool reuseport)
{
    return listen_bound(o, reuseport, false);
}

int srv_listen(const struct srv_opts *o, bool reuseport, bool nonblock)
{
    int fd = listen_bound(o, reuseport, nonblock);
    if (fd >= 0 && listen(fd, o->backlog) != 0) {
        int rc = -errno;
        close(fd);
        return rc;
    }
    return fd;
}

int srv_listen_loop(const struct srv_opts *o, unsigned n, int first_fd)
{
    bool reuseport = o->reuseport || n > 1;
    if (first_fd < 0) return srv_listen(o, reuseport, true);
    int port = srv_bound_port(first_fd);
    if (port < 0) return port;
    struct srv_opts same = *o;
    same.port = (uint16_t)port;
    return srv_listen(&same, true, true);
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
