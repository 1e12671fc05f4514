/* bi-memory-ports.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-memory-ports"

#include "bi-memory-ports.h"

#include <gio/gio.h>
#include <string.h>

/* ---- blob store ----------------------------------------------------------------------- */

struct _BiMemoryBlobStore
{
  BiBlobStore  port;      /* first member: the port functions cast back */
  GMutex       lock;
  GHashTable  *objects;   /* "<bucket>:<key>" → GBytes */
  gboolean     fail_puts;
};

static char *
object_name (BiBucket    bucket,
             const char *key)
{
  return g_strdup_printf ("%d:%s", (int) bucket, key);
}

static GBytes *
blob_get (BiBlobStore  *port,
          BiBucket      bucket,
          const char   *key,
          GError      **error)
{
  BiMemoryBlobStore *self = (BiMemoryBlobStore *) port;
  g_autofree char *name = object_name (bucket, key);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GBytes *data = g_hash_table_lookup (self->objects, name);

  if (data == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No object %s", key);
      return NULL;
    }
  return g_bytes_ref (data);
}

static gboolean
blob_put (BiBlobStore  *port,
          BiBucket      bucket,
          const char   *key,
          GBytes       *data,
          const char   *content_type,
          GError      **error)
{
  BiMemoryBlobStore *self = (BiMemoryBlobStore *) port;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (self->fail_puts)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Storing %s failed (scripted)", key);
      return FALSE;
    }
  g_hash_table_replace (self->objects, object_name (bucket, key), g_bytes_ref (data));
  return TRUE;
}

BiMemoryBlobStore *
bi_memory_blob_store_new (void)
{
  BiMemoryBlobStore *self = g_new0 (BiMemoryBlobStore, 1);

  self->port.get = blob_get;
  self->port.put = blob_put;
  g_mutex_init (&self->lock);
  self->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_bytes_unref);
  return self;
}

void
bi_memory_blob_store_free (BiMemoryBlobStore *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->objects);
  g_mutex_clear (&self->lock);
  g_free (self);
}

BiBlobStore *
bi_memory_blob_store_as_port (BiMemoryBlobStore *self)
{
  return &self->port;
}

char *
bi_memory_blob_store_get_text (BiMemoryBlobStore *self,
                               BiBucket           bucket,
                               const char        *key)
{
  g_autoptr(GBytes) data = blob_get (&self->port, bucket, key, NULL);
  gsize length;
  const char *bytes;

  if (data == NULL)
    return NULL;
  bytes = g_bytes_get_data (data, &length);
  return g_strndup (bytes, length);
}

void
bi_memory_blob_store_put_data (BiMemoryBlobStore *self,
                               BiBucket           bucket,
                               const char        *key,
                               const void        *data,
                               gsize              length)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_hash_table_replace (self->objects, object_name (bucket, key), g_steal_pointer (&bytes));
}

guint
bi_memory_blob_store_count (BiMemoryBlobStore *self,
                            BiBucket           bucket)
{
  g_autofree char *prefix = g_strdup_printf ("%d:", (int) bucket);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GHashTableIter iter;
  gpointer name;
  guint count = 0;

  g_hash_table_iter_init (&iter, self->objects);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    if (g_str_has_prefix (name, prefix))
      count++;
  return count;
}

void
bi_memory_blob_store_fail_puts (BiMemoryBlobStore *self,
                                gboolean           fail)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  self->fail_puts = fail;
}

/* ---- queues --------------------------------------------------------------------------- */

struct _BiMemoryQueue
{
  BiQueue     port;   /* first member */
  GMutex      lock;
  GHashTable *queues; /* name → GQueue of char * */
};

static void
string_queue_free (gpointer data)
{
  g_queue_free_full (data, g_free);
}

static gboolean
queue_send (BiQueue     *port,
            const char  *queue_name,
            const char  *body,
            GError     **error)
{
  BiMemoryQueue *self = (BiMemoryQueue *) port;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GQueue *queue = g_hash_table_lookup (self->queues, queue_name);

  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (self->queues, g_strdup (queue_name), queue);
    }
  g_queue_push_tail (queue, g_strdup (body));
  return TRUE;
}

BiMemoryQueue *
bi_memory_queue_new (void)
{
  BiMemoryQueue *self = g_new0 (BiMemoryQueue, 1);

  self->port.send = queue_send;
  g_mutex_init (&self->lock);
  self->queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, string_queue_free);
  return self;
}

void
bi_memory_queue_free (BiMemoryQueue *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->queues);
  g_mutex_clear (&self->lock);
  g_free (self);
}

BiQueue *
bi_memory_queue_as_port (BiMemoryQueue *self)
{
  return &self->port;
}

char *
bi_memory_queue_pop (BiMemoryQueue *self,
                     const char    *queue_name)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GQueue *queue = g_hash_table_lookup (self->queues, queue_name);

  return queue != NULL ? g_queue_pop_head (queue) : NULL;
}

guint
bi_memory_queue_length (BiMemoryQueue *self,
                        const char    *queue_name)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GQueue *queue = g_hash_table_lookup (self->queues, queue_name);

  return queue != NULL ? queue->length : 0;
}

/* ---- topic ---------------------------------------------------------------------------- */

struct _BiMemoryTopic
{
  BiTopic            port;     /* first member */
  GMutex             lock;
  GQueue             messages; /* of char * */
  BiMemoryTopicHook  hook;
  gpointer           hook_data;
  gboolean           fail;
};

static gboolean
topic_publish (BiTopic     *port,
               const char  *message,
               GError     **error)
{
  BiMemoryTopic *self = (BiMemoryTopic *) port;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (self->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Publishing failed (scripted)");
      return FALSE;
    }
  if (self->hook != NULL)
    self->hook (message, self->hook_data);
  g_queue_push_tail (&self->messages, g_strdup (message));
  return TRUE;
}

BiMemoryTopic *
bi_memory_topic_new (void)
{
  BiMemoryTopic *self = g_new0 (BiMemoryTopic, 1);

  self->port.publish = topic_publish;
  g_mutex_init (&self->lock);
  g_queue_init (&self->messages);
  return self;
}

void
bi_memory_topic_free (BiMemoryTopic *self)
{
  if (self == NULL)
    return;

  g_queue_clear_full (&self->messages, g_free);
  g_mutex_clear (&self->lock);
  g_free (self);
}

BiTopic *
bi_memory_topic_as_port (BiMemoryTopic *self)
{
  return &self->port;
}

char *
bi_memory_topic_pop (BiMemoryTopic *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return g_queue_pop_head (&self->messages);
}

guint
bi_memory_topic_length (BiMemoryTopic *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->messages.length;
}

void
bi_memory_topic_set_hook (BiMemoryTopic     *self,
                          BiMemoryTopicHook  hook,
                          gpointer           user_data)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  self->hook = hook;
  self->hook_data = user_data;
}

void
bi_memory_topic_fail_publish (BiMemoryTopic *self,
                              gboolean       fail)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  self->fail = fail;
}

/* ---- scripted OCR engine -------------------------------------------------------------- */

struct _BiScriptedOcr
{
  BiOcrEngine  port;   /* first member */
  GMutex       lock;
  BiOcrResult *script; /* what every photo reads as */
  GError      *error;  /* returned instead of lines when set */
  guint        calls;
};

static BiOcrResult *
scripted_recognize (BiOcrEngine  *port,
                    GBytes       *image,
                    GError      **error)
{
  BiScriptedOcr *self = (BiScriptedOcr *) port;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  BiOcrResult *result;

  self->calls++;
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return NULL;
    }

  result = bi_ocr_result_new (self->script->width, self->script->height);
  for (guint i = 0; i < self->script->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (self->script->lines, i);

      g_ptr_array_add (result->lines,
                       bi_ocr_line_new (line->text, line->confidence, line->x, line->y,
                                        line->width, line->height, line->angle));
    }
  return result;
}

BiScriptedOcr *
bi_scripted_ocr_new (int width,
                     int height)
{
  BiScriptedOcr *self = g_new0 (BiScriptedOcr, 1);

  self->port.recognize = scripted_recognize;
  g_mutex_init (&self->lock);
  self->script = bi_ocr_result_new (width, height);
  return self;
}

void
bi_scripted_ocr_free (BiScriptedOcr *self)
{
  if (self == NULL)
    return;

  bi_ocr_result_free (self->script);
  g_clear_error (&self->error);
  g_mutex_clear (&self->lock);
  g_free (self);
}

BiOcrEngine *
bi_scripted_ocr_as_port (BiScriptedOcr *self)
{
  return &self->port;
}

void
bi_scripted_ocr_add_line (BiScriptedOcr *self,
                          const char    *text,
                          double         confidence,
                          int            x,
                          int            y,
                          int            width,
                          int            height,
                          double         angle)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_ptr_array_add (self->script->lines,
                   bi_ocr_line_new (text, confidence, x, y, width, height, angle));
}

void
bi_scripted_ocr_set_error (BiScriptedOcr *self,
                           const GError  *error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
}

guint
bi_scripted_ocr_get_calls (BiScriptedOcr *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->calls;
}
