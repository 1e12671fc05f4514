/* bi-assignment.c — the Hungarian algorithm on the connected groups of an assignment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-assignment"

#include "bi-assignment.h"

#include <math.h>
#include <string.h>

static guint
find_root (guint *parent,
           guint  index)
{
  while (parent[index] != index)
    {
      parent[index] = parent[parent[index]];
      index = parent[index];
    }
  return index;
}

/* Kuhn–Munkres with potentials (1-based, rows ≤ columns), minimising @cost. */
static void
hungarian_minimize (const double *cost,
                    guint         n,
                    guint         m,
                    guint        *column_to_row)
{
  g_autofree double *u = g_new0 (double, n + 1);
  g_autofree double *v = g_new0 (double, m + 1);
  g_autofree double *min_reduced = g_new (double, m + 1);
  g_autofree guint *way = g_new0 (guint, m + 1);
  g_autofree gboolean *used = g_new (gboolean, m + 1);

  memset (column_to_row, 0, (m + 1) * sizeof (guint));
  for (guint i = 1; i <= n; i++)
    {
      guint j0 = 0;

      column_to_row[0] = i;
      for (guint j = 0; j <= m; j++)
        {
          min_reduced[j] = INFINITY;
          used[j] = FALSE;
        }
      do
        {
          guint i0 = column_to_row[j0];
          double delta = INFINITY;
          guint j1 = 0;

          used[j0] = TRUE;
          for (guint j = 1; j <= m; j++)
            if (!used[j])
              {
                double reduced = cost[(i0 - 1) * m + (j - 1)] - u[i0] - v[j];

                if (reduced < min_reduced[j])
                  {
                    min_reduced[j] = reduced;
                    way[j] = j0;
                  }
                if (min_reduced[j] < delta)
                  {
                    delta = min_reduced[j];
                    j1 = j;
                  }
              }
          for (guint j = 0; j <= m; j++)
            if (used[j])
              {
                u[column_to_row[j]] += delta;
                v[j] -= delta;
              }
            else
              {
                min_reduced[j] -= delta;
              }
          j0 = j1;
        }
      while (column_to_row[j0] != 0);

      /* Flip the augmenting path. */
      do
        {
          guint j1 = way[j0];

          column_to_row[j0] = column_to_row[j1];
          j0 = j1;
        }
      while (j0 != 0);
    }
}

/* Solves the rows of one connected group: its columns plus one "leave unassigned" column
 * per row (weight 0), so every row can be placed and rows ≤ columns. */
static void
solve_group (const double *weights,
             guint         n_columns,
             GArray       *rows,
             GArray       *columns,
             int          *row_to_column)
{
  guint n = rows->len;
  guint m = columns->len + n;
  g_autofree double *cost = g_new0 (double, (gsize) n * m);
  g_autofree guint *column_to_row = g_new0 (guint, m + 1);

  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < columns->len; c++)
      {
        double weight = weights[(gsize) g_array_index (rows, guint, r) * n_columns +
                                g_array_index (columns, guint, c)];

        cost[(gsize) r * m + c] = weight > 0.0 ? -weight : 0.0;
      }

  hungarian_minimize (cost, n, m, column_to_row);
  for (guint j = 1; j <= columns->len; j++)
    {
      guint r = column_to_row[j];
      guint row;
      guint column;

      if (r == 0)
        continue;
      row = g_array_index (rows, guint, r - 1);
      column = g_array_index (columns, guint, j - 1);
      /* A not-allowed pair costs what leaving the row alone costs; it is no assignment. */
      if (weights[(gsize) row * n_columns + column] > 0.0)
        row_to_column[row] = (int) column;
    }
}

void
bi_assignment_maximize (const double *weights,
                        guint         n_rows,
                        guint         n_columns,
                        int          *row_to_column)
{
  g_autofree guint *parent = NULL;
  g_autofree int *column_owner = NULL;
  g_autoptr(GHashTable) groups = NULL;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (n_rows == 0 || (weights != NULL && row_to_column != NULL));

  for (guint r = 0; r < n_rows; r++)
    row_to_column[r] = -1;
  if (n_rows == 0 || n_columns == 0)
    return;

  /* Rows that share an allowed column are solved together; a photo's spines rarely
   * compete, so the groups stay small even when the photo has many spines. */
  parent = g_new (guint, n_rows);
  column_owner = g_new (int, n_columns);
  for (guint r = 0; r < n_rows; r++)
    parent[r] = r;
  for (guint c = 0; c < n_columns; c++)
    column_owner[c] = -1;
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_columns; c++)
      if (weights[(gsize) r * n_columns + c] > 0.0)
        {
          if (column_owner[c] < 0)
            column_owner[c] = (int) r;
          else
            parent[find_root (parent, r)] = find_root (parent, (guint) column_owner[c]);
        }

  groups = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint r = 0; r < n_rows; r++)
    {
      gpointer root = GUINT_TO_POINTER (find_root (parent, r) + 1);
      GPtrArray *pair = g_hash_table_lookup (groups, root);

      if (pair == NULL)
        {
          pair = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
          g_ptr_array_add (pair, g_array_new (FALSE, FALSE, sizeof (guint)));
          g_ptr_array_add (pair, g_array_new (FALSE, FALSE, sizeof (guint)));
          g_hash_table_insert (groups, root, pair);
        }
      g_array_append_val (g_ptr_array_index (pair, 0), r);
    }
  for (guint c = 0; c < n_columns; c++)
    if (column_owner[c] >= 0)
      {
        gpointer root = GUINT_TO_POINTER (find_root (parent, (guint) column_owner[c]) + 1);
        GPtrArray *pair = g_hash_table_lookup (groups, root);

        g_array_append_val (g_ptr_array_index (pair, 1), c);
      }

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GPtrArray *pair = value;
      GArray *columns = g_ptr_array_index (pair, 1);

      if (columns->len > 0)
        solve_group (weights, n_columns, g_ptr_array_index (pair, 0), columns, row_to_column);
    }
}
