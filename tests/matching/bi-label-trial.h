/* bi-label-trial.h — how often a library label read with OCR's slips names the right book
 *
 * The real photos hold a few dozen labels; the confidence rule for books found by their
 * shelf mark (bi-book-matcher.h) is measured here on many: books drawn from a catalog file
 * with shelf marks (llabres' tags), each read as a spine holding its label as printed, with
 * one slip, with two, alone or beside one word of its title, and matched against the
 * catalog as one spine. Prints per reading how many books were resolved and how many of
 * them right (docs/recognition.md, "Library labels").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"

G_BEGIN_DECLS

/* A catalog port that answers as @inner does but has no lookup by shelf mark: the matcher
 * as it was before library labels were looked up, to compare with. */
typedef struct
{
  BiCatalog  port;  /* first member: the port functions cast back */
  BiCatalog *inner; /* borrowed */
} BiUnlabelledCatalog;

void     bi_unlabelled_catalog_init (BiUnlabelledCatalog  *self,
                                     BiCatalog            *inner);

/* Draws @n_books books with a shelf mark of an author code from the catalog file @path
 * (with @seed), matches their readings against @catalog and prints the table. FALSE when
 * the file cannot be read. */
gboolean bi_label_trial_run (BiCatalog   *catalog,
                             const char  *path,
                             guint        n_books,
                             guint32      seed,
                             GError     **error);

G_END_DECLS
