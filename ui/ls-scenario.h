/* ls-scenario.h - what the scenario library knows about a program.
 *
 * A bundled scenario starts with comment lines that introduce it:
 *
 *     # title: Three factorials with gather
 *     # description: Three tasks compute factorials one multiplication at
 *     # description: a time ...
 *
 * The library shows the title and the first sentence of the description.
 * Pure text handling: no GTK, testable anywhere.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *name;          /* file name, "gather_factorial.py" */
  char *title;         /* the `# title:` line, or the name without ".py" */
  char *description;   /* all `# description:` lines joined by spaces, "" if none */
  char *summary;       /* the description's first sentence, "" if none */
  char *source;        /* the whole text */
} LsScenario;

/* Replaces the title and description with their translations for `locale`
 * ("zh_CN"; NULL: the user's languages) from `translations`, a key file
 * with one group per scenario file name and locale keys title[LANG] and
 * description[LANG] (data/scenarios/translations.ini).  What has no
 * translation stays as it is. */
void ls_scenario_translate (LsScenario *scenario, GKeyFile *translations, const char *locale);

/* Reads the header of `source` (UTF-8).  Never fails: a program without a
 * header gets its name as title.  Returns a new scenario, free it with
 * ls_scenario_free(). */
LsScenario *ls_scenario_new (const char *name, const char *source);
void ls_scenario_free (LsScenario *scenario);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsScenario, ls_scenario_free)

/* The first sentence of text (up to and including the first ". " or the
 * end), newly allocated. */
char *ls_scenario_first_sentence (const char *text);

G_END_DECLS
