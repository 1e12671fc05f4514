/* bi-book.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-book"

#include "bi-book.h"
#include "bi-protocol-messages.h"

struct _BiBook
{
  GObject  parent_instance;

  char    *title;
  char    *authors;       /* joined with ", " */
  GStrv    author_list;   /* the authors one by one (never NULL) */
  int      year;          /* 0: unknown */
  char    *isbn13;        /* "" when unknown */
  double   confidence;    /* 0.0–1.0 */
  char    *source;
  char    *source_id;     /* the source's id of the book; "" when unknown */
  char    *job_id;
  char    *photo_path;
  char    *photo_name;    /* basename of photo_path */
  int      position;      /* place on the shelf, left to right */
  char    *evidence_text; /* the OCR text the book was read from */
  gboolean has_bbox;
  int      bbox[4];       /* x, y, width, height in the upright photo */
  char    *search_text;   /* made on first use */
  char    *title_key;     /* collation keys, made once with the field: a sort only compares */
  char    *authors_key;
  char    *photo_name_key;
  gboolean accepted;      /* the user confirmed a low-confidence book */
  BiBook  *primary;       /* weak: the book this reading was merged into, or NULL */
  GPtrArray *copies;      /* of BiBook: readings on other photos merged into this one */
};

G_DEFINE_FINAL_TYPE (BiBook, bi_book, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TITLE,
  PROP_AUTHORS,
  PROP_YEAR,
  PROP_ISBN13,
  PROP_CONFIDENCE,
  PROP_SOURCE,
  PROP_JOB_ID,
  PROP_PHOTO_PATH,
  PROP_PHOTO_NAME,
  PROP_POSITION,
  PROP_EVIDENCE_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- helpers ---- */

static gint64
member_int (JsonObject *object,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (gint64) json_node_get_double (node);
    case G_TYPE_STRING:
      return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
    default:
      return fallback;
    }
}

static double
member_double (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0.0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  return 0.0;
}

/* The order a list sorted by @text shows: case-insensitive, by the user's locale. */
static char *
make_sort_key (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text != NULL ? text : "", -1);

  return g_utf8_collate_key (folded, -1);
}

static void
update_sort_keys (BiBook *self)
{
  g_free (self->title_key);
  self->title_key = make_sort_key (self->title);
  g_free (self->authors_key);
  self->authors_key = make_sort_key (self->authors);
  if (self->photo_name_key == NULL)
    self->photo_name_key = make_sort_key (self->photo_name);
}

static GStrv
read_authors (JsonObject *book)
{
  JsonNode *node = json_object_get_member (book, "authors");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL)
    return g_strv_builder_end (builder);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      if (*json_node_get_string (node) != '\0')
        g_strv_builder_add (builder, json_node_get_string (node));
      return g_strv_builder_end (builder);
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return g_strv_builder_end (builder);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING
          || *json_node_get_string (element) == '\0')
        continue;
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

static gboolean
read_bbox (JsonObject *evidence,
           int         bbox[4])
{
  JsonNode *node = json_object_get_member (evidence, "bbox");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  if (json_array_get_length (array) != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element))
        return FALSE;
      if (json_node_get_value_type (element) == G_TYPE_INT64)
        bbox[i] = (int) CLAMP (json_node_get_int (element), 0, G_MAXINT);
      else if (json_node_get_value_type (element) == G_TYPE_DOUBLE)
        bbox[i] = (int) CLAMP (json_node_get_double (element), 0, G_MAXINT);
      else
        return FALSE;
    }
  return bbox[2] > 0 && bbox[3] > 0;
}

/* ---- GObject ---- */

static void
bi_book_finalize (GObject *object)
{
  BiBook *self = BI_BOOK (object);

  g_free (self->title);
  g_free (self->authors);
  g_strfreev (self->author_list);
  g_free (self->isbn13);
  g_free (self->source);
  g_free (self->source_id);
  g_free (self->job_id);
  g_free (self->photo_path);
  g_free (self->photo_name);
  g_free (self->evidence_text);
  g_free (self->search_text);
  g_free (self->title_key);
  g_free (self->authors_key);
  g_free (self->photo_name_key);
  g_clear_weak_pointer (&self->primary);
  g_ptr_array_unref (self->copies);

  G_OBJECT_CLASS (bi_book_parent_class)->finalize (object);
}

static void
bi_book_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  BiBook *self = BI_BOOK (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_AUTHORS:
      g_value_set_string (value, self->authors);
      break;
    case PROP_YEAR:
      g_value_set_int (value, self->year);
      break;
    case PROP_ISBN13:
      g_value_set_string (value, self->isbn13);
      break;
    case PROP_CONFIDENCE:
      g_value_set_double (value, self->confidence);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_JOB_ID:
      g_value_set_string (value, self->job_id);
      break;
    case PROP_PHOTO_PATH:
      g_value_set_string (value, self->photo_path);
      break;
    case PROP_PHOTO_NAME:
      g_value_set_string (value, self->photo_name);
      break;
    case PROP_POSITION:
      g_value_set_int (value, self->position);
      break;
    case PROP_EVIDENCE_TEXT:
      g_value_set_string (value, self->evidence_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_book_class_init (BiBookClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = bi_book_finalize;
  object_class->get_property = bi_book_get_property;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, "", flags);
  properties[PROP_AUTHORS] = g_param_spec_string ("authors", NULL, NULL, "", flags);
  properties[PROP_YEAR] = g_param_spec_int ("year", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_ISBN13] = g_param_spec_string ("isbn13", NULL, NULL, "", flags);
  properties[PROP_CONFIDENCE] = g_param_spec_double ("confidence", NULL, NULL,
                                                     0.0, 1.0, 0.0, flags);
  properties[PROP_SOURCE] = g_param_spec_string ("source", NULL, NULL, "", flags);
  properties[PROP_JOB_ID] = g_param_spec_string ("job-id", NULL, NULL, "", flags);
  properties[PROP_PHOTO_PATH] = g_param_spec_string ("photo-path", NULL, NULL, "", flags);
  properties[PROP_PHOTO_NAME] = g_param_spec_string ("photo-name", NULL, NULL, "", flags);
  properties[PROP_POSITION] = g_param_spec_int ("position", NULL, NULL,
                                                0, G_MAXINT, 0, flags);
  properties[PROP_EVIDENCE_TEXT] = g_param_spec_string ("evidence-text", NULL, NULL, "", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* ::changed — the user's review changed the book's fields, or a copy was merged into it. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
bi_book_init (BiBook *self)
{
  self->copies = g_ptr_array_new_with_free_func (g_object_unref);
}

/* ---- public API ---- */

BiBook *
bi_book_new_from_json (JsonObject *book,
                       const char *job_id,
                       const char *photo_path)
{
  BiBook *self;
  JsonNode *evidence_node;
  const char *title;

  g_return_val_if_fail (book != NULL, NULL);

  title = bi_json_object_get_string (book, "title");
  if (title == NULL || *title == '\0')
    return NULL;

  self = g_object_new (BI_TYPE_BOOK, NULL);
  self->title = g_strdup (title);
  self->author_list = read_authors (book);
  self->authors = g_strjoinv (", ", self->author_list);
  self->year = (int) CLAMP (member_int (book, "year", 0), 0, G_MAXINT);
  self->isbn13 = g_strdup (bi_json_object_get_string (book, "isbn13") ? bi_json_object_get_string (book, "isbn13") : "");
  self->confidence = CLAMP (member_double (book, "confidence"), 0.0, 1.0);
  self->source = g_strdup (bi_json_object_get_string (book, "source") ? bi_json_object_get_string (book, "source") : "");
  self->source_id = g_strdup (bi_json_object_get_string (book, "sourceId") ? bi_json_object_get_string (book, "sourceId")
                                                               : "");
  self->job_id = g_strdup (job_id != NULL ? job_id : "");
  self->photo_path = g_strdup (photo_path != NULL ? photo_path : "");
  self->photo_name = g_path_get_basename (self->photo_path);
  self->evidence_text = g_strdup ("");

  evidence_node = json_object_get_member (book, "evidence");
  if (evidence_node != NULL && JSON_NODE_HOLDS_OBJECT (evidence_node))
    {
      JsonObject *evidence = json_node_get_object (evidence_node);
      const char *text = bi_json_object_get_string (evidence, "text");

      if (text != NULL)
        {
          g_free (self->evidence_text);
          self->evidence_text = g_strdup (text);
        }
      self->position = (int) CLAMP (member_int (evidence, "position", 0), 0, G_MAXINT);
      self->has_bbox = read_bbox (evidence, self->bbox);
    }
  update_sort_keys (self);

  return self;
}

GPtrArray *
bi_book_list_from_results (JsonNode   *results,
                           const char *job_id,
                           const char *photo_path)
{
  g_autoptr(GPtrArray) books = g_ptr_array_new_with_free_func (g_object_unref);
  JsonNode *books_node;
  JsonArray *array;

  if (results == NULL || !JSON_NODE_HOLDS_OBJECT (results))
    return g_steal_pointer (&books);

  books_node = json_object_get_member (json_node_get_object (results), "books");
  if (books_node == NULL || !JSON_NODE_HOLDS_ARRAY (books_node))
    return g_steal_pointer (&books);

  array = json_node_get_array (books_node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      BiBook *book;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      book = bi_book_new_from_json (json_node_get_object (element), job_id, photo_path);
      if (book != NULL)
        g_ptr_array_add (books, book);
    }
  return g_steal_pointer (&books);
}

const char *
bi_book_get_title (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), NULL);
  return self->title;
}

const char *
bi_book_get_authors (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), NULL);
  return self->authors;
}

int
bi_book_get_year (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), 0);
  return self->year;
}

const char *
bi_book_get_isbn13 (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), NULL);
  return self->isbn13;
}

double
bi_book_get_confidence (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), 0.0);
  return self->confidence;
}

const char *
bi_book_get_source (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), NULL);
  return self->source;
}

const char *const *
bi_book_get_author_list (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), NULL);
  return (const char *const *) self->author_list;
}

const char *
bi_book_get_source_id (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), NULL);
  return self->source_id;
}

const char *
bi_book_get_job_id (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), NULL);
  return self->job_id;
}

const char *
bi_book_get_photo_path (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), NULL);
  return self->photo_path;
}

const char *
bi_book_get_photo_name (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), NULL);
  return self->photo_name;
}

int
bi_book_get_position (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), 0);
  return self->position;
}

const char *
bi_book_get_evidence_text (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), NULL);
  return self->evidence_text;
}

gboolean
bi_book_get_bbox (BiBook *self,
                  int    *x,
                  int    *y,
                  int    *width,
                  int    *height)
{
  g_return_val_if_fail (BI_IS_BOOK (self), FALSE);

  if (!self->has_bbox)
    return FALSE;
  if (x != NULL)
    *x = self->bbox[0];
  if (y != NULL)
    *y = self->bbox[1];
  if (width != NULL)
    *width = self->bbox[2];
  if (height != NULL)
    *height = self->bbox[3];
  return TRUE;
}

const char *
bi_book_get_search_text (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), NULL);

  if (self->search_text == NULL)
    {
      g_autofree char *joined = g_strjoin (" ", self->title, self->authors, self->isbn13,
                                           self->photo_name, NULL);

      self->search_text = g_utf8_casefold (joined, -1);
    }
  return self->search_text;
}

/**
 * bi_book_get_sort_key:
 * @field: BI_BOOK_SORT_TITLE, _AUTHORS or _PHOTO_NAME
 *
 * The field's collation key (casefolded, by the locale), made when the field is set:
 * comparing two with strcmp() gives the order a case-insensitive string sort gives.
 */
const char *
bi_book_get_sort_key (BiBook          *self,
                      BiBookSortField  field)
{
  g_return_val_if_fail (BI_IS_BOOK (self), NULL);

  switch (field)
    {
    case BI_BOOK_SORT_TITLE:
      return self->title_key;
    case BI_BOOK_SORT_AUTHORS:
      return self->authors_key;
    case BI_BOOK_SORT_PHOTO_NAME:
      return self->photo_name_key;
    default:
      g_return_val_if_reached (NULL);
    }
}

BiBook *
bi_book_new_spine (JsonObject *unresolved,
                   const char *job_id,
                   const char *photo_path)
{
  BiBook *self;
  const char *text;

  g_return_val_if_fail (unresolved != NULL, NULL);

  text = bi_json_object_get_string (unresolved, "text");
  self = g_object_new (BI_TYPE_BOOK, NULL);
  self->title = g_strdup ("");
  self->author_list = g_new0 (char *, 1);
  self->authors = g_strdup ("");
  self->isbn13 = g_strdup ("");
  self->source = g_strdup ("");
  self->source_id = g_strdup ("");
  self->job_id = g_strdup (job_id != NULL ? job_id : "");
  self->photo_path = g_strdup (photo_path != NULL ? photo_path : "");
  self->photo_name = g_path_get_basename (self->photo_path);
  self->evidence_text = g_strdup (text != NULL ? text : "");
  self->position = (int) CLAMP (member_int (unresolved, "position", 0), 0, G_MAXINT);
  self->has_bbox = read_bbox (unresolved, self->bbox);
  update_sort_keys (self);
  return self;
}

gboolean
bi_book_get_accepted (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), FALSE);
  return self->accepted;
}

gboolean
bi_book_needs_review (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), FALSE);
  return self->confidence < BI_BOOK_CONFIDENCE_THRESHOLD && !self->accepted;
}

void
bi_book_apply_review (BiBook                *self,
                      const BiLibraryReview *review)
{
  g_return_if_fail (BI_IS_BOOK (self));
  g_return_if_fail (review != NULL);

  if (review->title != NULL && *review->title != '\0')
    {
      g_free (self->title);
      self->title = g_strdup (review->title);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
  if (review->authors != NULL)
    {
      g_strfreev (self->author_list);
      self->author_list = g_strdupv (review->authors);
      g_free (self->authors);
      self->authors = g_strjoinv (", ", self->author_list);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHORS]);
    }
  if (review->year >= 0)
    {
      self->year = review->year;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_YEAR]);
    }
  if (review->isbn13 != NULL)
    {
      g_free (self->isbn13);
      self->isbn13 = g_strdup (review->isbn13);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ISBN13]);
    }
  if (review->source != NULL)
    {
      g_free (self->source);
      self->source = g_strdup (review->source);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
      if (g_str_equal (review->source, "manual"))
        {
          /* matched by the user: as sure as a book can be */
          self->confidence = 1.0;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIDENCE]);
        }
    }
  self->accepted = review->accepted;
  g_clear_pointer (&self->search_text, g_free);
  update_sort_keys (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

BiLibraryReview *
bi_book_to_review (BiBook *self)
{
  BiLibraryReview *review;

  g_return_val_if_fail (BI_IS_BOOK (self), NULL);

  review = bi_library_review_new (self->job_id, self->position);
  review->accepted = self->accepted;
  review->title = g_strdup (self->title);
  review->authors = g_strdupv (self->author_list);
  review->year = self->year;
  review->isbn13 = g_strdup (self->isbn13);
  if (g_strcmp0 (self->source, "manual") == 0)
    review->source = g_strdup ("manual");
  return review;
}

BiBook *
bi_book_get_primary (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), NULL);
  return self->primary;
}

void
bi_book_add_copy (BiBook *self,
                  BiBook *copy)
{
  g_return_if_fail (BI_IS_BOOK (self));
  g_return_if_fail (BI_IS_BOOK (copy) && copy != self);

  g_set_weak_pointer (&copy->primary, self);
  g_ptr_array_add (self->copies, g_object_ref (copy));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
bi_book_detach_copies (BiBook *self)
{
  g_autoptr(GPtrArray) copies = NULL;

  g_return_if_fail (BI_IS_BOOK (self));

  if (self->copies->len == 0)
    return;
  copies = g_steal_pointer (&self->copies);
  self->copies = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < copies->len; i++)
    {
      BiBook *copy = g_ptr_array_index (copies, i);

      g_clear_weak_pointer (&copy->primary);
    }
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

GPtrArray *
bi_book_get_copies (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), NULL);
  return self->copies;
}

guint
bi_book_get_n_photos (BiBook *self)
{
  g_return_val_if_fail (BI_IS_BOOK (self), 0);
  return 1 + self->copies->len;
}
