/* test-export-normalize.c — title and name keys ignore what readings differ in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-export-normalize.h"

typedef struct
{
  const char *in;
  const char *out;
} Case;

static void
test_title (void)
{
  const Case cases[] = {
    { "The Colour of Magic (Discworld, #1)", "colour of magic" },
    { "THE COLOUR OF MAGIC", "colour of magic" },
    { "Colour of Magic!", "colour of magic" },
    { "  colour   of magic [Discworld 1] ", "colour of magic" },
    { "Les Misérables", "miserables" },
    { "L'Étranger", "etranger" },
    { "Der Prozess", "prozess" },
    { "A", "a" },                              /* an article that is the whole title stays */
    { "1984 (Penguin Classics)", "1984 penguin classics" }, /* no number: not a series */
    { "Война и мир", "война и мир" },
    { "東京", "東京" },
    { "ВОЙНА И МИР", "война и мир" },          /* й keeps its breve: another letter */
    { "かがみ", "かがみ" },
    { "!!!", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = bi_export_normalize_title (cases[i].in);

      g_assert_cmpstr (key, ==, cases[i].out);
    }
}

static void
test_surname (void)
{
  const Case cases[] = {
    { "Terry Pratchett", "pratchett" },
    { "PRATCHETT, Terry", "pratchett" },
    { "Gabriel García Márquez", "marquez" },
    { "Simone de Beauvoir", "de beauvoir" },
    { "Plato", "plato" },
    { NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = bi_export_normalize_surname (cases[i].in);

      g_assert_cmpstr (key, ==, cases[i].out);
    }
}

static void
test_split_name (void)
{
  const struct { const char *name, *family, *given; } cases[] = {
    { "Terry Pratchett", "Pratchett", "Terry" },
    { "Le Guin, Ursula K.", "Le Guin", "Ursula K." },
    { "Simone de Beauvoir", "de Beauvoir", "Simone" },
    { "Ludwig van der Rohe", "van der Rohe", "Ludwig" },
    { "J. R. R. Tolkien", "Tolkien", "J. R. R." },
    { "Plato", "Plato", "" },
    { " Лев  Толстой ", "Толстой", "Лев" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *family = NULL;
      g_autofree char *given = NULL;

      bi_export_split_name (cases[i].name, &family, &given);
      g_assert_cmpstr (family, ==, cases[i].family);
      g_assert_cmpstr (given, ==, cases[i].given);
    }
}

static void
test_one_line (void)
{
  g_autofree char *line = bi_export_text_one_line ("  two\r\nlines\tand\x1b[31m  red ");

  g_assert_cmpstr (line, ==, "two lines and [31m red");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/export/normalize/title", test_title);
  g_test_add_func ("/bookimg/export/normalize/surname", test_surname);
  g_test_add_func ("/bookimg/export/normalize/split-name", test_split_name);
  g_test_add_func ("/bookimg/export/normalize/one-line", test_one_line);

  return g_test_run ();
}
