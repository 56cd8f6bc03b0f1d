/* bench_proto: parse + answer a typical wrk request N times and print the
 * time per request (not a test: a benchmark).
 * Try: build/bench/bench_proto 1000000
 *      valgrind --tool=callgrind build/bench/bench_proto 100000 (instructions). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "util.h"

static const char wrk_req[] = "GET /?size=64 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";
static const char curl_req[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                               "User-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n";

/* One request per loop; returns bytes written (kept so nothing is optimised away). */
static uint64_t run(const char *req_bytes, size_t len, uint64_t count)
{
    char out[512];
    uint64_t sum = 0;
    for (uint64_t i = 0; i < count; i++) {
        struct proto_parser p;
        struct proto_req req;
        proto_parser_init(&p);
        ssize_t n = proto_parse(&p, req_bytes, len, &req);
        if (n != (ssize_t)len) return 0;
        sum += proto_resp_write(&req, out, sizeof out);
        __asm__ volatile("" : : "r"(out) : "memory");
    }
    return sum;
}

static int usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [COUNT] [wrk|curl]\n  COUNT  requests (default 1M, e.g. 100k)\n"
            "  wrk    GET /?size=64 with a Host header (default); curl: GET / with 3 headers\n",
            argv0);
    return 2;
}

int main(int argc, char **argv)
{
    uint64_t count = 1000000;
    if (argc > 3) {
        fprintf(stderr, "bench_proto: too many arguments\n");
        return usage(argv[0]);
    }
    if (argc > 1 && util_parse_count(argv[1], 1, 1000000000, &count) < 0) {
        fprintf(stderr, "bench_proto: bad COUNT \"%s\" (1..1G)\n", argv[1]);
        return usage(argv[0]);
    }
    bool curl = argc > 2 && strcmp(argv[2], "curl") == 0;
    if (argc > 2 && !curl && strcmp(argv[2], "wrk") != 0) {
        fprintf(stderr, "bench_proto: unknown request kind \"%s\"\n", argv[2]);
        return usage(argv[0]);
    }
    const char *r = curl ? curl_req : wrk_req;
    size_t len = curl ? sizeof curl_req - 1 : sizeof wrk_req - 1;
    uint64_t t0 = util_mono_ns();
    uint64_t sum = run(r, len, count);
    uint64_t t1 = util_mono_ns();
    if (!sum) {
        fprintf(stderr, "bench_proto: the request did not parse\n");
        return 1;
    }
    printf("requests=%llu request_bytes=%zu ns_per_request=%.1f bytes_out=%llu\n",
           (unsigned long long)count, len, (double)(t1 - t0) / (double)count,
           (unsigned long long)sum);
    return 0;
}
