/* bi-aws-xml.c — element texts from AWS's XML answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-aws-xml"

#include "bi-aws-xml.h"

#include <string.h>

typedef struct
{
  const char *element;
  guint       depth_inside; /* > 0 while inside the wanted element */
  GString    *text;
  gboolean    found;
} Search;

static const char *
local_name (const char *name)
{
  const char *colon = strchr (name, ':');

  return colon != NULL ? colon + 1 : name;
}

static void
start_element_cb (GMarkupParseContext  *context,
                  const char           *name,
                  const char          **attribute_names,
                  const char          **attribute_values,
                  gpointer              user_data,
                  GError              **error)
{
  Search *search = user_data;

  if (search->found)
    return;
  if (search->depth_inside > 0)
    search->depth_inside++;
  else if (g_str_equal (local_name (name), search->element))
    search->depth_inside = 1;
}

static void
end_element_cb (GMarkupParseContext  *context,
                const char           *name,
                gpointer              user_data,
                GError              **error)
{
  Search *search = user_data;

  if (search->found || search->depth_inside == 0)
    return;
  if (--search->depth_inside == 0)
    search->found = TRUE;
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 length,
         gpointer              user_data,
         GError              **error)
{
  Search *search = user_data;

  if (!search->found && search->depth_inside > 0)
    g_string_append_len (search->text, text, length);
}

char *
bi_aws_xml_find_text (const char *xml,
                      gsize       length,
                      const char *element)
{
  static const GMarkupParser parser = { start_element_cb, end_element_cb, text_cb, NULL, NULL };
  g_autoptr(GString) text = g_string_new (NULL);
  Search search = { element, 0, text, FALSE };
  g_autoptr(GMarkupParseContext) context = NULL;
  const char *start = xml;

  if (xml == NULL)
    return NULL;
  /* GMarkup does not take the XML declaration itself; skip it. */
  if (length >= 5 && strncmp (xml, "<?xml", 5) == 0)
    {
      const char *end = g_strstr_len (xml, length, "?>");

      if (end == NULL)
        return NULL;
      start = end + 2;
    }

  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &search, NULL);
  if (!g_markup_parse_context_parse (context, start, length - (start - xml), NULL)
      || !g_markup_parse_context_end_parse (context, NULL))
    return NULL;
  if (!search.found)
    return NULL;
  return g_strdup (g_strstrip (text->str));
}
