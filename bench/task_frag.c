/* task_frag: the pages a thread takes that no /proc/meminfo kind shows. N
 * threads (argv[1]) that sleep, connect to a local listener, or connect and
 * send 100 B (argv[2]: sleep | connect | send); prints per thread the pages
 * taken (MemFree + per-CPU free lists), the counted kinds, and the rest.
 *   try: build/bench/task_frag 3000 send   (32 KiB a thread: docs/methodology.md) */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum tf_mode { TF_SLEEP, TF_CONNECT, TF_SEND };
static struct sockaddr_in tf_addr;
static enum tf_mode tf_mode;

static void *tf_thread(void *arg)
{
    char b[100] = {0};
    int s = tf_mode == TF_SLEEP ? -1 : socket(AF_INET, SOCK_STREAM, 0);
    (void)arg;
    if (s >= 0 && connect(s, (struct sockaddr *)&tf_addr, sizeof tf_addr) == 0 &&
        tf_mode == TF_SEND && write(s, b, sizeof b) != (ssize_t)sizeof b)
        perror("write");
    for (;;)
        pause();
    return NULL;
}

static void *tf_acceptor(void *arg)
{
    char b[200];
    for (int l = *(int *)arg;;) {
        int c = accept(l, NULL, NULL);
        if (c >= 0 && read(c, b, sizeof b) < 0) perror("read");
    }
    return NULL;
}

/* kB of a /proc/meminfo line; the per-CPU lists' pages of /proc/zoneinfo. */
static long tf_meminfo(const char *key)
{
    char l[256];
    long v = 0;
    FILE *f = fopen("/proc/meminfo", "re");
    while (f && fgets(l, sizeof l, f))
        if (!strncmp(l, key, strlen(key))) v = atol(l + strlen(key));
    if (f) fclose(f);
    return v;
}

static long tf_pcp_kb(void)
{
    char l[256];
    long pages = 0;
    FILE *f = fopen("/proc/zoneinfo", "re");
    while (f && fgets(l, sizeof l, f)) {
        char *c = strstr(l, "count:");
        if (c) pages += atol(c + 6);
    }
    if (f) fclose(f);
    return pages * 4;
}

static const char *const tf_kinds[] = {
    "AnonPages:",  "Cached:",      "Buffers:",    "SReclaimable:",
    "SUnreclaim:", "KernelStack:", "PageTables:", "Percpu:"};
#define TF_NKINDS (sizeof tf_kinds / sizeof tf_kinds[0])

static void tf_read(long *free_kb, long *counted_kb)
{
    *free_kb = tf_meminfo("MemFree:") + tf_pcp_kb();
    *counted_kb = 0;
    for (size_t k = 0; k < TF_NKINDS; k++)
        *counted_kb += tf_meminfo(tf_kinds[k]);
}

static int tf_listen(void)
{
    socklen_t len = sizeof tf_addr;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    tf_addr.sin_family = AF_INET;
    tf_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (l < 0 || bind(l, (struct sockaddr *)&tf_addr, sizeof tf_addr) < 0 || listen(l, 4096) < 0 ||
        getsockname(l, (struct sockaddr *)&tf_addr, &len) < 0)
        return -1;
    return l;
}

int main(int argc, char **argv)
{
    static int l;
    long n = argc > 1 ? atol(argv[1]) : 0, f0, c0, f1, c1;
    const char *m = argc > 2 ? argv[2] : "send";
    pthread_attr_t at;
    pthread_t t;
    tf_mode = !strcmp(m, "sleep") ? TF_SLEEP : !strcmp(m, "connect") ? TF_CONNECT : TF_SEND;
    if (n < 1 || n > 15000 || (tf_mode == TF_SEND && strcmp(m, "send"))) {
        fprintf(stderr, "usage: task_frag N(1..15000) [sleep|connect|send]\n");
        return 2;
    }
    if ((l = tf_listen()) < 0) return perror("listen"), 1;
    pthread_attr_init(&at);
    pthread_attr_setstacksize(&at, 65536);
    pthread_create(&t, &at, tf_acceptor, &l);
    sleep(1);
    tf_read(&f0, &c0);
    for (long i = 0; i < n; i++)
        if (pthread_create(&t, &at, tf_thread, NULL)) return perror("pthread_create"), 1;
    sleep(3);
    tf_read(&f1, &c1);
    printf("%s: %ld threads, per thread: taken %.0f B, in the meminfo kinds %.0f B, in none "
           "%.0f B\n",
           m, n, (f0 - f1) * 1024.0 / n, (c1 - c0) * 1024.0 / n,
           ((f0 - f1) - (c1 - c0)) * 1024.0 / n);
    return 0;
}
