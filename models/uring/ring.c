/* ring: one io_uring and its provided-buffer ring. Setup tries the best flags
 * first and falls back (saying so on stderr) where the kernel lacks them;
 * ur_probe checks the opcodes the model needs.
 *   c10k-server-uring 2>&1 | head -3   (shows any fallback) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ur.h"

struct ur_setup {
    unsigned flags;
    const char *name;
};

/* Best first: no task-work interrupts and deferred task work (6.1), then
 * cooperative task work (5.19), then nothing. */
static const struct ur_setup ur_plain[] = {
    {IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN, "SINGLE_ISSUER|DEFER_TASKRUN"},
    {IORING_SETUP_COOP_TASKRUN, "COOP_TASKRUN"},
    {0, "no setup flags"},
};
static const struct ur_setup ur_sqpoll[] = {
    {IORING_SETUP_SQPOLL | IORING_SETUP_SINGLE_ISSUER, "SQPOLL|SINGLE_ISSUER"},
    {IORING_SETUP_SQPOLL, "SQPOLL"},
};

static int ur_try_init(struct ur_loop *l, unsigned flags)
{
    struct io_uring_params p;
    memset(&p, 0, sizeof(p));
    p.flags = flags | IORING_SETUP_CQSIZE;
    p.cq_entries = UR_CQ_ENTRIES;
    p.sq_thread_idle = 100; /* ms before the SQ thread sleeps (--sqpoll) */
    int err = io_uring_queue_init_params(UR_SQ_ENTRIES, &l->ring, &p);
    if (err == 0 && !(p.features & IORING_FEAT_NODROP))
        fprintf(stderr, "c10k-server-uring: kernel lacks IORING_FEAT_NODROP: a full CQ "
                        "loses completions\n");
    return err;
}

/* Opens l->ring with the first flags the kernel takes (the first ring tries
 * them all and reports fallbacks; later rings reuse its choice). Returns 0,
 * -EPERM/-ENOSYS (io_uring unavailable) or another -errno. */
int ur_ring_open(struct ur_loop *l, bool sqpoll, bool report)
{
    const struct ur_setup *s = sqpoll ? ur_sqpoll : ur_plain;
    size_t n = sqpoll ? sizeof(ur_sqpoll) / sizeof(*s) : sizeof(ur_plain) / sizeof(*s);
    int err = -EINVAL;
    if (!report) {
        err = ur_try_init(l, l->feat->setup_flags);
        l->ring_ok = err == 0;
        return err;
    }
    for (size_t i = 0; i < n; i++) {
        err = ur_try_init(l, s[i].flags);
        if (err == 0) {
            l->feat->setup_flags = s[i].flags;
            break;
        }
        if (err != -EINVAL || i + 1 == n) break;
        fprintf(stderr, "c10k-server-uring: kernel refused setup flags %s, falling back to %s\n",
                s[i].name, s[i + 1].name);
    }
    l->ring_ok = err == 0;
    return err;
}

void ur_ring_close(struct ur_loop *l)
{
    if (l->ring_ok) io_uring_queue_exit(&l->ring);
    l->ring_ok = false;
    if (l->br) munmap(l->br, UR_BUF_COUNT * sizeof(struct io_uring_buf));
    if (l->bufs) munmap(l->bufs, UR_BUF_AREA);
    l->br = NULL;
    l->bufs = NULL;
}

static const struct {
    int op;
    const char *name;
} ur_needed[] = {
    {IORING_OP_ACCEPT, "ACCEPT"},
    {IORING_OP_RECV, "RECV"},
    {IORING_OP_SEND, "SEND"},
    {IORING_OP_TIMEOUT, "TIMEOUT"},
    {IORING_OP_TIMEOUT_REMOVE, "TIMEOUT_REMOVE"},
    {IORING_OP_POLL_ADD, "POLL_ADD"},
    {IORING_OP_ASYNC_CANCEL, "ASYNC_CANCEL"},
};

static int ur_buf_ring_setup(struct ur_loop *l)
{
    size_t ring_bytes = UR_BUF_COUNT * sizeof(struct io_uring_buf);
    void *p = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return -errno;
    l->br = p;
    /* the kernel cycles through every buffer: fault them all in now
     * (MAP_POPULATE) so this fixed cost shows in the idle footprint rather
     * than as a per-connection cost */
    p = mmap(NULL, UR_BUF_AREA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
             -1, 0);
    if (p == MAP_FAILED) return -errno;
    l->bufs = p;
    struct io_uring_buf_reg reg = {
        .ring_addr = (unsigned long)l->br, .ring_entries = UR_BUF_COUNT, .bgid = UR_BGID};
    int err = io_uring_register_buf_ring(&l->ring, &reg, 0);
    if (err) return err;
    io_uring_buf_ring_init(l->br);
    int mask = io_uring_buf_ring_mask(UR_BUF_COUNT);
    for (unsigned i = 0; i < UR_BUF_COUNT; i++)
        io_uring_buf_ring_add(l->br, l->bufs + (size_t)i * UR_BUF_BYTES, UR_BUF_BYTES,
                              (unsigned short)i, mask, (int)i);
    io_uring_buf_ring_advance(l->br, UR_BUF_COUNT);
    return 0;
}

/* The opcodes the model needs and the provided-buffer ring. Returns 0, or
 * -EOPNOTSUPP after saying what is missing. */
int ur_probe(struct ur_loop *l)
{
    struct io_uring_probe *pr = io_uring_get_probe_ring(&l->ring);
    if (pr) {
        for (size_t i = 0; i < sizeof(ur_needed) / sizeof(ur_needed[0]); i++) {
            if (!io_uring_opcode_supported(pr, ur_needed[i].op)) {
                fprintf(stderr,
                        "c10k-server-uring: io_uring unavailable: kernel lacks "
                        "IORING_OP_%s\n",
                        ur_needed[i].name);
                io_uring_free_probe(pr);
                return -EOPNOTSUPP;
            }
        }
        io_uring_free_probe(pr);
    }
    int err = ur_buf_ring_setup(l);
    if (err) {
        fprintf(stderr,
                "c10k-server-uring: io_uring unavailable: provided buffer ring: %s "
                "(needs Linux 5.19)\n",
                strerror(-err));
        return -EOPNOTSUPP;
    }
    return 0;
}

/* A free SQE; when the SQ is full, submits what is queued first. */
struct io_uring_sqe *ur_sqe(struct ur_loop *l)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&l->ring);
    for (int i = 0; !sqe && i < 8; i++) {
        io_uring_submit(&l->ring);
        sqe = io_uring_get_sqe(&l->ring);
    }
    return sqe;
}

void ur_buf_recycle(struct ur_loop *l, unsigned bid)
{
    io_uring_buf_ring_add(l->br, l->bufs + (size_t)bid * UR_BUF_BYTES, UR_BUF_BYTES,
                          (unsigned short)bid, io_uring_buf_ring_mask(UR_BUF_COUNT),
                          (int)l->recycled++);
}

/* Publishes the recycled buffers to the kernel in one store. */
void ur_buf_flush(struct ur_loop *l)
{
    if (l->recycled) {
        io_uring_buf_ring_advance(l->br, (int)l->recycled);
        l->recycled = 0;
    }
}
