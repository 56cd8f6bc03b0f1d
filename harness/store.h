/* hn store: atomic writes into a results folder (store.c). Prefix hn_. */
#ifndef C10K_HN_STORE_H
#define C10K_HN_STORE_H

#include <jansson.h>
#include <stddef.h>

/* Writes buf to path through path.tmp + fsync + rename (+ fsync of the dir). */
int hn_store_write(const char *path, const char *buf, size_t len);
int hn_store_write_json(const char *path, const json_t *j);
int hn_store_mkdirs(const char *dir);
void hn_utc_now(char *buf, size_t cap);

#endif
