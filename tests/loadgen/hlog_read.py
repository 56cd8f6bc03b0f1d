"""hlog_read: an independent reader of HdrHistogram interval logs (.hlog) for
the tests, written from the format's description with zlib, struct and base64
only (no code shared with lib/hist/hlog.c). Try: python3 hlog_read.py FILE"""
import base64
import struct
import sys
import zlib

V2 = 0x1c849303
V2_COMPRESSED = 0x1c849304


def zigzag(buf, pos):
    """One ZigZag LEB128-64b9B word: (value, next position)."""
    u, shift = 0, 0
    for i in range(9):
        b = buf[pos]
        pos += 1
        if i == 8:
            u |= b << 56
            break
        u |= (b & 0x7f) << shift
        shift += 7
        if not b & 0x80:
            break
    return (u >> 1) ^ -(u & 1), pos


def decode(b64):
    """A compressed V2 histogram -> (header dict, {counts index: count})."""
    raw = base64.b64decode(b64)
    cookie, zlen = struct.unpack(">ii", raw[:8])
    if cookie & ~0xf0 != V2_COMPRESSED:
        raise ValueError("not a compressed V2 histogram: cookie %#x" % cookie)
    body = zlib.decompress(raw[8:8 + zlen])
    cookie, plen, _, sig, low, high, _ = struct.unpack(">iiiiqqd", body[:40])
    if cookie & ~0xf0 != V2:
        raise ValueError("not a V2 histogram: cookie %#x" % cookie)
    counts, pos, idx, end = {}, 40, 0, 40 + plen
    while pos < end:
        v, pos = zigzag(body, pos)
        if v < 0:
            idx += -v
        else:
            if v:
                counts[idx] = v
            idx += 1
    return {"sigfigs": sig, "lowest": low, "highest": high}, counts


def read(path):
    """Every interval line: dicts with tag, start_s, length_s, max, total, header."""
    out, start = [], None
    for line in open(path):
        line = line.strip()
        if line.startswith("#[StartTime: "):
            start = float(line.split()[1])
        if not line or line.startswith("#") or line.startswith('"'):
            continue
        f = line.split(",")
        tag = f.pop(0)[4:] if f[0].startswith("Tag=") else ""
        header, counts = decode(f[3])
        out.append({"tag": tag, "start_s": float(f[0]), "length_s": float(f[1]),
                    "max": float(f[2]), "total": sum(counts.values()), "header": header})
    return start, out


if __name__ == "__main__":
    st, ivs = read(sys.argv[1])
    print("StartTime", st)
    for iv in ivs:
        print(iv["tag"], iv["start_s"], iv["length_s"], iv["total"])
