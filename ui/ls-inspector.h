/* ls-inspector.h - the details of what was clicked in the timeline.
 *
 * For a selection (ls-timeline-view.h) on a model: the task and its
 * coroutine, the awaitable, the event's virtual time, sequence number,
 * kind and detail, and the source line.  Rows are rebuilt per selection;
 * ls_inspector_get_text() gives them as "Title: value" lines (tests, and
 * the clipboard).
 */
#pragma once

#include <gtk/gtk.h>

#include "ls-timeline-view.h"

G_BEGIN_DECLS

#define LS_TYPE_INSPECTOR (ls_inspector_get_type ())
G_DECLARE_FINAL_TYPE (LsInspector, ls_inspector, LS, INSPECTOR, GtkWidget)

GtkWidget *ls_inspector_new (void);

/* Shows the selection (NULL or kind NONE: a hint to click something).
 * The model is only read during the call. */
void ls_inspector_show (LsInspector *self, const LsTraceModel *model,
                        const LsTimelineSelection *selection);
/* The source line of what is shown, 0 if none. */
int ls_inspector_get_line (LsInspector *self);
/* Everything shown, one "Title: value" a line; newly allocated. */
char *ls_inspector_get_text (LsInspector *self);

G_END_DECLS
