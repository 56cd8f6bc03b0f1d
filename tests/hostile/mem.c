/* hx mem: the memory of a server's process tree (PSS summed from
 * /proc/PID/smaps_rollup, so the pages a prefork pool shares count once),
 * the normal-client check and the after-case check. */
#include "hostile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MEM_MAX_PIDS 4096

static uint64_t mem_pss_kib(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
    FILE *f = fopen(path, "r");
    unsigned long long kib = 0;
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "Pss: %llu kB", &kib) == 1) break;
    if (f) fclose(f);
    return kib;
}

uint64_t hx_tree_pss_kib(pid_t root)
{
    static pid_t tree[MEM_MAX_PIDS];
    size_t n = itc_proc_tree(root, tree, MEM_MAX_PIDS);
    uint64_t kib = 0;
    for (size_t i = 0; i < n; i++)
        kib += mem_pss_kib(tree[i]);
    return kib;
}

int hx_normal(const struct hx_ctx *x, int timeout_ms)
{
    struct itc_conn c = {.fd = -1};
    struct itc_resp r = {0};
    uint64_t t0 = itc_now_ms();
    int rc = itc_conn_open(&c, &x->srv);
    rc = rc ? rc : itc_send_str(&c, "GET / HTTP/1.1\r\n\r\n");
    rc = rc ? rc : itc_recv_resp(&c, &r, timeout_ms);
    itc_conn_close(&c);
    if (rc == 0 && r.status == 200) return 0;
    fprintf(stderr, "hostile: normal client: %s, status %u after %llu ms\n",
            rc ? strerror(-rc) : "answered", r.status, (unsigned long long)(itc_now_ms() - t0));
    return -1;
}

int64_t hx_normal_worst_ms(const struct hx_ctx *x, int timeout_ms)
{
    uint64_t worst = 0;
    for (int i = 0; i < HX_BASE_CLIENTS; i++) {
        uint64_t t0 = itc_now_ms();
        if (hx_normal(x, timeout_ms) != 0) return -1;
        uint64_t dt = itc_now_ms() - t0;
        worst = dt > worst ? dt : worst;
    }
    return (int64_t)worst;
}

int hx_late_ms(uint64_t base_ms)
{
    uint64_t scaled = HX_LATE_FACTOR * base_ms;
    return scaled > HX_NORMAL_TIMEOUT_MS ? (int)scaled : HX_NORMAL_TIMEOUT_MS;
}

int hx_after(struct hx_ctx *x, const char *what)
{
    int late_ms = hx_late_ms(x->base_ms);
    if (hx_normal(x, late_ms) != 0) {
        fprintf(stderr, "hostile: %s: after %s: a normal client is not answered within %d ms\n",
                x->model, what, late_ms);
        return -1;
    }
    uint64_t deadline = itc_now_ms() + 5000, kib;
    while ((kib = hx_tree_pss_kib(x->srv.pid)) > x->base_kib + HX_AFTER_SLACK_KIB &&
           itc_now_ms() < deadline)
        usleep(100000);
    fprintf(stderr, "hostile: %s: after %s: PSS %llu KiB (baseline %llu KiB, bound +%u KiB)\n",
            x->model, what, (unsigned long long)kib, (unsigned long long)x->base_kib,
            HX_AFTER_SLACK_KIB);
#ifdef __SANITIZE_ADDRESS__
    /* ASan keeps freed memory in quarantine and thread fake stacks alive, so
     * a server built with it does not return to its baseline: the bound only
     * means something in a normal build (the normal suite checks it). */
    if (kib > x->base_kib + HX_AFTER_SLACK_KIB) {
        fprintf(stderr, "hostile: %s: memory bound not checked under AddressSanitizer\n", x->model);
        return 0;
    }
#endif
    return kib <= x->base_kib + HX_AFTER_SLACK_KIB ? 0 : -1;
}

void hx_reset_close(int fd)
{
    struct linger l = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    close(fd);
}
