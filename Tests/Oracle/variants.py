#!/usr/bin/env python3
"""Inputs for `same-output.sh`: real texts, and variants of them that reach the paths real texts
rarely do.

    variants.py OUT SEED plain|unicode SOURCE...

`plain` copies every SOURCE file into OUT, then writes 260 mutations of randomly chosen sources
(runs of lines deleted, duplicated, swapped, upper-cased, emptied or joined; the text cut short;
a few scalars inserted; CRLF line ends). `unicode` writes 120 variants with Unicode that stresses
the byte-level fast paths: curly quotes, dashes, ligatures, combining marks after spaces and tabs,
no-break and zero-width spaces, BOMs, form feeds, emoji, and now and then an invalid byte. The
same SEED gives the same files.
"""
import os
import random
import sys

out, seed, mode, sources = sys.argv[1], int(sys.argv[2]), sys.argv[3], sorted(sys.argv[4:])
if mode not in ("plain", "unicode") or not sources:
    sys.exit(__doc__)
unicode_mode = mode == "unicode"
os.makedirs(out, exist_ok=True)
rnd = random.Random(seed)

if not unicode_mode:
    for i, path in enumerate(sources):
        with open(path, "rb") as f, open(os.path.join(out, "o%04d.txt" % i), "wb") as g:
            g.write(f.read())

SCALARS = ["\u00a0", "\u2019", "\u201c", "\u201d", "\u2013", "\u2014", "\ufb01", "\u00e9", "e\u0301",
           "\u2022", "\uf0b7", "\u200b", "\ufeff", "\u00ad", "\u000c", "\r", "\t", "\U0001F600",
           "\u2028", " \u0301", "\t\u0301", "\u0600 "]
if not unicode_mode:
    SCALARS.append("\u0000")  # a NUL makes a file binary: its refusal must not change either


def insert(line, text):
    at = rnd.randrange(len(line) + 1)
    return line[:at] + text.encode("utf-8") + line[at:]


count = 120 if unicode_mode else 260
for k in range(count):
    with open(rnd.choice(sources), "rb") as f:
        lines = f.read().split(b"\n")
    for _ in range(rnd.randint(1, 6)):
        if not lines:
            break
        i = rnd.randrange(len(lines))
        op = rnd.randrange(3) if unicode_mode else rnd.randrange(8)
        if unicode_mode or op == 7:
            lines[i] = insert(lines[i], "".join(rnd.choice(SCALARS) for _ in range(rnd.randint(1, 4))))
            if unicode_mode and rnd.random() < 0.5:
                for _ in range(20):
                    j = rnd.randrange(len(lines))
                    lines[j] = insert(lines[j], rnd.choice(SCALARS))
        elif op == 0:
            del lines[i:i + rnd.randint(1, 30)]
        elif op == 1:
            lines[i:i] = lines[i:i + rnd.randint(1, 20)]
        elif op == 2:
            lines = lines[:i]
        elif op == 3:
            lines[i] = lines[i].upper()
        elif op == 4:
            lines[i] = b""
        elif op == 5:
            lines[i] = lines[i] + b" " + lines[rnd.randrange(len(lines))]
        elif op == 6:
            j = rnd.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
    data = b"\n".join(lines)
    if rnd.random() < 0.1:
        data = data.replace(b"\n", b"\r\n")
    if rnd.random() < 0.05:
        data = data[:rnd.randrange(len(data) + 1)]
    if unicode_mode and rnd.random() < 0.1:
        data = b"\xff" + data[:1000] + b"\xc3\x28" + data[1000:]
    with open(os.path.join(out, "%s%04d.txt" % ("u" if unicode_mode else "m", k)), "wb") as g:
        g.write(data)
