/* bi-export-citation-key.h — unique citation keys (BibTeX keys, CSL-JSON ids)
 *
 * "<surname><year><first title word>" in ASCII letters and digits ("pratchett1983colour"),
 * "book" when none of that has a Latin letter; a key already given gets "a", "b", … "z",
 * then "-2", "-3" … appended. Keys are safe in BibTeX and in XML attributes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-export-book.h"

G_BEGIN_DECLS

/* One key per book of @books, in order, all different. */
GStrv bi_export_citation_keys (GPtrArray *books);

G_END_DECLS
