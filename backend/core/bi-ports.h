/* bi-ports.h — the small interfaces a pipeline stage is written against
 *
 * A stage never knows which mode it runs in: the embedded host hands it SQLite/file/Tesseract
 * adapters, the AWS host S3/SQS/SNS/Textract/Bedrock ones, and the unit tests in-memory ones.
 * Each port is a struct of function pointers that an adapter embeds as its *first member*, so
 * `(BiBlobStore *) adapter` works and the adapter casts back inside its functions.
 *
 * All port functions may be called from any worker thread; adapters must be thread-safe
 * (the OCR engine is the exception: the host gives each OCR worker its own engine).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- blob store: the uploads and results buckets ---------------------------------------- */

typedef enum
{
  BI_BUCKET_UPLOADS,
  BI_BUCKET_RESULTS,
} BiBucket;

typedef struct _BiBlobStore BiBlobStore;
struct _BiBlobStore
{
  /* Returns the object, or NULL with G_IO_ERROR_NOT_FOUND when there is none. */
  GBytes  *(*get) (BiBlobStore  *self,
                   BiBucket      bucket,
                   const char   *key,
                   GError      **error);
  /* Stores the object atomically (readers see the old or the new object, never a part). */
  gboolean (*put) (BiBlobStore  *self,
                   BiBucket      bucket,
                   const char   *key,
                   GBytes       *data,
                   const char   *content_type,
                   GError      **error);
};

/* ---- queue: between stages; the host delivers at least once ------------------------------ */

/* Queue names (SQS queue names in AWS mode get the deployment prefix). */
#define BI_QUEUE_UPLOAD_EVENTS "upload-events" /* S3 ObjectCreated events → upload-handler */
#define BI_QUEUE_OCR           "ocr"           /* upload-handler → OCR */
#define BI_QUEUE_CANDIDATES    "candidates"    /* OCR → candidates */
#define BI_QUEUE_VALIDATION    "validation"    /* candidates → validator */

typedef struct _BiQueue BiQueue;
struct _BiQueue
{
  gboolean (*send) (BiQueue     *self,
                    const char  *queue_name,
                    const char  *body,
                    GError     **error);
};

/* ---- topic: final results (complete or failed) → notifier -------------------------------- */

typedef struct _BiTopic BiTopic;
struct _BiTopic
{
  gboolean (*publish) (BiTopic     *self,
                       const char  *message,
                       GError     **error);
};

/* ---- OCR engine: image → lines ----------------------------------------------------------- */

typedef enum
{
  BI_OCR_LINE_TEXT,    /* printed text read by OCR */
  BI_OCR_LINE_BARCODE, /* an EAN-13 barcode: @text is its 13 digits, checksum verified */
} BiOcrLineKind;

typedef struct
{
  char          *text;
  double         confidence;  /* 0.0–1.0 */
  double         weakest_word; /* 0.0–1.0: of its least sure word of 4 letters or digits or
                                * more (a line's confidence is its words' mean); @confidence
                                * when the engine does not tell */
  int            x, y, width, height; /* pixels of the photo after its EXIF orientation */
  double         angle;       /* degrees the text was rotated by to be read (0, 90, 180, 270) */
  int            region;      /* index in BiOcrResult.regions, -1 when read outside any */
  BiOcrLineKind  kind;
} BiOcrLine;

typedef enum
{
  BI_OCR_REGION_SPINE, /* a book's spine: standing (tall strip) or stacked (wide strip) */
  BI_OCR_REGION_COVER, /* a book's front cover */
} BiOcrRegionKind;

/* One book's spine or cover found in the photo; its lines belong to one book. */
typedef struct
{
  int              x, y, width, height; /* bounding box, oriented photo's pixels */
  double           angle;  /* tilt of the strip's long axis from vertical, degrees */
  BiOcrRegionKind  kind;
} BiOcrRegion;

typedef struct
{
  int        width;   /* of the oriented photo */
  int        height;
  GPtrArray *lines;   /* of BiOcrLine, element free func set */
  GArray    *regions; /* of BiOcrRegion, in shelf order (left to right, top to bottom);
                       * empty when the engine does not find regions (lines then have -1) */
} BiOcrResult;

BiOcrLine   *bi_ocr_line_new     (const char *text,
                                  double      confidence,
                                  int         x,
                                  int         y,
                                  int         width,
                                  int         height,
                                  double      angle);
void         bi_ocr_line_free    (BiOcrLine  *line);
/* The letters and digits (any script) of a reading: how much of it OCR read, punctuation and
 * frame bars left out. */
guint        bi_ocr_count_characters (const char *text);
BiOcrResult *bi_ocr_result_new   (int         width,
                                  int         height);
void         bi_ocr_result_free  (BiOcrResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiOcrLine, bi_ocr_line_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiOcrResult, bi_ocr_result_free)

typedef struct _BiOcrEngine BiOcrEngine;
struct _BiOcrEngine
{
  /* @image is the photo as uploaded (JPEG/PNG/WebP/TIFF). A photo that cannot be decoded is a
   * permanent failure: BI_STAGE_ERROR_PERMANENT. */
  BiOcrResult *(*recognize) (BiOcrEngine  *self,
                             GBytes       *image,
                             GError      **error);
};

/* ---- candidate generator: OCR lines → title/author guesses ------------------------------- */

typedef struct
{
  char   *text;       /* the OCR text of the spine/block the guess was made from */
  char   *title;
  char   *author;     /* may be NULL */
  int     x, y, width, height; /* box of the spine/block */
  int     position;   /* 0-based order on the shelf, left to right (top to bottom when stacked) */
  double  angle;
  double  confidence; /* of the OCR text, 0.0–1.0 */
  char   *isbn13;     /* a checksum-valid ISBN-13 read from a barcode or the text, or NULL */
} BiCandidate;

BiCandidate *bi_candidate_new   (void);
void         bi_candidate_free  (BiCandidate *candidate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiCandidate, bi_candidate_free)

typedef struct _BiCandidateGenerator BiCandidateGenerator;
struct _BiCandidateGenerator
{
  /* Returns a GPtrArray of BiCandidate (free func set), possibly empty. */
  GPtrArray *(*generate) (BiCandidateGenerator  *self,
                          const BiOcrResult     *ocr,
                          GError               **error);
};

/* ---- catalog: search and ISBN lookup ------------------------------------------------------ */

typedef struct
{
  char   *title;
  char  **authors;   /* NULL-terminated, may be empty */
  int     year;      /* 0 when unknown */
  char   *isbn13;    /* may be NULL */
  char   *source;    /* "catalog", "openlibrary", … */
  char   *source_id; /* the catalog's own id of the book */
  double  score;     /* search relevance, higher is better; set by search() */
} BiBook;

BiBook  *bi_book_new   (void);
BiBook  *bi_book_copy  (const BiBook *book);
void     bi_book_free  (BiBook       *book);
/* {"title","authors","year","isbn13","source","sourceId"} as in the final results. */
JsonNode *bi_book_to_json (const BiBook *book);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiBook, bi_book_free)

/* How a book's shelf mark (a library's call number, "796.34 Cas") agrees with a label read
 * on a spine. */
typedef enum
{
  BI_SHELF_MARK_EXACT, /* class number and author code as catalogued (case, accents and
                        * blanks aside; a blank read for the class number's dot too) */
  BI_SHELF_MARK_SLIP,  /* one OCR slip away: one digit of the class number or one letter of
                        * the code read wrong ("196.4" for "796.4", "RpP" for "App"), the class
                        * number's leading digits lost ("325" for "796.325"), or the code's
                        * last letter lost ("Al" for "Ali") */
} BiShelfMarkMatch;

/* A book found by its shelf mark. */
typedef struct
{
  BiBook           *book;
  char             *shelf_mark; /* the book's, as catalogued */
  BiShelfMarkMatch  match;
} BiShelfMarkHit;

void     bi_shelf_mark_hit_free (BiShelfMarkHit *hit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiShelfMarkHit, bi_shelf_mark_hit_free)

typedef struct _BiCatalog BiCatalog;
struct _BiCatalog
{
  /* Returns a GPtrArray of BiBook (free func set), best first, at most @limit. */
  GPtrArray *(*search)      (BiCatalog   *self,
                             const char  *query,
                             guint        limit,
                             GError     **error);
  /* Returns the book or NULL (no error) when the catalog has no such ISBN. */
  BiBook    *(*lookup_isbn) (BiCatalog   *self,
                             const char  *isbn13,
                             GError     **error);
  /* Optional: NULL for a catalog without shelf marks (the online ones). The books whose
   * shelf mark is the label read on a spine: @class_number as read ("796.34", "N",
   * "N 833") and @author_code as read ("Cas", "Al"), both non-NULL, compared tolerantly
   * (BiShelfMarkMatch). Returns a GPtrArray of BiShelfMarkHit (free func set), exact ones
   * first, at most @limit; empty when no book has such a mark. A label shared by several
   * books ("N Pam") gives them all, so a caller tells a unique label by the count. */
  GPtrArray *(*lookup_shelf_mark) (BiCatalog   *self,
                                   const char  *class_number,
                                   const char  *author_code,
                                   guint        limit,
                                   GError     **error);
};

/* ---- everything a stage may use --------------------------------------------------------- */

typedef struct
{
  BiBlobStore          *blob_store;
  BiQueue              *queue;
  BiTopic              *topic;
  BiOcrEngine          *ocr_engine;          /* only the OCR stage needs it */
  BiCandidateGenerator *candidate_generator; /* only the candidates stage */
  BiCatalog            *catalog;             /* only the validator */
} BiStagePorts;

G_END_DECLS
