/* bi-label-trial.c — how often a library label read with OCR's slips names the right book
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-label-trial"

#include "bi-label-trial.h"
#include "bi-book-matcher.h"
#include "bi-catalog-format.h"
#include "bi-delimited-reader.h"
#include "bi-shelf-mark.h"
#include "bi-spine-text.h"

#include <string.h>

typedef struct
{
  char *source_id;
  char *title;
  char *shelf_mark;
} Labelled;

typedef enum
{
  READ_EXACT,
  READ_SLIP,
  READ_SLIP_TITLE,
  READ_TWO_SLIPS,
  READ_TWO_SLIPS_TITLE,
  N_READINGS,
} Reading;

static const char *const reading_names[N_READINGS] = {
  "label as printed, alone",
  "one slip, alone",
  "one slip + a title word",
  "two slips (class and code), alone",
  "two slips + a title word",
};

static void
labelled_free (Labelled *book)
{
  g_free (book->source_id);
  g_free (book->title);
  g_free (book->shelf_mark);
  g_free (book);
}

/* The books of @path whose shelf mark ends in an author code, in file order, each once. */
static GPtrArray *
read_labelled (const char  *path,
               GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) input = g_file_read (file, NULL, error);
  g_autoptr(BiDelimitedReader) reader = NULL;
  g_autoptr(GPtrArray) books = g_ptr_array_new_with_free_func ((GDestroyNotify) labelled_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  BiCatalogFormat format;
  GPtrArray *fields = NULL;
  const char *reason = NULL;

  if (input == NULL)
    return NULL;
  reader = bi_delimited_reader_new (G_INPUT_STREAM (input));
  if (bi_delimited_reader_next (reader, &fields, &reason, error) != BI_DELIMITED_RECORD ||
      !bi_catalog_format_detect (fields, bi_delimited_reader_get_delimiter (reader), &format,
                                 error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s has no header.", path);
      return NULL;
    }

  for (;;)
    {
      BiDelimitedStatus status = bi_delimited_reader_next (reader, &fields, &reason, error);
      g_auto(BiCatalogRecord) record = { 0 };
      g_autofree char *row_reason = NULL;
      g_autofree char *class_number = NULL;
      g_autofree char *code = NULL;
      Labelled *book;

      if (status == BI_DELIMITED_END)
        break;
      if (status == BI_DELIMITED_ERROR)
        return NULL;
      if (status != BI_DELIMITED_RECORD ||
          !bi_catalog_record_parse (&format, fields, &record, &row_reason) ||
          !bi_shelf_mark_split (record.shelf_mark, &class_number, &code) ||
          g_hash_table_contains (seen, record.source_id))
        continue;
      book = g_new0 (Labelled, 1);
      book->source_id = g_steal_pointer (&record.source_id);
      book->title = g_steal_pointer (&record.title);
      book->shelf_mark = g_steal_pointer (&record.shelf_mark);
      g_hash_table_add (seen, book->source_id);
      g_ptr_array_add (books, book);
    }
  return g_steal_pointer (&books);
}

/* A digit of @class_number read as another (FALSE when it has none). */
static gboolean
substitute_digit (GString *class_number,
                  GRand   *rand)
{
  g_autoptr(GArray) digits = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < class_number->len; i++)
    if (g_ascii_isdigit (class_number->str[i]))
      g_array_append_val (digits, i);
  if (digits->len == 0)
    return FALSE;
  {
    guint at = g_array_index (digits, guint, g_rand_int_range (rand, 0, (gint32) digits->len));
    char digit = class_number->str[at];

    while (digit == class_number->str[at])
      digit = (char) ('0' + g_rand_int_range (rand, 0, 10));
    class_number->str[at] = digit;
  }
  return TRUE;
}

/* The label's leading characters lost, two digits at least left ("796.325" → "325"). */
static gboolean
lose_leading (GString *class_number,
              GRand   *rand)
{
  guint digits = 0;
  guint cuts = 0;
  guint cut_at[8];

  for (guint i = class_number->len; i > 0 && cuts < G_N_ELEMENTS (cut_at); i--)
    {
      digits += g_ascii_isdigit (class_number->str[i - 1]) ? 1 : 0;
      if (i > 1 && digits >= 2 && g_ascii_isdigit (class_number->str[i - 1]))
        cut_at[cuts++] = i - 1;
    }
  if (cuts == 0)
    return FALSE;
  g_string_erase (class_number, 0, cut_at[g_rand_int_range (rand, 0, (gint32) cuts)]);
  return TRUE;
}

/* One letter of the code misread, or its last letter lost. */
static void
slip_code (GString *code,
           GRand   *rand)
{
  if (g_rand_boolean (rand) && code->len == 3)
    {
      g_string_truncate (code, 2);
      return;
    }
  {
    guint at = (guint) g_rand_int_range (rand, 1, (gint32) MAX (code->len, 2));
    char letter = code->str[at];

    while (letter == code->str[at])
      letter = (char) ('a' + g_rand_int_range (rand, 0, 26));
    code->str[at] = letter;
  }
}

/* The longest word of @title's main part, or NULL. */
static char *
title_word (const char *title)
{
  g_autofree char *main_part = g_strndup (title, strcspn (title, ":("));
  g_auto(GStrv) words = g_strsplit (main_part, " ", -1);
  const char *best = NULL;

  for (guint i = 0; words[i] != NULL; i++)
    if (g_utf8_strlen (words[i], -1) >= 4 &&
        (best == NULL || g_utf8_strlen (words[i], -1) > g_utf8_strlen (best, -1)))
      best = words[i];
  return g_strdup (best);
}

/* The spine text of @book read so; NULL when the label cannot be misread that way. */
static char *
read_label (const Labelled *book,
            Reading         reading,
            GRand          *rand)
{
  const char *last = strrchr (book->shelf_mark, ' ');
  g_autoptr(GString) class_number = g_string_new_len (book->shelf_mark,
                                                      last - book->shelf_mark);
  g_autoptr(GString) code = g_string_new (last + 1);
  g_autofree char *word = NULL;
  gboolean with_title = reading == READ_SLIP_TITLE || reading == READ_TWO_SLIPS_TITLE;

  g_strchomp (class_number->str);
  g_string_set_size (class_number, strlen (class_number->str));
  switch (reading)
    {
    case READ_SLIP:
    case READ_SLIP_TITLE:
      switch (g_rand_int_range (rand, 0, 3))
        {
        case 0:
          if (!substitute_digit (class_number, rand))
            return NULL;
          break;
        case 1:
          if (!lose_leading (class_number, rand))
            return NULL;
          break;
        default:
          slip_code (code, rand);
          break;
        }
      break;
    case READ_TWO_SLIPS:
    case READ_TWO_SLIPS_TITLE:
      if (!(g_rand_boolean (rand) ? substitute_digit (class_number, rand)
                                  : lose_leading (class_number, rand)))
        return NULL;
      slip_code (code, rand);
      break;
    case READ_EXACT:
    case N_READINGS:
    default:
      break;
    }
  if (with_title && (word = title_word (book->title)) == NULL)
    return NULL;
  return g_strdup_printf ("%s%s%s %s", word != NULL ? word : "", word != NULL ? " " : "",
                          class_number->str, code->str);
}

static GPtrArray *
unlabelled_search (BiCatalog   *port,
                   const char  *query,
                   guint        limit,
                   GError     **error)
{
  BiCatalog *inner = ((BiUnlabelledCatalog *) port)->inner;

  return inner->search (inner, query, limit, error);
}

static BiBook *
unlabelled_lookup_isbn (BiCatalog   *port,
                        const char  *isbn13,
                        GError     **error)
{
  BiCatalog *inner = ((BiUnlabelledCatalog *) port)->inner;

  return inner->lookup_isbn (inner, isbn13, error);
}

void
bi_unlabelled_catalog_init (BiUnlabelledCatalog *self,
                            BiCatalog           *inner)
{
  self->port.search = unlabelled_search;
  self->port.lookup_isbn = unlabelled_lookup_isbn;
  self->port.lookup_shelf_mark = NULL;
  self->inner = inner;
}

/* The book a lone spine reading @text is given, or NULL; *@label says how its label named
 * it. */
static BiBook *
resolve_one (BiCatalog        *catalog,
             const char       *text,
             BiLabelEvidence  *label,
             GError          **error)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (
    (GDestroyNotify) bi_candidate_free);
  g_autoptr(GPtrArray) books = NULL;
  BiCandidate *candidate = bi_candidate_new ();
  GPtrArray *spine;

  candidate->text = g_strdup (text);
  bi_spine_text_split (text, &candidate->title, &candidate->author);
  candidate->confidence = 0.9;
  g_ptr_array_add (candidates, candidate);
  books = bi_book_matcher_resolve (catalog, candidates, BI_BOOK_MATCHER_MIN_CONFIDENCE, error);
  if (books == NULL)
    return NULL;
  spine = g_ptr_array_index (books, 0);
  if (spine->len == 0)
    return NULL;
  *label = ((BiBookHit *) g_ptr_array_index (spine, 0))->label;
  return bi_book_copy (((BiBookHit *) g_ptr_array_index (spine, 0))->book);
}

gboolean
bi_label_trial_run (BiCatalog   *catalog,
                    const char  *path,
                    guint        n_books,
                    guint32      seed,
                    GError     **error)
{
  g_autoptr(GPtrArray) books = read_labelled (path, error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint tried[N_READINGS] = { 0 };
  /* [0]: without the label lookup (as before shelf marks), [1]: with it */
  guint resolved[2][N_READINGS] = { { 0 } }, right[2][N_READINGS] = { { 0 } };
  BiUnlabelledCatalog unlabelled;
  BiCatalog *catalogs[2] = { &unlabelled.port, catalog };
  /* With labels, by what the label said of the book given (BiLabelEvidence). */
  guint by_evidence[BI_LABEL_UNIQUE + 1] = { 0 }, right_by_evidence[BI_LABEL_UNIQUE + 1] = { 0 };
  static const char *const evidence_names[] = { "none", "shared", "unique, loose",
                                                "unique" };

  if (books == NULL)
    return FALSE;
  bi_unlabelled_catalog_init (&unlabelled, catalog);
  for (guint n = 0; n < n_books && books->len > 0; n++)
    {
      const Labelled *book = g_ptr_array_index (books,
                                                g_rand_int_range (rand, 0,
                                                                  (gint32) books->len));

      for (Reading r = 0; r < N_READINGS; r++)
        {
          g_autofree char *text = read_label (book, r, rand);

          if (text == NULL)
            continue;
          tried[r]++;
          for (guint c = 0; c < G_N_ELEMENTS (catalogs); c++)
            {
              g_autoptr(GError) local_error = NULL;
              BiLabelEvidence label = BI_LABEL_NONE;
              g_autoptr(BiBook) found = resolve_one (catalogs[c], text, &label, &local_error);
              gboolean is_right;

              if (local_error != NULL)
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
              if (found == NULL)
                continue;
              is_right = g_strcmp0 (found->source_id, book->source_id) == 0;
              resolved[c][r]++;
              right[c][r] += is_right ? 1 : 0;
              if (c == 0)
                continue;
              by_evidence[label]++;
              right_by_evidence[label] += is_right ? 1 : 0;
              if (!is_right && g_getenv ("BI_LABEL_TRIAL_VERBOSE") != NULL)
                g_print ("  WRONG “%s” (%s) → “%s” [%s]\n", text, book->title, found->title,
                         evidence_names[label]);
            }
        }
    }

  g_print ("| reading (%u books, seed %u) | spines | without labels: resolved | right | "
           "precision | with labels: resolved | right | precision |\n", n_books, seed);
  g_print ("|---|---:|---:|---:|---:|---:|---:|---:|\n");
  for (Reading r = 0; r < N_READINGS; r++)
    {
      g_print ("| %s | %u", reading_names[r], tried[r]);
      for (guint c = 0; c < G_N_ELEMENTS (catalogs); c++)
        g_print (" | %u | %u | %.3f", resolved[c][r], right[c][r],
                 resolved[c][r] > 0 ? (double) right[c][r] / resolved[c][r] : 0.0);
      g_print (" |\n");
    }
  g_print ("\n| books given, by what the label said | resolved | right | precision |\n");
  g_print ("|---|---:|---:|---:|\n");
  for (guint e = 0; e < G_N_ELEMENTS (by_evidence); e++)
    g_print ("| %s | %u | %u | %.3f |\n", evidence_names[e], by_evidence[e],
             right_by_evidence[e],
             by_evidence[e] > 0 ? (double) right_by_evidence[e] / by_evidence[e] : 0.0);
  return TRUE;
}
