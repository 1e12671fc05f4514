/* match-ocr-dump.c — precision and recall of the candidates and validation stages on saved
 * OCR outputs, and the fit of the matcher's confidence model
 *
 * Tuning without running OCR again: give it the `ocr.json` outputs of the real shelf photos
 * (the OCR stage's output, e.g. from a bookimg-server data dir). It runs the real candidates
 * and validator stages on each, against a SQLite catalog imported from the two files in
 * $BOOKIMG_SHARED_DATA/catalog, and prints per photo how many books were resolved, how many
 * of them are on the photo ($BOOKIMG_SHARED_DATA/photos/ground-truth.tsv: precision) and how
 * many of the photo's books were found (recall).
 *
 *   match-ocr-dump [--database FILE] [--verbose] [--books] [--fit] [--text TEXT] OCR.json…
 *
 * --database keeps the imported catalog in FILE between runs (imported when empty).
 * --text TEXT prints every catalog hit of one spine reading TEXT, with its features.
 * --books prints, per ground-truth book, where it was lost: whether a word of its title was
 * read by OCR at all, whether the right book was among the catalog hits of any spine (with
 * its best probability and that spine's text), and what was assigned.
 * --fit also gathers every catalog hit of every spine, labelled right when the book is on the
 * photo, plus synthetic spines made from the ground truth with OCR-like damage or cut to one
 * word, and fits the
 * logistic model of bi-book-matcher.c on them (printing the weights and a calibration table).
 *
 * Photos whose ground truth covers one shelf only (the "source" column says "bottom shelf
 * only") count only books resolved in the photo's bottom half.
 *
 * A tool, not a test: built with the tests, never registered with test().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "match-ocr-dump"

#include "bi-book-matcher.h"
#include "bi-heuristic-candidates.h"
#include "bi-memory-ports.h"
#include "bi-shelf-books.h"
#include "bi-spine-text.h"
#include "bi-sqlite-catalog.h"
#include "bi-stages.h"
#include "bi-text-similarity.h"
#include "bi-title-normalize.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

typedef struct
{
  char     *file;
  char     *title;
  char     *author;
  gboolean  bottom_only;
} Truth;

typedef struct
{
  double values[BI_MATCH_N_FEATURES];
  int    label;
} Sample;

static void
truth_free (gpointer data)
{
  Truth *truth = data;

  g_free (truth->file);
  g_free (truth->title);
  g_free (truth->author);
  g_free (truth);
}

static GPtrArray *
read_truth (const char *shared,
            GError    **error)
{
  g_autofree char *path = g_build_filename (shared, "photos", "ground-truth.tsv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *truths = g_ptr_array_new_with_free_func (truth_free);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);
      Truth *truth;

      if (g_strv_length (fields) < 5)
        continue;
      truth = g_new0 (Truth, 1);
      truth->file = g_strdup (fields[0]);
      truth->title = g_strdup (fields[2]);
      truth->author = g_strdup (fields[3]);
      truth->bottom_only = strstr (fields[4], "bottom shelf only") != NULL &&
                           strstr (fields[4], fields[0]) != NULL;
      if (!truth->bottom_only && strstr (fields[4], "bottom shelf only") != NULL)
        {
          /* "…bottom shelf only for two_shelves": the note names the photo by a part. */
          g_autofree char *base = g_strndup (fields[0], strcspn (fields[0], "."));

          truth->bottom_only = strstr (base, "two_shelves") != NULL &&
                               strstr (fields[4], "two_shelves") != NULL;
        }
      g_ptr_array_add (truths, truth);
    }
  return truths;
}

/* Whether a catalog title is the ground truth's title: equal normal forms (full or main), or
 * nearly equal ones (catalogs spell subtitles and series notes their own way). */
static gboolean
same_title (const char *catalog_title,
            const char *truth_title)
{
  g_autofree char *a = bi_title_normalize (catalog_title);
  g_autofree char *b = bi_title_normalize (truth_title);
  g_autofree char *a_main = bi_title_normalize_main (catalog_title);
  g_autofree char *b_main = bi_title_normalize_main (truth_title);
  g_autoptr(BiTrigrams) ta = bi_trigrams_new (a_main != NULL ? a_main : a);
  g_autoptr(BiTrigrams) tb = bi_trigrams_new (b_main != NULL ? b_main : b);

  return g_strcmp0 (a, b) == 0 || bi_trigrams_dice (ta, tb) >= 0.85;
}

/* The ground truth index of @title on @file, or -1. */
static int
find_truth (GPtrArray  *truths,
            const char *file,
            const char *title)
{
  for (guint i = 0; i < truths->len; i++)
    {
      Truth *truth = g_ptr_array_index (truths, i);

      if (strcmp (truth->file, file) == 0 && same_title (title, truth->title))
        return (int) i;
    }
  return -1;
}

static BiSqliteCatalog *
open_catalog (const char  *shared,
              const char  *database,
              char       **temp_dir,
              GError     **error)
{
  BiSqliteCatalog *catalog = NULL;
  g_autofree char *path = NULL;
  const char *files[] = { "goodbooks-10k.tsv", "llabres-library.csv" };

  if (database == NULL)
    {
      *temp_dir = g_dir_make_tmp ("match-ocr-dump-XXXXXX", error);
      if (*temp_dir == NULL)
        return NULL;
      path = g_build_filename (*temp_dir, "catalog.db", NULL);
    }
  else
    {
      path = g_strdup (database);
    }
  catalog = bi_sqlite_catalog_open (path, error);
  if (catalog == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *file = g_build_filename (shared, "catalog", files[i], NULL);

      if (!bi_sqlite_catalog_import_if_changed (catalog, file, NULL, NULL, error))
        {
          bi_sqlite_catalog_free (catalog);
          return NULL;
        }
    }
  return catalog;
}

static BiCandidate *
candidate_from_json (JsonObject *object)
{
  BiCandidate *candidate = bi_candidate_new ();
  JsonArray *bbox = json_object_get_array_member (object, "bbox");
  JsonNode *author = json_object_get_member (object, "author");
  JsonNode *isbn13 = json_object_get_member (object, "isbn13");

  candidate->text = g_strdup (json_object_get_string_member (object, "text"));
  candidate->title = g_strdup (json_object_get_string_member (object, "title"));
  candidate->author = author != NULL && !JSON_NODE_HOLDS_NULL (author)
                      ? g_strdup (json_node_get_string (author)) : NULL;
  candidate->isbn13 = isbn13 != NULL && !JSON_NODE_HOLDS_NULL (isbn13)
                      ? g_strdup (json_node_get_string (isbn13)) : NULL;
  candidate->y = (int) json_array_get_int_element (bbox, 1);
  candidate->height = (int) json_array_get_int_element (bbox, 3);
  candidate->position = (int) json_object_get_int_member (object, "position");
  candidate->confidence = json_object_get_double_member (object, "confidence");
  return candidate;
}

/* Adds every hit of @candidates as a sample: right when its book is on @file. */
static gboolean
add_samples (BiCatalog  *catalog,
             GPtrArray  *candidates,
             GPtrArray  *truths,
             const char *file,
             const char *only_title,
             GArray     *samples,
             GError    **error)
{
  g_autoptr(GPtrArray) hits = bi_book_matcher_gather (catalog, candidates, error);

  if (hits == NULL)
    return FALSE;
  for (guint i = 0; i < hits->len; i++)
    {
      BiBookHit *hit = g_ptr_array_index (hits, i);
      Sample sample;

      if (hit->by_isbn)
        continue;
      bi_book_match_features_to_array (&hit->features, sample.values);
      sample.label = only_title != NULL ? same_title (hit->book->title, only_title)
                                        : find_truth (truths, file, hit->book->title) >= 0;
      g_array_append_val (samples, sample);
    }
  return TRUE;
}

/* OCR-like damage: letters dropped or confused, case lost, words cut, a publisher added. */
static char *
damage (const char *title,
        const char *author,
        GRand      *rand)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *main_title = g_strndup (title, strcspn (title, ":("));
  g_autofree char *name = NULL;

  /* The ground truth writes "Surname, Name" for the library's books, as catalogs do. */
  if (author != NULL && strchr (author, ',') != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (author, ",", 3);

      name = g_strdup_printf ("%s %s", g_strstrip (parts[1]), g_strstrip (parts[0]));
    }
  else if (author != NULL)
    name = g_strndup (author, strcspn (author, ";"));

  if (name != NULL && name[0] != '\0' && g_rand_boolean (rand))
    g_string_append_printf (text, "%s ", name);
  g_string_append (text, g_strstrip (main_title));
  if (name != NULL && name[0] != '\0' && text->len == strlen (main_title) &&
      g_rand_int_range (rand, 0, 3) > 0)
    g_string_append_printf (text, " %s", name);
  if (g_rand_int_range (rand, 0, 4) == 0)
    g_string_append (text, " PENGUIN");

  for (gsize i = 0; i < text->len; i++)
    {
      int roll = g_rand_int_range (rand, 0, 100);

      if (roll < 4 && g_ascii_isalpha (text->str[i]))
        text->str[i] = "ilrnoce"[g_rand_int_range (rand, 0, 7)];
      else if (roll < 6)
        g_string_erase (text, (gssize) i, 1);
    }
  if (g_rand_boolean (rand))
    {
      g_autofree char *upper = g_utf8_strup (text->str, -1);

      g_string_assign (text, upper);
    }
  if (g_rand_int_range (rand, 0, 4) == 0 && text->len > 12)
    g_string_truncate (text, text->len * 2 / 3);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A word of four letters or more of the title or the author. */
static char *
one_word (const char *title,
          const char *author,
          GRand      *rand)
{
  g_autofree char *both = g_strdup_printf ("%s %s", title, author != NULL ? author : "");
  g_auto(GStrv) words = g_strsplit_set (both, " ,:;()", -1);
  g_autoptr(GPtrArray) long_words = g_ptr_array_new ();

  for (guint i = 0; words[i] != NULL; i++)
    if (g_utf8_strlen (words[i], -1) >= 4)
      g_ptr_array_add (long_words, words[i]);
  if (long_words->len == 0)
    return g_strdup (title);
  return g_strdup (g_ptr_array_index (long_words,
                                      g_rand_int_range (rand, 0, (int) long_words->len)));
}

/* The photo's OCR text, case-folded: every line's text, one after the other. */
static char *
ocr_text_of (JsonNode *ocr_root)
{
  JsonArray *lines = json_object_get_array_member (json_node_get_object (ocr_root), "lines");
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);

      g_string_append_printf (text, "%s\n", json_object_get_string_member (line, "text"));
    }
  return g_utf8_casefold (text->str, -1);
}

/* Whether a word of four letters or more of @title is in @text (the "titles read" metric of
 * docs/ocr.md: OCR read something of the book). */
static gboolean
title_is_read (const char *title,
               const char *text)
{
  g_autofree char *folded = g_utf8_casefold (title, -1);
  g_autoptr(GString) word = g_string_new (NULL);

  for (const char *p = folded;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalpha (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (g_utf8_strlen (word->str, -1) >= 4 && strstr (text, word->str) != NULL)
        return TRUE;
      g_string_truncate (word, 0);
      if (c == 0)
        return FALSE;
    }
}

/* Whether the catalog holds @truth's book at all: found by its own title and author. */
static gboolean
in_catalog (BiCatalog   *catalog,
            const Truth *truth)
{
  g_autofree char *query = g_strdup_printf ("%s %s", truth->title,
                                            truth->author != NULL ? truth->author : "");
  g_autoptr(GPtrArray) books = catalog->search (catalog, query, 20, NULL);

  for (guint i = 0; books != NULL && i < books->len; i++)
    if (same_title (((BiBook *) g_ptr_array_index (books, i))->title, truth->title))
      return TRUE;
  return FALSE;
}

/* One line per ground-truth book of @file: in the catalog / read / among the hits /
 * assigned. */
static void
report_books (BiCatalog  *catalog,
              GPtrArray  *truths,
              const char *file,
              const char *ocr_text,
              GPtrArray  *candidates,
              GPtrArray  *hits,
              GHashTable *found,
              guint      *n_read,
              guint      *n_hit,
              guint      *n_listed)
{
  for (guint t = 0; t < truths->len; t++)
    {
      Truth *truth = g_ptr_array_index (truths, t);
      gboolean read;
      gboolean listed;
      const BiBookHit *best = NULL;

      if (strcmp (truth->file, file) != 0)
        continue;
      read = title_is_read (truth->title, ocr_text);
      for (guint i = 0; i < hits->len; i++)
        {
          const BiBookHit *hit = g_ptr_array_index (hits, i);

          if (same_title (hit->book->title, truth->title) &&
              (best == NULL || hit->probability > best->probability))
            best = hit;
        }
      *n_read += read ? 1 : 0;
      *n_hit += best != NULL ? 1 : 0;
      listed = in_catalog (catalog, truth);
      *n_listed += listed ? 1 : 0;
      g_print ("  %-7s %-5s %-4s %-6s %.60s", listed ? "catalog" : "-",
               read ? "read" : "-", best != NULL ? "hit" : "-",
               g_hash_table_contains (found, GINT_TO_POINTER (t + 1)) ? "FOUND" : "-",
               truth->title);
      if (best != NULL)
        g_print ("  [%.3f ← “%.60s”]", best->probability,
                 ((const BiCandidate *) g_ptr_array_index (candidates, best->candidate))->text);
      g_print ("\n");
    }
}

static int
compare_hits_by_probability (gconstpointer a,
                             gconstpointer b)
{
  const BiBookHit *ha = *(const BiBookHit * const *) a;
  const BiBookHit *hb = *(const BiBookHit * const *) b;

  return (ha->probability < hb->probability) - (ha->probability > hb->probability);
}

/* Every hit of one spine reading @text, best first, with its features. */
static void
print_hits (BiCatalog  *catalog,
            const char *text)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (
    (GDestroyNotify) bi_candidate_free);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  BiCandidate *candidate = bi_candidate_new ();

  candidate->text = g_strdup (text);
  bi_spine_text_split (text, &candidate->title, &candidate->author);
  candidate->confidence = 0.9;
  g_ptr_array_add (candidates, candidate);
  hits = bi_book_matcher_gather (catalog, candidates, &error);
  if (hits == NULL)
    {
      g_printerr ("%s\n", error->message);
      return;
    }
  g_ptr_array_sort (hits, compare_hits_by_probability);
  g_print ("“%s” (title “%s”, author “%s”): %u hits\n", text, candidate->title,
           candidate->author != NULL ? candidate->author : "", hits->len);
  for (guint i = 0; i < hits->len; i++)
    {
      const BiBookHit *hit = g_ptr_array_index (hits, i);
      double values[BI_MATCH_N_FEATURES];

      bi_book_match_features_to_array (&hit->features, values);
      g_print ("  %.3f [", hit->probability);
      for (guint k = 0; k < BI_MATCH_N_FEATURES; k++)
        g_print ("%s%.2f", k > 0 ? " " : "", values[k]);
      g_print ("] %s\n", hit->book->title);
    }
}

/* Spines made for the fit, and what share of them read a book the catalog lacks. */
#define SYNTHETIC_SPINES 1600
#define ABSENT_SHARE 0.4

/* Junk as OCR reads it off wood, stickers and half-read spines: short runs of letters. */
static char *
junk (GRand *rand)
{
  g_autoptr(GString) text = g_string_new (NULL);
  int n_words = g_rand_int_range (rand, 1, 4);

  for (int w = 0; w < n_words; w++)
    {
      int length = g_rand_int_range (rand, 2, 7);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      for (int i = 0; i < length; i++)
        g_string_append_c (text, "etaoinshrdlucmfwyp"[g_rand_int_range (rand, 0, 18)]);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Samples of one synthetic spine reading @text, queried alone: a hit is right when its
 * book has one of @titles, unless @absent, when those hits are dropped — the catalog
 * lacking the spine's book, as it lacks many books of the real photos. */
static gboolean
add_synthetic_spine (BiCatalog   *catalog,
                     char        *text,
                     const char  *titles[2],
                     gboolean     absent,
                     double       confidence,
                     GArray      *samples,
                     GError     **error)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                    bi_candidate_free);
  g_autoptr(GPtrArray) hits = NULL;
  BiCandidate *candidate = bi_candidate_new ();

  candidate->text = text;
  bi_spine_text_split (text, &candidate->title, &candidate->author);
  candidate->confidence = confidence;
  g_ptr_array_add (candidates, candidate);
  hits = bi_book_matcher_gather (catalog, candidates, error);
  if (hits == NULL)
    return FALSE;
  for (guint i = 0; i < hits->len; i++)
    {
      BiBookHit *hit = g_ptr_array_index (hits, i);
      Sample sample;

      sample.label = 0;
      for (guint t = 0; t < 2; t++)
        sample.label |= titles[t] != NULL && same_title (hit->book->title, titles[t]);
      if (absent && sample.label)
        continue;
      bi_book_match_features_to_array (&hit->features, sample.values);
      g_array_append_val (samples, sample);
    }
  return TRUE;
}

/* Synthetic spines of books drawn from the catalog files (not the photos' books): a title
 * with OCR-like damage, the author before or after it; one word of it; two spines read as
 * one; junk. Some read books taken as absent from the catalog. */
static GArray *
synthetic_samples (BiCatalog   *catalog,
                   const char  *shared,
                   GError     **error)
{
  g_autoptr(BiShelfBookPool) pool = bi_shelf_book_pool_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  const char *files[] = { "goodbooks-10k.tsv", "llabres-library.csv" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (shared, "catalog", files[i], NULL);

      if (!bi_shelf_book_pool_add_catalog (pool, path, error))
        return NULL;
    }

  for (guint spine = 0; spine < SYNTHETIC_SPINES; spine++)
    {
      const BiShelfBook *book = bi_shelf_book_pool_pick (pool, rand);
      const BiShelfBook *neighbour = bi_shelf_book_pool_pick (pool, rand);
      const char *titles[2] = { book->title, NULL };
      int kind = g_rand_int_range (rand, 0, 10);
      gboolean absent = g_rand_double (rand) < ABSENT_SHARE;
      char *text;

      if (kind < 5)
        {
          text = damage (book->spine_title, book->author, rand);
        }
      else if (kind < 7)
        {
          text = one_word (book->spine_title, book->author, rand);
        }
      else if (kind < 9)
        {
          g_autofree char *first = damage (book->spine_title, book->author, rand);
          g_autofree char *second = damage (neighbour->spine_title, neighbour->author, rand);

          text = g_strdup_printf ("%s %s", first, second);
          titles[1] = neighbour->title;
        }
      else
        {
          text = junk (rand);
          titles[0] = NULL;
        }
      if (!add_synthetic_spine (catalog, text, titles, absent, 0.6 + 0.4 * g_rand_double (rand),
                                samples, error))
        return NULL;
    }
  return g_steal_pointer (&samples);
}

/* Calibration of the model @w on @samples: predicted against observed, in bins. */
static void
print_calibration (const double  w[BI_MATCH_N_FEATURES + 1],
                   GArray       *samples)
{
  guint count[5] = { 0 };
  guint right[5] = { 0 };
  double predicted[5] = { 0 };

  for (guint i = 0; i < samples->len; i++)
    {
      const Sample *s = &g_array_index (samples, Sample, i);
      double z = w[0];
      double p;
      guint bin;

      for (guint k = 0; k < BI_MATCH_N_FEATURES; k++)
        z += w[k + 1] * s->values[k];
      p = 1.0 / (1.0 + exp (-z));
      bin = MIN ((guint) (p * 5), 4);
      count[bin]++;
      right[bin] += s->label;
      predicted[bin] += p;
    }
  for (guint b = 0; b < 5; b++)
    if (count[b] > 0)
      g_print ("  p in [%.1f, %.1f): %5u hits, mean predicted %.3f, right %.3f\n",
               b / 5.0, (b + 1) / 5.0, count[b], predicted[b] / count[b],
               (double) right[b] / count[b]);
}

/* Fits the logistic model on @samples and shows its calibration on them and on the
 * @held_out samples (the real photos'). */
static void
fit (GArray *samples,
     GArray *held_out)
{
  double w[BI_MATCH_N_FEATURES + 1] = { 0 };
  const double rate = 0.5;
  const double l2 = 1e-4;
  guint n = samples->len;
  guint positives = 0;
  guint held_out_positives = 0;

  for (guint i = 0; i < n; i++)
    positives += g_array_index (samples, Sample, i).label;
  for (guint i = 0; i < held_out->len; i++)
    held_out_positives += g_array_index (held_out, Sample, i).label;

  /* Batch gradient descent on the log loss; small L2 so rare features do not run away. */
  for (guint step = 0; step < 20000; step++)
    {
      double gradient[BI_MATCH_N_FEATURES + 1] = { 0 };

      for (guint i = 0; i < n; i++)
        {
          const Sample *s = &g_array_index (samples, Sample, i);
          double z = w[0];
          double error;

          for (guint k = 0; k < BI_MATCH_N_FEATURES; k++)
            z += w[k + 1] * s->values[k];
          error = 1.0 / (1.0 + exp (-z)) - s->label;
          gradient[0] += error;
          for (guint k = 0; k < BI_MATCH_N_FEATURES; k++)
            gradient[k + 1] += error * s->values[k];
        }
      for (guint k = 0; k <= BI_MATCH_N_FEATURES; k++)
        w[k] -= rate * (gradient[k] / n + (k > 0 ? l2 * w[k] : 0.0));
    }

  g_print ("fit on %u synthetic samples (%u right): intercept %.2f, weights", n, positives,
           w[0]);
  for (guint k = 0; k < BI_MATCH_N_FEATURES; k++)
    g_print (" %.2f", w[k + 1]);
  g_print ("\nin sample (synthetic):\n");
  print_calibration (w, samples);
  g_print ("held out (the real photos' hits, %u, %u right):\n", held_out->len,
           held_out_positives);
  print_calibration (w, held_out);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  g_autofree char *temp_dir = NULL;
  gboolean verbose = FALSE;
  gboolean do_fit = FALSE;
  gboolean books_report = FALSE;
  g_autofree char *probe_text = NULL;
  GOptionEntry entries[] = {
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, "Keep the catalog in FILE", "FILE" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print every book and spine", NULL },
    { "books", 0, 0, G_OPTION_ARG_NONE, &books_report,
      "Print where each ground-truth book was lost", NULL },
    { "fit", 0, 0, G_OPTION_ARG_NONE, &do_fit, "Fit the confidence model", NULL },
    { "text", 0, 0, G_OPTION_ARG_STRING, &probe_text, "Print the hits of one spine's text",
      "TEXT" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("OCR.json…");
  const char *shared = g_getenv ("BOOKIMG_SHARED_DATA");
  g_autoptr(GPtrArray) truths = NULL;
  BiSqliteCatalog *catalog = NULL;
  g_autoptr(BiHeuristicCandidates) heuristics = bi_heuristic_candidates_new ();
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  guint total_resolved = 0, total_right = 0, total_found = 0, total_truth = 0;
  guint total_read = 0, total_hit = 0, total_listed = 0;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (shared == NULL)
    {
      g_printerr ("Set BOOKIMG_SHARED_DATA to the shared data folder (catalog/, photos/).\n");
      return 2;
    }
  truths = read_truth (shared, &error);
  if (truths == NULL ||
      (catalog = open_catalog (shared, database, &temp_dir, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (probe_text != NULL)
    print_hits (bi_sqlite_catalog_as_port (catalog), probe_text);

  for (int a = 1; a < argc; a++)
    {
      g_autoptr(BiMemoryBlobStore) blobs = bi_memory_blob_store_new ();
      g_autoptr(BiMemoryQueue) queue = bi_memory_queue_new ();
      g_autoptr(BiMemoryTopic) topic = bi_memory_topic_new ();
      BiStagePorts ports = {
        .blob_store = bi_memory_blob_store_as_port (blobs),
        .queue = bi_memory_queue_as_port (queue),
        .topic = bi_memory_topic_as_port (topic),
        .candidate_generator = bi_heuristic_candidates_as_port (heuristics),
        .catalog = bi_sqlite_catalog_as_port (catalog),
      };
      g_autofree char *ocr = NULL;
      g_autofree char *validation = NULL;
      g_autofree char *final_results = NULL;
      g_autofree char *file = NULL;
      g_autoptr(JsonNode) ocr_root = NULL;
      g_autoptr(JsonNode) results_root = NULL;
      g_autoptr(JsonNode) validation_root = NULL;
      g_autoptr(GHashTable) found = g_hash_table_new (NULL, NULL);
      JsonArray *books;
      int height;
      guint resolved = 0, right = 0, n_truth = 0, ignored = 0;
      gboolean bottom_only = FALSE;

      if (!g_file_get_contents (argv[a], &ocr, NULL, &error) ||
          (ocr_root = json_from_string (ocr, &error)) == NULL)
        {
          g_printerr ("%s: %s\n", argv[a], error->message);
          return 1;
        }
      file = g_path_get_basename (json_object_get_string_member (json_node_get_object (ocr_root),
                                                                 "key"));
      height = (int) json_object_get_int_member (json_object_get_object_member (
        json_node_get_object (ocr_root), "image"), "height");

      if (!bi_stage_candidates (ocr, &ports, &error) ||
          (validation = bi_memory_queue_pop (queue, BI_QUEUE_VALIDATION)) == NULL ||
          !bi_stage_validator (validation, &ports, &error) ||
          (final_results = bi_memory_topic_pop (topic)) == NULL)
        {
          g_printerr ("%s: %s\n", file, error != NULL ? error->message : "no output");
          return 1;
        }

      for (guint i = 0; i < truths->len; i++)
        {
          Truth *truth = g_ptr_array_index (truths, i);

          if (strcmp (truth->file, file) == 0)
            {
              n_truth++;
              bottom_only |= truth->bottom_only;
            }
        }

      results_root = json_from_string (final_results, NULL);
      books = json_object_get_array_member (json_node_get_object (results_root), "books");
      for (guint i = 0; i < json_array_get_length (books); i++)
        {
          JsonObject *book = json_array_get_object_element (books, i);
          JsonObject *evidence = json_object_get_object_member (book, "evidence");
          JsonArray *bbox = json_object_get_array_member (evidence, "bbox");
          const char *title = json_object_get_string_member (book, "title");
          int truth = find_truth (truths, file, title);
          int center = (int) (json_array_get_int_element (bbox, 1) +
                              json_array_get_int_element (bbox, 3) / 2);

          if (truth < 0 && bottom_only && center < height / 2)
            {
              ignored++;
              continue;
            }
          resolved++;
          if (truth >= 0)
            {
              right++;
              g_hash_table_add (found, GINT_TO_POINTER (truth + 1));
            }
          if (verbose)
            g_print ("  %s %.3f “%s” ← “%s”\n", truth >= 0 ? "right" : "WRONG",
                     json_object_get_double_member (book, "confidence"), title,
                     json_object_get_string_member (evidence, "text"));
        }
      if (verbose)
        {
          JsonArray *unresolved = json_object_get_array_member (
            json_node_get_object (results_root), "unresolved");

          for (guint i = 0; i < json_array_get_length (unresolved); i++)
            g_print ("  unresolved “%s”\n", json_object_get_string_member (
              json_array_get_object_element (unresolved, i), "text"));
        }

      g_print ("%s: %u spines, %u resolved%s, %u right: precision %.2f, recall %u/%u = %.2f\n",
               file,
               (guint) json_object_get_int_member (json_node_get_object (results_root),
                                                   "totalCandidates"),
               resolved, ignored > 0 ? " (top shelf not counted)" : "", right,
               resolved > 0 ? (double) right / resolved : 0.0,
               g_hash_table_size (found), n_truth,
               n_truth > 0 ? (double) g_hash_table_size (found) / n_truth : 0.0);
      total_resolved += resolved;
      total_right += right;
      total_found += g_hash_table_size (found);
      total_truth += n_truth;

      if (do_fit || books_report)
        {
          g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (
            (GDestroyNotify) bi_candidate_free);
          g_autoptr(GPtrArray) fit_candidates = g_ptr_array_new ();
          JsonArray *array;

          validation_root = json_from_string (validation, NULL);
          array = json_object_get_array_member (json_node_get_object (validation_root),
                                                "candidates");
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              BiCandidate *candidate =
                candidate_from_json (json_array_get_object_element (array, i));

              g_ptr_array_add (candidates, candidate);
              /* The top shelf's books are not in the ground truth. */
              if (!bottom_only || candidate->y + candidate->height / 2 >= height / 2)
                g_ptr_array_add (fit_candidates, candidate);
            }
          if (books_report)
            {
              g_autofree char *ocr_text = ocr_text_of (ocr_root);
              g_autoptr(GPtrArray) hits = bi_book_matcher_gather (ports.catalog, candidates,
                                                                  &error);

              if (hits == NULL)
                {
                  g_printerr ("%s\n", error->message);
                  return 1;
                }
              report_books (ports.catalog, truths, file, ocr_text, candidates, hits, found,
                            &total_read, &total_hit, &total_listed);
            }
          if (do_fit &&
              !add_samples (ports.catalog, fit_candidates, truths, file, NULL, samples, &error))
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
        }
    }

  g_print ("all: %u resolved, %u right: precision %.2f, recall %u/%u = %.2f\n",
           total_resolved, total_right,
           total_resolved > 0 ? (double) total_right / total_resolved : 0.0,
           total_found, total_truth, total_truth > 0 ? (double) total_found / total_truth : 0.0);
  if (books_report)
    g_print ("books: %u/%u in the catalog, %u/%u with a title word read by OCR, "
             "%u/%u among the catalog hits\n", total_listed, total_truth, total_read,
             total_truth, total_hit, total_truth);

  if (do_fit)
    {
      /* The real photos were judged above and are held out: the model is fitted on
       * synthetic spines only, then its calibration is shown on the real photos' hits. */
      g_autoptr(GArray) synthetic = NULL;

      synthetic = synthetic_samples (bi_sqlite_catalog_as_port (catalog), shared, &error);
      if (synthetic == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      fit (synthetic, samples);
    }

  g_clear_pointer (&catalog, bi_sqlite_catalog_free);
  if (temp_dir != NULL)
    {
      g_autofree char *path = g_build_filename (temp_dir, "catalog.db", NULL);

      g_remove (path);
      g_rmdir (temp_dir);
    }
  return 0;
}
