/* hn json: small JSON helpers (json.c). Prefix hn_. */
#ifndef C10K_HN_JSON_H
#define C10K_HN_JSON_H

#include <jansson.h>

double hn_jnum(const json_t *j, const char *dotted_path);   /* NAN when absent */
json_t *hn_jreal_or_null(double v);

#endif
