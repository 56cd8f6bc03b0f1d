/* res metric: THE metric table of the harness (docs/results.md, "Metrics"): every
 * per-trial metric's name, unit, direction, compare threshold, aliases and
 * description, written once. The writer (harness/metrics.c), compare, plot,
 * report and `c10k compare --list-metrics` all read it. Prefix res_. */
#ifndef C10K_RES_METRIC_H
#define C10K_RES_METRIC_H

#include <stdbool.h>
#include <stddef.h>

enum res_unit { RES_UNIT_RPS, RES_UNIT_US, RES_UNIT_BYTES, RES_UNIT_COUNT, RES_UNIT_FRACTION };
enum res_dir { RES_LOWER, RES_HIGHER }; /* which way is better */

/* Adding a metric is one line here (its value is then set by hn_metrics_compute
 * in harness/metrics.c through RES_M_<ID>; a metric nobody sets stays null).
 * X(ID, name, unit, better, threshold_pct, aliases, description):
 * threshold_pct > 0 makes `c10k compare` test it (a change beyond that % counts),
 * 0 leaves it out of the comparison (--assert still takes it); aliases are
 * space separated short names for --assert and --threshold. The order is the
 * order of the metrics object and of summary.csv's columns: append only. */
#define RES_METRICS(X)                                                                             \
    X(RPS, "throughput_rps", RES_UNIT_RPS, RES_HIGHER, 5, "throughput rps",                        \
      "responses received in the measured window / its length")                                    \
    X(P50, "latency_p50_us", RES_UNIT_US, RES_LOWER, 5, "p50", "median latency (c10k-load)")       \
    X(P90, "latency_p90_us", RES_UNIT_US, RES_LOWER, 0, "p90", "90th percentile latency")          \
    X(P99, "latency_p99_us", RES_UNIT_US, RES_LOWER, 10, "p99", "99th percentile latency")         \
    X(P999, "latency_p999_us", RES_UNIT_US, RES_LOWER, 15, "p999", "99.9th percentile latency")    \
    X(MAX, "latency_max_us", RES_UNIT_US, RES_LOWER, 0, "max", "slowest response")                 \
    X(ERRORS, "errors", RES_UNIT_COUNT, RES_LOWER, 0, "",                                          \
      "connect/read/write/reset/eof/parse errors + non-2xx + timeouts")                            \
    X(ESTABLISHED, "connections_established", RES_UNIT_COUNT, RES_HIGHER, 0, "connections",        \
      "connections c10k-load held open")                                                           \
    X(CPU_PER_REQ, "cpu_us_per_req", RES_UNIT_US, RES_LOWER, 5, "cpu",                             \
      "server CPU time over the window / completed requests")                                      \
    X(CSW_PER_REQ, "ctxsw_per_req", RES_UNIT_COUNT, RES_LOWER, 0, "ctxsw",                         \
      "server context switches over the window / completed requests")                              \
    X(PSS_IDLE, "pss_idle_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "", "server tree PSS, idle")       \
    X(PSS_LOADED, "pss_loaded_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                            \
      "server tree PSS, connections up")                                                           \
    X(RSS_LOADED, "rss_loaded_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                            \
      "server tree RSS, connections up")                                                           \
    X(VSZ_LOADED, "vsz_loaded_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                            \
      "server tree address space, connections up")                                                 \
    X(THREADS_LOADED, "threads_loaded", RES_UNIT_COUNT, RES_LOWER, 0, "",                          \
      "threads of the server tree, connections up")                                                \
    X(PROCS_LOADED, "processes_loaded", RES_UNIT_COUNT, RES_LOWER, 0, "",                          \
      "processes of the server tree, connections up")                                              \
    X(PC_USER, "mem_per_conn_user_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                        \
      "(PSS loaded - idle) / connections")                                                         \
    X(PC_KSTACK, "mem_per_conn_kstack_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                    \
      "(KernelStack loaded - idle, system-wide) / connections")                                    \
    X(PC_PTE, "mem_per_conn_pagetables_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                   \
      "(PageTables loaded - idle, system-wide) / connections")                                     \
    X(PC_SOCKET, "mem_per_conn_socket_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                    \
      "(TCP mem loaded - idle) / connections, both ends of loopback")                              \
    X(PC_TOTAL, "mem_per_conn_bytes", RES_UNIT_BYTES, RES_LOWER, 5, "mem",                         \
      "the server's memory per connection: its books' total (server_total), slab included")                                                       \
    X(PC_AVAIL, "mem_per_conn_available_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                  \
      "(MemAvailable idle - loaded) / connections: the all-in figure")                             \
    X(LOADGEN_CPU, "loadgen_cpu_fraction", RES_UNIT_FRACTION, RES_LOWER, 0, "",                    \
      "c10k-load's busiest thread: CPU time / wall time")                                          \
    X(PC_PTE_TREE, "mem_per_conn_pagetables_tree_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",         \
      "(server tree VmPTE loaded - idle) / connections")                                           \
    X(PC_KSTACK_TREE, "mem_per_conn_kstack_tree_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",          \
      "(server threads loaded - idle) x 16 KiB / connections")                                     \
    X(PC_SLAB, "mem_per_conn_slab_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                        \
      "(Slab loaded - idle, system-wide) / connections")                                           \
    X(PROBE_CPU, "probe_cpu_fraction", RES_UNIT_FRACTION, RES_LOWER, 0, "",                        \
      "the probe thread's CPU time / its wall time")                                               \
    X(SRV_USER, "mem_per_conn_server_user_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                \
      "the server's memory books: user memory / connections")                                      \
    X(SRV_KSTACK, "mem_per_conn_server_kernel_stack_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",      \
      "the server's memory books: kernel stacks / connections")                                    \
    X(SRV_PTE, "mem_per_conn_server_page_tables_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",          \
      "the server's memory books: page tables / connections")                                      \
    X(SRV_SLAB, "mem_per_conn_server_slab_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                \
      "the server's memory books: slab / connections")                                             \
    X(SRV_SOCK, "mem_per_conn_server_sock_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                \
      "the server's memory books: socket buffers / connections")                                   \
    X(SRV_OTHER, "mem_per_conn_server_other_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",              \
      "the server's memory books: the rest / connections")                                         \
    X(SRV_TOTAL, "mem_per_conn_server_total_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",              \
      "the server's memory books: all of it / connections")                                        \
    X(CLI_USER, "mem_per_conn_client_user_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                \
      "c10k-load's memory books: user memory / connections")                                       \
    X(CLI_KSTACK, "mem_per_conn_client_kernel_stack_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",      \
      "c10k-load's memory books: kernel stacks / connections")                                     \
    X(CLI_PTE, "mem_per_conn_client_page_tables_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",          \
      "c10k-load's memory books: page tables / connections")                                       \
    X(CLI_SLAB, "mem_per_conn_client_slab_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                \
      "c10k-load's memory books: slab / connections")                                              \
    X(CLI_SOCK, "mem_per_conn_client_sock_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                \
      "c10k-load's memory books: socket buffers / connections")                                    \
    X(CLI_OTHER, "mem_per_conn_client_other_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",              \
      "c10k-load's memory books: the rest / connections")                                          \
    X(CLI_TOTAL, "mem_per_conn_client_total_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",              \
      "c10k-load's memory books: all of it / connections")                                         \
    X(ALL_IN, "mem_per_conn_all_in_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                       \
      "pages taken: (MemFree + per-CPU free lists) idle - loaded / connections")                            \
    X(BOOKS_GAP, "memory_books_gap", RES_UNIT_FRACTION, RES_LOWER, 0, "",                          \
      "|server total + client total - all_in| / all_in: how far the books are from closing")       \
    X(HELD, "connections_held", RES_UNIT_COUNT, RES_HIGHER, 0, "held",                             \
      "connections established and answered (the server took them): established - unanswered")   \
    X(SRV_PROCS, "server_processes", RES_UNIT_COUNT, RES_LOWER, 0, "",                             \
      "server processes started (--processes N past one process's descriptors)")                  \
    X(LOAD_PROCS, "load_processes", RES_UNIT_COUNT, RES_LOWER, 0, "",                              \
      "c10k-load processes the load was split over (harness/measure/runners.h)")                 \
    X(SRV_PAGE_FRAG, "mem_per_conn_server_page_frag_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",      \
      "the server's memory books: TCP page fragments of its new tasks (32 KiB each), no group's")  \
    X(CLI_PAGE_FRAG, "mem_per_conn_client_page_frag_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",      \
      "c10k-load's memory books: TCP page fragments of its new tasks (32 KiB each)")             \
    X(UNCOUNTED, "mem_per_conn_uncounted_bytes", RES_UNIT_BYTES, RES_LOWER, 0, "",                 \
      "pages taken that no /proc/meminfo kind holds (system-wide) / connections: page_frag's check")

enum res_metric_id {
#define RES_X_ENUM(id, ...) RES_M_##id,
    RES_METRICS(RES_X_ENUM)
#undef RES_X_ENUM
        RES_M_COUNT
};

struct res_metric {
    const char *name;
    enum res_unit unit;
    enum res_dir better;
    double threshold_pct; /* > 0: compared by c10k compare; 0: not */
    const char *aliases;  /* space separated, "" for none */
    const char *description;
};
extern const struct res_metric res_metrics[RES_M_COUNT];
/* The name of a metric by its ID: RES_NAME(RPS) is "throughput_rps". */
#define RES_NAME(id) (res_metrics[RES_M_##id].name)

/* Index of a metric by its full name, an alias (p99, throughput, mem, cpu) or
 * its name without "_bytes" (mem_per_conn); -1 when unknown. */
int res_metric_find(const char *name);
/* "req/s", "us", "bytes", "count", "fraction". */
const char *res_unit_name(enum res_unit u);

#endif
