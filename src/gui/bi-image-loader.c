/* bi-image-loader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-image-loader"

#include "config.h"

#include "bi-image-loader.h"
#include "bi-photo-decode.h"
#include "bi-thumbnail-cache.h"

#include <glib/gi18n.h>

#ifdef __linux__
#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

/* How much nicer than the app the background thread runs: a 12-megapixel JPEG keeps a core
 * busy for tens of milliseconds, and on two cores it took them from the main thread and the
 * X server (the window stalled while a thousand thumbnails loaded). */
#define BACKGROUND_NICENESS 10

typedef struct
{
  char *path;
  int   box[4];    /* crop: x, y, width, height; thumbnail: unused */
  int   max_size;  /* longer side of the result */
  gboolean crop;
} LoadRequest;

static void
load_request_free (LoadRequest *request)
{
  g_free (request->path);
  g_free (request);
}

static GdkPixbuf *
scale_down (GdkPixbuf *pixbuf,
            int        max_size)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  double scale;

  if (width <= max_size && height <= max_size)
    return g_object_ref (pixbuf);
  scale = (double) max_size / MAX (width, height);
  return gdk_pixbuf_scale_simple (pixbuf, MAX (1, (int) (width * scale)),
                                  MAX (1, (int) (height * scale)), GDK_INTERP_BILINEAR);
}

/* The largest of libjpeg's reductions (½, ¼, ⅛) that still leaves the box at least max_size
 * across: a spine's crop then decodes a quarter or a sixteenth of the photo's pixels. */
static int
reduction_for_box (const LoadRequest *request)
{
  int longest = MAX (request->box[2], request->box[3]);
  int reduction = 1;

  while (reduction < 8 && longest / (reduction * 2) >= request->max_size)
    reduction *= 2;
  return reduction;
}

/* The photo the background thread decoded last: the unresolved spines of one photo come one
 * after another, and each would decode the same 12 megapixels again. Only that thread uses it. */
typedef struct
{
  char      *path;
  gint64     modified;   /* the file's modification time when decoded, s; -1: unknown */
  int        reduction;
  GdkPixbuf *upright;
} DecodedPhoto;

/* The photo at @reduction or finer, from @last when it holds this file as it is now; the
 * reduction decoded in *@applied. */
static GdkPixbuf *
decode_reusing (DecodedPhoto  *last,
                const char    *path,
                int            reduction,
                int           *applied,
                GError       **error)
{
  gint64 modified = bi_photo_get_modified (path, NULL);
  GdkPixbuf *upright;

  if (last->upright != NULL && modified >= 0 && g_strcmp0 (last->path, path) == 0 &&
      last->modified == modified && last->reduction <= reduction)
    {
      *applied = last->reduction;
      return g_object_ref (last->upright);
    }

  upright = bi_photo_decode_reduced (path, reduction, applied, error);
  if (upright == NULL)
    return NULL;
  g_free (last->path);
  g_clear_object (&last->upright);
  last->path = g_strdup (path);
  last->modified = modified;
  last->reduction = *applied;
  last->upright = g_object_ref (upright);
  return upright;
}

static GdkPixbuf *
load_crop (const LoadRequest  *request,
           DecodedPhoto       *last,
           GError            **error)
{
  int reduction = 1;
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(GdkPixbuf) sub = NULL;
  int photo_width;
  int photo_height;
  int x;
  int y;

  upright = last != NULL
              ? decode_reusing (last, request->path, reduction_for_box (request), &reduction,
                                error)
              : bi_photo_decode_reduced (request->path, reduction_for_box (request), &reduction,
                                         error);
  if (upright == NULL)
    return NULL;

  photo_width = gdk_pixbuf_get_width (upright);
  photo_height = gdk_pixbuf_get_height (upright);
  x = CLAMP (request->box[0] / reduction, 0, photo_width - 1);
  y = CLAMP (request->box[1] / reduction, 0, photo_height - 1);
  sub = gdk_pixbuf_new_subpixbuf (upright, x, y,
                                  CLAMP (request->box[2] / reduction, 1, photo_width - x),
                                  CLAMP (request->box[3] / reduction, 1, photo_height - y));
  return scale_down (sub, request->max_size);
}

static GdkPixbuf *
load_thumbnail (const LoadRequest  *request,
                GError            **error)
{
  g_autoptr(GdkPixbuf) thumbnail = bi_thumbnail_cache_load (request->path, request->max_size,
                                                            error);

  return thumbnail != NULL ? scale_down (thumbnail, request->max_size) : NULL;
}

/* Runs in a worker thread: only gdk-pixbuf, which is thread-safe per object. @last is the
 * background thread's last decoded photo, NULL on other threads. */
static void
load (GTask        *task,
      DecodedPhoto *last)
{
  LoadRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) result = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  result = request->crop ? load_crop (request, last, &error) : load_thumbnail (request, &error);
  if (result == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("Could not read the photo %s: %s"), request->path,
                               error->message);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  /* A texture made from a pixbuf copies its pixels; no GTK state is touched here. */
  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (result), g_object_unref);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  load (task, NULL);
}

/* Runs on the background thread: lowers its own CPU priority once (on Linux a thread's nice
 * value is its own, and this thread only ever decodes thumbnails and spine crops), then
 * decodes. */
static void
background_thread (gpointer data,
                   gpointer user_data)
{
  g_autoptr(GTask) task = data;
  static DecodedPhoto last; /* only this thread reads or writes it */
#ifdef __linux__
  static gboolean lowered; /* likewise */

  if (!lowered)
    {
      lowered = TRUE;
      if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), BACKGROUND_NICENESS) != 0)
        g_debug ("Could not lower the background thread's priority: %s", g_strerror (errno));
    }
#endif
  load (task, &last);
}

/* The one thread that decodes what nobody waits for (exclusive: no other work runs at its
 * priority), in the order asked. */
static GThreadPool *
get_background_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (background_thread, NULL, 1, TRUE, NULL));
  return pool;
}

static void
start_load (LoadRequest         *request,
            BiImageLoadPriority  priority,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, (GDestroyNotify) load_request_free);
  if (priority == BI_IMAGE_LOAD_BACKGROUND)
    g_thread_pool_push (get_background_pool (), g_steal_pointer (&task), NULL);
  else
    g_task_run_in_thread (task, load_thread);
}

void
bi_image_load_thumbnail_async (const char          *path,
                               int                  size,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  LoadRequest *request;

  g_return_if_fail (path != NULL);
  g_return_if_fail (size > 0);

  request = g_new0 (LoadRequest, 1);
  request->path = g_strdup (path);
  request->max_size = size;
  start_load (request, BI_IMAGE_LOAD_BACKGROUND, cancellable, callback, user_data,
              bi_image_load_thumbnail_async);
}

GdkTexture *
bi_image_load_thumbnail_finish (GAsyncResult *result,
                                GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
bi_image_load_crop_async (const char          *path,
                          int                  x,
                          int                  y,
                          int                  width,
                          int                  height,
                          int                  max_size,
                          BiImageLoadPriority  priority,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  LoadRequest *request;

  g_return_if_fail (path != NULL);
  g_return_if_fail (max_size > 0);

  request = g_new0 (LoadRequest, 1);
  request->path = g_strdup (path);
  request->crop = TRUE;
  request->box[0] = x;
  request->box[1] = y;
  request->box[2] = width;
  request->box[3] = height;
  request->max_size = max_size;
  start_load (request, priority, cancellable, callback, user_data, bi_image_load_crop_async);
}

GdkTexture *
bi_image_load_crop_finish (GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
