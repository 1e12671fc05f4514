#!/usr/bin/env python3
"""Checks the starter catalog shipped with BookImg (data/catalog/starter-catalog.tsv).

Usage:
  check-starter-catalog.py STARTER-CATALOG.tsv

The file is a "BookImg catalog TSV": UTF-8 (NFC), LF line ends, a header line
`id<TAB>title<TAB>authors<TAB>year<TAB>isbn13`, then one work a line. Each problem is printed
with its line number and the exit status is 1; on success the counts are printed.
"""

import re
import sys
import unicodedata

HEADER = ["id", "title", "authors", "year", "isbn13"]
MIN_ROWS = 1000
MIN_YEAR = 1000
MAX_YEAR = 2026
ID_PREFIX = "starter-"
AUTHOR_SEPARATOR = "; "

problems = []


def problem(line_number, message):
    problems.append(message)
    print(f"not ok: line {line_number}: {message}")


def fold(text):
    """Case-folded, without accents, punctuation or repeated spaces: how two rows are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^\w]+", " ", without_accents).split()
    return " ".join(words)


def isbn13_is_valid(isbn):
    if not re.fullmatch(r"[0-9]{13}", isbn):
        return False
    total = sum(int(digit) * (1 if i % 2 == 0 else 3) for i, digit in enumerate(isbn[:12]))
    return (10 - total % 10) % 10 == int(isbn[12])


def check_fields(line_number, fields, expected_id):
    record_id, title, authors, year, isbn13 = fields

    for name, value in zip(HEADER, fields):
        if value != value.strip():
            problem(line_number, f"the {name} has leading or trailing spaces")
        if "  " in value:
            problem(line_number, f"the {name} has two spaces in a row")

    if record_id != expected_id:
        problem(line_number, f'the id is "{record_id}", expected "{expected_id}" (sequential)')
    if title.strip() == "":
        problem(line_number, "the title is empty")
    names = authors.split(AUTHOR_SEPARATOR)
    if authors.strip() == "" or any(name.strip() == "" for name in names):
        problem(line_number, f'the authors "{authors}" hold an empty name (separator "; ")')
    elif any("," in name for name in names):
        problem(line_number, f'the authors "{authors}" have a comma: write "First Last; …"')
    if year != "" and not (re.fullmatch(r"[0-9]{4}", year) and MIN_YEAR <= int(year) <= MAX_YEAR):
        problem(line_number, f'the year "{year}" is not empty nor {MIN_YEAR}–{MAX_YEAR}')
    if isbn13 != "" and not isbn13_is_valid(isbn13):
        problem(line_number, f'the ISBN-13 "{isbn13}" is not 13 digits with a valid checksum')


def check(path):
    try:
        with open(path, "rb") as catalog:
            data = catalog.read()
    except OSError as error:
        print(f"not ok: cannot read {path}: {error.strerror}")
        return 1

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_number = data[: error.start].count(b"\n") + 1
        problem(line_number, "the file is not UTF-8")
        return 1

    if text.startswith("\ufeff"):
        problem(1, "the file starts with a byte order mark")
    if "\r" in text:
        problem(text[: text.index("\r")].count("\n") + 1, "a CR: lines must end with LF only")
    if not text.endswith("\n"):
        problem(text.count("\n") + 1, "the last line does not end with LF")

    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != HEADER:
        problem(1, f"the header must be {'<TAB>'.join(HEADER)}")
        return 1

    seen_works = {}
    rows = 0
    rows_with_year = 0
    rows_with_isbn = 0
    for line_number, line in enumerate(lines[1:], start=2):
        rows += 1
        if line != unicodedata.normalize("NFC", line):
            problem(line_number, "the line is not in Unicode NFC")
        fields = line.split("\t")
        if len(fields) != len(HEADER):
            problem(line_number, f"{len(fields)} columns, expected {len(HEADER)}")
            continue
        check_fields(line_number, fields, f"{ID_PREFIX}{rows:04d}")

        title, authors, year, isbn13 = fields[1:]
        if year != "":
            rows_with_year += 1
        if isbn13 != "":
            rows_with_isbn += 1
        first_author = authors.split(AUTHOR_SEPARATOR)[0]
        surname = fold(first_author).split(" ")[-1] if fold(first_author) else ""
        work = (fold(title), surname)
        if work in seen_works:
            problem(line_number, f'"{title}" by {first_author} is already on line '
                                 f"{seen_works[work]}")
        else:
            seen_works[work] = line_number

    if rows < MIN_ROWS:
        problem(len(lines), f"{rows} rows, expected at least {MIN_ROWS}")

    print(f"rows: {rows}")
    print(f"rows with a year: {rows_with_year}")
    print(f"rows with an ISBN-13: {rows_with_isbn}")
    print(f"distinct first-author surnames: {len({surname for _, surname in seen_works})}")
    if problems:
        print(f"{len(problems)} problems")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(check(sys.argv[1]))
