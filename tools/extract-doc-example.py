#!/usr/bin/env python3
"""Writes the code blocks of a Markdown file that begin with a `// FILENAME` line into OUTDIR,
so that a document's example is compiled and run as it is written (docs/testing.md's is a test).

    extract-doc-example.py DOC.md OUTDIR FILENAME...

Fails when a named file has no block in DOC.md."""
import pathlib
import re
import sys


def blocks(text):
    for m in re.finditer(r"^```cpp\n(.*?)^```", text, re.M | re.S):
        body = m.group(1)
        first = body.split("\n", 1)[0].strip()
        if first.startswith("// "):
            yield first[3:].strip(), body


def main(argv):
    doc, outdir, wanted = pathlib.Path(argv[1]), pathlib.Path(argv[2]), argv[3:]
    found = dict(blocks(doc.read_text()))
    for name in wanted:
        if name not in found:
            print(f"{doc}: no ```cpp block starting with // {name}", file=sys.stderr)
            return 1
        (outdir / name).write_text(found[name])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
