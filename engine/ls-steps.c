/* ls-steps.c - see ls-steps.h. */
#include "ls-steps.h"
#include "ls-value.h"

struct _LsStepTrace {
  GString *text;
  GHashTable *names;         /* task id -> name */
};

LsStepTrace *
ls_step_trace_new (void)
{
  LsStepTrace *trace = g_new0 (LsStepTrace, 1);
  trace->text = g_string_new (NULL);
  trace->names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  return trace;
}

void
ls_step_trace_free (LsStepTrace *trace)
{
  if (!trace)
    return;
  g_string_free (trace->text, TRUE);
  g_hash_table_destroy (trace->names);
  g_free (trace);
}

const char *
ls_step_trace_text (LsStepTrace *trace)
{
  return trace->text->str;
}

/* json.dumps of a str, for the characters task names and exception type
 * names can hold. */
static void
append_json_string (GString *s, const char *text)
{
  g_string_append_c (s, '"');
  for (const unsigned char *p = (const unsigned char *) text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (s, "\\%c", *p);
      else if (*p < 0x20)
        g_string_append_printf (s, "\\u%04x", *p);
      else if (*p >= 0x80)
        {
          /* json.dumps escapes non-ASCII as \uXXXX (surrogate pairs beyond
           * the BMP). */
          gunichar c = g_utf8_get_char ((const char *) p);
          if (c > 0xffff)
            {
              c -= 0x10000;
              g_string_append_printf (s, "\\u%04x\\u%04x", 0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
            }
          else
            g_string_append_printf (s, "\\u%04x", c);
          p = (const unsigned char *) g_utf8_next_char ((const char *) p) - 1;
        }
      else
        g_string_append_c (s, (char) *p);
    }
  g_string_append_c (s, '"');
}

static void
line (LsStepTrace *trace, const LsEvent *ev, const char *what, const char *exc)
{
  char t[G_ASCII_DTOSTR_BUF_SIZE];
  const char *name = g_hash_table_lookup (trace->names, &ev->task);

  ls_float_repr (ev->time, t);
  g_string_append_printf (trace->text, "{\"t\": %s, \"task\": ", t);
  append_json_string (trace->text, name ? name : "?");
  g_string_append_printf (trace->text, ", \"ev\": \"%s\"", what);
  if (exc)
    {
      g_string_append (trace->text, ", \"exc\": ");
      append_json_string (trace->text, exc);
    }
  g_string_append (trace->text, "}\n");
}

void
ls_step_trace_observe (const LsEvent *ev, gpointer user_data)
{
  LsStepTrace *trace = user_data;

  switch (ev->kind)
    {
    case LS_EVENT_TASK_CREATED:
    case LS_EVENT_TASK_RENAMED:
      g_hash_table_replace (trace->names, g_memdup2 (&ev->task, sizeof ev->task), g_strdup (ev->detail));
      break;
    case LS_EVENT_STEP_BEGIN:
      line (trace, ev, "step", NULL);
      break;
    case LS_EVENT_STEP_END:
      if (ev->reason == LS_REASON_RESULT)
        line (trace, ev, "done", NULL);
      else if (ev->reason == LS_REASON_CANCELLED)
        line (trace, ev, "cancelled", NULL);
      else if (ev->reason == LS_REASON_EXCEPTION)
        line (trace, ev, "exception", ev->detail);
      break;
    default:
      break;
    }
}
