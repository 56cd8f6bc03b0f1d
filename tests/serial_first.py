"""serial_first: every test that needs the machine to itself (is_parallel:
false) carries priority 1, so that meson runs them all first; one without it
waits, wherever it falls, for every test running before it (waits_guide sat
behind run_all_quick's 146 s). Reads meson introspect of the build folder.
Run: python3 tests/serial_first.py build
"""
import json
import subprocess
import sys


def main():
    out = subprocess.run(["meson", "introspect", sys.argv[1], "--tests"],
                         check=True, capture_output=True, text=True).stdout
    tests = json.loads(out)
    bad = [t["name"] for t in tests if not t["is_parallel"] and t["priority"] != 1]
    odd = [t["name"] for t in tests if t["is_parallel"] and t["priority"] > 0]
    print("%d tests, %d serial" % (len(tests), sum(not t["is_parallel"] for t in tests)))
    for name in bad:
        print("serial without priority 1: " + name)
    for name in odd:
        print("parallel with priority > 0 (starts among the serial ones): " + name)
    return 1 if bad or odd else 0


if __name__ == "__main__":
    sys.exit(main())
