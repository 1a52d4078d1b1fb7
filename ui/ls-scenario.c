/* ls-scenario.c - scenario headers (see ls-scenario.h). */
#include "ls-scenario.h"

#include <string.h>

char *
ls_scenario_first_sentence (const char *text)
{
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);
  /* "e.g. " or "asyncio.sleep" must not end a sentence: only a full stop
   * followed by a space and an upper-case letter does, or an ideographic
   * full stop ("。") with more after it. */
  for (p = text; *p; p++)
    {
      if (p[0] == '.' && p[1] == ' ' && g_ascii_isupper (p[2]))
        return g_strndup (text, p + 1 - text);
      if (g_str_has_prefix (p, "。") && p[strlen ("。")])
        return g_strndup (text, p + strlen ("。") - text);
    }
  return g_strdup (text);
}

/* The value of a "# key: value" line, or NULL. */
static const char *
header_value (const char *line, const char *key)
{
  gsize klen = strlen (key);

  if (line[0] != '#')
    return NULL;
  line++;
  while (*line == ' ')
    line++;
  if (strncmp (line, key, klen) != 0 || line[klen] != ':')
    return NULL;
  line += klen + 1;
  while (*line == ' ' || *line == '\t')
    line++;
  return line;
}

LsScenario *
ls_scenario_new (const char *name, const char *source)
{
  LsScenario *s = g_new0 (LsScenario, 1);
  g_auto (GStrv) lines = NULL;
  GString *desc = g_string_new (NULL);

  g_return_val_if_fail (name != NULL && source != NULL, NULL);
  s->name = g_strdup (name);
  s->source = g_strdup (source);
  lines = g_strsplit (source, "\n", -1);
  for (guint i = 0; lines[i] && lines[i][0] == '#'; i++)
    {
      const char *v;
      g_strchomp (lines[i]);
      if (!s->title && (v = header_value (lines[i], "title")) && *v)
        s->title = g_strdup (v);
      else if ((v = header_value (lines[i], "description")) && *v)
        {
          if (desc->len)
            g_string_append_c (desc, ' ');
          g_string_append (desc, v);
        }
    }
  if (!s->title)
    s->title = g_str_has_suffix (name, ".py") ? g_strndup (name, strlen (name) - 3) : g_strdup (name);
  s->description = g_string_free (desc, FALSE);
  s->summary = ls_scenario_first_sentence (s->description);
  return s;
}

/* One key of the scenario's group, translated for locale; NULL if none.
 * The key file holds only translations, so the untranslated fallback
 * GKeyFile would return is never there: NULL means "keep the header's". */
static char *
translated (GKeyFile *kf, const char *group, const char *key, const char *locale)
{
  return g_key_file_get_locale_string (kf, group, key, locale, NULL);
}

void
ls_scenario_translate (LsScenario *s, GKeyFile *translations, const char *locale)
{
  char *title, *description;

  g_return_if_fail (s != NULL && translations != NULL);
  title = translated (translations, s->name, "title", locale);
  description = translated (translations, s->name, "description", locale);
  if (title && *title)
    {
      g_free (s->title);
      s->title = g_steal_pointer (&title);
    }
  if (description && *description)
    {
      g_free (s->description);
      g_free (s->summary);
      s->description = g_steal_pointer (&description);
      s->summary = ls_scenario_first_sentence (s->description);
    }
  g_free (title);
  g_free (description);
}

void
ls_scenario_free (LsScenario *s)
{
  if (!s)
    return;
  g_free (s->name);
  g_free (s->title);
  g_free (s->description);
  g_free (s->summary);
  g_free (s->source);
  g_free (s);
}
