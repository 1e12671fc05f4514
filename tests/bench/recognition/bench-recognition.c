/* bench-recognition.c — how well and how fast the real pipeline names the books on a photo
 *
 * Runs the four stages (upload handler → OCR → candidates → validator) with the in-memory
 * ports, the real Tesseract engine (one per worker thread), the server's candidate generator
 * and a SQLite catalog imported from both shared catalogs, on (a) synthetic photos with exact
 * ground truth and (b) the real shelf photos of the shared test data. Prints precision,
 * recall, F1, unresolved spines, seconds per photo and every miss, as Markdown
 * (docs/benchmarks.md, "Recognition"). Figures only: it never fails on a figure.
 *
 *   bench-recognition [--photos N] [--seed S] [--only generated|real] [--jobs J]
 *                     [--catalog-db FILE] [--keep-photos DIR]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-recognition"

#include "bi-recognition-data.h"
#include "bi-recognition-pipeline.h"
#include "bi-recognition-score.h"
#include "bi-recognition-sets.h"
#include "bi-shelf-books.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>

#define DEFAULT_PHOTOS 20
#define DEFAULT_SEED   1
#define DEFAULT_JOBS   2
/* The targets, printed beside the figures. */
#define TARGETS \
  "generated: recall ≥ 0.95 at precision ≥ 0.98; real: precision ≥ 0.90 and recall ≥ 0.60; " \
  "median under 3 s per 12-megapixel photo"

typedef struct
{
  int       photos;
  gint64    seed;
  char     *only;        /* "generated", "real" or NULL for both */
  int       jobs;
  char     *catalog_db;
  char     *keep_photos;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->only);
  g_free (options->catalog_db);
  g_free (options->keep_photos);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* ---- machine facts ---------------------------------------------------------------------- */

static char *
cpu_model (void)
{
  g_autofree char *cpuinfo = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
    return g_strdup ("unknown CPU");
  lines = g_strsplit (cpuinfo, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "model name") && strchr (lines[i], ':') != NULL)
      return g_strstrip (g_strdup (strchr (lines[i], ':') + 1));
  return g_strdup ("unknown CPU");
}

static void
print_machine (int    argc,
               char **argv)
{
  g_autofree char *model = cpu_model ();
  g_autoptr(GString) command = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M");
  double load[3] = { 0 };
  g_autofree char *loadavg = NULL;

  for (int i = 0; i < argc; i++)
    {
      g_autofree char *quoted = g_shell_quote (argv[i]);

      g_string_append_printf (command, "%s%s", i > 0 ? " " : "",
                              strpbrk (argv[i], " '\"\\$") != NULL ? quoted : argv[i]);
    }
  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    sscanf (loadavg, "%lf %lf %lf", &load[0], &load[1], &load[2]);

  g_print ("# Recognition benchmark\n\n");
  g_print ("- Command: `%s`\n", command->str);
  g_print ("- Date: %s; machine: %u cores (%s), load average %.2f at the start\n", date,
           g_get_num_processors (), model, load[0]);
  g_print ("- Tesseract %s, OMP_THREAD_LIMIT=%s\n", TessVersion (),
           g_getenv ("OMP_THREAD_LIMIT") != NULL ? g_getenv ("OMP_THREAD_LIMIT") : "(unset)");
  g_print ("- Targets: %s\n", TARGETS);
}

/* ---- reports ---------------------------------------------------------------------------- */

static void
print_photos (const char *set_name,
              GPtrArray  *outcomes)
{
  g_print ("\n### %s photos\n\n", set_name);
  g_print ("| photo | size | books | in catalog | reported | right | not scored | unresolved "
           "| candidates | seconds | OCR s | CPU s | error |\n");
  g_print ("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
  for (guint i = 0; i < outcomes->len; i++)
    {
      BiRecognitionOutcome *outcome = g_ptr_array_index (outcomes, i);

      g_print ("| %s | %d×%d | %u | %u | %u | %u | %u | %u | %u | %.2f | %.2f | %.2f | %s |\n",
               outcome->name, outcome->width, outcome->height, outcome->expected,
               outcome->held, outcome->titles->len - outcome->unscored, outcome->right, outcome->unscored,
               outcome->unresolved, outcome->candidates, outcome->seconds,
               outcome->ocr_seconds, outcome->cpu_seconds,
               outcome->error != NULL ? outcome->error : "");
    }
}

static void
print_list (const char *heading,
            GPtrArray  *items)
{
  g_print ("\n%s (%u):\n\n", heading, items->len);
  for (guint i = 0; i < items->len; i++)
    g_print ("- %s\n", (const char *) g_ptr_array_index (items, i));
  if (items->len == 0)
    g_print ("- none\n");
}

static void
print_summary_header (void)
{
  g_print ("\n## Summary\n\n");
  g_print ("| set | photos | books | reported | right | precision | recall | F1 | in catalog "
           "| recall of those | not scored | unresolved | s/photo median | s/photo max "
           "| 12 MP median | 12 MP max | 12 MP CPU median | failed |\n");
  g_print ("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
           "---:|---:|\n");
}

/* A figure of @seconds, or a dash when the set has no such photo. */
static char *
format_seconds (GArray  *seconds,
                double (*statistic) (GArray *))
{
  return seconds->len > 0 ? g_strdup_printf ("%.2f", statistic (seconds)) : g_strdup ("–");
}

static void
print_summary_row (const char               *set_name,
                   const BiRecognitionScore *score)
{
  g_autofree char *median_12mp = format_seconds (score->seconds_12mp, bi_recognition_median);
  g_autofree char *max_12mp = format_seconds (score->seconds_12mp, bi_recognition_max);
  g_autofree char *cpu_12mp = format_seconds (score->cpu_seconds_12mp, bi_recognition_median);

  g_print ("| %s | %u | %u | %u | %u | %.3f | %.3f | %.3f | %u | %.3f | %u | %u | %.2f | %.2f "
           "| %s | %s | %s | %u |\n",
           set_name, score->photos, score->expected, score->reported, score->right,
           bi_recognition_score_precision (score), bi_recognition_score_recall (score),
           bi_recognition_score_f1 (score), score->held, bi_recognition_score_held_recall (score),
           score->unscored, score->unresolved,
           bi_recognition_median (score->seconds), bi_recognition_max (score->seconds),
           median_12mp, max_12mp, cpu_12mp, score->failed);
}

/* ---- main ------------------------------------------------------------------------------- */

static gboolean
parse_options (Options   *options,
               int       *argc,
               char    ***argv,
               GError   **error)
{
  g_autoptr(GOptionContext) context = NULL;
  GOptionEntry entries[] = {
    { "photos", 0, 0, G_OPTION_ARG_INT, &options->photos,
      "Generated photos to run (default 20); with --only real, at most this many real ones",
      "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &options->seed, "Seed of the generated photos "
      "(default 1)", "S" },
    { "only", 0, 0, G_OPTION_ARG_STRING, &options->only, "Run one set only", "generated|real" },
    { "jobs", 0, 0, G_OPTION_ARG_INT, &options->jobs, "OCR worker threads, one Tesseract "
      "engine each (default 2)", "J" },
    { "catalog-db", 0, 0, G_OPTION_ARG_FILENAME, &options->catalog_db, "Catalog database, "
      "imported once and reused (default $BOOKIMG_RECOGNITION_DIR/recognition-catalog.sqlite3)",
      "FILE" },
    { "keep-photos", 0, 0, G_OPTION_ARG_FILENAME, &options->keep_photos, "Also write the "
      "generated photos and their ground-truth.tsv to DIR", "DIR" },
    { NULL }
  };

  context = g_option_context_new ("— recognition accuracy and speed of the real pipeline");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (options->photos < 1 || options->jobs < 1 || options->seed < 0
      || options->seed > G_MAXUINT32)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--photos and --jobs must be at least 1, --seed 0–%u.", G_MAXUINT32);
      return FALSE;
    }
  if (options->only != NULL && g_strcmp0 (options->only, "generated") != 0
      && g_strcmp0 (options->only, "real") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--only takes “generated” or “real”, not “%s”.", options->only);
      return FALSE;
    }
  if (options->catalog_db == NULL)
    {
      const char *dir = g_getenv ("BOOKIMG_RECOGNITION_DIR");

      options->catalog_db = g_build_filename (dir != NULL ? dir : ".",
                                              "recognition-catalog.sqlite3", NULL);
    }
  return TRUE;
}

static BiRecognitionScore *
run_generated (BiRecognitionPipeline  *pipeline,
               const char *const      *catalog_files,
               const Options          *options,
               GError                **error)
{
  g_autoptr(BiShelfBookPool) pool = bi_shelf_book_pool_new ();
  g_autoptr(GPtrArray) outcomes = NULL;
  BiRecognitionScore *score;
  BiGeneratedSetOptions set = {
    .seed = (guint32) options->seed,
    .n_photos = (guint) options->photos,
    .n_jobs = (guint) options->jobs,
    .keep_dir = options->keep_photos,
  };

  for (guint i = 0; catalog_files[i] != NULL; i++)
    if (!bi_shelf_book_pool_add_catalog (pool, catalog_files[i], error))
      return NULL;

  score = bi_recognition_run_generated (pipeline, pool, &set, &outcomes, error);
  if (score == NULL)
    return NULL;
  print_photos ("Generated", outcomes);
  print_list ("Misses (on the photo, not reported)", score->misses);
  print_list ("Wrong books reported", score->wrong);
  if (score->expected < 200 && options->photos >= DEFAULT_PHOTOS)
    g_print ("\nNote: only %u books on %u photos; give more --photos for 200.\n",
             score->expected, score->photos);
  return score;
}

static BiRecognitionScore *
run_real (BiRecognitionPipeline  *pipeline,
          const Options          *options,
          gboolean                photos_given,
          GError                **error)
{
  g_autofree char *dir = bi_recognition_real_photos_dir (error);
  g_autoptr(GPtrArray) outcomes = NULL;
  BiRecognitionScore *score;

  if (dir == NULL)
    return NULL;
  /* --photos limits the real set only when it is the one run: a quick look at one photo. */
  score = bi_recognition_run_real (pipeline, dir, photos_given ? (guint) options->photos : 0,
                                   (guint) options->jobs, &outcomes, error);
  if (score == NULL)
    return NULL;
  print_photos ("Real", outcomes);
  print_list ("Misses (on the photo, not reported)", score->misses);
  print_list ("Wrong books reported", score->wrong);
  print_list ("Not scored: reported outside the part of the photo its ground truth covers",
              score->outside);
  return score;
}

int
main (int    argc,
      char **argv)
{
  g_auto(Options) options = { .photos = DEFAULT_PHOTOS, .seed = DEFAULT_SEED,
                              .jobs = DEFAULT_JOBS };
  g_autoptr(GError) error = NULL;
  g_autoptr(BiRecognitionPipeline) pipeline = NULL;
  g_autoptr(BiRecognitionScore) generated = NULL;
  g_autoptr(BiRecognitionScore) real = NULL;
  g_auto(GStrv) catalog_files = NULL;
  g_auto(GStrv) original_argv = g_strdupv (argv);
  int original_argc = argc;

  setlocale (LC_ALL, "");
  if (!parse_options (&options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  print_machine (original_argc, original_argv);

  catalog_files = bi_recognition_catalog_files (&error);
  if (catalog_files == NULL
      || (pipeline = bi_recognition_pipeline_new (options.catalog_db,
                                                  (const char *const *) catalog_files,
                                                  &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  g_print ("- Catalog: %" G_GINT64_FORMAT " books from goodbooks-10k.tsv and "
           "llabres-library.csv in %s (%s, %.2f s)\n- OCR workers: %d; generated photos: %d, "
           "seed %" G_GINT64_FORMAT "\n",
           bi_recognition_pipeline_count_books (pipeline), options.catalog_db,
           bi_recognition_pipeline_imported (pipeline) ? "imported now" : "reused, unchanged",
           bi_recognition_pipeline_open_seconds (pipeline), options.jobs, options.photos,
           options.seed);

  if (g_strcmp0 (options.only, "real") != 0
      && (generated = run_generated (pipeline, (const char *const *) catalog_files, &options,
                                     &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (g_strcmp0 (options.only, "generated") != 0
      && (real = run_real (pipeline, &options, g_strcmp0 (options.only, "real") == 0,
                           &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  print_summary_header ();
  if (generated != NULL)
    print_summary_row ("generated", generated);
  if (real != NULL)
    print_summary_row ("real", real);
  return EXIT_SUCCESS;
}
