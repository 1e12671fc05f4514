/* bi-stage-common.h — what every stage does with messages: parse and validate them, reuse
 * or keep its output in the results bucket, and time its work
 *
 * Validation errors are BI_STAGE_ERROR_PERMANENT (a malformed message never gets better);
 * their messages name the member that is wrong. Errors of the ports pass through unchanged
 * unless they are known to be permanent, and the host retries them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-stages.h"

G_BEGIN_DECLS

/* Bounds of what a message of our pipeline can hold; beyond them it is not ours. */
#define BI_STAGE_MAX_MESSAGE_LENGTH (16 * 1024 * 1024)
#define BI_STAGE_MAX_ITEMS          10000   /* OCR lines, candidates, event records */
#define BI_STAGE_MAX_TEXT_LENGTH    4096    /* bytes of one OCR line or candidate text */
#define BI_STAGE_MAX_IMAGE_SIDE     100000  /* pixels */

/* Output objects of the stages in the results bucket, under `<jobId>/`. */
#define BI_STAGE_OUTPUT_OCR           "ocr.json"
#define BI_STAGE_OUTPUT_CANDIDATES    "candidates.json"
#define BI_STAGE_OUTPUT_FINAL_RESULTS "final-results.json"

/* ---- parsing and validation -------------------------------------------------------------- */

/* The message as a JSON object node. */
JsonNode   *bi_stage_message_parse   (const char   *message,
                                      GError      **error);

/* A member that must be a string (non-empty unless @allow_empty). */
const char *bi_stage_member_string   (JsonObject   *object,
                                      const char   *name,
                                      gboolean      allow_empty,
                                      GError      **error);
/* A member that must be a whole number in [@min, @max]. */
gboolean    bi_stage_member_int      (JsonObject   *object,
                                      const char   *name,
                                      gint64        min,
                                      gint64        max,
                                      gint64       *value,
                                      GError      **error);
/* A member that must be a number in [@min, @max]. */
gboolean    bi_stage_member_double   (JsonObject   *object,
                                      const char   *name,
                                      double        min,
                                      double        max,
                                      double       *value,
                                      GError      **error);
/* Optional members: a missing or null member leaves *value as it is (the default); a
 * present one must be valid as above. */
gboolean    bi_stage_member_int_or_default    (JsonObject   *object,
                                               const char   *name,
                                               gint64        min,
                                               gint64        max,
                                               gint64       *value,
                                               GError      **error);
/* NULL (no error) when missing or null; else as bi_stage_member_string (non-empty). */
gboolean    bi_stage_member_optional_string   (JsonObject   *object,
                                               const char   *name,
                                               const char  **value,
                                               GError      **error);
JsonObject *bi_stage_member_object   (JsonObject   *object,
                                      const char   *name,
                                      GError      **error);
/* An array of at most BI_STAGE_MAX_ITEMS elements. */
JsonArray  *bi_stage_member_array    (JsonObject   *object,
                                      const char   *name,
                                      GError      **error);
/* An element of an array that must be an object. */
JsonObject *bi_stage_element_object  (JsonArray    *array,
                                      guint         index,
                                      const char   *array_name,
                                      GError      **error);
/* [x, y, width, height]: whole numbers in 0..BI_STAGE_MAX_IMAGE_SIDE. */
gboolean    bi_stage_member_bbox     (JsonObject   *object,
                                      const char   *name,
                                      int           bbox[4],
                                      GError      **error);
/* "image": {"width", "height"}, each 1..BI_STAGE_MAX_IMAGE_SIDE. */
gboolean    bi_stage_member_image    (JsonObject   *object,
                                      int          *width,
                                      int          *height,
                                      GError      **error);

/* "jobId", validated; and "key", a valid `<jobId>/<file name>` of that same job. */
char       *bi_stage_member_job_id   (JsonObject   *message,
                                      GError      **error);
char       *bi_stage_member_key      (JsonObject   *message,
                                      const char   *job_id,
                                      GError      **error);

/* What every message between the OCR, candidates and validation stages carries. */
typedef struct
{
  JsonNode   *root;        /* the parsed message */
  JsonObject *object;      /* its members */
  char       *job_id;      /* validated */
  char       *key;         /* the photo's `<jobId>/<file name>`, of that job */
  const char *timing_name; /* this stage's entry in timings, e.g. "ocr_ms" */
  JsonNode   *timings;     /* the message's timings (each a whole number of ms), copied */
} BiStageMessage;

/* Parses @text and validates "jobId", "key" and "timings" (optional: missing means {}). */
gboolean     bi_stage_message_init        (BiStageMessage       *message,
                                           const char           *text,
                                           const char           *timing_name,
                                           GError              **error);
void         bi_stage_message_clear       (BiStageMessage       *message);

/* Sets this stage's time: milliseconds since @start_us (from g_get_monotonic_time()). */
void         bi_stage_message_set_elapsed (BiStageMessage       *message,
                                           gint64                start_us);

/* A stage's output object starts with the message's "jobId" and "key"… */
JsonBuilder *bi_stage_output_begin        (const BiStageMessage *message);
/* …and ends with its "timings"; returns the object. */
JsonNode    *bi_stage_output_end          (JsonBuilder          *builder,
                                           const BiStageMessage *message);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BiStageMessage, bi_stage_message_clear)

/* ---- output and idempotency ------------------------------------------------------------- */

/* Computes a stage's output (a JSON object about its job) from its parsed @input. */
typedef JsonNode *(*BiStageWorkFunc) (gpointer       input,
                                      BiStagePorts  *ports,
                                      GError       **error);

/* The JSON text of the stage's output `<jobId>/<output_name>`: the stored one when an
 * earlier delivery of the message already made it (so a redelivery sends the very same
 * output and repeats no work), else made by @work and stored before it is returned.
 * A stored output counts only if its "jobId" (and "key", when it has one) match. */
char       *bi_stage_output_get_or_make (BiStagePorts     *ports,
                                         const char       *job_id,
                                         const char       *key,
                                         const char       *output_name,
                                         BiStageWorkFunc   work,
                                         gpointer          input,
                                         GError          **error);

/* ---- small things ---------------------------------------------------------------------- */

/* The photo @key from the uploads bucket; a missing photo is a permanent error. */
GBytes     *bi_stage_get_photo       (BiStagePorts *ports,
                                      const char   *key,
                                      GError      **error);

/* Now as ISO 8601 UTC: "2024-05-01T12:00:00.123Z". */
char       *bi_stage_timestamp_new   (void);

/* A text from outside (OCR engine, generator) made safe to pass on: valid UTF-8, at most
 * BI_STAGE_MAX_TEXT_LENGTH bytes (cut at a character boundary). */
char       *bi_stage_text_sanitize   (const char   *text);

/* Appends [x, y, width, height], each clamped to 0..BI_STAGE_MAX_IMAGE_SIDE. */
void        bi_stage_add_bbox        (JsonBuilder  *builder,
                                      int           x,
                                      int           y,
                                      int           width,
                                      int           height);

/* An engine's or generator's numbers made what the contract allows (NaN becomes 0), so the
 * next stage's validation rejects only messages that did not come from a stage. */
double      bi_stage_clamp_confidence (double       confidence);
double      bi_stage_clamp_angle      (double       angle);

G_END_DECLS
