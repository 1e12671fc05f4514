/* bi-sqlite-catalog.c
 *
 * Schema: `books` holds each book once (unique source id) with its display fields, the
 * normalised search text and its shelf mark (a library's call number, as catalogued and
 * split into class number and author code in bi-shelf-mark.h's normal form, indexed for
 * the labels read on spines); `books_fts` is an external-content FTS5 index over that text,
 * kept in step by triggers; `search_words` counts the books holding each word of that index
 * (refreshed by every import, for respelling misread words); `books_unread_marks` lists
 * the books of a database upgraded from before shelf marks, until their file is imported
 * again; `meta` holds the schema version and the stamps of imported
 * files; the ol_* tables stage Open Library dumps (bi-open-library-store.h). The database is
 * a cache of the catalog files: a version change rebuilds it.
 *
 * Memory stays bounded whatever the size of a file: rows are streamed from the file into
 * prepared statements, SQLite's page cache is capped (spilling dirty pages of the open
 * transaction to the WAL file) and FTS5 flushes its pending index terms to disk in segments
 * of about a megabyte as rows arrive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-sqlite-catalog"

#include "bi-sqlite-catalog.h"
#include "bi-catalog-format.h"
#include "bi-catalog-query.h"
#include "bi-catalog-source.h"
#include "bi-delimited-reader.h"
#include "bi-isbn.h"
#include "bi-line-reader.h"
#include "bi-open-library-store.h"
#include "bi-search-text.h"
#include "bi-shelf-mark.h"

#include <gio/gio.h>
#include <sqlite3.h>
#include <string.h>

/* Bump when the stored rows or their search text change meaning (e.g. the normalisation in
 * bi-search-text.c): databases of another version are rebuilt and their files reimported.
 * Versions 1 and 2 are upgraded in place (prepare_schema). */
#define CATALOG_VERSION "3"

/* Books with one author code read through `books_shelf_code`, or one class number through
 * `books_shelf_class`, at most: a label names a handful; the cap bounds a lookup of "N". */
#define SHELF_MARK_POOL 5000

/* Rows that bm25 hands to the C rescoring, at least; more when a larger limit is asked. */
#define SEARCH_POOL 64

/* Query words this long or longer that no book holds are taken for misreadings (OCR,
 * typing) and searched as the words the catalog holds one slip away (docs/recognition.md). */
#define MIN_RESPELL_LENGTH 5
/* Spellings searched instead of an unknown word: those the most books hold. */
#define MAX_RESPELLINGS 2
/* Unknown words whose spellings are remembered; the memory is emptied when full. */
#define MAX_REMEMBERED_RESPELLINGS 20000

/* Rows between two calls of an import's progress function. */
#define PROGRESS_ROWS 10000

/* Page cache during an import, in KiB (negative: KiB for SQLite); enough for the upsert's
 * B-tree pages to stay hot, small enough that a million-row import stays well under 100 MB. */
#define IMPORT_CACHE_SIZE "-16384"

/* Separates authors in the `authors` column (names never contain control characters). */
#define AUTHOR_SEPARATOR "\n"

#define BOOK_COLUMNS "b.title, b.original_title, b.authors, b.year, b.isbn13, b.source_id"

struct _BiSqliteCatalog
{
  BiCatalog     port;        /* first member: the port functions cast back */
  GMutex        lock;        /* one thread at a time uses the connection and statements */
  sqlite3      *db;
  sqlite3_stmt *upsert;      /* one book of an import */
  sqlite3_stmt *search;      /* FTS5 MATCH ordered by bm25 */
  sqlite3_stmt *lookup_isbn;
  sqlite3_stmt *count_term;  /* books holding a search word (`search_words`) */
  sqlite3_stmt *complete_term; /* the commonest search word starting with a word read */
  sqlite3_stmt *by_shelf_code;  /* books whose author code starts with a code read */
  sqlite3_stmt *by_shelf_class; /* books of one class number */
  GHashTable   *respellings; /* unknown word → the words searched instead ("" for none) */
  BiOpenLibraryStore *open_library; /* staging of Open Library dumps */
};

/* The shelf mark as catalogued, its class number and its author code (bi-shelf-mark.h's
 * normal form); all NULL for a book without one. */
#define SHELF_MARK_COLUMNS \
  "  shelf_mark TEXT," \
  "  shelf_class TEXT," \
  "  shelf_code TEXT"

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS books ("
  "  id INTEGER PRIMARY KEY,"
  "  source_id TEXT NOT NULL UNIQUE,"
  "  file TEXT,"
  "  title TEXT NOT NULL,"
  "  original_title TEXT,"
  "  authors TEXT NOT NULL,"
  "  year INTEGER,"
  "  isbn13 TEXT,"
  "  search_title TEXT NOT NULL,"
  "  search_authors TEXT NOT NULL,"
  SHELF_MARK_COLUMNS ");"
  "CREATE INDEX IF NOT EXISTS books_isbn13 ON books (isbn13) WHERE isbn13 IS NOT NULL;"
  "CREATE INDEX IF NOT EXISTS books_file ON books (file);"
  "CREATE INDEX IF NOT EXISTS books_shelf_code ON books (shelf_code)"
  "  WHERE shelf_code IS NOT NULL;"
  "CREATE INDEX IF NOT EXISTS books_shelf_class ON books (shelf_class)"
  "  WHERE shelf_class IS NOT NULL;"
  "CREATE TABLE IF NOT EXISTS books_unread_marks (id INTEGER PRIMARY KEY);"
  "CREATE TRIGGER IF NOT EXISTS books_marks_after_update AFTER UPDATE ON books BEGIN"
  "  DELETE FROM books_unread_marks WHERE id = old.id;"
  "END;"
  "CREATE TRIGGER IF NOT EXISTS books_marks_after_delete AFTER DELETE ON books BEGIN"
  "  DELETE FROM books_unread_marks WHERE id = old.id;"
  "END;"
  "CREATE TABLE IF NOT EXISTS search_words ("
  "  term TEXT PRIMARY KEY,"
  "  books INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE VIRTUAL TABLE IF NOT EXISTS books_fts USING fts5 ("
  "  search_title, search_authors, content='books', content_rowid='id');"
  "CREATE TRIGGER IF NOT EXISTS books_after_insert AFTER INSERT ON books BEGIN"
  "  INSERT INTO books_fts (rowid, search_title, search_authors)"
  "    VALUES (new.id, new.search_title, new.search_authors);"
  "END;"
  "CREATE TRIGGER IF NOT EXISTS books_after_delete AFTER DELETE ON books BEGIN"
  "  INSERT INTO books_fts (books_fts, rowid, search_title, search_authors)"
  "    VALUES ('delete', old.id, old.search_title, old.search_authors);"
  "END;"
  "CREATE TRIGGER IF NOT EXISTS books_after_update AFTER UPDATE ON books BEGIN"
  "  INSERT INTO books_fts (books_fts, rowid, search_title, search_authors)"
  "    VALUES ('delete', old.id, old.search_title, old.search_authors);"
  "  INSERT INTO books_fts (rowid, search_title, search_authors)"
  "    VALUES (new.id, new.search_title, new.search_authors);"
  "END;";

static const char drop_sql[] =
  "DROP TABLE IF EXISTS books_fts;"
  "DROP TABLE IF EXISTS books;"
  "DROP TABLE IF EXISTS books_unread_marks;"
  "DROP TABLE IF EXISTS search_words;"
  "DELETE FROM meta;";

/* Counts for `bookimg-cli catalog stats`. Authors are counted through a temporary table,
 * which SQLite keeps on disk when it grows, rather than a hash table in memory. */
static const char summary_sql[] =
  "SELECT count(*), count(isbn13), count(shelf_mark),"
  "       (SELECT count(*) FROM books_unread_marks) FROM books";
static const char sources_sql[] =
  "SELECT substr (source_id, 1, instr (source_id, ':') - 1) AS source, count(*)"
  " FROM books GROUP BY source ORDER BY count(*) DESC, source";

/* Version 2 → 3 (version 1 after its own step): the shelf-mark columns, NULL for the books
 * already there, which are noted as unread: their files were imported without marks. */
static const char upgrade_to_3_sql[] =
  "ALTER TABLE books ADD COLUMN shelf_mark TEXT;"
  "ALTER TABLE books ADD COLUMN shelf_class TEXT;"
  "ALTER TABLE books ADD COLUMN shelf_code TEXT;";
static const char has_shelf_marks_sql[] =
  "SELECT count(*) FROM pragma_table_info ('books') WHERE name = 'shelf_mark'";
static const char note_unread_marks_sql[] =
  "INSERT OR IGNORE INTO books_unread_marks (id) SELECT id FROM books";

static const char upsert_sql[] =
  "INSERT INTO books (source_id, file, title, original_title, authors, year, isbn13,"
  "                   search_title, search_authors, shelf_mark, shelf_class, shelf_code)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
  " ON CONFLICT (source_id) DO UPDATE SET file = excluded.file, title = excluded.title,"
  "   original_title = excluded.original_title, authors = excluded.authors,"
  "   year = excluded.year, isbn13 = excluded.isbn13,"
  "   search_title = excluded.search_title, search_authors = excluded.search_authors,"
  "   shelf_mark = excluded.shelf_mark, shelf_class = excluded.shelf_class,"
  "   shelf_code = excluded.shelf_code";

/* Title words weigh more than author words: a spine shows the title largest. The pool is
 * ranked on the index alone and only its rows are read from `books`: a query holding "the"
 * or "de" matches some 5000 books, and joining each of them to its row before the ranking
 * cut took a quarter of the search's time. Rows that rank the same keep the index's order
 * (the rowid's), in the pool and after the join, as they did before. */
static const char search_sql[] =
  "SELECT " BOOK_COLUMNS " FROM"
  "  (SELECT rowid AS id, bm25 (books_fts, 2.0, 1.0) AS weight FROM books_fts"
  "   WHERE books_fts MATCH ?1 ORDER BY weight LIMIT ?2) AS pool"
  " JOIN books b ON b.id = pool.id ORDER BY pool.weight";

/* The index's words, in a temporary table so the database file is not changed by it. Asking
 * it about one word costs SQLite a statement prepared and a walk of the word's list of
 * books, and respelling one misread word asks about hundreds of spellings; so each import
 * copies the counts into `search_words` once, where a word is one B-tree lookup. */
static const char vocabulary_sql[] =
  "CREATE VIRTUAL TABLE IF NOT EXISTS temp.books_vocabulary"
  " USING fts5vocab (main, 'books_fts', 'row')";
static const char refresh_search_words_sql[] =
  "DELETE FROM search_words;"
  "INSERT INTO search_words (term, books) SELECT term, doc FROM temp.books_vocabulary";
static const char count_term_sql[] =
  "SELECT books FROM search_words WHERE term = ?1";
/* The most common word that starts with a word read: the rest of a word cut at a spine's
 * edge or a line's end ("kahne" for "kahneman"). */
static const char complete_term_sql[] =
  "SELECT term FROM search_words WHERE term > ?1 AND term < ?1 || '{'"
  " ORDER BY books DESC LIMIT 1";

static const char lookup_isbn_sql[] =
  "SELECT " BOOK_COLUMNS " FROM books b WHERE b.isbn13 = ?1 ORDER BY b.id LIMIT 1";

/* A code read and the codes it may be the start of ("al" of "ali"): the range [?1, ?2),
 * ?2 being ?1 followed by a byte above every letter. */
#define SHELF_MARK_SELECT \
  "SELECT " BOOK_COLUMNS ", b.shelf_mark, b.shelf_class, b.shelf_code FROM books b"
static const char by_shelf_code_sql[] =
  SHELF_MARK_SELECT " WHERE b.shelf_code >= ?1 AND b.shelf_code < ?2"
  " ORDER BY b.id LIMIT " G_STRINGIFY (SHELF_MARK_POOL);
/* A class number read right and its code read with a slip ("RpP" for "App"). */
static const char by_shelf_class_sql[] =
  SHELF_MARK_SELECT " WHERE b.shelf_class = ?1"
  " ORDER BY b.id LIMIT " G_STRINGIFY (SHELF_MARK_POOL);

/* ---- helpers -------------------------------------------------------------------------- */

static gboolean
set_database_error (BiSqliteCatalog  *self,
                    GError          **error,
                    const char       *doing)
{
  g_set_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_DATABASE,
               "The catalog database failed while %s: %s.", doing, sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
exec_sql (BiSqliteCatalog  *self,
          const char       *sql,
          const char       *doing,
          GError          **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_database_error (self, error, doing);
  return TRUE;
}

static void
bind_text_or_null (sqlite3_stmt *statement,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (statement, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (statement, index);
}

/* The value stored under @key in `meta`, or NULL. */
static char *
meta_get (BiSqliteCatalog *self,
          const char      *key)
{
  sqlite3_stmt *statement = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT value FROM meta WHERE key = ?1", -1,
                          &statement, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (statement, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (statement) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (statement, 0));
  sqlite3_finalize (statement);
  return value;
}

static gboolean
meta_set (BiSqliteCatalog  *self,
          const char       *key,
          const char       *value,
          GError          **error)
{
  sqlite3_stmt *statement = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                          -1, &statement, NULL) != SQLITE_OK)
    return set_database_error (self, error, "preparing to note an import");
  sqlite3_bind_text (statement, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (statement, 2, value, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (statement);
  sqlite3_finalize (statement);
  if (rc != SQLITE_DONE)
    return set_database_error (self, error, "noting an import");
  return TRUE;
}

/* Reads the book in the current row of a statement selecting BOOK_COLUMNS. */
static BiBook *
book_from_row (sqlite3_stmt *statement)
{
  BiBook *book = bi_book_new ();
  const char *authors = (const char *) sqlite3_column_text (statement, 2);

  book->title = g_strdup ((const char *) sqlite3_column_text (statement, 0));
  g_strfreev (book->authors);
  book->authors = authors != NULL && authors[0] != '\0'
                  ? g_strsplit (authors, AUTHOR_SEPARATOR, -1)
                  : g_new0 (char *, 1);
  book->year = sqlite3_column_int (statement, 3);
  book->isbn13 = g_strdup ((const char *) sqlite3_column_text (statement, 4));
  book->source = g_strdup ("catalog");
  book->source_id = g_strdup ((const char *) sqlite3_column_text (statement, 5));
  return book;
}

/* ---- words read with a slip ------------------------------------------------------------ */

typedef struct
{
  char *word;
  int   books;
} Spelling;

/* How many books hold @word; 0 also when the vocabulary cannot tell. */
static int
count_books_with (BiSqliteCatalog *self,
                  const char      *word)
{
  int books = 0;

  sqlite3_reset (self->count_term);
  sqlite3_bind_text (self->count_term, 1, word, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (self->count_term) == SQLITE_ROW)
    books = sqlite3_column_int (self->count_term, 0);
  sqlite3_reset (self->count_term);
  return books;
}

static void
try_spelling (BiSqliteCatalog *self,
              GArray          *found,
              GString         *spelling)
{
  Spelling candidate;

  if (spelling->len < MIN_RESPELL_LENGTH - 1)
    return;
  for (guint i = 0; i < found->len; i++)
    if (strcmp (g_array_index (found, Spelling, i).word, spelling->str) == 0)
      return;
  candidate.books = count_books_with (self, spelling->str);
  if (candidate.books == 0)
    return;
  candidate.word = g_strdup (spelling->str);
  g_array_append_val (found, candidate);
}

static int
compare_spellings (gconstpointer a,
                   gconstpointer b)
{
  const Spelling *sa = a;
  const Spelling *sb = b;

  return (sa->books < sb->books) - (sa->books > sb->books);
}

static void
spelling_clear (gpointer data)
{
  g_free (((Spelling *) data)->word);
}

/* The words the catalog holds one letter changed, dropped or added away from @word (an
 * ASCII search word no book holds), or with one or two letters of a neighbour's text read
 * at either end ("flentrenador" → "entrenador"); the most common first, then the commonest
 * word @word starts ("kahne" → "kahneman"); blank-separated. */
static char *
find_respellings (BiSqliteCatalog *self,
                  const char      *word)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Spelling));
  g_autoptr(GString) spelling = g_string_new (NULL);
  g_autoptr(GString) joined = g_string_new (NULL);
  gsize length = strlen (word);

  g_array_set_clear_func (found, spelling_clear);
  for (gsize cut = 1; cut <= 2 && length - cut >= MIN_RESPELL_LENGTH; cut++)
    {
      g_string_assign (spelling, word + cut);
      try_spelling (self, found, spelling);
      g_string_truncate (g_string_assign (spelling, word), length - cut);
      try_spelling (self, found, spelling);
    }
  for (gsize at = 0; at <= length; at++)
    {
      if (at < length)
        {
          g_string_erase (g_string_assign (spelling, word), (gssize) at, 1);
          try_spelling (self, found, spelling);
        }
      for (char letter = 'a'; letter <= 'z'; letter++)
        {
          g_string_insert_c (g_string_assign (spelling, word), (gssize) at, letter);
          try_spelling (self, found, spelling);
          if (at < length && letter != word[at])
            {
              g_string_assign (spelling, word)->str[at] = letter;
              try_spelling (self, found, spelling);
            }
        }
    }

  g_array_sort (found, compare_spellings);
  for (guint i = 0; i < found->len && i < MAX_RESPELLINGS; i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? " " : "",
                            g_array_index (found, Spelling, i).word);

  /* A word cut short ("kahne" at a line's end): its commonest completion too, besides the
   * spellings a slip away, whichever is the right reading. */
  sqlite3_reset (self->complete_term);
  sqlite3_bind_text (self->complete_term, 1, word, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (self->complete_term) == SQLITE_ROW)
    g_string_append_printf (joined, "%s%s", joined->len > 0 ? " " : "",
                            (const char *) sqlite3_column_text (self->complete_term, 0));
  sqlite3_reset (self->complete_term);
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

/* @query with each long word no book holds replaced by the words the catalog holds one
 * slip away: an unknown word matches nothing, so it costs a query nothing to replace. */
static char *
respell_query (BiSqliteCatalog *self,
               const char      *query)
{
  g_autofree char *normalized = bi_search_text_normalize (query);
  g_auto(GStrv) words = g_strsplit (normalized, " ", -1);
  g_autoptr(GString) respelled = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];
      const char *known;
      gboolean ascii = TRUE;

      for (const char *p = word; *p != '\0'; p++)
        ascii &= g_ascii_islower (*p);
      if (ascii && strlen (word) >= MIN_RESPELL_LENGTH && count_books_with (self, word) == 0)
        {
          known = g_hash_table_lookup (self->respellings, word);
          if (known == NULL)
            {
              if (g_hash_table_size (self->respellings) >= MAX_REMEMBERED_RESPELLINGS)
                g_hash_table_remove_all (self->respellings);
              known = find_respellings (self, word);
              g_hash_table_insert (self->respellings, g_strdup (word), (gpointer) known);
            }
          if (known[0] != '\0')
            word = known;
        }
      g_string_append_printf (respelled, "%s%s", respelled->len > 0 ? " " : "", word);
    }
  return g_string_free (g_steal_pointer (&respelled), FALSE);
}

static GPtrArray *
catalog_search (BiCatalog   *port,
                const char  *query,
                guint        limit,
                GError     **error)
{
  BiSqliteCatalog *self = (BiSqliteCatalog *) port;
  g_autoptr(GPtrArray) books = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_book_free);
  g_autoptr(BiCatalogQuery) catalog_query = NULL;
  g_autofree char *respelled = NULL;
  g_autofree char *match = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  respelled = respell_query (self, query);
  catalog_query = bi_catalog_query_new (respelled);
  if (limit == 0 || bi_catalog_query_is_empty (catalog_query))
    return g_steal_pointer (&books);

  match = bi_catalog_query_to_fts_match (catalog_query);

  sqlite3_reset (self->search);
  sqlite3_bind_text (self->search, 1, match, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (self->search, 2, (int) MIN (MAX ((guint64) limit * 4, SEARCH_POOL), 10000));

  while ((rc = sqlite3_step (self->search)) == SQLITE_ROW)
    {
      BiBook *book = book_from_row (self->search);
      const char *original_title = (const char *) sqlite3_column_text (self->search, 1);

      book->score = bi_catalog_query_score (catalog_query, book->title, original_title,
                                            (const char * const *) book->authors);
      if (book->score > 0.0)
        g_ptr_array_add (books, book);
      else
        bi_book_free (book);
    }
  sqlite3_reset (self->search);
  if (rc != SQLITE_DONE)
    {
      set_database_error (self, error, "searching");
      return NULL;
    }

  /* Stable: books that score the same keep bm25's order. */
  bi_catalog_sort_books_by_score (books);
  if (books->len > limit)
    g_ptr_array_set_size (books, limit);
  return g_steal_pointer (&books);
}

static BiBook *
catalog_lookup_isbn (BiCatalog   *port,
                     const char  *isbn13,
                     GError     **error)
{
  BiSqliteCatalog *self = (BiSqliteCatalog *) port;
  g_autofree char *valid = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  BiBook *book = NULL;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  /* Anything that is not a valid ISBN cannot be in the catalog (only valid ones are). */
  valid = bi_isbn_to_isbn13 (isbn13);
  if (valid == NULL)
    return NULL;

  locker = g_mutex_locker_new (&self->lock);
  sqlite3_reset (self->lookup_isbn);
  sqlite3_bind_text (self->lookup_isbn, 1, valid, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (self->lookup_isbn);
  if (rc == SQLITE_ROW)
    book = book_from_row (self->lookup_isbn);
  sqlite3_reset (self->lookup_isbn);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    set_database_error (self, error, "looking up an ISBN");
  return book;
}

/* ---- shelf marks ---------------------------------------------------------------------- */

static int
compare_shelf_mark_hits (gconstpointer a,
                         gconstpointer b)
{
  const BiShelfMarkHit *first = *(BiShelfMarkHit * const *) a;
  const BiShelfMarkHit *second = *(BiShelfMarkHit * const *) b;

  return (int) first->match - (int) second->match;
}

/* Adds the rows of @statement whose mark the label (@read_class, @read_code) names, each
 * book once (@seen: source ids). FALSE on a database error. */
static gboolean
collect_shelf_marks (BiSqliteCatalog *self,
                     sqlite3_stmt    *statement,
                     const char      *read_class,
                     const char      *read_code,
                     GHashTable      *seen,
                     GPtrArray       *hits)
{
  int rc;

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      const char *source_id = (const char *) sqlite3_column_text (statement, 5);
      BiShelfMarkMatch match;
      BiShelfMarkHit *hit;

      if (g_hash_table_contains (seen, source_id) ||
          !bi_shelf_mark_compare (read_class, read_code,
                                  (const char *) sqlite3_column_text (statement, 7),
                                  (const char *) sqlite3_column_text (statement, 8), &match))
        continue;
      hit = g_new0 (BiShelfMarkHit, 1);
      hit->book = book_from_row (statement);
      hit->shelf_mark = g_strdup ((const char *) sqlite3_column_text (statement, 6));
      hit->match = match;
      g_hash_table_add (seen, g_strdup (source_id));
      g_ptr_array_add (hits, hit);
    }
  sqlite3_reset (statement);
  return rc == SQLITE_DONE;
}

static GPtrArray *
catalog_lookup_shelf_mark (BiCatalog   *port,
                           const char  *class_number,
                           const char  *author_code,
                           guint        limit,
                           GError     **error)
{
  BiSqliteCatalog *self = (BiSqliteCatalog *) port;
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              bi_shelf_mark_hit_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *read_class = bi_shelf_mark_normalize_class (class_number);
  g_autofree char *read_code = bi_shelf_mark_normalize_code (author_code);
  g_autofree char *code_end = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (self != NULL, NULL);

  /* A code of one letter is no label ("N De B" is catalogued, but reads as a title word). */
  if (read_class == NULL || read_code == NULL || strlen (read_code) < 2 || limit == 0)
    return g_steal_pointer (&hits);

  code_end = g_strconcat (read_code, "\x7f", NULL);
  locker = g_mutex_locker_new (&self->lock);
  sqlite3_bind_text (self->by_shelf_code, 1, read_code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (self->by_shelf_code, 2, code_end, -1, SQLITE_TRANSIENT);
  ok = collect_shelf_marks (self, self->by_shelf_code, read_class, read_code, seen, hits);
  /* A code with a letter misread, the class number read whole: only for a class number,
   * since a collection's letters ("N") hold thousands of books. */
  if (ok && strpbrk (read_class, "0123456789") != NULL)
    {
      sqlite3_bind_text (self->by_shelf_class, 1, read_class, -1, SQLITE_TRANSIENT);
      ok = collect_shelf_marks (self, self->by_shelf_class, read_class, read_code, seen, hits);
    }
  /* And the class whose first 7 was read as a 1, which bi_shelf_mark_compare() takes as read
   * right ("196.41" for "796.41"). */
  if (ok && read_class[0] == '1' && g_ascii_isdigit (read_class[1]))
    {
      g_autofree char *with_seven = g_strconcat ("7", read_class + 1, NULL);

      sqlite3_bind_text (self->by_shelf_class, 1, with_seven, -1, SQLITE_TRANSIENT);
      ok = collect_shelf_marks (self, self->by_shelf_class, read_class, read_code, seen, hits);
    }
  if (!ok)
    {
      set_database_error (self, error, "looking up a shelf mark");
      return NULL;
    }

  /* Stable: exact ones first, each kind in catalog order. */
  g_ptr_array_sort (hits, compare_shelf_mark_hits);
  if (hits->len > limit)
    g_ptr_array_set_size (hits, limit);
  return g_steal_pointer (&hits);
}

/* ---- import --------------------------------------------------------------------------- */

void
bi_catalog_import_stats_clear (BiCatalogImportStats *stats)
{
  g_clear_pointer (&stats->reasons, g_ptr_array_unref);
  stats->imported = 0;
  stats->skipped = 0;
  stats->format = NULL;
}

static void
note_skipped (BiCatalogImportStats *stats,
              guint64               line,
              const char           *reason)
{
  stats->skipped++;
  if (stats->reasons->len < BI_CATALOG_IMPORT_MAX_REASONS)
    g_ptr_array_add (stats->reasons,
                     g_strdup_printf ("line %" G_GUINT64_FORMAT ": %s", line, reason));
}

static gboolean
store_record (BiSqliteCatalog        *self,
              const BiCatalogRecord  *record,
              const char             *file_key,
              GError                **error)
{
  g_autofree char *authors = g_strjoinv (AUTHOR_SEPARATOR, record->authors);
  g_autofree char *titles = g_strjoin (" ", record->title, record->original_title, NULL);
  g_autofree char *search_title = bi_search_text_normalize (titles);
  g_autofree char *search_authors = bi_search_text_normalize (authors);
  g_autofree char *shelf_class = NULL;
  g_autofree char *shelf_code = NULL;
  int rc;

  bi_shelf_mark_split (record->shelf_mark, &shelf_class, &shelf_code);

  sqlite3_reset (self->upsert);
  sqlite3_bind_text (self->upsert, 1, record->source_id, -1, SQLITE_TRANSIENT);
  bind_text_or_null (self->upsert, 2, file_key);
  sqlite3_bind_text (self->upsert, 3, record->title, -1, SQLITE_TRANSIENT);
  bind_text_or_null (self->upsert, 4, record->original_title);
  sqlite3_bind_text (self->upsert, 5, authors, -1, SQLITE_TRANSIENT);
  if (record->year != 0)
    sqlite3_bind_int (self->upsert, 6, record->year);
  else
    sqlite3_bind_null (self->upsert, 6);
  bind_text_or_null (self->upsert, 7, record->isbn13);
  sqlite3_bind_text (self->upsert, 8, search_title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (self->upsert, 9, search_authors, -1, SQLITE_TRANSIENT);
  bind_text_or_null (self->upsert, 10, record->shelf_mark);
  bind_text_or_null (self->upsert, 11, shelf_class);
  bind_text_or_null (self->upsert, 12, shelf_code);
  rc = sqlite3_step (self->upsert);
  sqlite3_reset (self->upsert);
  if (rc != SQLITE_DONE)
    return set_database_error (self, error, "storing a book");
  return TRUE;
}

/* One import under way. */
typedef struct
{
  BiSqliteCatalog             *self;
  const char                  *path;
  const char                  *file_key;      /* the canonical path stored with each row */
  BiCatalogSource              source;        /* the file, decompressed if need be */
  BiCatalogImportStats        *stats;         /* counts so far */
  BiCatalogImportProgressFunc  progress;      /* optional */
  gpointer                     progress_data;
} Import;

static void
report_progress (Import               *import,
                 BiCatalogImportPhase  phase)
{
  if (import->progress == NULL)
    return;
  import->progress (phase, (guint64) bi_catalog_source_get_position (&import->source),
                    (guint64) MAX (import->source.size, 0),
                    (guint64) import->stats->imported + import->stats->skipped,
                    import->progress_data);
}

static void
count_row (Import *import)
{
  if ((import->stats->imported + import->stats->skipped) % PROGRESS_ROWS == 0)
    report_progress (import, BI_CATALOG_IMPORT_READING);
}

/* A file that stops being readable half-way (most often a download cut short: gzip then
 * says its input ended early) rolls back, and the message says how far it got. */
static gboolean
set_read_error_during_import (Import  *import,
                              GError  *cause,
                              GError **error)
{
  g_set_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_IO,
               "Cannot read the catalog file “%s” after %u rows (%u imported, %u skipped): "
               "%s. Nothing from this file was kept. If it was downloaded, it may be cut "
               "short: download it again.", import->path,
               import->stats->imported + import->stats->skipped, import->stats->imported,
               import->stats->skipped, cause->message);
  return FALSE;
}

static gboolean
import_delimited (Import  *import,
                  GError **error)
{
  g_autoptr(BiDelimitedReader) reader = bi_delimited_reader_new (import->source.content);
  g_autoptr(GError) local_error = NULL;
  BiCatalogFormat format;
  GPtrArray *fields = NULL;
  const char *reason = NULL;

  switch (bi_delimited_reader_next (reader, &fields, &reason, &local_error))
    {
    case BI_DELIMITED_RECORD:
      break;
    case BI_DELIMITED_END:
      g_set_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_FORMAT,
                   "The catalog file “%s” is empty; give %s.", import->path,
                   BI_CATALOG_FORMATS_ACCEPTED);
      return FALSE;
    case BI_DELIMITED_MALFORMED:
      g_set_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_FORMAT,
                   "The first line of the catalog file “%s” is not a header (%s); give %s.",
                   import->path, reason, BI_CATALOG_FORMATS_ACCEPTED);
      return FALSE;
    case BI_DELIMITED_ERROR:
    default:
      return bi_catalog_error_set_unreadable (error, import->path, local_error);
    }

  if (!bi_catalog_format_detect (fields, bi_delimited_reader_get_delimiter (reader), &format,
                                 &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "“%s”: ",
                                  import->path);
      return FALSE;
    }
  import->stats->format = bi_catalog_format_kind_to_string (format.kind);

  for (;;)
    {
      BiDelimitedStatus status = bi_delimited_reader_next (reader, &fields, &reason,
                                                           &local_error);
      g_auto(BiCatalogRecord) record = { 0 };
      g_autofree char *row_reason = NULL;

      if (status == BI_DELIMITED_END)
        break;
      if (status == BI_DELIMITED_ERROR)
        return set_read_error_during_import (import, local_error, error);
      if (status == BI_DELIMITED_MALFORMED)
        note_skipped (import->stats, bi_delimited_reader_get_line_number (reader), reason);
      else if (!bi_catalog_record_parse (&format, fields, &record, &row_reason))
        note_skipped (import->stats, bi_delimited_reader_get_line_number (reader), row_reason);
      else if (!store_record (import->self, &record, import->file_key, error))
        return FALSE;
      else
        import->stats->imported++;
      count_row (import);
    }

  return TRUE;
}

/* Stages every author, work and edition of the dump, then resolves the works into books. */
static gboolean
import_open_library (Import  *import,
                     GError **error)
{
  g_autoptr(BiLineReader) lines = bi_line_reader_new (import->source.content,
                                                      BI_OPEN_LIBRARY_MAX_LINE);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  import->stats->format = import->source.compressed ? "Open Library dump (gzip)"
                                                    : "Open Library dump";
  for (;;)
    {
      g_auto(BiOpenLibraryRecord) record = { 0 };
      g_autofree char *reason = NULL;
      gboolean too_long = FALSE;
      GString *line = bi_line_reader_next (lines, &too_long, &local_error);
      guint64 number = bi_line_reader_get_line_number (lines);

      if (line == NULL && local_error != NULL)
        return set_read_error_during_import (import, local_error, error);
      if (line == NULL)
        break;
      if (line->len == 0 && !too_long)
        continue;

      if (too_long)
        note_skipped (import->stats, number, "the line is longer than 1 MiB");
      else if (!bi_open_library_record_parse (parser, line->str, line->len, &record, &reason))
        note_skipped (import->stats, number, reason);
      else if (!bi_open_library_store_add (import->self->open_library, &record,
                                           import->file_key, error))
        return FALSE;
      else
        import->stats->imported++;
      count_row (import);
    }

  report_progress (import, BI_CATALOG_IMPORT_RESOLVING);
  return bi_open_library_store_resolve (import->self->open_library, error);
}

static gboolean
import_rows (Import  *import,
             GError **error)
{
  if (!bi_catalog_source_open (&import->source, import->path, error))
    return FALSE;

  report_progress (import, BI_CATALOG_IMPORT_READING);
  if (import->source.kind == BI_CATALOG_SOURCE_OPEN_LIBRARY)
    return import_open_library (import, error);
  return import_delimited (import, error);
}

static gboolean
forget_earlier_import (BiSqliteCatalog  *self,
                       const char       *file_key,
                       GError          **error)
{
  sqlite3_stmt *statement = NULL;
  gboolean ok;

  ok = sqlite3_prepare_v2 (self->db, "DELETE FROM books WHERE file = ?1", -1,
                           &statement, NULL) == SQLITE_OK;
  if (ok)
    {
      sqlite3_bind_text (statement, 1, file_key, -1, SQLITE_TRANSIENT);
      ok = sqlite3_step (statement) == SQLITE_DONE;
    }
  sqlite3_finalize (statement);
  if (!ok)
    return set_database_error (self, error, "removing the books of an earlier import");
  return bi_open_library_store_forget_file (self->open_library, file_key, error);
}

/* Runs an import in one transaction, so a file is imported whole or not at all (a dump cut
 * short leaves the catalog as it was): @delete_first removes the books of an earlier import
 * of the same file, @stamp (optional) is noted as the imported file's state. SQLite writes
 * the transaction's pages to the WAL file as its cache fills, so its size is not bounded by
 * memory. */
static gboolean
import_transaction (BiSqliteCatalog              *self,
                    const char                   *path,
                    gboolean                      delete_first,
                    const char                   *stamp,
                    BiCatalogImportProgressFunc   progress,
                    gpointer                      progress_data,
                    BiCatalogImportStats         *stats,
                    GError                      **error)
{
  g_autofree char *file_key = g_canonicalize_filename (path, NULL);
  g_auto(BiCatalogImportStats) counts = { 0, 0, g_ptr_array_new_with_free_func (g_free), NULL };
  Import import = { self, path, file_key, { 0 }, &counts, progress, progress_data };
  gboolean ok;

  if (!exec_sql (self, "BEGIN IMMEDIATE", "starting an import", error))
    return FALSE;

  ok = !delete_first || forget_earlier_import (self, file_key, error);
  if (ok)
    ok = import_rows (&import, error);
  bi_catalog_source_clear (&import.source);
  if (ok)
    ok = exec_sql (self, refresh_search_words_sql, "counting the books of each word", error);
  if (ok && stamp != NULL)
    {
      g_autofree char *key = g_strconcat ("file:", file_key, NULL);

      ok = meta_set (self, key, stamp, error);
    }
  if (ok)
    ok = exec_sql (self, "COMMIT", "committing an import", error);
  if (!ok)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  /* Words unknown before may be the catalog's own now. */
  g_hash_table_remove_all (self->respellings);

  if (stats != NULL)
    {
      bi_catalog_import_stats_clear (stats);
      *stats = counts;
      counts.reasons = NULL;
    }
  return TRUE;
}

gboolean
bi_sqlite_catalog_import_file (BiSqliteCatalog       *self,
                               const char            *path,
                               BiCatalogImportStats  *stats,
                               GError               **error)
{
  return bi_sqlite_catalog_import_file_with_progress (self, path, NULL, NULL, stats, error);
}

gboolean
bi_sqlite_catalog_import_file_with_progress (BiSqliteCatalog              *self,
                                             const char                   *path,
                                             BiCatalogImportProgressFunc   progress,
                                             gpointer                      progress_data,
                                             BiCatalogImportStats         *stats,
                                             GError                      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return import_transaction (self, path, FALSE, NULL, progress, progress_data, stats, error);
}

gboolean
bi_sqlite_catalog_import_if_changed (BiSqliteCatalog       *self,
                                     const char            *path,
                                     gboolean              *imported,
                                     BiCatalogImportStats  *stats,
                                     GError               **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *file_key = NULL;
  g_autofree char *key = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *stored = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (imported != NULL)
    *imported = FALSE;

  file = g_file_new_for_path (path);
  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    return bi_catalog_error_set_unreadable (error, path, local_error);

  /* The version is part of the stamp, so a newer importer reads the file again. */
  stamp = g_strdup_printf ("v%s size=%" G_GOFFSET_FORMAT " mtime=%" G_GUINT64_FORMAT ".%06u",
                           CATALOG_VERSION, g_file_info_get_size (info),
                           g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED),
                           g_file_info_get_attribute_uint32 (info,
                                                             G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC));
  file_key = g_canonicalize_filename (path, NULL);
  key = g_strconcat ("file:", file_key, NULL);

  locker = g_mutex_locker_new (&self->lock);
  stored = meta_get (self, key);
  if (g_strcmp0 (stored, stamp) == 0)
    {
      if (stats != NULL)
        bi_catalog_import_stats_clear (stats);
      return TRUE;
    }

  if (!import_transaction (self, path, TRUE, stamp, NULL, NULL, stats, error))
    return FALSE;
  if (imported != NULL)
    *imported = TRUE;
  return TRUE;
}

gint64
bi_sqlite_catalog_count (BiSqliteCatalog  *self,
                         GError          **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *statement = NULL;
  gint64 count = -1;

  g_return_val_if_fail (self != NULL, -1);

  locker = g_mutex_locker_new (&self->lock);
  if (sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM books", -1, &statement, NULL)
      == SQLITE_OK && sqlite3_step (statement) == SQLITE_ROW)
    count = sqlite3_column_int64 (statement, 0);
  else
    set_database_error (self, error, "counting books");
  sqlite3_finalize (statement);
  return count;
}

void
bi_catalog_summary_clear (BiCatalogSummary *summary)
{
  g_clear_pointer (&summary->sources, g_ptr_array_unref);
}

static void
source_count_free (BiCatalogSourceCount *count)
{
  g_free (count->name);
  g_free (count);
}

/* Distinct author names, through a temporary table rather than memory. */
static gboolean
count_authors (BiSqliteCatalog  *self,
               gint64           *count,
               GError          **error)
{
  sqlite3_stmt *books = NULL;
  sqlite3_stmt *add = NULL;
  sqlite3_stmt *total = NULL;
  gboolean ok;
  int rc;

  ok = exec_sql (self, "CREATE TEMP TABLE IF NOT EXISTS summary_authors (name TEXT PRIMARY "
                       "KEY) WITHOUT ROWID; DELETE FROM temp.summary_authors",
                 "counting authors", error);
  if (!ok)
    return FALSE;

  ok = sqlite3_prepare_v2 (self->db, "SELECT authors FROM books WHERE authors <> ''", -1,
                           &books, NULL) == SQLITE_OK &&
       sqlite3_prepare_v2 (self->db, "INSERT OR IGNORE INTO temp.summary_authors VALUES (?1)",
                           -1, &add, NULL) == SQLITE_OK &&
       sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM temp.summary_authors", -1, &total,
                           NULL) == SQLITE_OK;
  while (ok && (rc = sqlite3_step (books)) == SQLITE_ROW)
    {
      g_auto(GStrv) names = g_strsplit ((const char *) sqlite3_column_text (books, 0),
                                        AUTHOR_SEPARATOR, -1);

      for (guint i = 0; ok && names[i] != NULL; i++)
        {
          sqlite3_bind_text (add, 1, names[i], -1, SQLITE_STATIC);
          ok = sqlite3_step (add) == SQLITE_DONE;
          sqlite3_reset (add);
        }
    }
  if (ok && sqlite3_step (total) == SQLITE_ROW)
    *count = sqlite3_column_int64 (total, 0);
  else
    ok = set_database_error (self, error, "counting authors");

  sqlite3_finalize (books);
  sqlite3_finalize (add);
  sqlite3_finalize (total);
  sqlite3_exec (self->db, "DROP TABLE IF EXISTS temp.summary_authors", NULL, NULL, NULL);
  return ok;
}

gboolean
bi_sqlite_catalog_get_summary (BiSqliteCatalog   *self,
                               BiCatalogSummary  *summary,
                               GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *statement = NULL;
  gboolean ok;

  g_return_val_if_fail (self != NULL && summary != NULL, FALSE);

  memset (summary, 0, sizeof *summary);
  summary->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) source_count_free);

  locker = g_mutex_locker_new (&self->lock);
  ok = sqlite3_prepare_v2 (self->db, summary_sql, -1, &statement, NULL) == SQLITE_OK &&
       sqlite3_step (statement) == SQLITE_ROW;
  if (ok)
    {
      summary->books = sqlite3_column_int64 (statement, 0);
      summary->with_isbn13 = sqlite3_column_int64 (statement, 1);
      summary->with_shelf_mark = sqlite3_column_int64 (statement, 2);
      summary->unread_shelf_marks = sqlite3_column_int64 (statement, 3);
    }
  sqlite3_finalize (statement);
  statement = NULL;

  ok = ok && sqlite3_prepare_v2 (self->db, sources_sql, -1, &statement, NULL) == SQLITE_OK;
  while (ok && sqlite3_step (statement) == SQLITE_ROW)
    {
      BiCatalogSourceCount *count = g_new0 (BiCatalogSourceCount, 1);

      count->name = g_strdup ((const char *) sqlite3_column_text (statement, 0));
      count->books = sqlite3_column_int64 (statement, 1);
      g_ptr_array_add (summary->sources, count);
    }
  sqlite3_finalize (statement);
  if (!ok)
    {
      bi_catalog_summary_clear (summary);
      return set_database_error (self, error, "summarising the catalog");
    }

  if (!count_authors (self, &summary->authors, error))
    {
      bi_catalog_summary_clear (summary);
      return FALSE;
    }
  return TRUE;
}

/* ---- open and close ------------------------------------------------------------------- */

/* Whether `books` has the shelf-mark columns already: ADD COLUMN would fail on a database
 * an older program took back to its own version after a newer one had upgraded it. */
static gboolean
has_shelf_mark_columns (BiSqliteCatalog *self)
{
  sqlite3_stmt *statement = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (self->db, has_shelf_marks_sql, -1, &statement, NULL) == SQLITE_OK &&
      sqlite3_step (statement) == SQLITE_ROW)
    found = sqlite3_column_int (statement, 0) > 0;
  sqlite3_finalize (statement);
  return found;
}

static gboolean
prepare_schema (BiSqliteCatalog  *self,
                gboolean          in_memory,
                GError          **error)
{
  g_autofree char *version = NULL;
  gboolean ok;
  gboolean upgrade_from_1;
  gboolean upgrade_from_2;

  sqlite3_busy_timeout (self->db, 5000);
  if (!exec_sql (self, "PRAGMA cache_size = " IMPORT_CACHE_SIZE, "sizing the page cache", error))
    return FALSE;
  /* WAL lets readers of a file database go on while an import writes; NORMAL
   * synchronisation is safe with WAL and the catalog can always be reimported. */
  if (!in_memory &&
      !exec_sql (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
                 "setting up the journal", error))
    return FALSE;

  if (!exec_sql (self, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY,"
                       " value TEXT NOT NULL)", "creating tables", error))
    return FALSE;

  version = meta_get (self, "version");
  /* Version 1 lacks `search_words` and the shelf marks, version 2 the shelf marks: added
   * below, so books a user imported (perhaps from a file no longer there) are kept. Any
   * other version is rebuilt. */
  upgrade_from_1 = g_strcmp0 (version, "1") == 0;
  upgrade_from_2 = g_strcmp0 (version, "2") == 0;
  if (version != NULL && !upgrade_from_1 && !upgrade_from_2 &&
      strcmp (version, CATALOG_VERSION) != 0)
    {
      g_message ("The catalog database has version %s; rebuilding it as version %s.",
                 version, CATALOG_VERSION);
      if (!exec_sql (self, drop_sql, "removing the tables of an older version", error) ||
          !exec_sql (self, bi_open_library_store_drop_sql,
                     "removing the tables of an older version", error))
        return FALSE;
    }

  if (!upgrade_from_1 && !upgrade_from_2)
    return exec_sql (self, schema_sql, "creating tables", error) &&
           exec_sql (self, bi_open_library_store_schema_sql, "creating tables", error) &&
           meta_set (self, "version", CATALOG_VERSION, error);

  /* One transaction: a database left half upgraded would fail the next ALTER TABLE. */
  g_message ("The catalog database has version %s; upgrading it to version %s (its books "
             "have no shelf marks until their files are imported again).", version,
             CATALOG_VERSION);
  ok = exec_sql (self, "BEGIN IMMEDIATE", "upgrading the catalog", error) &&
       (has_shelf_mark_columns (self) ||
        exec_sql (self, upgrade_to_3_sql, "upgrading the catalog", error)) &&
       exec_sql (self, schema_sql, "upgrading the catalog", error) &&
       exec_sql (self, bi_open_library_store_schema_sql, "upgrading the catalog", error) &&
       exec_sql (self, note_unread_marks_sql, "upgrading the catalog", error);
  if (ok && upgrade_from_1)
    ok = exec_sql (self, vocabulary_sql, "upgrading the catalog", error) &&
         exec_sql (self, refresh_search_words_sql, "upgrading the catalog", error);
  ok = ok && meta_set (self, "version", CATALOG_VERSION, error) &&
       exec_sql (self, "COMMIT", "upgrading the catalog", error);
  if (!ok)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return ok;
}

static gboolean
prepare_statements (BiSqliteCatalog  *self,
                    GError          **error)
{
  if (sqlite3_prepare_v3 (self->db, upsert_sql, -1, SQLITE_PREPARE_PERSISTENT,
                          &self->upsert, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (self->db, search_sql, -1, SQLITE_PREPARE_PERSISTENT,
                          &self->search, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (self->db, lookup_isbn_sql, -1, SQLITE_PREPARE_PERSISTENT,
                          &self->lookup_isbn, NULL) != SQLITE_OK ||
      sqlite3_exec (self->db, vocabulary_sql, NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (self->db, count_term_sql, -1, SQLITE_PREPARE_PERSISTENT,
                          &self->count_term, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (self->db, complete_term_sql, -1, SQLITE_PREPARE_PERSISTENT,
                          &self->complete_term, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (self->db, by_shelf_code_sql, -1, SQLITE_PREPARE_PERSISTENT,
                          &self->by_shelf_code, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (self->db, by_shelf_class_sql, -1, SQLITE_PREPARE_PERSISTENT,
                          &self->by_shelf_class, NULL) != SQLITE_OK)
    return set_database_error (self, error, "preparing statements");

  self->open_library = bi_open_library_store_new (self->db, error);
  return self->open_library != NULL;
}

/* bi_search_text (text): the search text of a value, for rows built in SQL (Open Library). */
static void
search_text_function (sqlite3_context  *context,
                      int               n_values,
                      sqlite3_value   **values)
{
  const char *text = (const char *) sqlite3_value_text (values[0]);
  char *normalized = bi_search_text_normalize (text != NULL ? text : "");

  sqlite3_result_text (context, normalized, -1, g_free);
}

static gboolean
register_functions (BiSqliteCatalog  *self,
                    GError          **error)
{
  if (sqlite3_create_function_v2 (self->db, "bi_search_text", 1,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                  search_text_function, NULL, NULL, NULL) != SQLITE_OK)
    return set_database_error (self, error, "registering its functions");
  return TRUE;
}

BiSqliteCatalog *
bi_sqlite_catalog_open (const char  *path,
                        GError     **error)
{
  BiSqliteCatalog *self;
  g_autoptr(GError) local_error = NULL;
  gboolean in_memory;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_new0 (BiSqliteCatalog, 1);
  self->port.search = catalog_search;
  self->port.lookup_isbn = catalog_lookup_isbn;
  self->port.lookup_shelf_mark = catalog_lookup_shelf_mark;
  self->respellings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_mutex_init (&self->lock);

  in_memory = strcmp (path, ":memory:") == 0;
  /* The adapter serialises its own use of the connection, so SQLite's mutex is not needed. */
  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK ||
      !register_functions (self, &local_error) ||
      !prepare_schema (self, in_memory, &local_error) ||
      !prepare_statements (self, &local_error))
    {
      g_set_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_OPEN,
                   "Cannot open the catalog database “%s”: %s. Check that its directory is "
                   "writable, or delete the file to rebuild it.", path,
                   local_error != NULL ? local_error->message
                                       : self->db != NULL ? sqlite3_errmsg (self->db)
                                                          : sqlite3_errstr (rc));
      bi_sqlite_catalog_free (self);
      return NULL;
    }

  return self;
}

void
bi_sqlite_catalog_free (BiSqliteCatalog *self)
{
  if (self == NULL)
    return;

  sqlite3_finalize (self->upsert);
  sqlite3_finalize (self->search);
  sqlite3_finalize (self->lookup_isbn);
  sqlite3_finalize (self->count_term);
  sqlite3_finalize (self->complete_term);
  sqlite3_finalize (self->by_shelf_code);
  sqlite3_finalize (self->by_shelf_class);
  g_clear_pointer (&self->respellings, g_hash_table_unref);
  bi_open_library_store_free (self->open_library);
  sqlite3_close (self->db);
  g_mutex_clear (&self->lock);
  g_free (self);
}

BiCatalog *
bi_sqlite_catalog_as_port (BiSqliteCatalog *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->port;
}
