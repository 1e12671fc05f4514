/* bi-ocr-order.c — the sort orders and medians the OCR's measurements share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-ocr-order.h"

int
bi_ocr_compare_ints (gconstpointer a,
                     gconstpointer b)
{
  int first = *(const int *) a, second = *(const int *) b;

  return (first > second) - (first < second);
}

int
bi_ocr_compare_doubles (gconstpointer a,
                        gconstpointer b)
{
  double first = *(const double *) a, second = *(const double *) b;

  return (first > second) - (first < second);
}

double
bi_ocr_median_double (GArray *values)
{
  g_return_val_if_fail (values != NULL && values->len > 0, 0.0);

  g_array_sort (values, bi_ocr_compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

int
bi_ocr_median_int (GArray *values)
{
  g_return_val_if_fail (values != NULL && values->len > 0, 0);

  g_array_sort (values, bi_ocr_compare_ints);
  return g_array_index (values, int, values->len / 2);
}
