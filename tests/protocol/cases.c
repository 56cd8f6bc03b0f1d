/* cases: every row of the protocol table (docs/protocol.md), with the exact
 * response bytes where they are short. Used by test_table, test_split,
 * test_guard and test_pipeline. */
#include "cases.h"

#define S(s) .in = s, .in_len = sizeof(s) - 1
#define K .conn = PROTO_CONN_KEEP
#define C .conn = PROTO_CONN_CLOSE
#define K10 .conn = PROTO_CONN_KEEP10
#define R(x) .resp = x, .resp_len = sizeof(x) - 1

#define HEAD(code, cl) "HTTP/1.1 " code "\r\nContent-Type: text/plain\r\nContent-Length: " cl
#define OK(cl) HEAD("200 OK", cl) "\r\n\r\n"
#define HELLO OK("13") "Hello, World!"
#define E400K HEAD("400 Bad Request", "12") "\r\n\r\nBad Request\n"
#define E400C HEAD("400 Bad Request", "12") "\r\nConnection: close\r\n\r\nBad Request\n"
#define E404K HEAD("404 Not Found", "10") "\r\n\r\nNot Found\n"
#define E413C HEAD("413 Content Too Large", "18") "\r\nConnection: close\r\n\r\nContent Too Large\n"
#define E431C                                                                                      \
    HEAD("431 Request Header Fields Too Large", "32")                                              \
    "\r\nConnection: close\r\n\r\nRequest Header Fields Too Large\n"
#define E501K HEAD("501 Not Implemented", "16") "\r\n\r\nNot Implemented\n"
#define E505C                                                                                      \
    HEAD("505 HTTP Version Not Supported", "27")                                                   \
    "\r\nConnection: close\r\n\r\nHTTP Version Not Supported\n"

#define GET(t) "GET " t " HTTP/1.1\r\nHost: x\r\n\r\n"
// clang-format off
#define BAD400K(nm, req) {nm, S(req), .status = 400, K, R(E400K)}
#define SYN(nm, req) {nm, S(req), .status = 400, C, R(E400C)}
// clang-format on

const struct pcase pcases[] = {
    /* the rows of docs/protocol.md */
    {"get /", S(GET("/")), .status = 200, K, R(HELLO)},
    {"get / no headers", S("GET / HTTP/1.1\r\n\r\n"), .status = 200, K, R(HELLO)},
    {"size=0", S(GET("/?size=0")), .status = 200, K, .has_size = true, R(OK("0"))},
    {"size=30", S(GET("/?size=30")), .status = 200, K, .has_size = true, .size = 30,
     R(OK("30") "abcdefghijklmnopqrstuvwxyzabcd")},
    {"size=16MiB", S(GET("/?size=16777216")), .status = 200, K, .has_size = true, .size = 16777216},
    {"size=007", S(GET("/?size=007")), .status = 200, K, .has_size = true, .size = 7,
     R(OK("7") "abcdefg")},
    {"delay_us", S(GET("/?delay_us=1000")), .status = 200, K, .delay_us = 1000, R(HELLO)},
    {"delay_us max", S(GET("/?delay_us=60000000")), .status = 200, K, .delay_us = 60000000},
    {"work_us", S(GET("/?work_us=50")), .status = 200, K, .work_us = 50, R(HELLO)},
    {"work_us max", S(GET("/?work_us=1000000")), .status = 200, K, .work_us = 1000000},
    {"combined", S(GET("/?size=64&delay_us=1000&work_us=50")), .status = 200, K, .has_size = true,
     .size = 64, .delay_us = 1000, .work_us = 50},
    {"combined any order", S(GET("/?work_us=2&size=1&delay_us=3")), .status = 200, K,
     .has_size = true, .size = 1, .delay_us = 3, .work_us = 2, R(OK("1") "a")},
    {"empty query", S(GET("/?")), .status = 200, K, R(HELLO)},
    {"echo", S("POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"), .status = 200, K,
     .echo = true, .body_len = 5, R(OK("5") "hello")},
    {"echo binary body", S("POST /echo HTTP/1.1\r\nContent-Length: 4\r\n\r\n\0\r\n\xff"),
     .status = 200, K, .echo = true, .body_len = 4, R(OK("4") "\0\r\n\xff")},
    {"echo no length", S("POST /echo HTTP/1.1\r\n\r\n"), .status = 200, K, .echo = true,
     R(OK("0"))},
    {"echo length 0", S("POST /echo HTTP/1.1\r\ncontent-length: 0\r\n\r\n"), .status = 200, K,
     .echo = true, R(OK("0"))},
    {"echo empty query", S("POST /echo? HTTP/1.1\r\nContent-Length: 1\r\n\r\nx"), .status = 200, K,
     .echo = true, .body_len = 1, R(OK("1") "x")},
    {"echo 413", S("POST /echo HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n"), .status = 413, C,
     R(E413C)},
    {"get 413", S("GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
     .status = 413, C, R(E413C)},
    {"get with body", S("GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"), .status = 200, K,
     R(HELLO)},
    /* 404 and 501: connection kept */
    {"404", S(GET("/nope")), .status = 404, K, R(E404K)},
    {"404 //", S(GET("//")), .status = 404, K, R(E404K)},
    {"404 get /echo", S(GET("/echo")), .status = 404, K, R(E404K)},
    {"404 post /", S("POST / HTTP/1.1\r\n\r\n"), .status = 404, K, R(E404K)},
    {"404 post body kept", S("POST /x HTTP/1.1\r\nContent-Length: 2\r\n\r\nab"), .status = 404, K,
     R(E404K)},
    {"404 before query", S(GET("/x?bad=1")), .status = 404, K, R(E404K)},
    {"404 asterisk", S(GET("*")), .status = 404, K, R(E404K)},
    {"501 delete", S("DELETE / HTTP/1.1\r\n\r\n"), .status = 501, K, R(E501K)},
    {"501 head", S("HEAD / HTTP/1.1\r\n\r\n"), .status = 501, K, R(E501K)},
    {"501 lowercase get", S("get / HTTP/1.1\r\n\r\n"), .status = 501, K, R(E501K)},
    {"501 options *", S("OPTIONS * HTTP/1.1\r\n\r\n"), .status = 501, K, R(E501K)},
    {"501 with body", S("PUT /echo HTTP/1.1\r\nContent-Length: 1\r\n\r\nz"), .status = 501, K,
     R(E501K)},
    /* query errors: 400, connection kept */
    BAD400K("unknown key", GET("/?foo=1")),
    BAD400K("repeated key", GET("/?size=1&size=1")),
    BAD400K("empty value", GET("/?size=")),
    BAD400K("no value", GET("/?size")),
    BAD400K("plus sign", GET("/?size=+1")),
    BAD400K("minus sign", GET("/?size=-1")),
    BAD400K("unit suffix", GET("/?size=1k")),
    BAD400K("hex", GET("/?size=0x10")),
    BAD400K("overflow", GET("/?size=99999999999999999999999999")),
    BAD400K("u32 wrap", GET("/?size=4294967297")),
    BAD400K("size over", GET("/?size=16777217")),
    BAD400K("delay over", GET("/?delay_us=60000001")),
    BAD400K("work over", GET("/?work_us=1000001")),
    BAD400K("trailing amp", GET("/?size=1&")),
    BAD400K("lone amp", GET("/?&")),
    BAD400K("double amp", GET("/?size=1&&work_us=1")),
    BAD400K("key case", GET("/?SIZE=1")),
    BAD400K("percent key", GET("/?%73ize=1")),
    BAD400K("double equals", GET("/?size==1")),
    BAD400K("echo query", "POST /echo?size=1 HTTP/1.1\r\n\r\n"),
    /* request line syntax: 400 + close */
    SYN("no space", "GET/ HTTP/1.1\r\n\r\n"),
    SYN("two spaces", "GET  / HTTP/1.1\r\n\r\n"),
    SYN("leading space", " GET / HTTP/1.1\r\n\r\n"),
    SYN("trailing space", "GET / HTTP/1.1 \r\n\r\n"),
    SYN("no version", "GET /\r\n\r\n"),
    SYN("lower version", "GET / http/1.1\r\n\r\n"),
    SYN("version 1.10", "GET / HTTP/1.10\r\n\r\n"),
    SYN("version letters", "GET / HTTP/a.b\r\n\r\n"),
    SYN("relative target", "GET index HTTP/1.1\r\n\r\n"),
    SYN("obs byte target", "GET /\xc3\xa9 HTTP/1.1\r\n\r\n"),
    SYN("tab in line", "GET\t/ HTTP/1.1\r\n\r\n"),
    SYN("bad method char", "G(T / HTTP/1.1\r\n\r\n"),
    SYN("empty line first", "\r\nGET / HTTP/1.1\r\n\r\n"),
    SYN("empty head", "\r\n\r\n"),
    SYN("ftp absolute", "GET ftp://h/ HTTP/1.1\r\n\r\n"),
    SYN("empty authority", "GET http:/// HTTP/1.1\r\n\r\n"),
    /* other versions */
    {"http/2.0", S("GET / HTTP/2.0\r\n\r\n"), .status = 505, C, R(E505C)},
    {"http/0.9", S("GET / HTTP/0.9\r\n\r\n"), .status = 505, C, R(E505C)},
    {"http/1.2 as 1.1", S("GET / HTTP/1.2\r\n\r\n"), .status = 200, K, R(HELLO)},
    /* absolute-form */
    {"absolute", S(GET("http://localhost:8080/?size=3")), .status = 200, K, .has_size = true,
     .size = 3, R(OK("3") "abc")},
    {"absolute no path", S(GET("HTTP://h")), .status = 200, K, R(HELLO)},
    {"absolute query no path", S(GET("https://h?size=2")), .status = 200, K, .has_size = true,
     .size = 2, R(OK("2") "ab")},
    {"absolute 404", S(GET("http://h/x")), .status = 404, K, R(E404K)},
    /* header syntax: 400 + close */
    {"bare LF", S("GET / HTTP/1.1\nHost: x\n\n"), .n = 15, .status = 400, C, R(E400C)},
    {"bare LF in field", S("GET / HTTP/1.1\r\nHost: x\nA: b\r\n\r\n"), .n = 24, .status = 400, C},
    {"CR without LF", S("GET / HTTP/1.1\rHost: x\r\n\r\n"), .n = 16, .status = 400, C},
    {"NUL in target", S("GET /\0 HTTP/1.1\r\n\r\n"), .n = 6, .status = 400, C},
    {"NUL in field", S("GET / HTTP/1.1\r\nA: \0\r\n\r\n"), .n = 20, .status = 400, C},
    {"control char", S("GET / HTTP/1.1\r\nA: \x01\r\n\r\n"), .n = 20, .status = 400, C},
    {"DEL", S("GET / HTTP/1.1\r\nA: \x7f\r\n\r\n"), .n = 20, .status = 400, C},
    {"ESC early", S("\x1b[A"), .n = 1, .status = 400, C},
    SYN("obs-fold", "GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n"),
    SYN("space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n"),
    SYN("bad name char", "GET / HTTP/1.1\r\nHo(st: x\r\n\r\n"),
    SYN("empty name", "GET / HTTP/1.1\r\n: x\r\n\r\n"),
    SYN("no colon", "GET / HTTP/1.1\r\nHost\r\n\r\n"),
    SYN("utf8 name", "GET / HTTP/1.1\r\nH\xc3\xa9: x\r\n\r\n"),
    {"obs-text value ok", S("GET / HTTP/1.1\r\nX: caf\xc3\xa9\t \r\n\r\n"), .status = 200, K,
     R(HELLO)},
    {"empty value ok", S("GET / HTTP/1.1\r\nX:\r\n\r\n"), .status = 200, K, R(HELLO)},
    /* framing: 400 + close */
    SYN("te chunked", "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
    SYN("te identity", "GET / HTTP/1.1\r\ntransfer-encoding: identity\r\n\r\n"),
    SYN("cl + te",
        "POST /echo HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"),
    SYN("te + cl",
        "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"),
    SYN("cl duplicate", "POST /echo HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n"),
    SYN("cl negative", "POST /echo HTTP/1.1\r\nContent-Length: -1\r\n\r\n"),
    SYN("cl plus", "POST /echo HTTP/1.1\r\nContent-Length: +1\r\n\r\n"),
    SYN("cl non-numeric", "POST /echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n"),
    SYN("cl list", "POST /echo HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n"),
    SYN("cl empty", "POST /echo HTTP/1.1\r\nContent-Length: \r\n\r\n"),
    SYN("cl hex", "POST /echo HTTP/1.1\r\nContent-Length: 0x1\r\n\r\n"),
    /* Connection */
    {"1.1 close", S("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"), .status = 200, C,
     R(HEAD("200 OK", "13") "\r\nConnection: close\r\n\r\nHello, World!")},
    {"1.1 close case", S("GET / HTTP/1.1\r\nconnection: CLOSE\r\n\r\n"), .status = 200, C},
    {"1.1 close in list", S("GET / HTTP/1.1\r\nConnection: Upgrade, close\r\n\r\n"), .status = 200,
     C},
    {"1.1 close second header", S("GET / HTTP/1.1\r\nConnection: x\r\nConnection: ,close,\r\n\r\n"),
     .status = 200, C},
    {"1.1 keep-alive", S("GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n"), .status = 200, K,
     R(HELLO)},
    {"1.1 closed not close", S("GET / HTTP/1.1\r\nConnection: closed\r\n\r\n"), .status = 200, K},
    {"1.0", S("GET / HTTP/1.0\r\n\r\n"), .status = 200, C,
     R(HEAD("200 OK", "13") "\r\nConnection: close\r\n\r\nHello, World!")},
    {"1.0 keep-alive (ab -k)", S("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"), .status = 200,
     K10, R(HEAD("200 OK", "13") "\r\nConnection: keep-alive\r\n\r\nHello, World!")},
    {"1.0 keep-alive + close", S("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n"),
     .status = 200, C},
    {"1.0 404 keep-alive", S("GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"), .status = 404,
     K10, R(HEAD("404 Not Found", "10") "\r\nConnection: keep-alive\r\n\r\nNot Found\n")},
    {"1.0 400 query", S("GET /?x=1 HTTP/1.0\r\n\r\n"), .status = 400, C, R(E400C)},
    {"1.1 close 404", S("GET /x HTTP/1.1\r\nConnection: close\r\n\r\n"), .status = 404, C},
    {"1.0 echo keep-alive",
     S("POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi"),
     .status = 200, K10, .echo = true, .body_len = 2,
     R(HEAD("200 OK", "2") "\r\nConnection: keep-alive\r\n\r\nhi")},
    /* what real clients send */
    {"curl",
     S("GET /?size=5 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/7.88.1\r\n"
       "Accept: */*\r\n\r\n"),
     .status = 200, K, .has_size = true, .size = 5, R(OK("5") "abcde")},
    {"ab -k",
     S("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\nHost: 127.0.0.1:8080\r\n"
       "User-Agent: ApacheBench/2.3\r\nAccept: */*\r\n\r\n"),
     .status = 200, K10},
    {"curl post",
     S("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Type: application/"
       "x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b"),
     .status = 200, K, .echo = true, .body_len = 3, R(OK("3") "a=b")},
};

const size_t pcases_count = sizeof pcases / sizeof pcases[0];
