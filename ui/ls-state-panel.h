/* ls-state-panel.h - the event loop at the playhead: the running task,
 * the ready queue, the timers with their deadlines and every task's
 * state, from ls-loop-state.h.
 */
#pragma once

#include <gtk/gtk.h>

#include "ls-loop-state.h"

G_BEGIN_DECLS

#define LS_TYPE_STATE_PANEL (ls_state_panel_get_type ())
G_DECLARE_FINAL_TYPE (LsStatePanel, ls_state_panel, LS, STATE_PANEL, GtkWidget)

/* No more task rows than this: a run of ten thousand tasks lists the
 * first ones and says how many more there are. */
#define LS_STATE_PANEL_MAX_ROWS 200

GtkWidget *ls_state_panel_new (void);
/* Shows state (NULL: nothing to show) of model. */
void ls_state_panel_show (LsStatePanel *self, const LsTraceModel *model, const LsLoopState *state);
/* Everything shown, as text; newly allocated. */
char *ls_state_panel_get_text (LsStatePanel *self);

G_END_DECLS
