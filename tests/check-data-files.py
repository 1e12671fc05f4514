#!/usr/bin/env python3
"""Checks the desktop integration files of BookImg (data/) and the translations (po/).

Usage:
  check-data-files.py desktop BUILT.desktop PO_DIR
  check-data-files.py metainfo BUILT.metainfo.xml PO_DIR
  check-data-files.py schema SOURCE_SCHEMA_DIR      (GSETTINGS_SCHEMA_DIR: the compiled build dir)
  check-data-files.py icons ICONS_DIR
  check-data-files.py po PO_DIR SOURCE_ROOT

Each check runs the format's own validator where there is one, then checks what the validator
does not: the values other parts of BookImg rely on (app id, executables, schema keys and their
defaults) and that every language in LINGUAS is merged and complete. Any problem is printed and
the exit status is 1.
"""

import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

APP_ID = "io.github.bookimg.BookImg"
EXECUTABLES = {"bookimg", "bookimg-server", "bookimg-cli"}
problems = []


def problem(message):
    problems.append(message)
    print(f"not ok: {message}")


def run(command, **kwargs):
    """Runs a validator; a non-zero status is a problem, with the validator's own output."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    output = (result.stdout + result.stderr).strip()
    if output:
        print(output)
    if result.returncode != 0:
        problem(f"{' '.join(command[:2])} … exited with status {result.returncode}")
    return result


def read_linguas(po_dir):
    languages = []
    with open(os.path.join(po_dir, "LINGUAS"), encoding="utf-8") as linguas:
        for line in linguas:
            line = line.split("#", 1)[0].strip()
            languages.extend(line.split())
    return languages


def check_desktop(path, po_dir):
    run(["desktop-file-validate", path])
    entries = {}
    with open(path, encoding="utf-8") as desktop:
        for line in desktop:
            if "=" in line and not line.startswith("#"):
                key, value = line.rstrip("\n").split("=", 1)
                entries[key] = value
    expected = {"Exec": "bookimg", "Icon": APP_ID, "Type": "Application", "Name": "BookImg"}
    for key, value in expected.items():
        if entries.get(key) != value:
            problem(f"desktop file: {key}={entries.get(key)!r}, expected {value!r}")
    if os.path.basename(path) != APP_ID + ".desktop":
        problem(f"desktop file is named {os.path.basename(path)}, expected {APP_ID}.desktop")
    for language in read_linguas(po_dir):
        for key in ("Comment", "Keywords"):
            if f"{key}[{language}]" not in entries:
                problem(f"desktop file: no {key}[{language}]: translations not merged")


def check_metainfo(path, po_dir):
    run(["appstreamcli", "validate", "--no-net", "--pedantic", path])
    root = ET.parse(path).getroot()
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"

    def find_text(xpath):
        element = root.find(xpath)
        return element.text.strip() if element is not None and element.text else None

    if root.get("type") != "desktop-application":
        problem("metainfo: component type is not desktop-application")
    if find_text("id") != APP_ID:
        problem(f"metainfo: id is {find_text('id')!r}, expected {APP_ID}")
    if find_text("launchable[@type='desktop-id']") != APP_ID + ".desktop":
        problem("metainfo: no launchable desktop-id " + APP_ID + ".desktop")
    binaries = {b.text for b in root.findall("provides/binary")}
    if binaries != EXECUTABLES:
        problem(f"metainfo: provides binaries {sorted(binaries)}, expected {sorted(EXECUTABLES)}")
    for url_type in ("homepage", "bugtracker"):
        if not (find_text(f"url[@type='{url_type}']") or "").startswith("https://"):
            problem(f"metainfo: no https url of type {url_type}")
    if root.find("description/p") is None:
        problem("metainfo: no description paragraph")
    screenshots = root.findall("screenshots/screenshot")
    if not screenshots:
        problem("metainfo: no screenshot")
    for screenshot in screenshots:
        if not (screenshot.findtext("image") or "").startswith("https://"):
            problem("metainfo: a screenshot has no https image")
        captions = [c for c in screenshot.findall("caption") if c.get(xml_lang) is None]
        if not captions or not captions[0].text:
            problem("metainfo: a screenshot has no caption")
    release = root.find("releases/release[@version='0.1.0']")
    if release is None or release.get("date") != "2026-11-28":
        problem("metainfo: no release 0.1.0 dated 2026-11-28")
    rating = root.find("content_rating")
    if rating is None or rating.get("type") != "oars-1.1":
        problem("metainfo: no content_rating of type oars-1.1")
    if root.find("developer") is None and root.find("developer_name") is None:
        problem("metainfo: no developer")
    if not root.findall("categories/category"):
        problem("metainfo: no categories")
    for language in read_linguas(po_dir):
        if root.find(f"summary[@{{http://www.w3.org/XML/1998/namespace}}lang='{language}']") is None:
            problem(f"metainfo: no summary in {language}: translations not merged")


# The keys the desktop app reads (see src/gui): name -> (type, default as printed by gsettings).
SCHEMA_KEYS = {
    "backend": ("s", "'embedded'"),
    "server-url": ("s", "''"),
    "parallel-uploads": ("i", "3"),
    "notify-when-done": ("b", "true"),
    "online-providers": ("as", "@as []"),
    "google-books-key": ("s", "''"),
    "window-width": ("i", "1100"),
    "window-height": ("i", "720"),
    "window-maximized": ("b", "false"),
}
SCHEMA_RANGES = {
    "backend": "enum\n'embedded'\n'remote'",
    "parallel-uploads": "range i 1 8",
}


def check_schema(source_dir):
    run(["glib-compile-schemas", "--strict", "--dry-run", source_dir])
    schema_dir = os.environ.get("GSETTINGS_SCHEMA_DIR")
    if not schema_dir or not os.path.exists(os.path.join(schema_dir, "gschemas.compiled")):
        problem("GSETTINGS_SCHEMA_DIR has no gschemas.compiled (the build dir's compiled schema)")
        return
    env = dict(os.environ, GSETTINGS_BACKEND="memory")

    def gsettings(*args):
        result = subprocess.run(["gsettings", *args], capture_output=True, text=True, env=env)
        if result.returncode != 0:
            problem(f"gsettings {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout.strip()

    keys = set(gsettings("list-keys", APP_ID).split())
    if keys != set(SCHEMA_KEYS):
        problem(f"schema keys {sorted(keys)}, expected {sorted(SCHEMA_KEYS)}")
    for key, (_, default) in SCHEMA_KEYS.items():
        if key not in keys:
            continue
        value = gsettings("get", APP_ID, key)
        if value != default:
            problem(f"schema key {key}: default {value}, expected {default}")
        if not gsettings("describe", APP_ID, key):
            problem(f"schema key {key}: no description")
    for key, expected in SCHEMA_RANGES.items():
        if key in keys and gsettings("range", APP_ID, key) != expected:
            problem(f"schema key {key}: range {gsettings('range', APP_ID, key)!r}, "
                    f"expected {expected!r}")
    # The range is enforced, not only documented.
    refused = subprocess.run(["gsettings", "set", APP_ID, "parallel-uploads", "9"],
                             capture_output=True, text=True, env=env)
    if refused.returncode == 0:
        problem("schema key parallel-uploads accepted 9 (range is 1..8)")
    # The schema path must be the app id's.
    with open(os.path.join(source_dir, APP_ID + ".gschema.xml"), encoding="utf-8") as schema:
        schema_root = ET.parse(schema).getroot()
    element = schema_root.find(f"schema[@id='{APP_ID}']")
    if element is None or element.get("path") != "/io/github/bookimg/BookImg/":
        problem("schema: path is not /io/github/bookimg/BookImg/")
    for key in (element.findall("key") if element is not None else []):
        for child in ("summary", "description"):
            if not (key.findtext(child) or "").strip():
                problem(f"schema key {key.get('name')}: no {child}")


def check_icons(icons_dir):
    expected = {
        f"hicolor/scalable/apps/{APP_ID}.svg": None,
        f"hicolor/symbolic/apps/{APP_ID}-symbolic.svg": ("16", "16"),
    }
    for relative, size in expected.items():
        path = os.path.join(icons_dir, relative)
        if not os.path.exists(path):
            problem(f"icon {relative} is missing")
            continue
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as error:
            problem(f"icon {relative} is not well-formed XML: {error}")
            continue
        if root.tag != "{http://www.w3.org/2000/svg}svg":
            problem(f"icon {relative} is not an SVG")
            continue
        view_box = (root.get("viewBox") or "").split()
        if len(view_box) != 4 or view_box[2] != view_box[3]:
            problem(f"icon {relative}: viewBox {root.get('viewBox')!r} is not square")
        if size and (root.get("width"), root.get("height")) != size:
            problem(f"icon {relative}: size {root.get('width')}x{root.get('height')}, expected 16x16")
        if re.search(r"<(image|script)\b", open(path, encoding="utf-8").read()):
            problem(f"icon {relative} embeds an image or a script")


# The keyword arguments meson's i18n.gettext(preset: 'glib') passes to xgettext.
XGETTEXT_GLIB_PRESET = [
    "--from-code=UTF-8", "--add-comments", "--keyword=_", "--keyword=N_",
    "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3", "--flag=N_:1:pass-c-format",
    "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format",
    "--flag=g_printf:1:c-format", "--flag=g_fprintf:2:c-format",
    "--flag=g_sprintf:2:c-format", "--flag=g_snprintf:3:c-format",
]


def check_po(po_dir, source_root):
    """Every language in LINGUAS: a valid .po that translates every string of the sources now."""
    languages = read_linguas(po_dir)
    if not {"de", "es"} <= set(languages):
        problem(f"LINGUAS lists {languages}, expected at least de and es")
    with tempfile.TemporaryDirectory() as scratch:
        template = os.path.join(scratch, "bookimg.pot")
        run(["xgettext", "--package-name=bookimg", "--directory", source_root,
             "--files-from", os.path.join(po_dir, "POTFILES.in"), "--output", template,
             *XGETTEXT_GLIB_PRESET])
        if not os.path.exists(template):
            problem("xgettext found no translatable strings")
            return
        for language in languages:
            po_file = os.path.join(po_dir, language + ".po")
            if not os.path.exists(po_file):
                problem(f"{language}.po is missing")
                continue
            run(["msgfmt", "--check", "--output-file", os.devnull, po_file])
            merged = os.path.join(scratch, language + ".po")
            run(["msgmerge", "--quiet", "--no-fuzzy-matching", "--output-file", merged,
                 po_file, template])
            if not os.path.exists(merged):
                continue
            missing = subprocess.run(["msgattrib", "--untranslated", "--no-obsolete", merged],
                                     capture_output=True, text=True).stdout
            fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", "--no-obsolete", merged],
                                   capture_output=True, text=True).stdout
            for kind, listing in (("untranslated", missing), ("fuzzy", fuzzy)):
                ids = [m for m in re.findall(r'^msgid "(.*)"$', listing, re.M) if m]
                ids += [m for m in re.findall(r'^msgid ""\n"(.*)"$', listing, re.M)]
                for msgid in ids:
                    problem(f"{language}.po: {kind}: {msgid}")


def main(argv):
    checks = {"desktop": check_desktop, "metainfo": check_metainfo, "schema": check_schema,
              "icons": check_icons, "po": check_po}
    if len(argv) < 3 or argv[1] not in checks:
        print(__doc__, file=sys.stderr)
        return 2
    checks[argv[1]](*argv[2:])
    if problems:
        print(f"{len(problems)} problem(s) in the {argv[1]} check")
        return 1
    print(f"ok: {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
