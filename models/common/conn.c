/* conn: what every model does with an accepted connection's socket: no Nagle
 * delay, and closing it after a Connection: close answer without turning the
 * answer into a reset.
 * Try: printf 'GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n' | nc 127.0.0.1
 * PORT */
#include "srv.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

void srv_shut_drain(int fd, void *scratch, size_t cap)
{
    /* FIN first, and drop what the peer already sent: unread input at close()
     * makes the kernel answer with a reset, which can destroy the answer just
     * written before the client has read it */
    shutdown(fd, SHUT_WR);
    for (int i = 0; i < SRV_DRAIN_READS && recv(fd, scratch, cap, MSG_DONTWAIT) > 0; i++) {
    }
}

void srv_close_graceful(int fd, void *scratch, size_t cap)
{
    srv_shut_drain(fd, scratch, cap);
    close(fd);
}

void srv_nodelay(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}
