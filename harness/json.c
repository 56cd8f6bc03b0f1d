/* hn json: small jansson helpers of the harness: a number at a dotted path of
 * a document (NAN when absent) and reals that become null when undefined. */
#include "json.h"

#include <math.h>
#include <string.h>

double hn_jnum(const json_t *j, const char *dotted_path)
{
    char key[128];
    const char *p = dotted_path;
    while (j && *p) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len >= sizeof key)
            return NAN;
        memcpy(key, p, len);
        key[len] = '\0';
        j = json_object_get(j, key);
        p += len + (dot ? 1 : 0);
    }
    return json_is_number(j) ? json_number_value(j) : NAN;
}

json_t *hn_jreal_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}
