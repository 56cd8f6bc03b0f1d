/* fuzz_main: a standalone driver for fuzz_proto.c where libFuzzer is not
 * available (gcc builds): replays the seed corpus, then runs bounded random
 * mutations (byte flips, dictionary tokens, cuts, splices) for a time budget.
 * Try: build/tests/fuzz/fuzz_smoke --seconds 10 --dict tests/fuzz/proto.dict tests/fuzz/corpus */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SMOKE_MAX_INPUTS 512
#define SMOKE_MAX_LEN 16384
#define SMOKE_MAX_TOKENS 256

struct blob {
    size_t len;
    uint8_t *data;
};

struct smoke {
    uint64_t seconds_ns;
    uint64_t max_runs;
    const char *dict_path;
    const char *corpus_dir;
    struct blob inputs[SMOKE_MAX_INPUTS];
    size_t n_inputs;
    struct blob tokens[SMOKE_MAX_TOKENS];
    size_t n_tokens;
    uint64_t rng;
};

static uint64_t rnd(struct smoke *s)
{
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 7;
    s->rng ^= s->rng << 17;
    return s->rng;
}

static int read_file(const char *path, struct blob *b)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -errno;
    b->data = malloc(SMOKE_MAX_LEN);
    b->len = b->data ? fread(b->data, 1, SMOKE_MAX_LEN, f) : 0;
    fclose(f);
    return b->data ? 0 : -ENOMEM;
}

static int load_corpus(struct smoke *s)
{
    DIR *d = opendir(s->corpus_dir);
    if (!d) return -errno;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) && s->n_inputs < SMOKE_MAX_INPUTS) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", s->corpus_dir, e->d_name);
        if (read_file(path, &s->inputs[s->n_inputs]) == 0) s->n_inputs++;
    }
    closedir(d);
    return s->n_inputs ? 0 : -ENOENT;
}

/* One libFuzzer dictionary value: "..." with \\, \" and \xNN escapes. */
static size_t unescape(const char *q, uint8_t *out)
{
    size_t n = 0;
    for (q++; *q && *q != '"'; q++) {
        if (*q == '\\' && q[1] == 'x' && q[2] && q[3]) {
            char hex[3] = {q[2], q[3], 0};
            out[n++] = (uint8_t)strtoul(hex, NULL, 16);
            q += 3;
        } else {
            if (*q == '\\' && q[1]) q++;
            out[n++] = (uint8_t)*q;
        }
    }
    return n;
}

static int load_dict(struct smoke *s)
{
    FILE *f = fopen(s->dict_path, "r");
    if (!f) return -errno;
    char line[512];
    while (fgets(line, sizeof line, f) && s->n_tokens < SMOKE_MAX_TOKENS) {
        const char *q = strchr(line, '"');
        if (line[0] == '#' || !q) continue;
        struct blob *t = &s->tokens[s->n_tokens];
        t->data = malloc(sizeof line);
        if (!t->data) break;
        t->len = unescape(q, t->data);
        s->n_tokens++;
    }
    fclose(f);
    return 0;
}

/* Applies 1..4 random edits to buf (len bytes, capacity SMOKE_MAX_LEN). */
static size_t mutate(struct smoke *s, uint8_t *buf, size_t len)
{
    for (int k = 1 + (int)(rnd(s) % 4); k > 0; k--) {
        size_t at = len ? rnd(s) % (len + 1) : 0;
        switch (rnd(s) % 5) {
        case 0: /* flip or replace a byte */
            if (at < len)
                buf[at] = rnd(s) % 2 ? (uint8_t)(buf[at] ^ (1u << rnd(s) % 8)) : (uint8_t)rnd(s);
            break;
        case 1: { /* insert a dictionary token */
            if (!s->n_tokens) break;
            const struct blob *t = &s->tokens[rnd(s) % s->n_tokens];
            if (len + t->len > SMOKE_MAX_LEN) break;
            memmove(buf + at + t->len, buf + at, len - at);
            memcpy(buf + at, t->data, t->len);
            len += t->len;
            break;
        }
        case 2: { /* cut a range */
            size_t cut = at < len ? 1 + rnd(s) % (len - at) : 0;
            memmove(buf + at, buf + at + cut, len - at - cut);
            len -= cut;
            break;
        }
        case 3: { /* splice the start of another input (pipelining) */
            const struct blob *o = &s->inputs[rnd(s) % s->n_inputs];
            size_t add = o->len < SMOKE_MAX_LEN - len ? o->len : SMOKE_MAX_LEN - len;
            memcpy(buf + len, o->data, add);
            len += add;
            break;
        }
        default: /* truncate */
            len = at;
        }
    }
    return len;
}

static uint64_t run(struct smoke *s)
{
    for (size_t i = 0; i < s->n_inputs; i++)
        LLVMFuzzerTestOneInput(s->inputs[i].data, s->inputs[i].len);
    static uint8_t buf[SMOKE_MAX_LEN];
    uint64_t runs = 0, end = util_mono_ns() + s->seconds_ns;
    while (runs < s->max_runs && (runs % 256 || util_mono_ns() < end)) {
        const struct blob *b = &s->inputs[rnd(s) % s->n_inputs];
        memcpy(buf, b->data, b->len);
        LLVMFuzzerTestOneInput(buf, mutate(s, buf, b->len));
        runs++;
    }
    return runs;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: fuzz_smoke [options] CORPUS_DIR\n"
               "  --seconds DURATION  mutation time budget (default 10s)\n"
               "  --runs COUNT        at most this many mutated inputs (default 10M)\n"
               "  --dict FILE         libFuzzer dictionary of tokens (default none)\n"
               "  --seed N            random seed (default 1)\n");
}

static int parse_args(struct smoke *s, int argc, char **argv)
{
    static const struct option opts[] = {
        {"seconds", required_argument, NULL, 's'}, {"runs", required_argument, NULL, 'r'},
        {"dict", required_argument, NULL, 'd'},    {"seed", required_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int rc = 0;
        if (c == 's')
            rc = util_parse_duration_ns(optarg, UTIL_NS_PER_S, 0, 3600 * UTIL_NS_PER_S,
                                        &s->seconds_ns);
        else if (c == 'r')
            rc = util_parse_count(optarg, 0, 1000000000000ull, &s->max_runs);
        else if (c == 'x')
            rc = util_parse_count(optarg, 1, UINT64_MAX / 2, &s->rng);
        else if (c == 'd')
            s->dict_path = optarg;
        else if (c == 'h')
            return 1;
        else
            return -EINVAL;
        if (rc < 0) {
            fprintf(stderr, "fuzz_smoke: bad value \"%s\"\n", optarg);
            return -EINVAL;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "fuzz_smoke: one CORPUS_DIR expected\n");
        return -EINVAL;
    }
    s->corpus_dir = argv[optind];
    return 0;
}

int main(int argc, char **argv)
{
    static struct smoke s = {.seconds_ns = 10 * UTIL_NS_PER_S, .max_runs = 10000000, .rng = 1};
    int rc = parse_args(&s, argc, argv);
    if (rc) {
        usage(rc > 0 ? stdout : stderr);
        return rc > 0 ? 0 : 2;
    }
    if ((rc = load_corpus(&s)) < 0 || (s.dict_path && (rc = load_dict(&s)) < 0)) {
        fprintf(stderr, "fuzz_smoke: cannot load %s: %s\n", rc == -ENOENT ? s.corpus_dir : "input",
                strerror(-rc));
        return 1;
    }
    uint64_t t0 = util_mono_ns(), runs = run(&s);
    printf("fuzz_smoke: corpus=%zu tokens=%zu runs=%llu elapsed_ms=%llu: no property violated\n",
           s.n_inputs, s.n_tokens, (unsigned long long)runs,
           (unsigned long long)((util_mono_ns() - t0) / UTIL_NS_PER_MS));
    return 0;
}
