#!/usr/bin/env python3
"""Lints the Flatpak manifest offline (the GNOME runtime cannot be fetched here).

Usage: check-flatpak-manifest.py MANIFEST SOURCE_ROOT

1. `flatpak-builder --show-manifest` must parse it without a warning (it only warns, exit 0, on
   an unknown property).
2. Its structure: the app id and command; a GNOME runtime and SDK; only the permissions the app
   needs (no home or host filesystem, no session or system bus, no X11 without Wayland); every
   archive or file source pinned with a sha256; modules leptonica, tesseract, the tessdata (eng
   and osd) and bookimg, in build order; the command is an executable the project installs.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

APP_ID = "io.github.bookimg.BookImg"
ALLOWED_FINISH_ARGS = {
    "--share=ipc", "--socket=fallback-x11", "--socket=wayland", "--device=dri",
    "--share=network",
}
REQUIRED_FINISH_ARGS = ALLOWED_FINISH_ARGS
FORBIDDEN_PREFIXES = ("--filesystem=", "--socket=x11", "--socket=session-bus",
                      "--socket=system-bus", "--device=all", "--talk-name=org.freedesktop.Flatpak",
                      "--socket=pulseaudio", "--persist=.")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
problems = []


def problem(message):
    problems.append(message)
    print(f"not ok: {message}")


def walk_modules(modules):
    for module in modules:
        if isinstance(module, str):
            problem(f"module {module} is an external file: keep the manifest self-contained")
            continue
        yield module
        yield from walk_modules(module.get("modules", []))


def check_sources(module):
    for source in module.get("sources", []):
        kind = source.get("type")
        name = module.get("name")
        if kind in ("archive", "file"):
            if "path" in source:
                continue  # a file in this repository: nothing to download
            url = source.get("url", "")
            if not url.startswith("https://"):
                problem(f"module {name}: source {url!r} is not an https URL")
            if not SHA256.match(source.get("sha256", "")):
                problem(f"module {name}: source {url} has no sha256")
        elif kind == "git":
            if not source.get("commit"):
                problem(f"module {name}: git source {source.get('url')} is not pinned to a commit")
        elif kind not in ("dir", "patch", "shell", "script"):
            problem(f"module {name}: source type {kind!r} is not checked")


def project_executables(source_root):
    names = set()
    for directory, subdirs, files in os.walk(source_root):
        subdirs[:] = [d for d in subdirs if not d.startswith((".", "_build"))]
        if "meson.build" in files:
            with open(os.path.join(directory, "meson.build"), encoding="utf-8") as build:
                text = build.read()
            for match in re.finditer(r"executable\(\s*'([^']+)'(.*?)\n\)", text, re.S):
                if re.search(r"install\s*:\s*true", match.group(2)):
                    names.add(match.group(1))
    return names


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    manifest_path, source_root = argv[1], argv[2]

    # flatpak-builder makes its state dir (.flatpak-builder/) in the working directory: keep it
    # out of the source and build trees.
    with tempfile.TemporaryDirectory() as scratch:
        shown = subprocess.run(["flatpak-builder", "--show-manifest",
                                os.path.abspath(manifest_path)],
                               capture_output=True, text=True, cwd=scratch)
    if shown.returncode != 0:
        problem(f"flatpak-builder --show-manifest failed: {shown.stderr.strip()}")
        return 1
    for line in shown.stderr.splitlines():
        if "WARNING" in line or "CRITICAL" in line:
            problem(f"flatpak-builder --show-manifest: {line.strip()}")
    manifest = json.loads(shown.stdout)

    app_id = manifest.get("id") or manifest.get("app-id")
    if app_id != APP_ID:
        problem(f"app id is {app_id!r}, expected {APP_ID}")
    if os.path.basename(manifest_path) != APP_ID + ".json":
        problem(f"manifest is named {os.path.basename(manifest_path)}, expected {APP_ID}.json")
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        problem("runtime/sdk are not org.gnome.Platform/org.gnome.Sdk")
    if not re.match(r"^(4[5-9]|[5-9][0-9])$", str(manifest.get("runtime-version", ""))):
        problem(f"runtime-version {manifest.get('runtime-version')!r} is not a current GNOME")

    finish_args = manifest.get("finish-args", [])
    for arg in finish_args:
        if arg.startswith(FORBIDDEN_PREFIXES):
            problem(f"finish-arg {arg} grants more than the app needs")
        elif arg not in ALLOWED_FINISH_ARGS and not arg.startswith("--env="):
            problem(f"finish-arg {arg} is not one the app needs")
    for arg in sorted(REQUIRED_FINISH_ARGS - set(finish_args)):
        problem(f"finish-arg {arg} is missing")

    modules = list(walk_modules(manifest.get("modules", [])))
    names = [m.get("name") for m in modules]
    for module in modules:
        check_sources(module)
    order = ["leptonica", "tesseract", "tessdata", "bookimg"]
    for name in order:
        if name not in names:
            problem(f"no module {name}")
    present = [n for n in names if n in order]
    if present != [n for n in order if n in names]:
        problem(f"modules are built in the order {present}, expected {order}")
    if names and names[-1] != "bookimg":
        problem("bookimg is not the last module")

    tessdata = next((m for m in modules if m.get("name") == "tessdata"), {})
    files = {os.path.basename(s.get("url", "")) for s in tessdata.get("sources", [])}
    for needed in ("eng.traineddata", "osd.traineddata"):
        if needed not in files:
            problem(f"tessdata module does not fetch {needed}")
    if not any("/app/share/tessdata" in c for c in tessdata.get("build-commands", [])):
        problem("tessdata module does not install into /app/share/tessdata")

    bookimg = next((m for m in modules if m.get("name") == "bookimg"), {})
    if bookimg.get("buildsystem") != "meson":
        problem("module bookimg is not built with meson")
    if not any(s.get("type") == "dir" and s.get("path") == ".." for s in bookimg.get("sources", [])):
        problem("module bookimg does not build this checkout (a dir source with path '..')")

    command = manifest.get("command")
    installed = project_executables(source_root)
    if command != "bookimg":
        problem(f"command is {command!r}, expected bookimg")
    if command not in installed:
        problem(f"command {command!r} is not an executable the project installs "
                f"(installed: {sorted(installed)})")
    if "bookimg-server" not in installed:
        problem("bookimg-server is not installed beside the app")

    if problems:
        print(f"{len(problems)} problem(s) in {manifest_path}")
        return 1
    print(f"ok: {manifest_path}: {len(modules)} modules, finish-args {finish_args}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
