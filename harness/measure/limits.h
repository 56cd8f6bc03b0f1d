/* limits: which system limit a server's refusal reason points at, in words,
 * for a broken point's reason: EMFILE -> the per-process descriptor cap,
 * ENFILE -> the system file table, EAGAIN (pthread_create, fork) -> the
 * smallest of kernel.pid_max, kernel.threads-max, RLIMIT_NPROC and the
 * cgroup's pids.max (with the tasks on the machine now), ENOMEM -> memory.
 * Prefix limits_. */
#ifndef C10K_HN_LIMITS_H
#define C10K_HN_LIMITS_H

#include <stddef.h>

/* Writes the limit behind errname ("EMFILE", ...) into out ("" when none is
 * known) for a server of `processes` processes. */
void limits_cause(const char *errname, unsigned processes, char *out, size_t cap);

#endif
