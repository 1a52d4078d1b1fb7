/* loopscope.c - the desktop app: `loopscope [FILE.py | TRACE.sqlite ...]`.
 *
 * Thin: translations, then the application (ui/ls-application.c) does
 * everything.  AdwApplication loads style.css from the resource base
 * path on its own.
 */
#include "ls-application.h"

int
main (int argc, char **argv)
{
  g_autoptr (LsApplication) app = NULL;

  ls_application_init_i18n ();
  app = ls_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
