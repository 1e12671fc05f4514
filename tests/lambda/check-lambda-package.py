#!/usr/bin/env python3
# check-lambda-package.py — builds the Lambda zip with build-aux/package-lambda and checks it:
# bootstrap and its RUNPATH, the bundled libraries (no glibc, no Tesseract/Leptonica/GTK/
# libsoup), no ELF needing a glibc symbol newer than Amazon Linux 2023's 2.34, the catalog
# (books, rollback-journal mode), the web page, and that bootstrap starts from the unpacked zip.
# Usage: check-lambda-package.py SOURCE_ROOT BUILD_DIR
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import zipfile

source_root, build_dir = sys.argv[1], sys.argv[2]
checks = []


def check(name, condition, detail=''):
    checks.append((name, bool(condition), detail))


with tempfile.TemporaryDirectory() as work:
    output = os.path.join(work, 'bookimg-lambda.zip')
    run = subprocess.run([os.path.join(source_root, 'build-aux', 'package-lambda'),
                          '--build-dir', build_dir, '--output', output],
                         capture_output=True, text=True)
    sys.stderr.write(run.stderr)
    if run.returncode != 0:
        print('1..1\nnot ok 1 - package-lambda failed: exit %d' % run.returncode)
        sys.exit(1)

    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
        archive.extractall(work)
    root = work
    libs = sorted(n[len('lib/'):] for n in names if n.startswith('lib/') and n != 'lib/')

    bootstrap = os.path.join(root, 'bootstrap')
    os.chmod(bootstrap, 0o755)  # zipfile does not restore modes
    check('bootstrap is in the zip', 'bootstrap' in names)
    mode = [i for i in zipfile.ZipFile(output).infolist() if i.filename == 'bootstrap'][0]
    check('bootstrap is executable in the zip', (mode.external_attr >> 16) & 0o111)
    dynamic = subprocess.run(['readelf', '-d', bootstrap], capture_output=True, text=True).stdout
    check('bootstrap finds its libraries in $ORIGIN/lib',
          re.search(r'(RUNPATH|RPATH).*\$ORIGIN/lib', dynamic), dynamic)

    for wanted in ['libjson-glib-1.0.so.0', 'libglib-2.0.so.0', 'libsqlite3.so.0']:
        check('%s is bundled' % wanted, wanted in libs, libs)
    check('libcurl is bundled', any(l.startswith('libcurl') for l in libs), libs)
    banned = [l for l in libs if re.match(r'lib(c|m|pthread|dl|rt|resolv)\.so|ld-linux|'
                                          r'libtesseract|liblept|libgtk|libadwaita|libsoup', l)]
    check('no glibc, Tesseract, Leptonica, GTK or libsoup library', not banned, banned)

    too_new = []
    for elf in [bootstrap] + [os.path.join(root, 'lib', l) for l in libs]:
        symbols = subprocess.run(['objdump', '-T', elf], capture_output=True, text=True).stdout
        for line in symbols.splitlines():
            found = re.search(r'GLIBC_(\d+)\.(\d+)', line)
            if '*UND*' in line and found and (int(found[1]), int(found[2])) > (2, 34):
                too_new.append('%s: %s' % (os.path.basename(elf), line.split()[-1]))
    check('no binary needs a glibc symbol newer than 2.34', not too_new, too_new[:10])

    catalog = os.path.join(root, 'catalog.sqlite')
    check('catalog.sqlite is in the zip', os.path.exists(catalog))
    db = sqlite3.connect('file:%s?mode=ro' % catalog, uri=True)
    check('the catalog is in rollback-journal mode (read-only file systems)',
          db.execute('PRAGMA journal_mode').fetchone()[0] == 'delete')
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    counts = {t: db.execute('SELECT count(*) FROM "%s"' % t).fetchone()[0] for t in tables
              if t == 'books'}
    check('the catalog holds the starter books', counts.get('books', 0) > 100, counts)
    db.close()

    for page in ['web/index.html', 'web/app.js', 'web/bookimg.js', 'web/style.css']:
        check('%s is in the zip' % page, page in names)

    # Libraries resolve from the unpacked zip: the program gets as far as its own check.
    env = {'PATH': '/usr/bin:/bin', 'LD_LIBRARY_PATH': ''}
    started = subprocess.run([bootstrap], capture_output=True, text=True, env=env)
    check('bootstrap starts from the unpacked zip',
          started.returncode == 2 and 'AWS_LAMBDA_RUNTIME_API is not set' in started.stderr,
          started.stderr)

print('1..%d' % len(checks))
failed = 0
for number, (name, passed, detail) in enumerate(checks, 1):
    print('%s %d - %s' % ('ok' if passed else 'not ok', number, name))
    if not passed:
        failed += 1
        print('# %s' % str(detail)[:2000])
sys.exit(1 if failed else 0)
