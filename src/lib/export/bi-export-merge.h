/* bi-export-merge.h — one book per book, however many photos show it
 *
 * Books are the same when their ISBN-13s are equal; a book without an ISBN-13 is the same as
 * one with the same normalised title and first author's surname (bi-export-normalize.h), as
 * long as their ISBN-13s do not differ (two editions stay two books). Two readings on the
 * same photo are two copies on the shelf and are never merged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-export-book.h"

G_BEGIN_DECLS

/* @books: of BiExportBook, in reading order. Returns new books in the order each was first
 * seen; a merged book has the sightings of all its readings (in order), the fields of the first
 * reading, any field the first lacked (ISBN-13, year, authors) from a later one, and the best
 * confidence. The books of @books are not changed. */
GPtrArray *bi_export_merge (GPtrArray *books);

G_END_DECLS
