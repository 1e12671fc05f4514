/* bi-memory-ports.h — in-memory adapters of the stage ports, for tests
 *
 * What a Lambda handler's test would use: a blob store, queues and a topic that only keep
 * what they are given, and an OCR engine that returns scripted lines. They can be told to
 * fail, so tests can check what a stage does when a port does. All are thread-safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"

G_BEGIN_DECLS

/* ---- blob store ----------------------------------------------------------------------- */

typedef struct _BiMemoryBlobStore BiMemoryBlobStore;

BiMemoryBlobStore *bi_memory_blob_store_new        (void);
void               bi_memory_blob_store_free       (BiMemoryBlobStore *self);
BiBlobStore       *bi_memory_blob_store_as_port    (BiMemoryBlobStore *self);

/* The object as text, or NULL when there is none. */
char              *bi_memory_blob_store_get_text   (BiMemoryBlobStore *self,
                                                    BiBucket           bucket,
                                                    const char        *key);
void               bi_memory_blob_store_put_data   (BiMemoryBlobStore *self,
                                                    BiBucket           bucket,
                                                    const char        *key,
                                                    const void        *data,
                                                    gsize              length);
guint              bi_memory_blob_store_count      (BiMemoryBlobStore *self,
                                                    BiBucket           bucket);
/* While set, put() fails with G_IO_ERROR_FAILED (a transient error). */
void               bi_memory_blob_store_fail_puts  (BiMemoryBlobStore *self,
                                                    gboolean           fail);

/* ---- queues --------------------------------------------------------------------------- */

typedef struct _BiMemoryQueue BiMemoryQueue;

BiMemoryQueue     *bi_memory_queue_new             (void);
void               bi_memory_queue_free            (BiMemoryQueue     *self);
BiQueue           *bi_memory_queue_as_port         (BiMemoryQueue     *self);

/* The oldest message sent to @queue_name, removed; NULL when there is none. */
char              *bi_memory_queue_pop             (BiMemoryQueue     *self,
                                                    const char        *queue_name);
guint              bi_memory_queue_length          (BiMemoryQueue     *self,
                                                    const char        *queue_name);

/* ---- topic ---------------------------------------------------------------------------- */

typedef struct _BiMemoryTopic BiMemoryTopic;

/* Called inside publish(), before the message is kept: what a subscriber would see then. */
typedef void (*BiMemoryTopicHook) (const char *message,
                                   gpointer    user_data);

BiMemoryTopic     *bi_memory_topic_new             (void);
void               bi_memory_topic_free            (BiMemoryTopic     *self);
BiTopic           *bi_memory_topic_as_port         (BiMemoryTopic     *self);

char              *bi_memory_topic_pop             (BiMemoryTopic     *self);
guint              bi_memory_topic_length          (BiMemoryTopic     *self);
void               bi_memory_topic_set_hook        (BiMemoryTopic     *self,
                                                    BiMemoryTopicHook  hook,
                                                    gpointer           user_data);
/* While set, publish() fails with G_IO_ERROR_FAILED. */
void               bi_memory_topic_fail_publish    (BiMemoryTopic     *self,
                                                    gboolean           fail);

/* ---- scripted OCR engine -------------------------------------------------------------- */

typedef struct _BiScriptedOcr BiScriptedOcr;

/* recognize() returns a copy of the scripted lines for a photo of @width × @height. */
BiScriptedOcr     *bi_scripted_ocr_new             (int                width,
                                                    int                height);
void               bi_scripted_ocr_free            (BiScriptedOcr     *self);
BiOcrEngine       *bi_scripted_ocr_as_port         (BiScriptedOcr     *self);

void               bi_scripted_ocr_add_line        (BiScriptedOcr     *self,
                                                    const char        *text,
                                                    double             confidence,
                                                    int                x,
                                                    int                y,
                                                    int                width,
                                                    int                height,
                                                    double             angle);
/* Instead of lines, recognize() fails with a copy of @error (NULL: stop failing). */
void               bi_scripted_ocr_set_error       (BiScriptedOcr     *self,
                                                    const GError      *error);
/* How many times recognize() ran. */
guint              bi_scripted_ocr_get_calls       (BiScriptedOcr     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiMemoryBlobStore, bi_memory_blob_store_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiMemoryQueue, bi_memory_queue_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiMemoryTopic, bi_memory_topic_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiScriptedOcr, bi_scripted_ocr_free)

G_END_DECLS
