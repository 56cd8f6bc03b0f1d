/* hlog: HdrHistogram interval logs (.hlog, format version 1.3) over struct hist.
 * Writer: hlog_write_header once, then one hlog_write_interval per interval and
 * tag. Reader: hlog_parse_line on each line adds that interval's histogram into
 * a hist of any layout (exact when the layouts match: the merge of several load
 * processes or hosts). Encoding: HdrHistogram's compressed V2 (cookie
 * 0x1c849314, zlib of the V2 form, ZigZag LEB128 counts, zero runs negated),
 * base64 in the log. Interval_Max is in milliseconds (values in microseconds). */
#ifndef C10K_HLOG_H
#define C10K_HLOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "hist.h"

struct hlog_interval {
    char tag[64]; /* "" when the line has none */
    double start_s, length_s;
};

/* Compressed V2 bytes of h (malloc'd, caller frees). 0 or -ENOMEM. */
int hlog_encode(const struct hist *h, uint8_t **out, size_t *len);
/* Adds the histogram in compressed V2 bytes into dst. 0, -EINVAL or -ENOMEM. */
int hlog_decode(const uint8_t *p, size_t len, struct hist *dst);

/* Comment headers (#[StartTime: ...], #[BaseTime: ...]: timestamps in the log
 * count from start_epoch_s) and the legend line. 0 or -EIO. */
int hlog_write_header(FILE *f, const char *tool, double start_epoch_s);
/* "Tag=TAG,start,length,max_ms,BASE64". 0, -ENOMEM or -EIO. */
int hlog_write_interval(FILE *f, const char *tag, double start_s, double length_s,
                        const struct hist *h);
/* One line of a log: 1 an interval (fields in *iv, histogram added into dst),
 * 0 a comment, legend or blank line, -EINVAL malformed, -ENOMEM. */
int hlog_parse_line(const char *line, struct hlog_interval *iv, struct hist *dst);

#endif
