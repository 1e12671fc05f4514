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
 *   match-ocr-dump [--database FILE] [--verbose] [--books] [--fit] [--sweep] [--text TEXT]
 *                  [--labels N] [--no-labels] [--truth FILE…] [--held-out-truth FILE…]
 *                  OCR.json…
 *
 * --database keeps the imported catalog in FILE between runs (imported when empty).
 * --text TEXT prints every catalog hit of one spine reading TEXT, with its features.
 * --labels N reads the library labels of N books of the llabres catalog as printed and with
 * OCR's slips, and prints how many were resolved and right (bi-label-trial.h).
 * --no-labels runs the validator without the catalog's lookup by shelf mark, as before
 * library labels were looked up.
 * --books prints, per ground-truth book, where it was lost: whether a word of its title was
 * read by OCR at all, whether the right book was among the catalog hits of any spine (with
 * its best probability and that spine's text), and what was assigned.
 * --truth FILE reads another ground truth (the generator's, whose boxes label each spine);
 * --held-out-truth FILE marks its photos as never fitted on; --sweep prints precision and
 * recall at other thresholds.
 * --fit gathers every catalog hit of every spine of the generated photos (not held out),
 * plus synthetic spines of catalog books with OCR-like damage or cut to one word, fits the
 * logistic model of bi-book-matcher.c on them and prints the weights and the calibration on
 * them, on the held-out generated photos and on the real photos.
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
#include "bi-label-trial.h"
#include "bi-memory-ports.h"
#include "bi-shelf-books.h"
#include "bi-spine-text.h"
#include "bi-sqlite-catalog.h"
#include "bi-stages.h"
#include "bi-text-similarity.h"
#include "bi-title-normalize.h"
#include "bi-titles-read.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct
{
  char     *file;
  char     *title;
  char     *author;
  gboolean  bottom_only;
  gboolean  has_box;   /* a generated photo's truth: where the book stands */
  gboolean  held_out;  /* of a --held-out-truth file: never fitted on */
  int       box[4];    /* x, y, width, height */
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

/* The index of the column called @name in @header, or -1. */
static int
find_column (char       **header,
             const char  *name)
{
  for (guint i = 0; header[i] != NULL; i++)
    if (g_ascii_strcasecmp (g_strstrip (header[i]), name) == 0)
      return (int) i;
  return -1;
}

/* The real photos' ground-truth.tsv (file, n, title, author, source) or the generator's
 * (file, n, title, author, isbn13, bbox): columns found by their header. */
static GPtrArray *
read_truth (const char  *path,
            GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  GPtrArray *truths = g_ptr_array_new_with_free_func (truth_free);
  int file_column, title_column, author_column, source_column, box_column;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  header = g_strsplit (lines[0], "\t", -1);
  file_column = find_column (header, "file");
  title_column = find_column (header, "title");
  author_column = find_column (header, "author");
  source_column = find_column (header, "source");
  box_column = find_column (header, "bbox");
  if (file_column < 0 || title_column < 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s needs the columns “file” and “title”.", path);
      return NULL;
    }
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);
      guint n_fields = g_strv_length (fields);
      const char *source;
      Truth *truth;

      if (n_fields <= (guint) MAX (file_column, title_column))
        continue;
      source = source_column >= 0 && (guint) source_column < n_fields ? fields[source_column]
                                                                      : "";
      truth = g_new0 (Truth, 1);
      truth->file = g_strdup (fields[file_column]);
      truth->title = g_strdup (fields[title_column]);
      truth->author = author_column >= 0 && (guint) author_column < n_fields
                      ? g_strdup (fields[author_column]) : NULL;
      /* "…bottom shelf only for two_shelves": the note names the photo by a part. */
      truth->bottom_only = strstr (source, "bottom shelf only") != NULL &&
                           (strstr (source, truth->file) != NULL ||
                            (strstr (truth->file, "two_shelves") != NULL &&
                             strstr (source, "two_shelves") != NULL));
      truth->has_box = box_column >= 0 && (guint) box_column < n_fields &&
                       sscanf (fields[box_column], "%d,%d,%d,%d", &truth->box[0],
                               &truth->box[1], &truth->box[2], &truth->box[3]) == 4;
      g_ptr_array_add (truths, truth);
    }
  return truths;
}

/* Appends the books of the ground truth @path to @truths, marked @held_out. */
static gboolean
add_truth_file (GPtrArray   *truths,
                const char  *path,
                gboolean     held_out,
                GError     **error)
{
  g_autoptr(GPtrArray) read = read_truth (path, error);

  if (read == NULL)
    return FALSE;
  for (guint i = 0; i < read->len; i++)
    ((Truth *) g_ptr_array_index (read, i))->held_out = held_out;
  g_ptr_array_extend_and_steal (truths, g_steal_pointer (&read));
  return TRUE;
}

/* The books of every ground-truth file given (the real photos' when none is); those of
 * @held_out_files are marked held out. */
static GPtrArray *
read_truths (const char  *shared,
             char       **truth_files,
             char       **held_out_files,
             GError     **error)
{
  g_autoptr(GPtrArray) truths = g_ptr_array_new_with_free_func (truth_free);

  if (truth_files == NULL)
    {
      g_autofree char *real = g_build_filename (shared, "photos", "ground-truth.tsv", NULL);

      if (!add_truth_file (truths, real, FALSE, error))
        return NULL;
    }
  for (guint f = 0; truth_files != NULL && truth_files[f] != NULL; f++)
    if (!add_truth_file (truths, truth_files[f], FALSE, error))
      return NULL;
  for (guint f = 0; held_out_files != NULL && held_out_files[f] != NULL; f++)
    if (!add_truth_file (truths, held_out_files[f], TRUE, error))
      return NULL;
  return g_steal_pointer (&truths);
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
  candidate->x = (int) json_array_get_int_element (bbox, 0);
  candidate->y = (int) json_array_get_int_element (bbox, 1);
  candidate->width = (int) json_array_get_int_element (bbox, 2);
  candidate->height = (int) json_array_get_int_element (bbox, 3);
  candidate->position = (int) json_object_get_int_member (object, "position");
  candidate->confidence = json_object_get_double_member (object, "confidence");
  return candidate;
}

/* Whether a hit of @candidate for a book titled @title is right: the book is on @file and,
 * when the ground truth says where it stands (generated photos), the spine's box holds at
 * least half of the book's box (a region may hold two spines: both books are right) — an
 * exact label per spine, not per photo. */
static gboolean
is_right (GPtrArray         *truths,
          const char        *file,
          const BiCandidate *candidate,
          const char        *title)
{
  for (guint i = 0; i < truths->len; i++)
    {
      const Truth *truth = g_ptr_array_index (truths, i);
      int across, along;

      if (strcmp (truth->file, file) != 0 || !same_title (title, truth->title))
        continue;
      if (!truth->has_box)
        return TRUE;
      across = MIN (candidate->x + candidate->width, truth->box[0] + truth->box[2]) -
               MAX (candidate->x, truth->box[0]);
      along = MIN (candidate->y + candidate->height, truth->box[1] + truth->box[3]) -
              MAX (candidate->y, truth->box[1]);
      if (across > 0 && along > 0 &&
          2.0 * across * along >= (double) truth->box[2] * truth->box[3])
        return TRUE;
    }
  return FALSE;
}

/* Adds every hit of @candidates as a sample: right when its book is on @file (where the
 * spine stands, when the ground truth has boxes). */
static gboolean
add_samples (BiCatalog  *catalog,
             GPtrArray  *candidates,
             GPtrArray  *truths,
             const char *file,
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
      sample.label = is_right (truths, file, g_ptr_array_index (candidates, hit->candidate),
                               hit->book->title);
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
  /* A library's label at the spine's foot, read whole: collection and surname's start. */
  if (name != NULL && g_rand_int_range (rand, 0, 5) == 0)
    {
      const char *surname = strrchr (name, ' ') != NULL ? strrchr (name, ' ') + 1 : name;
      g_autofree char *code = g_utf8_substring (surname, 0, 3);
      g_autofree char *rest = g_utf8_strdown (g_utf8_next_char (code), -1);

      if (g_utf8_strlen (code, -1) == 3)
        g_string_append_printf (text, " N %.*s%s", (int) (g_utf8_next_char (code) - code),
                                code, rest);
    }
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
 * docs/ocr.md: OCR read something of the book); @text is folded already, @title is not. */
static gboolean
title_is_read (const char *title,
               const char *text)
{
  g_autofree char *folded = g_utf8_casefold (title, -1);

  return bi_title_is_read (folded, text);
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

/* Thresholds tried by --sweep, and what each gave over all the photos. */
#define N_THRESHOLDS 8
static const double sweep_thresholds[N_THRESHOLDS] = { 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8,
                                                        0.9 };

/* Adds, for each threshold, the books resolved on @file and how many are on it. */
static gboolean
sweep_photo (BiCatalog  *catalog,
             GPtrArray  *candidates,
             GPtrArray  *truths,
             const char *file,
             guint       resolved[N_THRESHOLDS],
             guint       right[N_THRESHOLDS],
             GError    **error)
{
  for (guint t = 0; t < N_THRESHOLDS; t++)
    {
      g_autoptr(GPtrArray) books = bi_book_matcher_resolve (catalog, candidates,
                                                            sweep_thresholds[t], error);

      if (books == NULL)
        return FALSE;
      for (guint i = 0; i < books->len; i++)
        {
          GPtrArray *spine_books = g_ptr_array_index (books, i);

          for (guint k = 0; k < spine_books->len; k++)
            {
              const BiBookHit *hit = g_ptr_array_index (spine_books, k);

              resolved[t]++;
              right[t] += find_truth (truths, file, hit->book->title) >= 0;
            }
        }
    }
  return TRUE;
}

/* Prints the calibration of @w on @samples under @name, with their count. */
static void
print_named_calibration (const char   *name,
                         const double  w[BI_MATCH_N_FEATURES + 1],
                         GArray       *samples)
{
  guint positives = 0;

  for (guint i = 0; i < samples->len; i++)
    positives += g_array_index (samples, Sample, i).label;
  g_print ("%s: %u hits, %u right\n", name, samples->len, positives);
  print_calibration (w, samples);
}

/* Fits the logistic model on @samples and shows its calibration on them and on the held-out
 * samples: generated photos not fitted on, and the real photos. */
static void
fit (GArray *samples,
     GArray *held_out_generated,
     GArray *held_out_real)
{
  double w[BI_MATCH_N_FEATURES + 1] = { 0 };
  const double rate = 0.5;
  const double l2 = 1e-4;
  guint n = samples->len;

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

  g_print ("fit: intercept %.2f, weights", w[0]);
  for (guint k = 0; k < BI_MATCH_N_FEATURES; k++)
    g_print (" %.2f", w[k + 1]);
  g_print ("\n");
  print_named_calibration ("in sample (generated photos' spines and synthetic spines)", w,
                           samples);
  print_named_calibration ("held out (generated photos of --held-out-truth)", w,
                           held_out_generated);
  print_named_calibration ("held out (real photos; labels per photo)", w, held_out_real);
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
  gboolean do_sweep = FALSE;
  guint sweep_resolved[N_THRESHOLDS] = { 0 };
  guint sweep_right[N_THRESHOLDS] = { 0 };
  gboolean books_report = FALSE;
  g_autofree char *probe_text = NULL;
  int label_books = 0;
  gboolean no_labels = FALSE;
  BiUnlabelledCatalog unlabelled;
  g_auto(GStrv) truth_files = NULL;
  g_auto(GStrv) held_out_files = NULL;
  GOptionEntry entries[] = {
    { "truth", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &truth_files,
      "Ground truth of the photos (default: the real photos'); boxes give per-spine labels",
      "FILE" },
    { "held-out-truth", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &held_out_files,
      "Ground truth of photos never fitted on", "FILE" },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, "Keep the catalog in FILE", "FILE" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print every book and spine", NULL },
    { "books", 0, 0, G_OPTION_ARG_NONE, &books_report,
      "Print where each ground-truth book was lost", NULL },
    { "fit", 0, 0, G_OPTION_ARG_NONE, &do_fit, "Fit the confidence model", NULL },
    { "sweep", 0, 0, G_OPTION_ARG_NONE, &do_sweep,
      "Print precision and recall at other thresholds", NULL },
    { "text", 0, 0, G_OPTION_ARG_STRING, &probe_text, "Print the hits of one spine's text",
      "TEXT" },
    { "labels", 0, 0, G_OPTION_ARG_INT, &label_books,
      "Read the library labels of N catalog books with OCR's slips", "N" },
    { "no-labels", 0, 0, G_OPTION_ARG_NONE, &no_labels,
      "Do not look books up by the library labels read", NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("OCR.json…");
  const char *shared = g_getenv ("BOOKIMG_SHARED_DATA");
  g_autoptr(GPtrArray) truths = NULL;
  BiSqliteCatalog *catalog = NULL;
  g_autoptr(BiHeuristicCandidates) heuristics = bi_heuristic_candidates_new ();
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_autoptr(GArray) held_out_generated = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_autoptr(GArray) held_out_real = g_array_new (FALSE, FALSE, sizeof (Sample));
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
  truths = read_truths (shared, truth_files, held_out_files, &error);
  if (truths == NULL ||
      (catalog = open_catalog (shared, database, &temp_dir, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  bi_unlabelled_catalog_init (&unlabelled, bi_sqlite_catalog_as_port (catalog));
  if (probe_text != NULL)
    print_hits (bi_sqlite_catalog_as_port (catalog), probe_text);
  if (label_books > 0)
    {
      g_autofree char *llabres = g_build_filename (shared, "catalog", "llabres-library.csv",
                                                   NULL);

      if (!bi_label_trial_run (bi_sqlite_catalog_as_port (catalog), llabres,
                               (guint) label_books, 7, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }

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
        .catalog = no_labels ? &unlabelled.port : bi_sqlite_catalog_as_port (catalog),
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
      gboolean has_box = FALSE;
      gboolean held_out = FALSE;

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
              has_box |= truth->has_box;
              held_out |= truth->held_out;
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

      if (do_fit || books_report || do_sweep)
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
          if (do_sweep &&
              !sweep_photo (ports.catalog, fit_candidates, truths, file, sweep_resolved,
                            sweep_right, &error))
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          /* Generated photos are fitted on unless held out; the real photos never are. */
          if (do_fit &&
              !add_samples (ports.catalog, fit_candidates, truths, file,
                            !has_box ? held_out_real
                                     : held_out ? held_out_generated : samples, &error))
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

  for (guint t = 0; do_sweep && t < N_THRESHOLDS; t++)
    g_print ("threshold %.1f: %u resolved, %u right: precision %.3f, recall %u/%u = %.3f\n",
             sweep_thresholds[t], sweep_resolved[t], sweep_right[t],
             sweep_resolved[t] > 0 ? (double) sweep_right[t] / sweep_resolved[t] : 0.0,
             sweep_right[t], total_truth,
             total_truth > 0 ? (double) sweep_right[t] / total_truth : 0.0);

  if (do_fit)
    {
      /* The model is fitted on the generated photos' spines (exact labels) and synthetic
       * spines; its calibration is shown on held-out generated photos and the real ones. */
      g_autoptr(GArray) synthetic = NULL;

      synthetic = synthetic_samples (bi_sqlite_catalog_as_port (catalog), shared, &error);
      if (synthetic == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_array_append_vals (samples, synthetic->data, synthetic->len);
      fit (samples, held_out_generated, held_out_real);
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
