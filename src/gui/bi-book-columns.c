/* bi-book-columns.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-book-columns"

#include "config.h"

#include "bi-book-columns.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bi-book.h"
#include "bi-book-slot.h"

/* What a column shows, and how it sorts. */
typedef enum
{
  COLUMN_TITLE,
  COLUMN_AUTHORS,
  COLUMN_YEAR,
  COLUMN_ISBN,
  COLUMN_CONFIDENCE,
  COLUMN_PHOTO,
  COLUMN_POSITION,
} ColumnKind;

typedef struct
{
  const char *title;        /* translatable, marked with N_() */
  ColumnKind  kind;
  gboolean    expand;       /* also takes a share of the room left */
  int         fixed_width;  /* until the user resizes it: a fixed width is never measured, an
                             * unfixed one measures every cell (~1,400) on each layout */
} ColumnSpec;

static const ColumnSpec columns[] = {
  { N_("Title"), COLUMN_TITLE, TRUE, 146 },
  { N_("Authors"), COLUMN_AUTHORS, TRUE, 122 },
  { N_("Year"), COLUMN_YEAR, FALSE, 54 },
  { N_("ISBN"), COLUMN_ISBN, FALSE, 126 },
  { N_("Confidence"), COLUMN_CONFIDENCE, FALSE, 90 },
  { N_("Photo"), COLUMN_PHOTO, FALSE, 108 },
  { N_("Spine"), COLUMN_POSITION, FALSE, 54 },
};

/* Room for a number, a percentage or "on N photos" in any of the translations. */
#define CELL_BUFFER_SIZE 128

/* ---- helpers ---- */

static gboolean
is_numeric (const ColumnSpec *spec)
{
  return spec->kind == COLUMN_YEAR || spec->kind == COLUMN_CONFIDENCE
         || spec->kind == COLUMN_POSITION;
}

/* The text of @book's cell: a string the book holds, or one written into @buffer (a bind
 * allocates nothing of its own). */
static const char *
cell_text (BiBook           *book,
           const ColumnSpec *spec,
           char              buffer[CELL_BUFFER_SIZE])
{
  switch (spec->kind)
    {
    case COLUMN_TITLE:
      return bi_book_get_title (book);
    case COLUMN_AUTHORS:
      return bi_book_get_authors (book);
    case COLUMN_ISBN:
      return bi_book_get_isbn13 (book);
    case COLUMN_YEAR:
      if (bi_book_get_year (book) <= 0)
        return "";
      g_snprintf (buffer, CELL_BUFFER_SIZE, "%d", bi_book_get_year (book));
      return buffer;
    case COLUMN_CONFIDENCE:
      g_snprintf (buffer, CELL_BUFFER_SIZE, "%d %%",
                  (int) (bi_book_get_confidence (book) * 100 + 0.5));
      return buffer;
    case COLUMN_PHOTO:
      if (bi_book_get_n_photos (book) <= 1)
        return bi_book_get_photo_name (book);
      g_snprintf (buffer, CELL_BUFFER_SIZE,
                  /* Translators: a book found on several photos, merged into one row */
                  g_dngettext (GETTEXT_PACKAGE, "on %u photo", "on %u photos",
                               bi_book_get_n_photos (book)),
                  bi_book_get_n_photos (book));
      return buffer;
    case COLUMN_POSITION:
    default:
      g_snprintf (buffer, CELL_BUFFER_SIZE, "%d", bi_book_get_position (book) + 1);
      return buffer;
    }
}

static void
set_css_class (GtkWidget  *widget,
               const char *css_class,
               gboolean    set)
{
  if (set)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

static void
update_cell (GtkInscription   *cell,
             BiBook           *book,
             const ColumnSpec *spec)
{
  char buffer[CELL_BUFFER_SIZE];

  /* An inscription only redraws for new text: it never asks the list, the window and the
   * X server for a new size the way a label does. */
  gtk_inscription_set_text (cell, cell_text (book, spec, buffer));
  /* the tooltip comes from confidence_query_tooltip_cb: setting it here on every bind would
   * ask the X server where the pointer is each time */
  if (spec->kind == COLUMN_CONFIDENCE)
    set_css_class (GTK_WIDGET (cell), "warning", bi_book_needs_review (book));
  if (spec->kind == COLUMN_PHOTO)
    {
      gboolean merged = bi_book_get_n_photos (book) > 1;

      set_css_class (GTK_WIDGET (cell), "accent", merged);
      set_css_class (GTK_WIDGET (cell), "merged-book", merged);
    }
}

/* Shows @book, or nothing. */
static void
show_book (GtkInscription *cell,
           BiBook         *book)
{
  if (book != NULL)
    update_cell (cell, book, g_object_get_data (G_OBJECT (cell), "column-spec"));
  else
    gtk_inscription_set_text (cell, NULL);
}

/* ---- callbacks ---- */

static gboolean
confidence_query_tooltip_cb (GtkWidget   *cell,
                             int          x,
                             int          y,
                             gboolean     keyboard_mode,
                             GtkTooltip  *tooltip,
                             GtkListItem *list_item)
{
  gpointer slot = gtk_list_item_get_item (list_item);
  BiBook *book = slot != NULL ? bi_book_slot_get_book (BI_BOOK_SLOT (slot)) : NULL;

  if (book == NULL || !bi_book_needs_review (book))
    return FALSE;
  gtk_tooltip_set_text (tooltip, _("Low confidence: check the book, then accept it"));
  return TRUE;
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  const ColumnSpec *spec = user_data;
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), is_numeric (spec) ? 1.0f : 0.0f);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  if (is_numeric (spec))
    gtk_widget_add_css_class (cell, "numeric");
  if (spec->kind == COLUMN_CONFIDENCE)
    {
      /* the cell lives inside the list item, so the item outlives the handler */
      gtk_widget_set_has_tooltip (cell, TRUE);
      g_signal_connect (cell, "query-tooltip", G_CALLBACK (confidence_query_tooltip_cb),
                        list_item);
    }
  g_object_set_data (G_OBJECT (cell), "column-spec", (gpointer) spec);
  gtk_list_item_set_child (list_item, cell);
}

static void
cell_slot_changed_cb (BiBookSlot     *slot,
                      GtkInscription *cell)
{
  show_book (cell, bi_book_slot_get_book (slot));
}

/* The items are BiBookSlots (see BiBookRows): a row stays bound to its slot while a sort or a
 * search puts other books there, and the slot says when to show another, or when a review or
 * a merge changed the one shown. */
static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  BiBookSlot *slot = gtk_list_item_get_item (list_item);
  GtkWidget *cell = gtk_list_item_get_child (list_item);

  show_book (GTK_INSCRIPTION (cell), bi_book_slot_get_book (slot));
  /* Unbind always comes before the cell goes, so a plain handler (no weak reference to set
   * up) is safe. */
  g_signal_connect (slot, "changed", G_CALLBACK (cell_slot_changed_cb), cell);
}

static void
cell_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  gpointer slot = gtk_list_item_get_item (list_item);
  GtkWidget *cell = gtk_list_item_get_child (list_item);

  /* the text stays: the next bind (or the cell's end) replaces it */
  if (slot != NULL)
    g_signal_handlers_disconnect_by_func (slot, cell_slot_changed_cb, cell);
}

static int
compare_numbers (double first,
                 double second)
{
  return (first > second) - (first < second);
}

/* The column sorters compare what each book computed once (collation keys, numbers): a
 * sort of 10,000 books never reads a property or collates a string. */
static int
compare_books_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const ColumnSpec *spec = user_data;
  BiBook *first = BI_BOOK ((gpointer) a);
  BiBook *second = BI_BOOK ((gpointer) b);
  int order;

  switch (spec->kind)
    {
    case COLUMN_TITLE:
      order = strcmp (bi_book_get_sort_key (first, BI_BOOK_SORT_TITLE),
                      bi_book_get_sort_key (second, BI_BOOK_SORT_TITLE));
      break;
    case COLUMN_AUTHORS:
      order = strcmp (bi_book_get_sort_key (first, BI_BOOK_SORT_AUTHORS),
                      bi_book_get_sort_key (second, BI_BOOK_SORT_AUTHORS));
      break;
    case COLUMN_ISBN:
      /* ISBN-13: digits only */
      order = strcmp (bi_book_get_isbn13 (first), bi_book_get_isbn13 (second));
      break;
    case COLUMN_PHOTO:
      order = strcmp (bi_book_get_sort_key (first, BI_BOOK_SORT_PHOTO_NAME),
                      bi_book_get_sort_key (second, BI_BOOK_SORT_PHOTO_NAME));
      break;
    case COLUMN_YEAR:
      order = compare_numbers (bi_book_get_year (first), bi_book_get_year (second));
      break;
    case COLUMN_CONFIDENCE:
      order = compare_numbers (bi_book_get_confidence (first), bi_book_get_confidence (second));
      break;
    case COLUMN_POSITION:
    default:
      order = compare_numbers (bi_book_get_position (first), bi_book_get_position (second));
      break;
    }
  return order < 0 ? GTK_ORDERING_SMALLER : order > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

/* ---- public API ---- */

void
bi_book_columns_append (GtkColumnView *view)
{
  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      const ColumnSpec *spec = &columns[i];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autoptr(GtkCustomSorter) sorter = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), (gpointer) spec);
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), (gpointer) spec);
      g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind_cb), (gpointer) spec);
      column = gtk_column_view_column_new (_(spec->title), factory);
      sorter = gtk_custom_sorter_new (compare_books_cb, (gpointer) spec, NULL);
      gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
      gtk_column_view_column_set_expand (column, spec->expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_fixed_width (column, spec->fixed_width);
      gtk_column_view_append_column (view, column);
    }
}
