/* test-heuristic-candidates.c — OCR lines → spines and blocks → title/author guesses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-heuristic-candidates.h"
#include "bi-ocr-text.h"
#include "bi-test-rewrites.h"

static void
add_line (BiOcrResult *ocr,
          const char  *text,
          double       confidence,
          int          x,
          int          y,
          int          width,
          int          height,
          double       angle)
{
  g_ptr_array_add (ocr->lines, bi_ocr_line_new (text, confidence, x, y, width, height, angle));
}

static GPtrArray *
generate (const BiOcrResult *ocr)
{
  g_autoptr(BiHeuristicCandidates) heuristics = bi_heuristic_candidates_new ();
  BiCandidateGenerator *port = bi_heuristic_candidates_as_port (heuristics);
  g_autoptr(GError) error = NULL;
  GPtrArray *candidates = port->generate (port, ocr, &error);

  g_assert_no_error (error);
  g_assert_nonnull (candidates);
  for (guint i = 0; i < candidates->len; i++)
    g_assert_cmpint (((BiCandidate *) g_ptr_array_index (candidates, i))->position, ==, i);
  return candidates;
}

static void
assert_box (const BiCandidate *candidate,
            int                x,
            int                y,
            int                width,
            int                height)
{
  g_assert_cmpint (candidate->x, ==, x);
  g_assert_cmpint (candidate->y, ==, y);
  g_assert_cmpint (candidate->width, ==, width);
  g_assert_cmpint (candidate->height, ==, height);
}

static void
test_vertical_spines (void)
{
  g_autoptr(BiOcrResult) ocr = bi_ocr_result_new (400, 600);
  g_autoptr(GPtrArray) candidates = NULL;
  BiCandidate *candidate;

  /* Given out of shelf order: the rightmost spine first. */
  add_line (ocr, "J.R.R. TOLKIEN", 0.80, 305, 380, 30, 200, 90);
  add_line (ocr, "THE HOBBIT", 0.90, 300, 50, 40, 300, 90);
  add_line (ocr, "DUNE", 0.95, 100, 40, 45, 150, 270);
  add_line (ocr, "FRANK HERBERT", 0.85, 104, 300, 30, 220, 270);
  /* No rotation reported, but a tall narrow box: read along a spine. */
  add_line (ocr, "CATCHING FIRE", 0.70, 200, 60, 35, 400, 0);

  candidates = generate (ocr);
  g_assert_cmpuint (candidates->len, ==, 3);

  candidate = g_ptr_array_index (candidates, 0);
  g_assert_cmpstr (candidate->title, ==, "DUNE");
  g_assert_cmpstr (candidate->author, ==, "FRANK HERBERT");
  g_assert_cmpstr (candidate->text, ==, "DUNE FRANK HERBERT");
  assert_box (candidate, 100, 40, 45, 480);
  g_assert_cmpfloat (candidate->angle, ==, 270);

  candidate = g_ptr_array_index (candidates, 1);
  g_assert_cmpstr (candidate->title, ==, "CATCHING FIRE");
  g_assert_null (candidate->author);
  g_assert_cmpfloat_with_epsilon (candidate->confidence, 0.70, 1e-9);

  candidate = g_ptr_array_index (candidates, 2);
  g_assert_cmpstr (candidate->title, ==, "THE HOBBIT");
  g_assert_cmpstr (candidate->author, ==, "J.R.R. TOLKIEN");
  g_assert_cmpstr (candidate->text, ==, "THE HOBBIT J.R.R. TOLKIEN");
  assert_box (candidate, 300, 50, 40, 530);
  g_assert_cmpfloat (candidate->angle, ==, 90);
  /* Letter-weighted: 9 letters at 0.90 and 10 at 0.80. */
  g_assert_cmpfloat_with_epsilon (candidate->confidence, (9 * 0.90 + 10 * 0.80) / 19, 1e-9);
}

static void
test_noise (void)
{
  g_autoptr(BiOcrResult) ocr = bi_ocr_result_new (400, 600);
  g_autoptr(BiOcrResult) empty = bi_ocr_result_new (400, 600);
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) none = NULL;
  BiCandidate *candidate;

  add_line (ocr, "|THE HOBBIT_", 0.90, 300, 50, 40, 300, 90);
  add_line (ocr, "~~ | —", 0.90, 302, 400, 30, 100, 90);      /* no letters */
  add_line (ocr, "a", 0.90, 301, 520, 30, 30, 90);            /* one letter */
  add_line (ocr, "TOLKIEN", 0.20, 300, 560, 30, 40, 90);      /* too unsure */
  add_line (ocr, "WORDS", 0.25, 100, 50, 40, 300, 90);         /* a spine of noise only */
  add_line (ocr, "BROKEN BOX", 0.90, 200, 50, 0, 300, 90);     /* no width */
  add_line (ocr, NULL, 0.90, 150, 50, 40, 300, 90);

  candidates = generate (ocr);
  g_assert_cmpuint (candidates->len, ==, 1);
  candidate = g_ptr_array_index (candidates, 0);
  g_assert_cmpstr (candidate->title, ==, "THE HOBBIT");
  g_assert_cmpstr (candidate->text, ==, "THE HOBBIT");
  g_assert_null (candidate->author);
  assert_box (candidate, 300, 50, 40, 300);

  none = generate (empty);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_horizontal_blocks (void)
{
  g_autoptr(BiOcrResult) ocr = bi_ocr_result_new (800, 1000);
  g_autoptr(GPtrArray) candidates = NULL;
  BiCandidate *candidate;

  /* A stack of two books lying flat, then a cover to their right. */
  add_line (ocr, "THE ROAD", 0.90, 50, 500, 200, 30, 0);
  add_line (ocr, "CORMAC McCARTHY", 0.90, 300, 505, 150, 20, 0);
  add_line (ocr, "CATCH-22", 0.90, 60, 100, 180, 30, 0);
  add_line (ocr, "JOSEPH HELLER", 0.90, 280, 105, 140, 20, 0);
  add_line (ocr, "HARRY POTTER", 0.90, 600, 100, 250, 40, 0);
  add_line (ocr, "and the Philosopher's Stone", 0.85, 600, 150, 280, 30, 0);
  add_line (ocr, "J.K. ROWLING", 0.90, 620, 200, 150, 20, 0);

  candidates = generate (ocr);
  g_assert_cmpuint (candidates->len, ==, 3);

  /* Stacked: top to bottom. */
  candidate = g_ptr_array_index (candidates, 0);
  g_assert_cmpstr (candidate->title, ==, "CATCH-22");
  g_assert_cmpstr (candidate->author, ==, "JOSEPH HELLER");
  assert_box (candidate, 60, 100, 360, 30);
  candidate = g_ptr_array_index (candidates, 1);
  g_assert_cmpstr (candidate->title, ==, "THE ROAD");
  g_assert_cmpstr (candidate->author, ==, "CORMAC McCARTHY");

  /* Initials make J.K. ROWLING the author although HARRY POTTER looks like a name too; the
   * title is every other line of the block. */
  candidate = g_ptr_array_index (candidates, 2);
  g_assert_cmpstr (candidate->author, ==, "J.K. ROWLING");
  g_assert_cmpstr (candidate->title, ==, "HARRY POTTER and the Philosopher's Stone");
  g_assert_cmpstr (candidate->text, ==, "HARRY POTTER and the Philosopher's Stone J.K. ROWLING");
  assert_box (candidate, 600, 100, 280, 120);
}

static void
test_author_by_size (void)
{
  g_autoptr(BiOcrResult) ocr = bi_ocr_result_new (400, 600);
  g_autoptr(GPtrArray) candidates = NULL;
  BiCandidate *candidate;

  /* Both lines look like names; the author is set smaller. */
  add_line (ocr, "SUZANNE COLLINS", 0.90, 100, 20, 25, 200, 90);
  add_line (ocr, "CATCHING FIRE", 0.90, 98, 250, 45, 300, 90);

  candidates = generate (ocr);
  g_assert_cmpuint (candidates->len, ==, 1);
  candidate = g_ptr_array_index (candidates, 0);
  g_assert_cmpstr (candidate->title, ==, "CATCHING FIRE");
  g_assert_cmpstr (candidate->author, ==, "SUZANNE COLLINS");
}

static void
test_name_score (void)
{
  const struct
  {
    const char *text;
    int         score;
  } cases[] = {
    { "J.R.R. TOLKIEN", 2 },
    { "Ursula K. Le Guin", 2 },
    { "Suzanne Collins", 1 },
    { "MARIO BUNGE", 1 },
    { "Ludwig van Beethoven", 1 },
    { "Alexandre López-Borrull", 1 },
    { "THE HOBBIT", 0 },
    { "Lord of the Flies", 0 },
    { "George Orwell 1984", 0 },
    { "Dune", 0 },
    { "dune messiah", 0 },
    { "One Two Three Four Five Six", 0 },
    { "", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("“%s”", cases[i].text);
      g_assert_cmpint (bi_ocr_text_name_score (cases[i].text), ==, cases[i].score);
    }
}

static void
test_clean (void)
{
  const char *cases[][2] = {
    { "|THE HOBBIT_", "THE HOBBIT" },
    { "  J.R.R.   TOLKIEN  ", "J.R.R. TOLKIEN" },
    { "~~ | — ==", "" },
    { "-- Catch-22 --", "Catch-22" },
    { "«Enseñar» a investigar:", "Enseñar a investigar" },
    { "¡Vaya timo! ©2010", "¡Vaya timo! 2010" },
    { "L'Écume des jours", "L'Écume des jours" },
    { "bad \xff bytes", "bad bytes" },
    { "", "" },
  };

  bi_test_assert_rewrites (cases, G_N_ELEMENTS (cases), bi_ocr_text_clean);
  g_assert_cmpuint (bi_ocr_text_count_letters ("Catch-22 é"), ==, 6);
}

/* Without regions, the author set beside the title across one spine joins it (the test
 * photo of tests/test-cli-scan.c: 240 px wide, both columns turned 270°); two titles as far
 * apart are two spines. */
static void
test_byline_beside_title (void)
{
  g_autoptr(BiOcrResult) ocr = bi_ocr_result_new (240, 800);
  g_autoptr(BiOcrResult) neighbours = bi_ocr_result_new (240, 800);
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) apart = NULL;
  BiCandidate *candidate;

  add_line (ocr, "TOLKIEN", 0.97, 46, 307, 27, 182, 270);
  add_line (ocr, "THE HOBBIT", 0.96, 117, 189, 41, 422, 270);
  candidates = generate (ocr);
  g_assert_cmpuint (candidates->len, ==, 1);
  candidate = g_ptr_array_index (candidates, 0);
  g_assert_cmpstr (candidate->title, ==, "THE HOBBIT");
  g_assert_cmpstr (candidate->author, ==, "TOLKIEN");
  g_assert_cmpstr (candidate->text, ==, "THE HOBBIT TOLKIEN");
  assert_box (candidate, 46, 189, 112, 422);

  add_line (neighbours, "CHILDREN OF DUNE", 0.97, 46, 307, 27, 182, 270);
  add_line (neighbours, "THE HOBBIT", 0.96, 117, 189, 41, 422, 270);
  apart = generate (neighbours);
  g_assert_cmpuint (apart->len, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/candidates/vertical-spines", test_vertical_spines);
  g_test_add_func ("/bookimg/candidates/noise", test_noise);
  g_test_add_func ("/bookimg/candidates/byline-beside-title", test_byline_beside_title);
  g_test_add_func ("/bookimg/candidates/horizontal-blocks", test_horizontal_blocks);
  g_test_add_func ("/bookimg/candidates/author-by-size", test_author_by_size);
  g_test_add_func ("/bookimg/candidates/name-score", test_name_score);
  g_test_add_func ("/bookimg/candidates/clean", test_clean);

  return g_test_run ();
}
