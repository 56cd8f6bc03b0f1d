/* addr: where c10k-load connects to and from: the URL's host (IPv4, [IPv6] or a
 * name through getaddrinfo) and the --source range of local addresses (IPv4 or
 * IPv6), dealt to connections in turn. Try: c10k-load http://[::1]:8080/ */
#include "lg.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* host[n] -> the first TCP address getaddrinfo gives (numeric forms never
 * touch a resolver). Returns 0, -EINVAL (syntax) or -EHOSTUNREACH (no name). */
int lg_addr_resolve(const char *host, size_t n, uint16_t port, struct sockaddr_storage *ss,
                    socklen_t *len)
{
    char name[256];
    if (n == 0 || n >= sizeof(name)) return -EINVAL;
    memcpy(name, host, n);
    name[n] = 0;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_protocol = IPPROTO_TCP};
    struct addrinfo *ai = NULL;
    if (getaddrinfo(name, NULL, &hints, &ai) != 0 || !ai) return -EHOSTUNREACH;
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *len = ai->ai_addrlen;
    freeaddrinfo(ai);
    if (ss->ss_family == AF_INET)
        ((struct sockaddr_in *)ss)->sin_port = htons(port);
    else if (ss->ss_family == AF_INET6)
        ((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
    else
        return -EINVAL;
    return 0;
}

/* The last 8 bytes of an address as a number (IPv4: its 4 bytes). */
static uint64_t low_of(const struct sockaddr_storage *ss)
{
    uint64_t v = 0;
    if (ss->ss_family == AF_INET) return ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr);
    const uint8_t *b = ((const struct sockaddr_in6 *)ss)->sin6_addr.s6_addr;
    for (int i = 8; i < 16; i++)
        v = v << 8 | b[i];
    return v;
}

static void set_low(struct sockaddr_storage *ss, uint64_t v)
{
    if (ss->ss_family == AF_INET) {
        ((struct sockaddr_in *)ss)->sin_addr.s_addr = htonl((uint32_t)v);
        return;
    }
    uint8_t *b = ((struct sockaddr_in6 *)ss)->sin6_addr.s6_addr;
    for (int i = 15; i >= 8; i--, v >>= 8)
        b[i] = (uint8_t)v;
}

static int parse_one(const char *s, size_t n, int family, struct sockaddr_storage *ss)
{
    char tmp[INET6_ADDRSTRLEN + 1];
    if (n == 0 || n >= sizeof(tmp)) return -EINVAL;
    memcpy(tmp, s, n);
    tmp[n] = 0;
    memset(ss, 0, sizeof(*ss));
    ss->ss_family = (sa_family_t)family;
    void *dst = family == AF_INET ? (void *)&((struct sockaddr_in *)ss)->sin_addr
                                  : (void *)&((struct sockaddr_in6 *)ss)->sin6_addr;
    return inet_pton(family, tmp, dst) == 1 ? 0 : -EINVAL;
}

/* Can this machine bind the address (is it local)? Nothing is sent. */
static int bindable(const struct sockaddr_storage *ss)
{
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    socklen_t len =
        ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
    int rc = bind(fd, (const struct sockaddr *)ss, len) == 0 ? 0 : -errno;
    close(fd);
    return rc;
}

/* "A" or "A-B" in the target's family, both ends local addresses on this
 * machine, at most 2^32 addresses apart (IPv6: the same upper 64 bits). */
int lg_source_parse(const char *s, int family, struct lg_source *src)
{
    struct sockaddr_storage last;
    const char *dash = strchr(s, '-');
    size_t n1 = dash ? (size_t)(dash - s) : strlen(s);
    if (parse_one(s, n1, family, &src->first) < 0) return -EINVAL;
    last = src->first;
    if (dash && parse_one(dash + 1, strlen(dash + 1), family, &last) < 0) return -EINVAL;
    if (family == AF_INET6 && memcmp(((struct sockaddr_in6 *)&src->first)->sin6_addr.s6_addr,
                                     ((struct sockaddr_in6 *)&last)->sin6_addr.s6_addr, 8))
        return -ERANGE;
    uint64_t a = low_of(&src->first), b = low_of(&last);
    if (b < a || b - a >= UINT32_MAX) return -ERANGE;
    if (bindable(&src->first) < 0 || bindable(&last) < 0) return -EADDRNOTAVAIL;
    src->count = (uint32_t)(b - a + 1);
    return 0;
}

/* Binds fd to the source address of connection id (no port: the kernel picks
 * it at connect time, so one address serves every target port). */
int lg_source_bind(const struct lg_source *src, int fd, uint32_t id)
{
    if (src->count == 0) return 0;
    int one = 1;
    struct sockaddr_storage ss = src->first;
    set_low(&ss, low_of(&src->first) + id % src->count);
    socklen_t len =
        ss.ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
    return bind(fd, (struct sockaddr *)&ss, len) < 0 ? -errno : 0;
}
