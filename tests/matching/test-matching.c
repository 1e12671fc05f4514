/* test-matching.c — text clean-up, title/author split, normalisation and assignment
 *
 * The pieces of the matcher that need no catalog, each against a table of what OCR gives and
 * what must come out; the catalog-backed cases are in test-matching-catalog.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-assignment.h"
#include "bi-book-matcher.h"
#include "bi-call-number.h"
#include "bi-heuristic-candidates.h"
#include "bi-ocr-text.h"
#include "bi-printed-isbn.h"
#include "bi-publisher-marks.h"
#include "bi-spine-residual.h"
#include "bi-spine-text.h"
#include "bi-text-similarity.h"
#include "bi-title-normalize.h"
#include "bi-test-rewrites.h"

static void
test_normalize (void)
{
  const struct
  {
    const char *title;
    const char *full;
    const char *main_title; /* NULL: no subtitle */
  } cases[] = {
    /* accents, case, punctuation */
    { "Córrer per ser feliç", "correr per ser felic", NULL },
    { "Cançons d'amor i de pluja", "cancons damor i de pluja", NULL },
    { "¡Vaya timo!", "vaya timo", NULL },
    /* leading articles in five languages */
    { "The Hunger Games", "hunger games", NULL },
    { "A Farewell to Arms", "farewell to arms", NULL },
    { "La Mujer del pelo rojo", "mujer del pelo rojo", NULL },
    { "Els Ulls grocs dels cocodrils", "ulls grocs dels cocodrils", NULL },
    { "L'Écume des jours", "ecume des jours", NULL },
    { "L’ombra del vent", "ombra del vent", NULL },
    { "Die Blechtrommel", "blechtrommel", NULL },
    { "Der Prozess", "prozess", NULL },
    { "Le Petit Prince", "petit prince", NULL },
    { "Une saison en enfer", "saison en enfer", NULL },
    /* an article that is the whole title stays */
    { "La", "la", NULL },
    /* series notes */
    { "Guards! Guards! (Discworld, #8)", "guards guards", NULL },
    { "Dune (Dune Chronicles #1)", "dune", NULL },
    { "Bayesian Data Analysis (BDA3)", "bayesian data analysis bda3", NULL },
    /* subtitles: the main title is an alternative */
    { "Remando como un solo hombre : la historia del equipo de remo que humilló a Hitler",
      "remando como un solo hombre la historia del equipo de remo que humillo a hitler",
      "remando como un solo hombre" },
    { "The Hunger Games: Catching Fire (The Hunger Games, #2)",
      "hunger games catching fire", "hunger games" },
    { "", "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *full = bi_title_normalize (cases[i].title);
      g_autofree char *main_title = bi_title_normalize_main (cases[i].title);

      g_test_message ("“%s”", cases[i].title);
      g_assert_cmpstr (full, ==, cases[i].full);
      g_assert_cmpstr (main_title, ==, cases[i].main_title);
    }
}

static void
test_ocr_repair (void)
{
  const char *cases[][2] = {
    { "H0BBIT", "HOBBIT" },
    { "THE H0BB1T", "THE HOBBIT" },
    { "Suzanne Co11ins", "Suzanne Collins" },
    { "HOBBlT", "HOBBIT" },
    { "CoIlins", "Collins" },
    { "McIntosh", "McIntosh" },
    { "Catch-22", "Catch-22" },
    { "1984", "1984" },
    { "BDA3", "BDA3" },
    { "Hob- bit", "Hobbit" },
    { "Catch- 22", "Catch 22" },
    { "|THE HOBBIT_ ~~", "THE HOBBIT" },
    { "5TORM", "STORM" },
    { "RICHARD IIT William Shakespeare", "RICHARD III William Shakespeare" },
    { "HENRY IIl", "HENRY III" },
    { "IT", "IT" },
    { "IIT Madras", "IIT Madras" },
    { "SO PH IA LO R E N Silvana Giacobini", "SOPHIALOREN Silvana Giacobini" },
    { "GRAMATICA CATALANA DE LA A A LA Z", "GRAMATICA CATALANA DE LA A A LA Z" },
    { "A LA PE DE UN", "A LA PE DE UN" },
    { "So Ph Ia Lo", "So Ph Ia Lo" },
    { "", "" },
  };

  bi_test_assert_rewrites (cases, G_N_ELEMENTS (cases), bi_ocr_text_repair);
}

static void
test_similarity_fold (void)
{
  const char *cases[][2] = {
    { "modern", "modem" },
    { "hobb1t", "hobblt" },
    { "h0bbit", "hobblt" },
    { "vvorld", "world" },
  };
  g_autoptr(BiTrigrams) a = NULL;
  g_autoptr(BiTrigrams) b = NULL;
  g_autoptr(BiTrigrams) c = NULL;

  bi_test_assert_rewrites (cases, G_N_ELEMENTS (cases), bi_text_similarity_fold);

  /* One misread letter costs a little, another title a lot. */
  a = bi_trigrams_new ("hunger games");
  b = bi_trigrams_new ("hunqer games");
  c = bi_trigrams_new ("catching fire");
  g_assert_cmpfloat (bi_trigrams_dice (a, a), ==, 1.0);
  g_assert_cmpfloat (bi_trigrams_dice (a, b), >, 0.7);
  g_assert_cmpfloat (bi_trigrams_dice (a, c), <, 0.2);
  g_assert_cmpfloat (bi_text_word_overlap ("hunger games", "the hunger gamez suzanne collins"),
                     ==, 1.0);
  g_assert_cmpfloat (bi_text_word_overlap ("no david", "david halpern inside the nudge unit"),
                     <, 0.8);
}

/* A word read with one slip, as the catalog respells it: one letter changed, dropped or
 * added (folded first, so "rn" for "m" is none); two slips, or short words, are other
 * words. */
static void
test_one_slip (void)
{
  const struct
  {
    const char *read;
    const char *word;
    gboolean    slip;
  } cases[] = {
    { "monevball", "moneyball", TRUE },   /* changed */
    { "moneball", "moneyball", TRUE },    /* dropped */
    { "moneyyball", "moneyball", TRUE },  /* added */
    { "rnoneyball", "moneyball", TRUE },  /* folded: no slip at all */
    { "moneyball", "moneyball", TRUE },
    { "monevbali", "moneyball", TRUE },   /* "i" folds to "l" */
    { "monevbaxl", "moneyball", FALSE },  /* two */
    { "worto", "world", FALSE },
    { "davtd", "david", TRUE },
    { "kahne", "kahneman", FALSE },       /* cut short: three letters */
    { "grlt", "grit", FALSE },            /* under five letters */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("“%s” for “%s”", cases[i].read, cases[i].word);
      g_assert_cmpint (bi_text_one_slip (cases[i].read, cases[i].word, 5), ==, cases[i].slip);
    }
}

static void
test_split (void)
{
  const struct
  {
    const char *text;
    const char *title;
    const char *author;
  } cases[] = {
    /* author after the title */
    { "THE HUNGER GAMES SUZANNE COLLINS", "THE HUNGER GAMES", "SUZANNE COLLINS" },
    { "Remando como un solo hombre Daniel James Brown", "Remando como un solo hombre",
      "Daniel James Brown" },
    { "THE HOBBIT J.R.R. TOLKIEN", "THE HOBBIT", "J.R.R. TOLKIEN" },
    { "La dulce envenenadora Arto Paasilinna", "La dulce envenenadora", "Arto Paasilinna" },
    /* author first */
    { "Arcadi Alibés Córrer per ser feliç", "Córrer per ser feliç", "Arcadi Alibés" },
    { "STEVEN RINELLA MEAT EATER", "MEAT EATER", "STEVEN RINELLA" },
    { "Ursula K. Le Guin The Left Hand of Darkness", "The Left Hand of Darkness",
      "Ursula K. Le Guin" },
    /* "Surname, Name" */
    { "Collins, Suzanne", "", "Suzanne Collins" },
    { "Brown, Daniel James", "", "Daniel James Brown" },
    { "Thinking, Fast and Slow", "Thinking, Fast and Slow", NULL },
    /* no name at either end */
    { "THE RIGHT SIDE OF HISTORY", "THE RIGHT SIDE OF HISTORY", NULL },
    { "Dune", "Dune", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *title = NULL;
      g_autofree char *author = NULL;

      g_test_message ("“%s”", cases[i].text);
      bi_spine_text_split (cases[i].text, &title, &author);
      g_assert_cmpstr (title, ==, cases[i].title);
      g_assert_cmpstr (author, ==, cases[i].author);
    }
}

static void
test_publishers (void)
{
  const char *cases[][2] = {
    { "Dune PENGUIN BOOKS", "Dune" },
    { "Vintage Classics The Road", "The Road" },
    { "Anagrama Seda Alessandro Baricco", "Seda Alessandro Baricco" },
    { "La plaça del Diamant Edicions 62", "La plaça del Diamant" },
    { "Der Prozess dtv", "Der Prozess" },
    { "Suhrkamp Homo faber Fischer", "Homo faber" },
    { "L'Étranger Folio Gallimard", "L'Étranger" },
    { "HarperCollins", "" },
    /* inside a title, a publisher's name is a word of it */
    { "The Penguin Lessons", "The Penguin Lessons" },
    { "El planeta de los simios", "El planeta de los simios" },
  };

  bi_test_assert_rewrites (cases, G_N_ELEMENTS (cases), bi_publisher_marks_strip);
  g_assert_true (bi_publisher_marks_is_only ("PENGUIN BOOKS"));
  g_assert_false (bi_publisher_marks_is_only ("Penguin Island"));
}

/* A public library's labels come off the spine text; numbers and words of titles stay. */
static void
test_call_number (void)
{
  const char *cases[][3] = {
    /* text, without labels, author code */
    { "ALA DE FATNESS PARA ELT! 796.4 Sal", "ALA DE FATNESS PARA ELT!", "sal" },
    { "Els ulls grocs dels cocodrils N Pan", "Els ulls grocs dels cocodrils", "pan" },
    { "UN ESTIU SARA PARET VE 833 Par Par", "UN ESTIU SARA PARET VE", "par" },
    { "seRGr PAMIES DE PI ON CA NPam", "seRGr PAMIES DE PI ON CA", "pam" },
    { "JN Gal El club dels cinc", "El club dels cinc", "gal" },
    { "I** Gri Gritos y escalofríos", "Gritos y escalofríos", "gri" },
    { "Poesia P 833 Mar", "Poesia", "mar" },
    { "ow 796.355 GIMNASTICA", "ow GIMNASTICA", NULL },
    { "Història 82-31 de Catalunya", "Història de Catalunya", NULL },
    /* no label: the code ending the text is evidence, kept in the text */
    { "Alan Parks Fills del febrer Par il", "Alan Parks Fills del febrer Par il", "par" },
    /* titles' numbers and short words */
    { "1000 juegos y deportes populares", "1000 juegos y deportes populares", NULL },
    { "Córrer per ser feliç 42 motius i 195 raons", "Córrer per ser feliç 42 motius i 195 raons",
      NULL },
    { "I Saw Her Standing There", "I Saw Her Standing There", NULL },
    { "Guerra civil 1936-1939", "Guerra civil 1936-1939", NULL },
    { "Web 2.0 para todos", "Web 2.0 para todos", NULL },
    { "Mar", "Mar", NULL },
    /* a label read in two pieces, its collection letter last */
    { "SARA PARET GG VE Par N", "SARA PARET GG VE", "par" },
    { "Alan Parks Par X", "Alan Parks Par X", "par" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *code = NULL;
      g_autofree char *stripped = bi_call_number_strip (cases[i][0], &code);

      g_test_message ("“%s”", cases[i][0]);
      g_assert_cmpstr (stripped, ==, cases[i][1]);
      g_assert_cmpstr (code, ==, cases[i][2]);
    }
}

/* The labels themselves, class number and code as read, for the catalog's lookup; a code
 * misread only after a class number no title prints. */
static void
test_call_number_read (void)
{
  const char *cases[][2] = {
    /* text, the labels read ("class|code", joined by ";") */
    { "PÀDEL AS ILUSTRADO 796.34 Cas", "796.34|Cas" },
    { "UN ESTIU SARA PARET VE 833 Par Par", "833|Par" },
    { "Poesia P 833 Mar", "P 833|Mar" },
    { "seRGr PAMIES DE PI ON CA NPam", "N|Pam" },
    { "I** Gri Gritos y escalofríos", "I**|Gri" },
    { "MUSCULACION 196.41 Aab", "196.41|Aab" },
    { "fitness 6.41 Lib", "6.41|Lib" },
    { "796 342 RpP", "796 342|RpP" },
    { "796.422 Al", "796.422|Al" },
    { "796.332 vel", "796.332|vel" },
    { "cinpy Clave 4 796.325 Ken", "796.325|Ken" },
    { "Història 82-31 de Catalunya", "" },
    { "796.355 Pin 796.4 Sal", "796.355|Pin;796.4|Sal" },
    { "SARA PARET GG VE Par N", "N|Par" },
    { "Marc Pastor Farishta Pas N", "N|Pas" },
    /* no label: a code ending the text alone, a misread code after a plain number */
    { "Alan Parks Fills del febrer Par il", "" },
    { "7196 La tradicion", "" },
    { "1984 Al", "" },
    { "I Saw Her Standing There", "" },
    { "Par N Fills del febrer", "" },
    { "Els Par I", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) labels = bi_call_number_read (cases[i][0]);
      g_autoptr(GString) read = g_string_new (NULL);

      for (guint l = 0; l < labels->len; l++)
        {
          const BiCallNumber *label = g_ptr_array_index (labels, l);

          g_string_append_printf (read, "%s%s|%s", l > 0 ? ";" : "", label->class_number,
                                  label->author_code);
        }
      g_test_message ("“%s”", cases[i][0]);
      g_assert_cmpstr (read->str, ==, cases[i][1]);
    }
}

/* The code is the start of the first author's surname (the catalog writes "Given Surname",
 * dates among the words), or of the title without its article when there is no author. */
static void
test_call_number_code (void)
{
  const char *pamies[] = { "Teresa 1919-2012 Pàmies", NULL };
  const char *two_surnames[] = { "Manuel Belmonte Nieto", "Mario Bunge", NULL };
  const char *none[] = { NULL };

  g_assert_true (bi_call_number_code_matches ("pam", "Memòria dels morts", pamies));
  g_assert_false (bi_call_number_code_matches ("ter", "Memòria dels morts", pamies));
  g_assert_false (bi_call_number_code_matches ("mem", "Memòria dels morts", pamies));
  g_assert_true (bi_call_number_code_matches ("nie", "Enseñar", two_surnames));
  g_assert_false (bi_call_number_code_matches ("bun", "Enseñar", two_surnames));
  g_assert_true (bi_call_number_code_matches ("gri", "Gritos y escalofríos", none));
  g_assert_true (bi_call_number_code_matches ("cas", "La Casa", none));
  g_assert_false (bi_call_number_code_matches (NULL, "La Casa", none));
}

static void
test_printed_isbn (void)
{
  const char *cases[][2] = {
    { "ISBN 978-84-339-7123-4", "9788433971234" },
    { "ISBN 978-84-339-7123-5", NULL },         /* wrong check digit */
    { "ISBN 978-0-439-02348-1", "9780439023481" },
    { "isbn: 9780439023481 Scholastic", "9780439023481" },
    { "ISBN 0-439-02348-3", "9780439023481" },  /* ISBN-10, converted */
    { "ISBN 0 439 02348 3", "9780439023481" },
    { "ISBN 0-439-02348-4", NULL },             /* ISBN-10, wrong check digit */
    { "ISBN 978O439O23481", "9780439023481" },  /* O read for 0 after "ISBN" */
    { "0-8044-2957-X", "9780804429573" },       /* check digit X */
    { "THE HUNGER GAMES 2008", NULL },
    { "12345678901234567", NULL },
    { "", NULL },
  };

  bi_test_assert_rewrites (cases, G_N_ELEMENTS (cases), bi_printed_isbn_find);
}

/* The greedy matching the validator used to do: best pair first. */
static double
greedy_total (const double *weights,
              guint         n_rows,
              guint         n_columns)
{
  g_autofree gboolean *row_used = g_new0 (gboolean, n_rows);
  g_autofree gboolean *column_used = g_new0 (gboolean, n_columns);
  double total = 0.0;

  for (;;)
    {
      double best = 0.0;
      guint best_row = 0;
      guint best_column = 0;

      for (guint r = 0; r < n_rows; r++)
        for (guint c = 0; c < n_columns; c++)
          if (!row_used[r] && !column_used[c] && weights[r * n_columns + c] > best)
            {
              best = weights[r * n_columns + c];
              best_row = r;
              best_column = c;
            }
      if (best <= 0.0)
        return total;
      row_used[best_row] = column_used[best_column] = TRUE;
      total += best;
    }
}

static void
test_assignment_beats_greedy (void)
{
  /* Spine 0 fits book A best (0.90) and book B nearly as well (0.85); spine 1 fits only A
   * (0.88). Greedy gives A to spine 0 and leaves spine 1 with nothing (0.90 in all); the
   * assignment gives B to spine 0 and A to spine 1 (1.73). */
  const double weights[] = {
    0.90, 0.85,
    0.88, 0.00,
  };
  int row_to_column[2];

  bi_assignment_maximize (weights, 2, 2, row_to_column);
  g_assert_cmpint (row_to_column[0], ==, 1);
  g_assert_cmpint (row_to_column[1], ==, 0);
  g_assert_cmpfloat_with_epsilon (greedy_total (weights, 2, 2), 0.90, 1e-9);
  g_assert_cmpfloat_with_epsilon (weights[0 * 2 + 1] + weights[1 * 2 + 0], 1.73, 1e-9);
}

static void
test_assignment_larger (void)
{
  /* Four spines, three books, two separate groups; not allowed pairs stay unassigned. */
  const double weights[] = {
    0.6, 0.0, 0.0,
    0.7, 0.0, 0.0,
    0.0, 0.0, 0.0,
    0.0, 0.5, 0.9,
  };
  int row_to_column[4];

  bi_assignment_maximize (weights, 4, 3, row_to_column);
  g_assert_cmpint (row_to_column[0], ==, -1);
  g_assert_cmpint (row_to_column[1], ==, 0);
  g_assert_cmpint (row_to_column[2], ==, -1);
  g_assert_cmpint (row_to_column[3], ==, 2);

  bi_assignment_maximize (NULL, 0, 0, NULL);
}

static BiBookHit *
hit_new (guint       candidate,
         const char *source_id,
         double      probability)
{
  BiBookHit *hit = g_new0 (BiBookHit, 1);

  hit->candidate = candidate;
  hit->book = bi_book_new ();
  hit->book->title = g_strdup (source_id);
  hit->book->source_id = g_strdup (source_id);
  hit->probability = probability;
  return hit;
}

static void
test_no_book_twice (void)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              bi_book_hit_free);
  g_autofree BiBookHit **chosen = NULL;

  /* Two spines of one book (a photo with the same book twice, or a spine read twice): the
   * book goes once, to the better reading; a hit under the threshold is never given. */
  g_ptr_array_add (hits, hit_new (0, "goodbooks:7", 0.80));
  g_ptr_array_add (hits, hit_new (1, "goodbooks:7", 0.95));
  g_ptr_array_add (hits, hit_new (2, "goodbooks:9", BI_BOOK_MATCHER_MIN_CONFIDENCE - 0.05));
  chosen = bi_book_matcher_assign (hits, 3, BI_BOOK_MATCHER_MIN_CONFIDENCE);
  g_assert_null (chosen[0]);
  g_assert_nonnull (chosen[1]);
  g_assert_cmpstr (chosen[1]->book->source_id, ==, "goodbooks:7");
  g_assert_null (chosen[2]);
}

static void
test_isbn_hit_wins (void)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              bi_book_hit_free);
  g_autofree BiBookHit **chosen = NULL;
  BiBookHit *by_isbn = hit_new (1, "goodbooks:1", BI_BOOK_MATCHER_ISBN_CONFIDENCE);

  /* Spine 0's text looks very much like the book; spine 1 has its ISBN: the ISBN wins. */
  by_isbn->by_isbn = TRUE;
  g_ptr_array_add (hits, hit_new (0, "goodbooks:1", 0.995));
  g_ptr_array_add (hits, by_isbn);
  chosen = bi_book_matcher_assign (hits, 2, BI_BOOK_MATCHER_MIN_CONFIDENCE);
  g_assert_null (chosen[0]);
  g_assert_true (chosen[1] == by_isbn);
}

static void
test_probability_monotone (void)
{
  BiMatchFeatures weak = { 0.3, 0.2, 0.2, 0.0, 0.15, 0.9, 0.5 };
  BiMatchFeatures strong = { 1.0, 0.95, 1.0, 1.0, 0.5, 0.9, 1.0 };

  g_assert_cmpfloat (bi_book_match_probability (&weak), <, BI_BOOK_MATCHER_MIN_CONFIDENCE);
  g_assert_cmpfloat (bi_book_match_probability (&strong), >, 0.9);
}

/* A spine reading three letters or fewer (besides labels), or three letters or fewer of
 * the book's words, gives its book at most 0.3, under the threshold, however well they
 * match; four letters keep the model's probability. */
static void
test_weak_reading_probability (void)
{
  BiMatchFeatures whole = { 1.0, 1.0, 1.0, 0.0, 0.9, 0.0, 1.0, 2, 2 };

  g_assert_cmpfloat (bi_book_match_reading_probability (&whole, 0.66), <,
                     BI_BOOK_MATCHER_MIN_CONFIDENCE);
  g_assert_cmpfloat (bi_book_match_reading_probability (&whole, 0.1), ==, 0.1);
  whole.reading_letters = whole.explained_letters = 3;
  g_assert_cmpfloat (bi_book_match_reading_probability (&whole, 0.66), <,
                     BI_BOOK_MATCHER_MIN_CONFIDENCE);
  whole.reading_letters = whole.explained_letters = 4;
  g_assert_cmpfloat (bi_book_match_reading_probability (&whole, 0.66), ==, 0.66);
  /* Three letters of the book's among others ("rap si"): as weak. */
  whole.reading_letters = 5;
  whole.explained_letters = 3;
  g_assert_cmpfloat (bi_book_match_reading_probability (&whole, 0.66), <,
                     BI_BOOK_MATCHER_MIN_CONFIDENCE);
}

/* A book named by its author's name gets at least the author confidence, over the
 * threshold; the author's only book not when its title and authors explain little of the
 * text (another book of the author's, absent from the catalog, whose title is read); a
 * likelier book keeps its probability. */
static void
test_author_probability (void)
{
  BiMatchFeatures features = { 0.0, 0.8, 0.0, 1.0, 0.9, 0.0, 0.0, 12 };

  g_assert_cmpfloat (bi_book_match_author_probability (&features, BI_AUTHOR_ONLY_BOOK, 0.05),
                     ==, BI_BOOK_MATCHER_AUTHOR_CONFIDENCE);
  g_assert_cmpfloat (BI_BOOK_MATCHER_AUTHOR_CONFIDENCE, >=, BI_BOOK_MATCHER_MIN_CONFIDENCE);
  g_assert_cmpfloat (bi_book_match_author_probability (&features, BI_AUTHOR_ONLY_BOOK, 0.95),
                     ==, 0.95);
  features.text_precision = 0.3;
  g_assert_cmpfloat (bi_book_match_author_probability (&features, BI_AUTHOR_ONLY_BOOK, 0.05),
                     ==, 0.05);
  g_assert_cmpfloat (bi_book_match_author_probability (&features, BI_AUTHOR_TITLE_WORD, 0.05),
                     ==, BI_BOOK_MATCHER_AUTHOR_CONFIDENCE);
}

/* ---- the generator ------------------------------------------------------------------- */

static BiOcrLine *
line_new (const char    *text,
          int            x,
          int            y,
          int            width,
          int            height,
          double         angle,
          int            region,
          BiOcrLineKind  kind)
{
  BiOcrLine *line = bi_ocr_line_new (text, 0.9, x, y, width, height, angle);

  line->region = region;
  line->kind = kind;
  return line;
}

static GPtrArray *
generate (const BiOcrResult *ocr)
{
  g_autoptr(BiHeuristicCandidates) heuristics = bi_heuristic_candidates_new ();
  BiCandidateGenerator *port = bi_heuristic_candidates_as_port (heuristics);
  g_autoptr(GError) error = NULL;
  GPtrArray *candidates = port->generate (port, ocr, &error);

  g_assert_no_error (error);
  return candidates;
}

static void
test_regions (void)
{
  g_autoptr(BiOcrResult) ocr = bi_ocr_result_new (1000, 800);
  g_autoptr(GPtrArray) candidates = NULL;
  BiOcrRegion regions[] = {
    { 100, 20, 60, 700, 0.0, BI_OCR_REGION_SPINE },
    { 170, 20, 60, 700, 0.0, BI_OCR_REGION_SPINE },
    { 240, 20, 60, 700, 0.0, BI_OCR_REGION_SPINE }, /* nothing read on it */
  };
  BiCandidate *candidate;

  g_array_append_vals (ocr->regions, regions, G_N_ELEMENTS (regions));
  /* Region 1 given first; far apart along the spine, which without regions would be two
   * groups. A publisher at the foot, a barcode on region 0, a printed ISBN on region 1. */
  g_ptr_array_add (ocr->lines, line_new ("SUZANNE COLLINS", 180, 600, 30, 100, 270, 1,
                                         BI_OCR_LINE_TEXT));
  g_ptr_array_add (ocr->lines, line_new ("THE HUNGER GAMES", 175, 30, 40, 200, 270, 1,
                                         BI_OCR_LINE_TEXT));
  g_ptr_array_add (ocr->lines, line_new ("ISBN 0-439-02348-3", 185, 400, 20, 150, 270, 1,
                                         BI_OCR_LINE_TEXT));
  g_ptr_array_add (ocr->lines, line_new ("DUNE", 110, 40, 40, 100, 270, 0, BI_OCR_LINE_TEXT));
  g_ptr_array_add (ocr->lines, line_new ("PENGUIN", 110, 650, 30, 60, 270, 0,
                                         BI_OCR_LINE_TEXT));
  g_ptr_array_add (ocr->lines, line_new ("9780441172719", 105, 500, 50, 80, 0, 0,
                                         BI_OCR_LINE_BARCODE));
  /* Outside any region: grouped as before, after the regions. */
  g_ptr_array_add (ocr->lines, line_new ("CATCHING FIRE", 500, 60, 35, 300, 270, -1,
                                         BI_OCR_LINE_TEXT));

  candidates = generate (ocr);
  g_assert_cmpuint (candidates->len, ==, 3);

  candidate = g_ptr_array_index (candidates, 0);
  g_assert_cmpstr (candidate->title, ==, "DUNE");
  g_assert_null (candidate->author);
  g_assert_cmpstr (candidate->text, ==, "DUNE PENGUIN");
  g_assert_cmpstr (candidate->isbn13, ==, "9780441172719");
  g_assert_cmpint (candidate->x, ==, 100);
  g_assert_cmpint (candidate->height, ==, 700);
  g_assert_cmpint (candidate->position, ==, 0);

  candidate = g_ptr_array_index (candidates, 1);
  g_assert_cmpstr (candidate->author, ==, "SUZANNE COLLINS");
  g_assert_cmpstr (candidate->isbn13, ==, "9780439023481");
  g_assert_true (g_str_has_prefix (candidate->title, "THE HUNGER GAMES"));
  g_assert_cmpint (candidate->x, ==, 170);
  g_assert_cmpint (candidate->position, ==, 1);

  candidate = g_ptr_array_index (candidates, 2);
  g_assert_cmpstr (candidate->title, ==, "CATCHING FIRE");
  g_assert_null (candidate->isbn13);
  g_assert_cmpint (candidate->position, ==, 2);
}

static void
test_one_spine_one_candidate (void)
{
  g_autoptr(BiOcrResult) ocr = bi_ocr_result_new (2000, 2400);
  g_autoptr(GPtrArray) candidates = NULL;
  BiCandidate *candidate;

  /* What Tesseract read off one spine of the real home shelf: a title on two lines side by
   * side and the author below; and, on the shelf beneath at the same x, another book. The
   * old grouping made three candidates of the first spine and joined the other shelf's. */
  g_ptr_array_add (ocr->lines, line_new ("IN THREE EASY STEPS", 638, 1635, 24, 232, 270, -1,
                                         BI_OCR_LINE_TEXT));
  g_ptr_array_add (ocr->lines, line_new ("HOW TO DESTROY AMERICA", 662, 1595, 31, 315, 270,
                                         -1, BI_OCR_LINE_TEXT));
  g_ptr_array_add (ocr->lines, line_new ("BEN SHAPIRO", 663, 2017, 31, 266, 270, -1,
                                         BI_OCR_LINE_TEXT));
  g_ptr_array_add (ocr->lines, line_new ("HAWTHORNE", 638, 477, 21, 162, 270, -1,
                                         BI_OCR_LINE_TEXT));

  candidates = generate (ocr);
  g_assert_cmpuint (candidates->len, ==, 2);
  candidate = g_ptr_array_index (candidates, 1);
  g_assert_cmpstr (candidate->text, ==, "HOW TO DESTROY AMERICA IN THREE EASY STEPS BEN SHAPIRO");
  g_assert_cmpstr (candidate->title, ==, "HOW TO DESTROY AMERICA IN THREE EASY STEPS");
  g_assert_cmpstr (candidate->author, ==, "BEN SHAPIRO");
  candidate = g_ptr_array_index (candidates, 0);
  g_assert_cmpstr (candidate->text, ==, "HAWTHORNE");
}

/* A label read in two pieces ("Par", then "N" on a line of its own, as on the real
 * two-shelves photo) keeps its collection letter; another lone letter is a speck. */
static void
test_label_in_two_pieces (void)
{
  g_autoptr(BiOcrResult) ocr = bi_ocr_result_new (1000, 800);
  g_autoptr(GPtrArray) candidates = NULL;
  BiOcrRegion region = { 100, 20, 60, 700, 0.0, BI_OCR_REGION_SPINE };
  BiCandidate *candidate;

  g_array_append_val (ocr->regions, region);
  g_ptr_array_add (ocr->lines, line_new ("SARA PARET", 110, 40, 30, 300, 90, 0,
                                         BI_OCR_LINE_TEXT));
  g_ptr_array_add (ocr->lines, line_new ("x", 112, 500, 8, 8, 90, 0, BI_OCR_LINE_TEXT));
  g_ptr_array_add (ocr->lines, line_new ("Par", 115, 600, 20, 40, 90, 0, BI_OCR_LINE_TEXT));
  g_ptr_array_add (ocr->lines, line_new ("N", 115, 650, 20, 12, 90, 0, BI_OCR_LINE_TEXT));

  candidates = generate (ocr);
  g_assert_cmpuint (candidates->len, ==, 1);
  candidate = g_ptr_array_index (candidates, 0);
  g_assert_cmpstr (candidate->text, ==, "SARA PARET Par N");
}

/* A book titled @title by @authors (separated by "\n"). */
static BiBook *
book_new (const char *title,
          const char *authors)
{
  BiBook *book = bi_book_new ();

  book->title = g_strdup (title);
  g_strfreev (book->authors);
  book->authors = g_strsplit (authors, "\n", -1);
  return book;
}

/* What a book leaves of a region's text: the other spines' words, as read. */
static void
test_spine_residual (void)
{
  g_autoptr(BiBook) bonk = bi_book_new ();
  g_autoptr(BiBook) silence = bi_book_new ();
  g_autofree char *left = NULL;

  bonk->title = g_strdup ("Bonk: The Curious Coupling of Science and Sex");
  g_strfreev (bonk->authors);
  bonk->authors = g_strdupv ((char *[]) { "Mary Roach", NULL });
  silence->title = g_strdup ("El Silencio de los claustros");
  g_strfreev (silence->authors);
  silence->authors = g_strdupv ((char *[]) { "Alicia Giménez Bartlett", NULL });

  /* Two spines read as one region (generated photos): the other book's words stay. */
  left = bi_spine_residual ("Bonk Chrysanthemum Mary Roach Kevin Henkes", bonk);
  g_assert_cmpstr (left, ==, "Chrysanthemum Kevin Henkes");
  g_clear_pointer (&left, g_free);
  /* Accents and case as OCR reads them; each book word takes one text word only, so the
   * other title's "de"/"los" would stay. */
  left = bi_spine_residual ("EL SILENCIO DE LOS CLAUSTROS Alicia Gimenez Bartlett EDUCAR PER "
                            "SER Rebeca Wild", silence);
  g_assert_cmpstr (left, ==, "EDUCAR PER SER Rebeca Wild");
  g_clear_pointer (&left, g_free);
  /* A misread letter in a long word is still the book's. */
  left = bi_spine_residual ("EL SILENCIO DE LOS CLAUSTRQS", silence);
  g_assert_null (left);
  /* Library labels and noise left over name no book. */
  left = bi_spine_residual ("Bonk Mary Roach N Par 796", bonk);
  g_assert_null (left);
}

/* A title word read twice is one spine read twice, and names no second book; an author's
 * name read twice is the author's next book on the shelf. */
static void
test_spine_residual_read_twice (void)
{
  g_autoptr(BiBook) atlantida = book_new ("Atlàntida", "Jaume Copons");
  g_autoptr(BiBook) bicicleta = book_new ("La Bicicleta estàtica", "Sergi Pàmies");
  g_autofree char *left = NULL;

  left = bi_spine_residual ("ATLANTIDA Jaume Copons ATLANTIDA", atlantida);
  g_assert_null (left);
  left = bi_spine_residual ("SERGI PAMIES SERGI PAMIES A SENSE FER LA BICICLETA ESTATICA",
                            bicicleta);
  g_assert_cmpstr (left, ==, "SERGI PAMIES A SENSE FER");
}

/* A name read alone is its author's byline: it names no book titled by it but the author's
 * own book titled by the name alone ("Mark Twain" by Mark Twain), and a book about the
 * person whose own author is read too. */
static void
test_bylines (void)
{
  g_autoptr(GPtrArray) books = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_book_free);
  gboolean bylines[6];  /* one per book, "Tom Sawyer" added below */

  g_ptr_array_add (books, book_new ("Stephen King's N.", "Marc Guggenheim\nStephen King"));
  g_ptr_array_add (books, book_new ("Carrie", "Stephen King"));
  g_ptr_array_add (books, book_new ("Agatha Christie", "Mª Isabel Sánchez Vegara"));
  g_ptr_array_add (books, book_new ("At Bertram's Hotel", "Agatha Christie"));
  g_ptr_array_add (books, book_new ("Mark Twain", "Mark Twain"));

  bi_author_books_find_bylines ("stephen king", books, bylines);
  g_assert_true (bylines[0]);
  g_assert_false (bylines[1]);
  bi_author_books_find_bylines ("hotel agatha christie", books, bylines);
  g_assert_true (bylines[2]);
  g_assert_false (bylines[3]);
  /* The life's own author read beside the name: the spine of the life. */
  bi_author_books_find_bylines ("agatha christie isabel sanchez vegara", books, bylines);
  g_assert_false (bylines[2]);
  /* The name alone is all of the title and of the author: no other reading is closer. */
  g_ptr_array_add (books, book_new ("Tom Sawyer", "Mark Twain"));
  bi_author_books_find_bylines ("mark twain", books, bylines);
  g_assert_false (bylines[4]);
  /* A name whose author has no other book among the hits is no byline. */
  g_ptr_array_remove_index (books, 1);
  bi_author_books_find_bylines ("stephen king", books, bylines);
  g_assert_false (bylines[0]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/matching/normalize", test_normalize);
  g_test_add_func ("/bookimg/matching/ocr-repair", test_ocr_repair);
  g_test_add_func ("/bookimg/matching/similarity-fold", test_similarity_fold);
  g_test_add_func ("/bookimg/matching/one-slip", test_one_slip);
  g_test_add_func ("/bookimg/matching/split", test_split);
  g_test_add_func ("/bookimg/matching/publishers", test_publishers);
  g_test_add_func ("/bookimg/matching/call-number", test_call_number);
  g_test_add_func ("/bookimg/matching/call-number-read", test_call_number_read);
  g_test_add_func ("/bookimg/matching/call-number-code", test_call_number_code);
  g_test_add_func ("/bookimg/matching/printed-isbn", test_printed_isbn);
  g_test_add_func ("/bookimg/matching/assignment-beats-greedy", test_assignment_beats_greedy);
  g_test_add_func ("/bookimg/matching/assignment-larger", test_assignment_larger);
  g_test_add_func ("/bookimg/matching/no-book-twice", test_no_book_twice);
  g_test_add_func ("/bookimg/matching/isbn-hit-wins", test_isbn_hit_wins);
  g_test_add_func ("/bookimg/matching/probability", test_probability_monotone);
  g_test_add_func ("/bookimg/matching/weak-reading-probability", test_weak_reading_probability);
  g_test_add_func ("/bookimg/matching/author-probability", test_author_probability);
  g_test_add_func ("/bookimg/matching/label-in-two-pieces", test_label_in_two_pieces);
  g_test_add_func ("/bookimg/matching/regions", test_regions);
  g_test_add_func ("/bookimg/matching/spine-residual", test_spine_residual);
  g_test_add_func ("/bookimg/matching/spine-residual-read-twice",
                   test_spine_residual_read_twice);
  g_test_add_func ("/bookimg/matching/bylines", test_bylines);
  g_test_add_func ("/bookimg/matching/one-spine-one-candidate", test_one_spine_one_candidate);

  return g_test_run ();
}
