/* bi-recognition-sets.c — the two photo sets of the recognition benchmark, run and scored
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-recognition-sets"

#include "bi-recognition-sets.h"

#include "bi-recognition-truth.h"
#include "bi-shelf-generator.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

/* ---- generated photos ------------------------------------------------------------------- */

typedef struct
{
  GPtrArray  *photos;   /* of BiShelfPhoto: every plan, made up front in photo order */
  GPtrArray  *truths;   /* of GPtrArray of BiShelfTruth: slot i set by the worker drawing i */
  const char *keep_dir;
} GeneratedSet;

static GBytes *
generated_photo_cb (guint        index,
                    char       **name,
                    gpointer     user_data,
                    GError     **error)
{
  /* Cairo 1.16 and Pango share font faces between threads, and two workers drawing text at
   * once crashed in libcairo now and then: photos are drawn one at a time (drawing is a few
   * per cent of a photo's time; the workers still read in parallel). */
  static GMutex drawing;
  GeneratedSet *set = user_data;
  BiShelfPhoto *photo = g_ptr_array_index (set->photos, index);
  GPtrArray *truth = NULL;
  g_autoptr(GBytes) jpeg = NULL;

  g_mutex_lock (&drawing);
  jpeg = bi_shelf_photo_render (photo, &truth, error);
  g_mutex_unlock (&drawing);
  if (jpeg == NULL)
    return NULL;
  g_ptr_array_index (set->truths, index) = truth;
  *name = g_strdup (bi_shelf_photo_get_name (photo));

  if (set->keep_dir != NULL)
    {
      g_autofree char *path = g_build_filename (set->keep_dir, *name, NULL);

      if (!g_file_set_contents (path, g_bytes_get_data (jpeg, NULL),
                                (gssize) g_bytes_get_size (jpeg), error))
        return NULL;
    }
  return g_steal_pointer (&jpeg);
}

static GPtrArray *
truth_titles (GPtrArray *truth)
{
  GPtrArray *titles = g_ptr_array_new ();

  for (guint i = 0; i < truth->len; i++)
    g_ptr_array_add (titles, ((BiShelfTruth *) g_ptr_array_index (truth, i))->title);
  return titles;
}

static gboolean
write_truth (GeneratedSet  *set,
             GError       **error)
{
  g_autoptr(GString) text = g_string_new (bi_shelf_truth_tsv_header ());
  g_autofree char *path = g_build_filename (set->keep_dir, "ground-truth.tsv", NULL);

  for (guint i = 0; i < set->photos->len; i++)
    {
      GPtrArray *truth = g_ptr_array_index (set->truths, i);
      const char *name = bi_shelf_photo_get_name (g_ptr_array_index (set->photos, i));

      for (guint n = 0; n < truth->len; n++)
        {
          g_autofree char *line = bi_shelf_truth_to_tsv_line (g_ptr_array_index (truth, n),
                                                              name, n + 1);

          g_string_append (text, line);
        }
    }
  return g_file_set_contents (path, text->str, (gssize) text->len, error);
}

BiRecognitionScore *
bi_recognition_run_generated (BiRecognitionPipeline        *pipeline,
                              BiShelfBookPool              *pool,
                              const BiGeneratedSetOptions  *options,
                              GPtrArray                   **outcomes,
                              GError                      **error)
{
  g_autoptr(BiShelfGenerator) generator = bi_shelf_generator_new (pool, options->seed, error);
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                bi_shelf_photo_free);
  g_autoptr(GPtrArray) truths = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                g_ptr_array_unref);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(BiRecognitionScore) score = bi_recognition_score_new ();
  GeneratedSet set = { photos, truths, options->keep_dir };

  if (generator == NULL)
    return NULL;
  if (options->width > 0)
    bi_shelf_generator_set_photo_size (generator, options->width, options->height);
  /* Every plan first, in order: the books and looks of photo i never depend on which worker
   * draws what when. */
  for (guint i = 0; i < options->n_photos; i++)
    g_ptr_array_add (photos, bi_shelf_generator_next (generator));
  g_ptr_array_set_size (truths, (gint) options->n_photos);

  if (options->keep_dir != NULL && g_mkdir_with_parents (options->keep_dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not create %s: %s", options->keep_dir, g_strerror (saved_errno));
      return NULL;
    }

  results = bi_recognition_pipeline_run (pipeline, options->n_photos, options->n_jobs,
                                         generated_photo_cb, &set, error);
  if (results == NULL)
    return NULL;
  if (options->keep_dir != NULL && !write_truth (&set, error))
    return NULL;

  for (guint i = 0; i < results->len; i++)
    {
      g_autoptr(GPtrArray) titles = truth_titles (g_ptr_array_index (truths, i));

      bi_recognition_score_add (score, g_ptr_array_index (results, i), titles, NULL, NULL,
                                NULL);
    }
  if (outcomes != NULL)
    *outcomes = g_steal_pointer (&results);
  return g_steal_pointer (&score);
}

/* ---- real photos ------------------------------------------------------------------------ */

/* Photos whose ground truth lists the books of part of the photo only. The shared data's
 * README says of ground-truth.tsv: "the two_shelves photo: bottom shelf only". Its top shelf's
 * board runs across the photo at 0.49–0.52 of its height (looked at; the books below start at
 * 0.53, those above end at 0.48), so the annotated area is the lower half. Reports read above
 * it are books of the top shelf, which the ground truth does not list: not scored. */
static const struct
{
  const char        *file;
  BiRecognitionArea  area;
} annotated_areas[] = {
  { "llabres_two_shelves_example.jpg", { 0.0, 0.50, 1.0, 1.0 } },
};

static const BiRecognitionArea *
annotated_area (const char *file)
{
  for (guint i = 0; i < G_N_ELEMENTS (annotated_areas); i++)
    if (g_str_equal (annotated_areas[i].file, file))
      return &annotated_areas[i].area;
  return NULL;
}

typedef struct
{
  const char *dir;
  GPtrArray  *files; /* of char *: photo file names */
} RealSet;

/* The real photos' books were not drawn from the catalog: many are not in it. */
static gboolean
catalog_holds (const char *title,
               gpointer    user_data)
{
  return bi_recognition_pipeline_catalog_holds (user_data, title);
}

static GBytes *
real_photo_cb (guint        index,
               char       **name,
               gpointer     user_data,
               GError     **error)
{
  RealSet *set = user_data;
  const char *file = g_ptr_array_index (set->files, index);
  g_autofree char *path = g_build_filename (set->dir, file, NULL);
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  *name = g_strdup (file);
  return g_bytes_new_take (contents, length);
}

BiRecognitionScore *
bi_recognition_run_real (BiRecognitionPipeline  *pipeline,
                         const char             *photos_dir,
                         guint                   max_photos,
                         guint                   n_jobs,
                         GPtrArray             **outcomes,
                         GError                **error)
{
  g_autofree char *truth_path = g_build_filename (photos_dir, "ground-truth.tsv", NULL);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GHashTable) titles = bi_recognition_truth_read (truth_path, &files, error);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(BiRecognitionScore) score = bi_recognition_score_new ();
  RealSet set = { photos_dir, NULL };

  if (titles == NULL)
    return NULL;
  if (max_photos > 0 && files->len > max_photos)
    g_ptr_array_set_size (files, (gint) max_photos);
  set.files = files;

  results = bi_recognition_pipeline_run (pipeline, files->len, n_jobs, real_photo_cb, &set,
                                         error);
  if (results == NULL)
    return NULL;
  for (guint i = 0; i < results->len; i++)
    bi_recognition_score_add (score, g_ptr_array_index (results, i),
                              g_hash_table_lookup (titles, g_ptr_array_index (files, i)),
                              annotated_area (g_ptr_array_index (files, i)),
                              catalog_holds, pipeline);
  if (outcomes != NULL)
    *outcomes = g_steal_pointer (&results);
  return g_steal_pointer (&score);
}
