/* procfs sys: the system-wide figures the probe records beside the process
 * tree: /proc/meminfo (KernelStack, PageTables, Slab, MemAvailable) and
 * /proc/net/sockstat (TCP inuse, mem pages).  try: cat /proc/net/sockstat */
#include "procfs.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* "TCP: inuse 5 orphan 0 tw 0 alloc 7 mem 222": the number after word. */
static int sockstat_num(const char *line, const char *word, uint64_t *out)
{
    const char *p = strstr(line, word);
    uint64_t v = 0;
    if (!p)
        return -ENOENT;
    p += strlen(word);
    while (*p == ' ')
        p++;
    while (*p >= '0' && *p <= '9')
        v = v * 10 + (uint64_t)(*p++ - '0');
    *out = v;
    return 0;
}

static int sockstat_read(struct procfs_sys *s)
{
    char buf[1024];
    const char *tcp;
    uint64_t pages = 0;
    ssize_t r = procfs_read("/proc/net/sockstat", buf, sizeof buf);
    if (r < 0)
        return (int)r;
    tcp = strstr(buf, "\nTCP:");
    if (!tcp)
        return -ENOENT;
    if (sockstat_num(tcp, " inuse", &s->tcp_sockets) < 0 ||
        sockstat_num(tcp, " mem", &pages) < 0)
        return -ENOENT;
    s->tcp_mem_bytes = pages * (uint64_t)sysconf(_SC_PAGESIZE);
    return 0;
}

int procfs_sys_read(struct procfs_sys *s)
{
    char buf[8192];
    ssize_t r = procfs_read("/proc/meminfo", buf, sizeof buf);
    memset(s, 0, sizeof *s);
    if (r < 0)
        return (int)r;
    if (procfs_field(buf, "KernelStack:", &s->kernel_stack_bytes) < 0 ||
        procfs_field(buf, "PageTables:", &s->page_tables_bytes) < 0 ||
        procfs_field(buf, "Slab:", &s->slab_bytes) < 0 ||
        procfs_field(buf, "MemAvailable:", &s->mem_available_bytes) < 0)
        return -ENOENT;
    return sockstat_read(s);
}
