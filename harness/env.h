/* hn env: the environment of a run, for its manifest (env.c). Prefix hn_. */
#ifndef C10K_HN_ENV_H
#define C10K_HN_ENV_H

#include <jansson.h>

json_t *hn_env_json(void);

#endif
