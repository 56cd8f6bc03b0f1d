/* memcg: a memory cgroup of one's own for a process (the server or c10k-load
 * of a trial), behind one small API over the cgroup v2 (memory.stat) and v1
 * (memory.usage_in_bytes, memory.kmem.*) controllers. Prefix memcg_.
 * Functions return 0 or -errno; every memcg_create has its memcg_destroy. */
#ifndef C10K_MEMCG_H
#define C10K_MEMCG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum memcg_method { MEMCG_SYSTEM, MEMCG_V1, MEMCG_V2 };

/* "system", "cgroup1", "cgroup2": the memory_method of a trial. */
const char *memcg_method_name(enum memcg_method m);

/* Which controller this machine offers under root (NULL: $C10K_CGROUP_ROOT,
 * else /sys/fs/cgroup): MEMCG_V2 when root is cgroup2 with the memory
 * controller, MEMCG_V1 when root/memory is a v1 memory hierarchy, else
 * MEMCG_SYSTEM. C10K_MEMORY_METHOD=system forces MEMCG_SYSTEM. */
enum memcg_method memcg_detect(const char *root);

struct memcg {
    enum memcg_method method;
    char dir[1200]; /* the group's directory */
    char parent[1024];
};

/* Creates the group <parent>/<name>-<pid of the caller> where parent is a
 * c10k directory (v2: <root>/c10k; v1: <root>/memory/<own group>/c10k),
 * created when missing. v1: writes memory.kmem.tcp.limit_in_bytes so that
 * socket buffers are counted. -ENOTSUP when detect says MEMCG_SYSTEM, -EACCES
 * / -EPERM without the right to create it. */
int memcg_create(struct memcg *g, const char *root, const char *name);
/* The group's cgroup.procs (where a child writes "0" before exec). */
int memcg_procs_path(const struct memcg *g, char *buf, size_t cap);
/* In a forked child: moves the caller into the group whose cgroup.procs is
 * procs_path. Async-signal-safe. */
int memcg_enter(const char *procs_path);
/* Moves pid (and on v1 only that thread group's leader) into the group. */
int memcg_attach(const struct memcg *g, pid_t pid);

/* What the group holds, in bytes (-1 = not known from the group on this
 * controller; the caller estimates it). */
struct memcg_parts {
    double total;        /* user + kernel + sock: pages in use (not the precharge
                          * memory.current / usage_in_bytes also hold) */
    double user;         /* anon + file (v1: rss + cache) */
    double kernel;       /* v2 memory.stat kernel; v1 kmem.usage_in_bytes */
    double kernel_stack; /* v2 kernel_stack; v1 -1 */
    double page_tables;  /* v2 pagetables; v1 the VmPTE of the group's processes */
    double slab;         /* v2 slab_reclaimable + slab_unreclaimable; v1 -1 */
    double sock;         /* v2 sock; v1 kmem.tcp.usage_in_bytes */
    double percpu;       /* v2 percpu; v1 -1 */
    double threads;      /* tasks in the group (v1 tasks, v2 cgroup.threads) */
    double processes;    /* cgroup.procs lines */
};

int memcg_read(const struct memcg *g, struct memcg_parts *p);
/* Kills what is left in the group (SIGKILL), waits up to 2 s for it to
 * empty, removes the directory. Safe on a zeroed or destroyed group. */
int memcg_destroy(struct memcg *g);

#endif
