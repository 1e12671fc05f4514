/* bi-author-books.h — the book a spine names through its author's name
 *
 * A spine often reads its author's name clearly and its title poorly ("Manel Lucas" and a
 * smudge; "10 MEJORES EARVIN MAG JOHNSON"). The model weighs an author's surname as one
 * feature among six, which a title read badly leaves under the threshold. But when the name
 * read is one author's beyond doubt (given name and surname, or a surname no other catalog
 * author has), the spine's book is among that author's few books, and a little says which:
 * the author's only book in the catalog, the only one of them whose title shares a word
 * with the text, or the only one the spine's library label names. Measured in
 * docs/recognition.md ("Books named by their author", "The two-shelves photo").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"

G_BEGIN_DECLS

/* Why the spine names a book by its author (BiAuthorBook.reason). */
typedef enum
{
  BI_AUTHOR_ONLY_BOOK,   /* the catalog holds this one book of the author */
  BI_AUTHOR_TITLE_WORD,  /* the only book of the author whose title shares a word of 4
                          * letters or more with the text (read exactly or with one slip) */
  BI_AUTHOR_LABEL,       /* the only book of the author that the spine's library label
                          * names (a label shared by several authors' books: "N Par"),
                          * leaving out the books the photo's other spines were given */
} BiAuthorReason;

typedef struct
{
  BiBook         *book;
  BiAuthorReason  reason;
} BiAuthorBook;

void bi_author_book_free (BiAuthorBook *self);

/* The books that @text (a spine's reading without labels and publisher marks, normalised as
 * bi_title_normalize_text() does) names through an author of one of @books (BiBook, the
 * spine's catalog hits so far): an author whose surname (the name's last word, 4 letters
 * or more) the text reads as a word, together with the given name (the name's first word)
 * or when no other author of the catalog's books holding the surname has it; or whose
 * given name the text reads with the surname's first 5 letters or more ("SARA PARET", the
 * rest round the spine's edge). Each such author's books are asked of @catalog; an author
 * with more books than one search gives names none. @labelled (BiBook, nullable) are the
 * books the spine's library labels name, @given (BiBook, nullable) those the photo's other
 * spines were given. Appends BiAuthorBook to @named (which owns them). FALSE with the
 * catalog's error. */
gboolean bi_author_books_named (BiCatalog  *catalog,
                                const char *text,
                                GPtrArray  *books,
                                GPtrArray  *labelled,
                                GPtrArray  *given,
                                GPtrArray  *named,
                                GError    **error);

/* Marks in @bylines (one per book of @books, BiBook: a spine's catalog hits) the books of
 * which @text (normalised as for bi_author_books_named()) reads nothing but a name their
 * title holds, the name of an author of another of @books: "Stephen King" read alone is his
 * byline on any of his books' spines, not "Stephen King's N.", nor is "Hotel Agatha
 * Christie" the life titled "Agatha Christie" (by another author, whom it does not read).
 * The author's own book titled by the name alone ("Mark Twain" by Mark Twain) is no
 * byline: the name reads all of its title and author. A name counts as read when two of
 * its words or more, and all of its words of two letters or more, are words of the text; a
 * word of the text counts for a book when its title or authors hold it
 * (bi_text_same_word()). */
void     bi_author_books_find_bylines (const char *text,
                                       GPtrArray  *books,
                                       gboolean   *bylines);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiAuthorBook, bi_author_book_free)

G_END_DECLS
