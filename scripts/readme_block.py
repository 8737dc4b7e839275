"""Replace the text between two marker comments in a Markdown file, safely (temporary name, rename).

Shared by scripts/verify-table.py and scripts/sensitivity-tables.py. Standard library only.
"""
import os
import sys


def replace_block(path, begin, end, text, tool):
    """Write `text` between the lines `begin` and `end` of `path`; 1 with a one-line message on error."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = f.read()
    except OSError as e:
        sys.stderr.write(f"{tool}: {path}: {e.strerror}\n")
        return 1
    if begin not in doc or end not in doc:
        sys.stderr.write(f"{tool}: {path}: no {begin} … {end} markers\n")
        return 1
    head, rest = doc.split(begin, 1)
    _, tail = rest.split(end, 1)
    tmp = f"{path}.{tool}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(head + begin + "\n" + text + end + tail)
    os.replace(tmp, path)
    return 0


if __name__ == "__main__":
    # readme_block.py FILE NAME < TEXT: replace what stands between <!-- NAME:begin --> and
    # <!-- NAME:end --> in FILE with standard input (e.g. the output of scripts/policy-table.py).
    if len(sys.argv) != 3:
        sys.stderr.write("readme_block.py: usage: readme_block.py FILE NAME < TEXT\n")
        sys.exit(2)
    name = sys.argv[2]
    sys.exit(replace_block(sys.argv[1], f"<!-- {name}:begin -->", f"<!-- {name}:end -->", sys.stdin.read(),
                           "readme_block.py"))
