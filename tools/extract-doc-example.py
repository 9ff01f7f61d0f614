#!/usr/bin/env python3
"""Writes the code blocks of a Markdown file that begin with a `// FILENAME` line into OUTDIR,
so that a document's examples are compiled and run as they are written (test/docs).

    extract-doc-example.py DOC.md OUTDIR FILENAME...
        Fails when a named file has no block in DOC.md.
    extract-doc-example.py --covered FILENAME... -- DOC.md|DIR...
        Fails when one of the documents (a directory: its *.md) has a ```cpp block that is not one of the files
        named (so a new example cannot be added without being built and run)."""
import pathlib
import re
import sys

FENCE = re.compile(r"^```cpp\n(.*?)^```", re.M | re.S)


def blocks(text):
    """(name or None, line number, body) of every ```cpp block."""
    for m in FENCE.finditer(text):
        body = m.group(1)
        first = body.split("\n", 1)[0].strip()
        name = first[3:].strip() if first.startswith("// ") and " " not in first[3:].strip() else None
        yield name, text.count("\n", 0, m.start()) + 1, body


def extract(doc, outdir, wanted):
    found = {name: body for name, _, body in blocks(doc.read_text()) if name}
    for name in wanted:
        if name not in found:
            print(f"{doc}: no ```cpp block starting with // {name}", file=sys.stderr)
            return 1
        (outdir / name).write_text(found[name])
    return 0


def covered(known, docs):
    missing = 0
    docs = [m for d in docs for m in (sorted(d.glob("*.md")) if d.is_dir() else [d])]
    for doc in docs:
        for name, line, _ in blocks(doc.read_text()):
            if name not in known:
                what = f"// {name}" if name else "a block without a // FILENAME first line"
                print(f"{doc}:{line}: ```cpp example ({what}) is not built and run by test/docs",
                      file=sys.stderr)
                missing += 1
    return 1 if missing else 0


def main(argv):
    if len(argv) > 1 and argv[1] == "--covered":
        split = argv.index("--")
        return covered(set(argv[2:split]), [pathlib.Path(d) for d in argv[split + 1:]])
    return extract(pathlib.Path(argv[1]), pathlib.Path(argv[2]), argv[3:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
