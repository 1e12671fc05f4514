/* test-matching-catalog.c — noisy spine texts against the real shared catalogs
 *
 * The two catalog files of $BOOKIMG_SHARED_DATA/catalog (25,000 books) are imported once
 * into a SQLite database in a temporary folder; every case asks the real matcher (and the
 * validator stage) through the BiCatalog port, as the server does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-book-matcher.h"
#include "bi-memory-ports.h"
#include "bi-spine-text.h"
#include "bi-sqlite-catalog.h"
#include "bi-stages.h"
#include "bi-title-normalize.h"

#include <glib/gstdio.h>
#include <string.h>

static BiSqliteCatalog *catalog;

static BiCandidate *
candidate_new (const char *text,
               int         position)
{
  BiCandidate *candidate = bi_candidate_new ();

  candidate->text = g_strdup (text);
  bi_spine_text_split (text, &candidate->title, &candidate->author);
  candidate->x = 100 * position;
  candidate->y = 10;
  candidate->width = 40;
  candidate->height = 400;
  candidate->position = position;
  candidate->confidence = 0.9;
  return candidate;
}

/* The books given to @texts read as the spines of one photo (NULL: unresolved). */
static GPtrArray *
match_photo (const char * const *texts,
             guint               n_texts,
             GPtrArray         **hits_out)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                    bi_candidate_free);
  g_autoptr(GError) error = NULL;
  g_autofree BiBookHit **chosen = NULL;
  GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n_texts; i++)
    g_ptr_array_add (candidates, candidate_new (texts[i], (int) i));
  *hits_out = bi_book_matcher_gather (bi_sqlite_catalog_as_port (catalog), candidates, &error);
  g_assert_no_error (error);
  chosen = bi_book_matcher_assign (*hits_out, n_texts, BI_BOOK_MATCHER_MIN_CONFIDENCE);
  for (guint i = 0; i < n_texts; i++)
    {
      g_test_message ("“%s” → %s (%.3f)", texts[i],
                      chosen[i] != NULL ? chosen[i]->book->title : "unresolved",
                      chosen[i] != NULL ? chosen[i]->probability : 0.0);
      g_ptr_array_add (titles, chosen[i] != NULL ? g_strdup (chosen[i]->book->title) : NULL);
    }
  return titles;
}

/* Asserts that @texts, read as the spines of one photo, give the books @expected (NULL:
 * unresolved); returns the catalog hits, for a closer look. */
static GPtrArray *
assert_photo_titles (const char * const *texts,
                     const char * const *expected,
                     guint               n_texts)
{
  GPtrArray *hits = NULL;
  g_autoptr(GPtrArray) titles = match_photo (texts, n_texts, &hits);

  for (guint i = 0; i < n_texts; i++)
    g_assert_cmpstr (g_ptr_array_index (titles, i), ==, expected[i]);
  return hits;
}

static void
test_known_books (void)
{
  /* As OCR reads them: capitals, author beside the title, slips, a publisher, a subtitle
   * the spine does not print. */
  const char *texts[] = {
    "THE HUNGER GAMES SUZANNE COLLINS",
    "Remando como un solo hombre Daniel James Brown",
    "PAMUK La mujer del pelo rojo",
    "Fills del febrer Alan Parks",
    "EL MUSEU DE LA INNOCENCIA Ornan Pamuk",
    "BRAVE NEVV WORLD ALDOUS HUXLEY VINTAGE",
  };
  const char *expected[] = {
    "The Hunger Games (The Hunger Games, #1)",
    "Remando como un solo hombre : la historia del equipo de remo que humilló a Hitler",
    "La Mujer del pelo rojo",
    "Fills del febrer",
    "El Museu de la innocència",
    "Brave New World",
  };
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) titles = match_photo (texts, G_N_ELEMENTS (texts), &hits);

  /* Both catalogs may hold a book ("The Hunger games" is in the library's too): either
   * edition is right, so titles are compared in their normal form. */
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const char *title = g_ptr_array_index (titles, i);
      g_autofree char *got = title != NULL ? bi_title_normalize (title) : NULL;
      g_autofree char *want = bi_title_normalize (expected[i]);

      g_assert_cmpstr (got, ==, want);
    }
}

static void
test_unrelated_unresolved (void)
{
  /* What OCR reads off wood, stickers and half a spine: no book, however many catalog hits
   * share a word with it (the old validator made "No, David!" of the lone "David"). */
  const char *texts[] = {
    "David",
    "ZXQW PLORB",
    "ureuw peli d",
    "N wu Rose ee",
    "hard H.",
    "796.42 Xqz",
    "ICHAEL eis BL",
  };
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) titles = match_photo (texts, G_N_ELEMENTS (texts), &hits);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_assert_null (g_ptr_array_index (titles, i));
  /* Not for want of asking: the catalog did answer for some of them. */
  g_assert_cmpuint (hits->len, >, 0);
}

/* A whole distinctive title resolves without its author: few catalog titles hold "hobbit"
 * (the specificity feature), while many hold "david" (test_unrelated_unresolved). */
static void
test_distinctive_title (void)
{
  const char *texts[] = { "THE HOBBIT", "La mala dona" };
  const char *expected[] = { "The Hobbit", "La Mala dona" };

  g_ptr_array_unref (assert_photo_titles (texts, expected, G_N_ELEMENTS (texts)));
}

/* Short fragments OCR reads beside a title that are pieces of the book's own words ("LAD" of
 * "angeLA Duckworth" beside "GRIT", "arr" of "cARR" on the jhrcook photo) do not count
 * against it ("GRIT LAD" gave Grit 0.39 before, now 0.83). A fragment the book does not
 * hold ("INS" of "Inside", "YEA" of "Yeast": neither book is in the catalogs, "Nudge" and
 * "Salt" are) and a function word ("THE") still do. */
static void
test_fragments_of_the_book (void)
{
  /* "a espanola": a single letter is a piece of any book's letters, and must still count
   * ("Constitución española" when the book was "Gramática, lengua española"). */
  const char *texts[] = { "GRIT LAD", "THE SHALLOWS arr", "INS! THE NUDGE UNIT", "R SALT YEA",
                          "a espanola" };
  const char *expected[] = {
    "Grit: Passion, Perseverance, and the Science of Success",
    "The Shallows: What the Internet is Doing to Our Brains",
    NULL,
    NULL,
    NULL,
  };

  g_ptr_array_unref (assert_photo_titles (texts, expected, G_N_ELEMENTS (texts)));
}

/* A spine that reads two or three letters and nothing else gives no book, though "It" is
 * all of Stephen King's "It" and "Joe" all of Larry Brown's "Joe" (the generated photo 10
 * gave "It" to a region of "The Light in the Ruins"); nor does one reading three letters of
 * the book among others. With its author the short title resolves, and a title of four
 * letters read alone does too. */
static void
test_weak_reading (void)
{
  /* "rap si": three letters of the book's ("Rap : 25 años de rimas", whose main title is
   * all read) among specks (a held-out generated photo's cover). */
  const char *texts[] = { "It", "Joe", "IT STEPHEN KING", "Emma", "rap si" };
  const char *expected[] = { NULL, NULL, "It", "Emma", NULL };

  g_ptr_array_unref (assert_photo_titles (texts, expected, G_N_ELEMENTS (texts)));
}

/* A name read alone is its author's byline: it gives no book titled by it ("Stephen King's
 * N.", the life "Agatha Christie", held-out generated photos), but the author's own book
 * titled by the name alone, whose title and author it reads whole. */
static void
test_name_read_alone (void)
{
  const char *texts[] = { "Stephen King", "Hotel Agatha Christie", "Mark Twain" };
  const char *expected[] = {
    NULL,
    "At Bertram's Hotel (Miss Marple, #11)",
    "Mark Twain",
  };

  g_ptr_array_unref (assert_photo_titles (texts, expected, G_N_ELEMENTS (texts)));
}

/* A title word cut at the spine's edge is read whole for the book it continues: "ke
 * Undone" is "Jake Undone", not the "Undone" all of whose title it reads, and "IN" after
 * "CAMARADA" is "invierno" (both on held-out generated photos). */
static void
test_word_cut_at_the_edge (void)
{
  const char *texts[] = { "ke Undone", "ON CAMARADA IN" };
  const char *expected[] = {
    "Jake Undone (Jake, #1)",
    "Camarada invierno : experiencia y memoria de la División Azul (1941-1945)",
  };

  g_ptr_array_unref (assert_photo_titles (texts, expected, G_N_ELEMENTS (texts)));
}

/* A misread word no catalog title has ("ZHIVAQO"), and two spines read as one: the
 * catalog's OR search and the queries of a few words find the books all the same. */
static void
test_misread_word (void)
{
  const char *texts[] = {
    "EL DOCTOR ZHIVAQO BORIS PASTERNAK",
    "FILLS DEL FEBRER ALAN PARKS xq IFIGENIA TERESA DE LA PARRA",
  };
  const char *expected[] = { "El Doctor Zhivago", NULL };
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) titles = match_photo (texts, G_N_ELEMENTS (texts), &hits);
  gboolean both_found[2] = { FALSE, FALSE };

  g_assert_cmpstr (g_ptr_array_index (titles, 0), ==, expected[0]);
  /* The merged spine gets one of its two books, and both are among its hits. */
  g_assert_nonnull (g_ptr_array_index (titles, 1));
  for (guint i = 0; i < hits->len; i++)
    {
      const BiBookHit *hit = g_ptr_array_index (hits, i);

      if (hit->candidate == 1)
        {
          both_found[0] |= g_strcmp0 (hit->book->title, "Fills del febrer") == 0;
          both_found[1] |= g_strcmp0 (hit->book->title, "Ifigenia") == 0;
        }
    }
  g_assert_true (both_found[0] && both_found[1]);
}

/* A word read with a neighbour's letters ("FLENTRENADOR") is no catalog word; the catalog
 * searches the words one slip away, and the label's author code ("Rod": Juanjo Rodríguez)
 * backs the book up. A respelled word ("DAYESIAN") of a book the catalogs lack makes no
 * other book of it. */
static void
test_half_read_title (void)
{
  const char *texts[] = { "FLENTRENADOR EN CASA 796 Rod", "DAYESIAN STATISTICS THE FUN Way" };
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) titles = match_photo (texts, G_N_ELEMENTS (texts), &hits);

  g_assert_cmpstr (g_ptr_array_index (titles, 0), ==,
                   "El Entrenador en casa : en forma sin ir al gimnasio");
  g_assert_null (g_ptr_array_index (titles, 1));
}

/* "N Pam" under a half-read title: the author code counts as the author found, and only
 * for the book whose author's surname it starts (Teresa Pàmies). */
static void
test_author_code_evidence (void)
{
  const char *texts[] = { "S MORTS RIA DI SA N Pam", "S MORTS RIA DI SA N Xyz" };
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) titles = match_photo (texts, G_N_ELEMENTS (texts), &hits);
  double probability[2] = { 0.0, 0.0 };

  for (guint i = 0; i < hits->len; i++)
    {
      const BiBookHit *hit = g_ptr_array_index (hits, i);

      if (g_strcmp0 (hit->book->title, "Memòria dels morts") == 0)
        {
          g_assert_cmpfloat (hit->features.author_found, ==, hit->candidate == 0 ? 1.0 : 0.0);
          probability[hit->candidate] = hit->probability;
        }
      else if (hit->candidate == 0 && hit->label == BI_LABEL_NONE)
        {
          g_assert_cmpfloat (hit->features.author_found, ==, 0.0);
        }
      else if (hit->candidate == 0)
        {
          /* Pàmies' other novels, found by the label they share: the text decides. */
          g_assert_cmpint (hit->label, ==, BI_LABEL_SHARED);
          g_assert_cmpfloat (hit->probability, <, BI_BOOK_MATCHER_MIN_CONFIDENCE);
        }
    }
  g_assert_cmpfloat (probability[0], >, probability[1] + 0.2);
}

/* The hit of @title among @hits for spine @candidate; the test fails without one. */
static const BiBookHit *
find_hit (GPtrArray  *hits,
          guint       candidate,
          const char *title)
{
  for (guint i = 0; i < hits->len; i++)
    {
      const BiBookHit *hit = g_ptr_array_index (hits, i);

      if (hit->candidate == candidate && g_strcmp0 (hit->book->title, title) == 0)
        return hit;
    }
  g_error ("“%s” is not among the hits of spine %u", title, candidate);
}

/* The hits of a photo's spines carry the features bi_book_match_features() gives each spine
 * and book on its own: gathering works out what a spine reads once for all its hits, and no
 * spine's reading (its text, its label's author code) may reach another's hits. */
static void
test_features_per_spine (void)
{
  const char *texts[] = { "S MORTS RIA DI SA N Pam", "THE GREAT GATSEY", "Dune Frank Herbert",
                          "S MORTS RIA DI SA N Xyz" };
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                    bi_candidate_free);
  BiCatalog *port = bi_sqlite_catalog_as_port (catalog);
  g_autoptr(BiTitleSpecificity) specificity = bi_title_specificity_new (port);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  guint n_checked[G_N_ELEMENTS (texts)] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_ptr_array_add (candidates, candidate_new (texts[i], (int) i));
  hits = bi_book_matcher_gather (port, candidates, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < hits->len; i++)
    {
      const BiBookHit *hit = g_ptr_array_index (hits, i);
      BiMatchFeatures alone = { 0 };
      double gathered_values[BI_MATCH_N_FEATURES];
      double alone_values[BI_MATCH_N_FEATURES];

      g_assert_true (bi_book_match_features (g_ptr_array_index (candidates, hit->candidate),
                                             hit->book, specificity, &alone, &error));
      g_assert_no_error (error);
      bi_book_match_features_to_array (&hit->features, gathered_values);
      bi_book_match_features_to_array (&alone, alone_values);
      for (guint f = 0; f < BI_MATCH_N_FEATURES; f++)
        g_assert_cmpfloat (gathered_values[f], ==, alone_values[f]);
      g_assert_cmpfloat (hit->features.ocr_confidence, ==, alone.ocr_confidence);
      g_assert_cmpuint (hit->features.reading_letters, ==, alone.reading_letters);
      n_checked[hit->candidate]++;
    }
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_assert_cmpuint (n_checked[i], >, 0);
}

/* A distinctive title word read with a slip ("GATSEY", "SILMARILLTON") is as specific as
 * the word spelled right, as the catalog's search respells it: those books resolve (they
 * did not, at 0.23 each, when only words spelled exactly counted). A lone common word read
 * so ("DAVTD") stays common and unresolved. */
static void
test_slipped_word_specificity (void)
{
  const char *texts[] = { "THE GREAT GATSEY", "SILMARILLTON", "DAVTD", "THE GREAT GATSBY" };
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) titles = match_photo (texts, G_N_ELEMENTS (texts), &hits);
  const BiBookHit *slipped = find_hit (hits, 0, "The Great Gatsby");
  const BiBookHit *spelled = find_hit (hits, 3, "The Great Gatsby");

  g_assert_cmpfloat (slipped->features.specificity, >, 0.9);
  g_assert_cmpfloat (slipped->features.specificity, ==, spelled->features.specificity);
  /* Both spines read the one book: the assignment gives it to the better reading. */
  g_assert_cmpstr (g_ptr_array_index (titles, 3), ==, "The Great Gatsby");
  g_assert_cmpfloat (slipped->probability, >=, BI_BOOK_MATCHER_MIN_CONFIDENCE);
  g_assert_cmpstr (g_ptr_array_index (titles, 1), ==, "El Silmarillion");
  g_assert_null (g_ptr_array_index (titles, 2));
}

/* A surname cut at the line's end ("KAHNE" of Kahneman) counts as the author found, and
 * the surname asked alone brings the author's book among the hits, which the title's one
 * word ("THINK}") fills with other books. An author alone, with several books ("Chris
 * Cleave": Gold, Little Bee, …), names none of them; nor does a cut surname alone. */
static void
test_surname_cut_short (void)
{
  const char *texts[] = { "THINK} LOW KAHNE", "Chris Cleave a109", "KAHNE" };
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) titles = match_photo (texts, G_N_ELEMENTS (texts), &hits);
  const BiBookHit *kahneman = find_hit (hits, 0, "Thinking, Fast and Slow");

  g_assert_cmpfloat (kahneman->features.author_found, ==, 1.0);
  find_hit (hits, 1, "Gold");
  g_assert_null (g_ptr_array_index (titles, 1));
  g_assert_null (g_ptr_array_index (titles, 2));
}

/* A library label that is one book's alone names it, with or without its title read;
 * one read with a slip names it when a word of its title is read too. */
/* An author's name read in full names the author's one book, the one of the author's
 * books whose title shares a word with the text (exactly or with one slip), or the one the
 * spine's shared label names ("N Par", of seven books; the surname cut by the spine's
 * edge); an author of several books read alone, or the one book of an author beside a
 * title the catalog lacks, stays unresolved. */
static void
test_author_names_book (void)
{
  const char *texts[] = {
    "Manel Lucas WC",
    "10 MEJORES EARVIN MAG JOHNSON",
    "PAMUK Caviet Bay hjos",
    "Marc Pastor N Pas",
    "Manel Lucas HISTORIES DEL DERBI ETERN",
    "SARA PARET GG VE Par N",
  };
  const char *expected[] = {
    "Sóc perico, i què?",
    "Cuando éramos los mejores",
    "Cedvet Bey e hijos",
    NULL,
    NULL,
    "Fuego",
  };
  g_autoptr(GPtrArray) hits = assert_photo_titles (texts, expected, G_N_ELEMENTS (texts));

  g_assert_true (find_hit (hits, 0, "Sóc perico, i què?")->by_author);
  g_assert_true (find_hit (hits, 2, "Cedvet Bey e hijos")->by_author);
  g_assert_false (find_hit (hits, 3, "Farishta")->by_author);
}

static void
test_label_resolves (void)
{
  const char *texts[] = {
    "PÀDEL AS ILUSTRADO 796.34 Cas",
    "796.42 Mor",
    "MUSCULACION 196.41 Aab",
    "fitness 6.41 Lib",
    "Anatomía del CORREDOR 796.422 Pul",
  };
  const char *expected[] = {
    "Pádel",
    "Plan de entrenamiento para triatlón",
    "Musculación : el diseño anatómico y su función : la técnica correcta de 65 ejercicios "
    "para el entrenamiento de resistencia",
    "El Libro del fitness : atlas ilustrado",
    "Anatomía del corredor",
  };
  g_autoptr(GPtrArray) hits = assert_photo_titles (texts, expected, G_N_ELEMENTS (texts));
  const BiBookHit *hit;

  /* "Pádel": the title alone is a common word; the label decides, like an ISBN. */
  hit = find_hit (hits, 0, "Pádel");
  g_assert_cmpint (hit->label, ==, BI_LABEL_UNIQUE);
  g_assert_cmpfloat (hit->probability, >=, BI_BOOK_MATCHER_LABEL_CONFIDENCE);
  hit = find_hit (hits, 1, "Plan de entrenamiento para triatlón");
  g_assert_cmpint (hit->label, ==, BI_LABEL_UNIQUE);
  /* "6.41 Lib": its "79" lost; "fitness" is read besides it. */
  hit = find_hit (hits, 3, "El Libro del fitness : atlas ilustrado");
  g_assert_cmpint (hit->label, ==, BI_LABEL_UNIQUE_LOOSE);
  g_assert_cmpfloat (hit->probability, >=, BI_BOOK_MATCHER_LABEL_SLIP_CONFIDENCE);
  g_assert_cmpfloat (hit->probability, <, BI_BOOK_MATCHER_LABEL_CONFIDENCE);
}

/* A label read with a slip names no book by itself: it may be another book's label read
 * with two. Nor does a label two books share, or one that is a book's exactly while
 * another's is a slip away ("33 Mar": also "N 833 Mar" with "N 8" lost). */
static void
test_label_misread_invents_nothing (void)
{
  const char *texts[] = {
    "6.332 Tom",
    "PQXW 786.41 Aab",
    "796.422 Al",
    "33 Mar",
    "Anatomía del CORREDOR 786.41 Lib",
  };
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) titles = match_photo (texts, G_N_ELEMENTS (texts), &hits);
  const BiBookHit *hit;

  for (guint i = 0; i < 4; i++)
    g_assert_null (g_ptr_array_index (titles, i));
  /* The label's book was found, only not given. */
  hit = find_hit (hits, 0, "Barça inèdit");
  g_assert_cmpint (hit->label, ==, BI_LABEL_UNIQUE_LOOSE);
  g_assert_cmpfloat (hit->probability, <, BI_BOOK_MATCHER_MIN_CONFIDENCE);
  hit = find_hit (hits, 2, "Córrer per ser feliç : 42 motius i 195 raons per córrer");
  g_assert_cmpint (hit->label, ==, BI_LABEL_SHARED);
  /* Another book's label beside a title: the title's book, not the label's. */
  g_assert_cmpstr (g_ptr_array_index (titles, 4), ==, "Anatomía del corredor");
}

static void
test_isbn_exact (void)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                    bi_candidate_free);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree BiBookHit **chosen = NULL;
  BiCandidate *candidate = candidate_new ("SCHOLASTIC 2008", 0);

  /* Nothing of the title is readable, but the barcode is. */
  candidate->isbn13 = g_strdup ("9780439023481");
  g_ptr_array_add (candidates, candidate);
  hits = bi_book_matcher_gather (bi_sqlite_catalog_as_port (catalog), candidates, &error);
  g_assert_no_error (error);
  chosen = bi_book_matcher_assign (hits, 1, BI_BOOK_MATCHER_MIN_CONFIDENCE);
  g_assert_nonnull (chosen[0]);
  g_assert_true (chosen[0]->by_isbn);
  g_assert_cmpstr (chosen[0]->book->isbn13, ==, "9780439023481");
  g_assert_cmpfloat (chosen[0]->probability, ==, BI_BOOK_MATCHER_ISBN_CONFIDENCE);
}

/* The validator stage on a photo of three spines: a book, a book by its ISBN, and noise that
 * stays unresolved with its text, box and position — the final results' format. */
static void
test_validator_keeps_unresolved (void)
{
  g_autoptr(BiMemoryBlobStore) blobs = bi_memory_blob_store_new ();
  g_autoptr(BiMemoryTopic) topic = bi_memory_topic_new ();
  BiStagePorts ports = {
    .blob_store = bi_memory_blob_store_as_port (blobs),
    .topic = bi_memory_topic_as_port (topic),
    .catalog = bi_sqlite_catalog_as_port (catalog),
  };
  const char *job = "job-1700000000000-abcdefghijklmnopqrstuv";
  g_autofree char *message = g_strdup_printf (
    "{\"jobId\":\"%s\",\"key\":\"%s/shelf.jpg\",\"image\":{\"width\":1000,\"height\":800},"
    "\"candidates\":["
    "{\"text\":\"ZXQW PLORB\",\"title\":\"ZXQW PLORB\",\"author\":null,\"bbox\":[300,10,40,400],"
    "\"position\":2,\"angle\":90,\"confidence\":0.6},"
    "{\"text\":\"THE HUNGER GAMES SUZANNE COLLINS\",\"title\":\"THE HUNGER GAMES\","
    "\"author\":\"SUZANNE COLLINS\",\"bbox\":[100,10,40,400],\"position\":0,\"angle\":270,"
    "\"confidence\":0.9},"
    "{\"text\":\"SCHOLASTIC\",\"title\":\"SCHOLASTIC\",\"author\":null,\"bbox\":[200,10,40,400],"
    "\"position\":1,\"angle\":270,\"confidence\":0.9,\"isbn13\":\"9780340839935\"}],"
    "\"timings\":{\"ocr_ms\":5,\"candidates_ms\":1}}", job, job);
  g_autoptr(GError) error = NULL;
  g_autofree char *published = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *results;
  JsonArray *books;
  JsonArray *unresolved;
  JsonObject *item;

  g_assert_true (bi_stage_validator (message, &ports, &error));
  g_assert_no_error (error);
  published = bi_memory_topic_pop (topic);
  root = json_from_string (published, &error);
  g_assert_no_error (error);
  results = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (results, "validatedBooks"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (results, "totalCandidates"), ==, 3);

  books = json_object_get_array_member (results, "books");
  g_assert_cmpuint (json_array_get_length (books), ==, 2);
  item = json_array_get_object_element (books, 0);
  {
    g_autofree char *title = bi_title_normalize (json_object_get_string_member (item,
                                                                                "title"));

    g_assert_cmpstr (title, ==, "hunger games");
  }
  g_assert_cmpfloat (json_object_get_double_member (item, "confidence"), >=, 0.9);
  item = json_array_get_object_element (books, 1);
  g_assert_cmpstr (json_object_get_string_member (item, "isbn13"), ==, "9780340839935");
  g_assert_cmpfloat (json_object_get_double_member (item, "confidence"), ==,
                     BI_BOOK_MATCHER_ISBN_CONFIDENCE);

  unresolved = json_object_get_array_member (results, "unresolved");
  g_assert_cmpuint (json_array_get_length (unresolved), ==, 1);
  item = json_array_get_object_element (unresolved, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "text"), ==, "ZXQW PLORB");
  g_assert_cmpint (json_object_get_int_member (item, "position"), ==, 2);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (item, "bbox"), 0),
                   ==, 300);
  g_assert_cmpuint (json_object_get_size (item), ==, 3);
}

/* A region of the OCR engine that holds two spines (as on the generated photos) gets both
 * books; one book per region found only the first. */
static void
test_two_spines_one_region (void)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                    bi_candidate_free);
  g_autoptr(GPtrArray) books = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *spine_books;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_ptr_array_add (candidates, candidate_new ("FITZGERALD THIS SIDE OF PARADISE WHERE THE RED "
                                              "FERN GROWS WILSON RAWLS", 0));
  g_ptr_array_add (candidates, candidate_new ("ZXQW PLORB", 1));
  books = bi_book_matcher_resolve (bi_sqlite_catalog_as_port (catalog), candidates,
                                   BI_BOOK_MATCHER_MIN_CONFIDENCE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (books->len, ==, 2);
  spine_books = g_ptr_array_index (books, 0);
  g_assert_cmpuint (spine_books->len, ==, 2);
  first = bi_title_normalize (((BiBookHit *) g_ptr_array_index (spine_books, 0))->book->title);
  second = bi_title_normalize (((BiBookHit *) g_ptr_array_index (spine_books, 1))->book->title);
  g_test_message ("“%s”, then “%s”", first, second);
  /* Either order: the assignment picks the likelier first. */
  g_assert_true ((strcmp (first, "where the red fern grows") == 0 &&
                  strcmp (second, "this side of paradise") == 0) ||
                 (strcmp (first, "this side of paradise") == 0 &&
                  strcmp (second, "where the red fern grows") == 0));
  g_assert_cmpuint (((BiBookHit *) g_ptr_array_index (spine_books, 1))->candidate, ==, 0);
  g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (books, 1))->len, ==, 0);
}

/* The books bi_book_matcher_resolve() gives @candidates: the first of each, or NULL. */
static GPtrArray *
resolve_candidates (GPtrArray *candidates)
{
  g_autoptr(GPtrArray) books = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);

  books = bi_book_matcher_resolve (bi_sqlite_catalog_as_port (catalog), candidates,
                                   BI_BOOK_MATCHER_MIN_CONFIDENCE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < candidates->len; i++)
    {
      GPtrArray *spine_books = g_ptr_array_index (books, i);
      const BiBookHit *first = spine_books->len > 0 ? g_ptr_array_index (spine_books, 0)
                                                    : NULL;

      g_test_message ("“%s” → %s", ((BiCandidate *) candidates->pdata[i])->text,
                      first != NULL ? first->book->title : "unresolved");
      g_ptr_array_add (titles, first != NULL ? g_strdup (first->book->title) : NULL);
    }
  return titles;
}

/* A candidate reading @text in the box @x, @y, @width, @height. */
static BiCandidate *
boxed_candidate_new (const char *text,
                     int         x,
                     int         y,
                     int         width,
                     int         height)
{
  BiCandidate *candidate = candidate_new (text, 0);

  candidate->x = x;
  candidate->y = y;
  candidate->width = width;
  candidate->height = height;
  return candidate;
}

/* One spine the engine cut into two regions gives one book: the piece whose every word the
 * other piece's book explains gets none (the two lines of "Enciclopedia / visual de los
 * deportes" side by side, llabres_one; a title and its byline "Rudyard Kipling" cut at one
 * height across the shelf, a held-out generated photo). The same readings on two spines
 * apart keep a book each. */
static void
test_one_spine_two_regions (void)
{
  g_autoptr(GPtrArray) beside = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                bi_candidate_free);
  g_autoptr(GPtrArray) stacked = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 bi_candidate_free);
  g_autoptr(GPtrArray) apart = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               bi_candidate_free);
  g_autoptr(GPtrArray) beside_titles = NULL;
  g_autoptr(GPtrArray) stacked_titles = NULL;
  g_autoptr(GPtrArray) apart_titles = NULL;

  g_ptr_array_add (beside, boxed_candidate_new ("Enciclopedia Enc", 889, 736, 267, 1987));
  g_ptr_array_add (beside, boxed_candidate_new ("Deportes visual de los", 970, 736, 299, 1987));
  beside_titles = resolve_candidates (beside);
  g_assert_null (g_ptr_array_index (beside_titles, 0));
  g_assert_cmpstr (g_ptr_array_index (beside_titles, 1), ==,
                   "Enciclopedia visual de los deportes");

  g_ptr_array_add (stacked, boxed_candidate_new ("The Jungle book", 1996, 242, 106, 712));
  g_ptr_array_add (stacked, boxed_candidate_new ("Rudyard Kipling", 1960, 953, 134, 465));
  stacked_titles = resolve_candidates (stacked);
  g_assert_cmpstr (g_ptr_array_index (stacked_titles, 0), ==, "The Jungle Book");
  g_assert_null (g_ptr_array_index (stacked_titles, 1));

  g_ptr_array_add (apart, boxed_candidate_new ("Enciclopedia Enc", 600, 736, 267, 1987));
  g_ptr_array_add (apart, boxed_candidate_new ("Deportes visual de los", 970, 736, 299, 1987));
  apart_titles = resolve_candidates (apart);
  g_assert_nonnull (g_ptr_array_index (apart_titles, 0));
  g_assert_cmpstr (g_ptr_array_index (apart_titles, 1), ==,
                   "Enciclopedia visual de los deportes");
}

/* The first book bi_book_matcher_resolve() gives each of @texts read as one photo's
 * spines, or NULL. */
static GPtrArray *
resolve_photo (const char * const *texts,
               guint               n_texts)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                    bi_candidate_free);

  for (guint i = 0; i < n_texts; i++)
    g_ptr_array_add (candidates, candidate_new (texts[i], (int) i));
  return resolve_candidates (candidates);
}

/* An author read with a label several of the author's books share names the one the other
 * spines of the photo leave: three of Orhan Pamuk's books are "N Pam", and with the other
 * two given beside it "PAMUK ier tetra N Pam" is the third; with one of them only, or with
 * no label, it stays unresolved. */
static void
test_author_label_left_over (void)
{
  const char *all[] = {
    "EL MUSEU DE LA INNOCENCIA Orhan Pamuk N Pam",
    "PAMUK Cedvet Bey e hijos N Pam",
    "PAMUK ier tetra N Pam",
  };
  const char *one[] = {
    "EL MUSEU DE LA INNOCENCIA Orhan Pamuk N Pam",
    "PAMUK ier tetra N Pam",
  };
  const char *unlabelled[] = {
    "EL MUSEU DE LA INNOCENCIA Orhan Pamuk N Pam",
    "PAMUK Cedvet Bey e hijos N Pam",
    "PAMUK ier tetra",
  };
  g_autoptr(GPtrArray) titles = resolve_photo (all, G_N_ELEMENTS (all));
  g_autoptr(GPtrArray) one_titles = resolve_photo (one, G_N_ELEMENTS (one));
  g_autoptr(GPtrArray) unlabelled_titles = resolve_photo (unlabelled,
                                                          G_N_ELEMENTS (unlabelled));

  g_assert_cmpstr (g_ptr_array_index (titles, 0), ==, "El Museu de la innocència");
  g_assert_cmpstr (g_ptr_array_index (titles, 1), ==, "Cedvet Bey e hijos");
  g_assert_cmpstr (g_ptr_array_index (titles, 2), ==, "La Mujer del pelo rojo");
  g_assert_cmpstr (g_ptr_array_index (one_titles, 0), ==, "El Museu de la innocència");
  g_assert_null (g_ptr_array_index (one_titles, 1));
  g_assert_null (g_ptr_array_index (unlabelled_titles, 2));
}

int
main (int    argc,
      char **argv)
{
  const char *shared = g_getenv ("BOOKIMG_SHARED_DATA");
  const char *files[] = { "goodbooks-10k.tsv", "llabres-library.csv" };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* The shared data is part of the test setup: missing, the test fails and says so. */
  g_assert_nonnull (shared);
  dir = g_dir_make_tmp ("bookimg-matching-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "catalog.db", NULL);
  catalog = bi_sqlite_catalog_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *file = g_build_filename (shared, "catalog", files[i], NULL);

      bi_sqlite_catalog_import_file (catalog, file, NULL, &error);
      g_assert_no_error (error);
    }

  g_test_add_func ("/bookimg/matching/catalog/known-books", test_known_books);
  g_test_add_func ("/bookimg/matching/catalog/unrelated-unresolved", test_unrelated_unresolved);
  g_test_add_func ("/bookimg/matching/catalog/distinctive-title", test_distinctive_title);
  g_test_add_func ("/bookimg/matching/catalog/misread-word", test_misread_word);
  g_test_add_func ("/bookimg/matching/catalog/fragments-of-the-book",
                   test_fragments_of_the_book);
  g_test_add_func ("/bookimg/matching/catalog/weak-reading", test_weak_reading);
  g_test_add_func ("/bookimg/matching/catalog/name-read-alone", test_name_read_alone);
  g_test_add_func ("/bookimg/matching/catalog/word-cut-at-the-edge",
                   test_word_cut_at_the_edge);
  g_test_add_func ("/bookimg/matching/catalog/one-spine-two-regions",
                   test_one_spine_two_regions);
  g_test_add_func ("/bookimg/matching/catalog/isbn-exact", test_isbn_exact);
  g_test_add_func ("/bookimg/matching/catalog/half-read-title", test_half_read_title);
  g_test_add_func ("/bookimg/matching/catalog/slipped-word-specificity",
                   test_slipped_word_specificity);
  g_test_add_func ("/bookimg/matching/catalog/surname-cut-short", test_surname_cut_short);
  g_test_add_func ("/bookimg/matching/catalog/features-per-spine", test_features_per_spine);
  g_test_add_func ("/bookimg/matching/catalog/author-code-evidence",
                   test_author_code_evidence);
  g_test_add_func ("/bookimg/matching/catalog/author-names-book", test_author_names_book);
  g_test_add_func ("/bookimg/matching/catalog/author-label-left-over",
                   test_author_label_left_over);
  g_test_add_func ("/bookimg/matching/catalog/label-resolves", test_label_resolves);
  g_test_add_func ("/bookimg/matching/catalog/label-misread-invents-nothing",
                   test_label_misread_invents_nothing);
  g_test_add_func ("/bookimg/matching/catalog/two-spines-one-region",
                   test_two_spines_one_region);
  g_test_add_func ("/bookimg/matching/catalog/validator-keeps-unresolved",
                   test_validator_keeps_unresolved);
  status = g_test_run ();

  g_clear_pointer (&catalog, bi_sqlite_catalog_free);
  g_remove (path);
  g_rmdir (dir);
  return status;
}
