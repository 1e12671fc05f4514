#!/usr/bin/env python3
"""Checks that po/POTFILES.in lists exactly the source files with translatable strings.

Usage: check-potfiles.py SOURCE_ROOT

Scans src/, backend/ and data/ for translatable strings: _( ), N_( ), C_( ), NC_( ),
g_dgettext-family calls and ngettext in C; translatable="yes" in .ui templates; and the
desktop, metainfo and GSettings schema files, which are always translatable. Fails listing
every such file missing from POTFILES.in and every listed file that no longer exists (xgettext
would fail on it) or has nothing to translate.
"""

import os
import re
import sys

SCANNED_DIRS = ("src", "backend", "data")
C_PATTERN = re.compile(r"(?<![A-Za-z0-9_])(?:N?C?_\s*\(\s*\"|(?:g_d[cnp]*gettext2?|n?gettext)\s*\()")
UI_PATTERN = re.compile(r"translatable\s*=\s*[\"'](?:yes|true|1)[\"']")


def is_always_translatable(name):
    return (name.endswith(".desktop.in") or name.endswith(".metainfo.xml.in")
            or name.endswith(".gschema.xml"))


def has_translatable_strings(path):
    name = os.path.basename(path)
    if is_always_translatable(name):
        return True
    try:
        with open(path, encoding="utf-8") as source:
            text = source.read()
    except (UnicodeDecodeError, OSError):
        return False
    if name.endswith((".c", ".h")):
        # Drop comments so a commented-out _("…") does not count.
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        text = re.sub(r"//[^\n]*", "", text)
        return bool(C_PATTERN.search(text))
    if name.endswith(".ui"):
        return bool(UI_PATTERN.search(text))
    return False


def read_potfiles(path):
    listed = []
    with open(path, encoding="utf-8") as potfiles:
        for line in potfiles:
            line = line.strip()
            if line and not line.startswith("#"):
                listed.append(line)
    return listed


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = argv[1]
    listed = read_potfiles(os.path.join(root, "po", "POTFILES.in"))
    needed = set()
    for top in SCANNED_DIRS:
        for directory, subdirs, names in os.walk(os.path.join(root, top)):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith((".", "_build")))
            for name in names:
                if not name.endswith((".c", ".h", ".ui", ".in", ".xml")):
                    continue
                path = os.path.join(directory, name)
                if has_translatable_strings(path):
                    needed.add(os.path.relpath(path, root).replace(os.sep, "/"))

    problems = []
    for path in sorted(needed - set(listed)):
        problems.append(f"has translatable strings but is not in po/POTFILES.in: {path}")
    for path in listed:
        if not os.path.exists(os.path.join(root, path)):
            problems.append(f"listed in po/POTFILES.in but does not exist: {path}")
        elif path not in needed:
            problems.append(f"listed in po/POTFILES.in but has no translatable strings: {path}")
    if len(set(listed)) != len(listed):
        problems.append("po/POTFILES.in lists a file twice")
    for line in problems:
        print("not ok:", line)
    if problems:
        print(f"{len(problems)} problem(s); fix po/POTFILES.in")
        return 1
    print(f"ok: po/POTFILES.in lists all {len(needed)} files with translatable strings")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
