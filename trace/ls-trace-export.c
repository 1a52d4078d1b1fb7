/* ls-trace-export.c - Perfetto JSON and CSV from a trace model.
 *
 * Traces run to millions of events, so both formats are written as they
 * are produced: each JSON item is built as a small json-glib object and
 * generated on its own, with only the enclosing array's brackets and
 * commas written here; CSV lines go straight to a buffered stream.
 */
#include "ls-trace-export.h"

#include "ls-value.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* Microseconds per virtual second: Perfetto's unit. */
#define US_PER_SECOND 1e6
/* Process id of the run in the JSON, and the track of the loop itself. */
#define RUN_PID 1

int
ls_trace_export_format_from_name (const char *name)
{
  if (!name)
    return -1;
  if (strcmp (name, "perfetto") == 0 || strcmp (name, "chrome") == 0 || strcmp (name, "json") == 0)
    return LS_TRACE_EXPORT_PERFETTO;
  if (strcmp (name, "csv") == 0)
    return LS_TRACE_EXPORT_CSV;
  return -1;
}

/* ---- output with the first error kept ----------------------------------------- */

typedef struct {
  GOutputStream *out;
  GError *error;
} Sink;

static void
put (Sink *sink, const char *text, gsize len)
{
  if (sink->error)
    return;
  g_output_stream_write_all (sink->out, text, len, NULL, NULL, &sink->error);
}

static void
puts_ (Sink *sink, const char *text)
{
  put (sink, text, strlen (text));
}

/* ---- Perfetto / Chrome Trace Event JSON ----------------------------------------- */

typedef struct {
  Sink sink;
  JsonGenerator *gen;
  JsonNode *node;
  gboolean first;           /* no item written yet */
  guint loop_tid;           /* the track of timers and callbacks */
  const LsTraceModel *model;
} Json;

/* Writes obj as the next item of traceEvents and frees it. */
static void
emit (Json *j, JsonObject *obj)
{
  gsize len;
  char *text;

  json_node_take_object (j->node, obj);
  json_generator_set_root (j->gen, j->node);
  text = json_generator_to_data (j->gen, &len);
  if (!j->first)
    put (&j->sink, ",\n", 2);
  j->first = FALSE;
  put (&j->sink, text, len);
  g_free (text);
}

static JsonObject *
item (const char *ph, const char *name, guint tid, double time)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "ph", ph);
  if (name)
    json_object_set_string_member (o, "name", name);
  json_object_set_int_member (o, "pid", RUN_PID);
  json_object_set_int_member (o, "tid", tid);
  if (time >= 0)
    json_object_set_double_member (o, "ts", time * US_PER_SECOND);
  return o;
}

static void
metadata (Json *j, const char *what, guint tid, const char *key, JsonNode *value)
{
  JsonObject *o = item ("M", what, tid, -1), *args = json_object_new ();
  json_object_set_member (args, key, value);
  json_object_set_object_member (o, "args", args);
  emit (j, o);
}

/* The track of lane i: its index + 1 (tid 0 is nobody's). */
static guint
lane_tid (int lane)
{
  return (guint) lane + 1;
}

static void
lanes (Json *j)
{
  guint n;
  const LsTraceTask *tasks = ls_trace_model_get_tasks (j->model, &n);
  const LsTraceRun *run = ls_trace_model_get_run (j->model);
  char *title = g_strdup_printf ("loopscope: %s", run->scenario_path ? run->scenario_path : "run");
  JsonNode *v;

  v = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (v, title);
  metadata (j, "process_name", 0, "name", v);
  g_free (title);

  j->loop_tid = n + 1;
  v = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (v, "event loop (timers, callbacks)");
  metadata (j, "thread_name", j->loop_tid, "name", v);
  v = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (v, -1);
  metadata (j, "thread_sort_index", j->loop_tid, "sort_index", v);

  for (guint i = 0; i < n; i++)
    {
      const LsTraceTask *t = &tasks[i];
      char *label = t->coro ? g_strdup_printf ("%s %s", t->name ? t->name : "?", t->coro)
                            : g_strdup_printf ("%s (worker thread)", t->name ? t->name : "?");
      v = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (v, label);
      metadata (j, "thread_name", lane_tid ((int) i), "name", v);
      g_free (label);
      v = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (v, i);
      metadata (j, "thread_sort_index", lane_tid ((int) i), "sort_index", v);
    }
}

static char *
interval_name (const LsTraceInterval *iv)
{
  switch (iv->state)
    {
    case LS_TRACE_RUNNING:
      return g_strdup ("running");
    case LS_TRACE_BLOCKED:
      return g_strdup ("blocking the loop");
    case LS_TRACE_READY:
      return g_strdup ("ready");
    case LS_TRACE_WAITING:
      return g_strdup_printf ("awaiting %s", iv->await_kind ? iv->await_kind : "?");
    default:
      return NULL;
    }
}

static void
slices (Json *j)
{
  guint n;
  const LsTraceTask *tasks = ls_trace_model_get_tasks (j->model, &n);

  for (guint i = 0; i < n && !j->sink.error; i++)
    {
      guint ni;
      const LsTraceInterval *ivs = ls_trace_model_get_task_intervals (j->model, i, &ni);
      for (guint k = 0; k < ni && !j->sink.error; k++)
        {
          const LsTraceInterval *iv = &ivs[k];
          char *name = interval_name (iv);
          JsonObject *o, *args;
          if (!name)
            continue;
          o = item ("X", name, lane_tid ((int) i), iv->from_time);
          json_object_set_string_member (o, "cat", ls_trace_state_name ((LsTraceState) iv->state));
          json_object_set_double_member (o, "dur", (iv->to_time - iv->from_time) * US_PER_SECOND);
          args = json_object_new ();
          json_object_set_int_member (args, "from_seq", iv->from_seq);
          json_object_set_int_member (args, "to_seq", iv->to_seq);
          if (iv->await_id)
            json_object_set_int_member (args, "awaitable", (gint64) iv->await_id);
          if (tasks[i].kind == LS_TRACE_LANE_TASK && iv->state == LS_TRACE_RUNNING)
            json_object_set_string_member (args, "task", tasks[i].name ? tasks[i].name : "?");
          json_object_set_object_member (o, "args", args);
          emit (j, o);
          g_free (name);
        }
    }
}

/* Creation, wakeups, cancellations and timeouts: a flow from the cause
 * to the effect.  A cause outside any task (a timer, a callback) gets a
 * zero-length slice on the loop's track for the arrow to start from. */
static void
flows (Json *j)
{
  guint n;
  const LsTraceEdge *edges = ls_trace_model_get_edges (j->model, &n);

  for (guint i = 0; i < n && !j->sink.error; i++)
    {
      const LsTraceEdge *e = &edges[i];
      const char *kind = ls_trace_edge_kind_name ((LsTraceEdgeKind) e->kind);
      guint from_tid = e->from_task >= 0 ? lane_tid (e->from_task) : j->loop_tid;
      JsonObject *o;

      if (e->to_task < 0)
        continue;
      if (e->from_task < 0)
        {
          o = item ("X", e->kind == LS_TRACE_EDGE_TIMED_OUT ? "timeout" : "callback", j->loop_tid,
                    e->from_time);
          json_object_set_double_member (o, "dur", 0);
          json_object_set_string_member (o, "cat", kind);
          emit (j, o);
        }
      o = item ("s", kind, from_tid, e->from_time);
      json_object_set_string_member (o, "cat", kind);
      json_object_set_int_member (o, "id", i + 1);
      json_object_set_string_member (o, "bp", "e");
      emit (j, o);
      o = item ("f", kind, lane_tid (e->to_task), e->to_time);
      json_object_set_string_member (o, "cat", kind);
      json_object_set_int_member (o, "id", i + 1);
      json_object_set_string_member (o, "bp", "e");
      emit (j, o);
    }
}

static const char *
mark_name (const LsTraceMark *m)
{
  switch (m->kind)
    {
    case LS_TRACE_MARK_OUTPUT:
      return m->stderr_ ? "stderr" : "print";
    case LS_TRACE_MARK_RESULT:
      return "result";
    case LS_TRACE_MARK_EXCEPTION:
      return "exception";
    case LS_TRACE_MARK_CANCELLED:
      return "cancelled";
    default:
      return "warning";
    }
}

static void
instants (Json *j)
{
  guint n;
  const LsTraceMark *marks = ls_trace_model_get_marks (j->model, &n);

  for (guint i = 0; i < n && !j->sink.error; i++)
    {
      const LsTraceMark *m = &marks[i];
      const LsTraceEvent *ev = ls_trace_model_get_event (j->model, m->seq);
      JsonObject *o, *args;

      if (!ev)
        continue;
      o = item ("i", mark_name (m), m->task >= 0 ? lane_tid (m->task) : j->loop_tid, ev->time);
      json_object_set_string_member (o, "s", "t");
      json_object_set_string_member (o, "cat", "mark");
      args = json_object_new ();
      json_object_set_int_member (args, "seq", m->seq);
      if (m->text)
        json_object_set_string_member (args, "text", m->text);
      if (m->tag)
        json_object_set_string_member (args, "tag", m->tag);
      json_object_set_object_member (o, "args", args);
      emit (j, o);
    }
}

static void
other_data (Json *j)
{
  const LsTraceRun *run = ls_trace_model_get_run (j->model);
  JsonObject *o = json_object_new ();
  gsize len;
  char *text;

  json_object_set_string_member (o, "tool", "loopscope");
  if (run->tool_version)
    json_object_set_string_member (o, "tool_version", run->tool_version);
  if (run->semantics)
    json_object_set_string_member (o, "semantics", run->semantics);
  if (run->scenario_path)
    json_object_set_string_member (o, "scenario", run->scenario_path);
  if (run->outcome_name)
    json_object_set_string_member (o, "outcome", run->outcome_name);
  if (run->outcome_detail)
    json_object_set_string_member (o, "outcome_detail", run->outcome_detail);
  json_object_set_int_member (o, "events", run->n_events);
  json_object_set_double_member (o, "end_time", run->end_time);
  json_object_set_string_member (o, "time_unit", "1 virtual second = 1 s (ts in microseconds)");
  json_node_take_object (j->node, o);
  json_generator_set_root (j->gen, j->node);
  text = json_generator_to_data (j->gen, &len);
  put (&j->sink, text, len);
  g_free (text);
}

static gboolean
export_perfetto (const LsTraceModel *model, GOutputStream *out, GError **error)
{
  Json j = { { out, NULL }, json_generator_new (), json_node_alloc (), TRUE, 0, model };

  json_node_init_object (j.node, NULL);
  puts_ (&j.sink, "{\"displayTimeUnit\": \"ms\",\n\"traceEvents\": [\n");
  lanes (&j);
  slices (&j);
  flows (&j);
  instants (&j);
  puts_ (&j.sink, "\n],\n\"otherData\": ");
  other_data (&j);
  puts_ (&j.sink, "}\n");
  json_node_unref (j.node);
  g_object_unref (j.gen);
  if (j.sink.error)
    {
      g_propagate_error (error, j.sink.error);
      return FALSE;
    }
  return TRUE;
}

/* ---- CSV ------------------------------------------------------------------------- */

/* A field, quoted when it holds a comma, a quote or a line break. */
static void
csv_field (GString *line, const char *text)
{
  if (!text)
    return;
  if (!strpbrk (text, ",\"\r\n"))
    {
      g_string_append (line, text);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static void
csv_id (GString *line, guint64 id)
{
  if (id)
    g_string_append_printf (line, "%" G_GUINT64_FORMAT, id);
}

static gboolean
export_csv (const LsTraceModel *model, GOutputStream *out, GError **error)
{
  Sink sink = { out, NULL };
  GString *line = g_string_sized_new (256);
  guint n, n_tasks;
  const LsTraceEvent *events = ls_trace_model_get_events (model, &n);
  const LsTraceTask *tasks = ls_trace_model_get_tasks (model, &n_tasks);

  puts_ (&sink, "seq,time,kind,task,task_name,future,other,reason,value,line,detail,extra\r\n");
  for (guint i = 0; i < n && !sink.error; i++)
    {
      const LsTraceEvent *ev = &events[i];
      char num[G_ASCII_DTOSTR_BUF_SIZE];
      int lane = ev->task ? ls_trace_model_find_task (model, ev->task) : -1;

      g_string_truncate (line, 0);
      g_string_append_printf (line, "%u,", i + 1);
      ls_float_repr (ev->time, num);
      g_string_append (line, num);
      g_string_append_c (line, ',');
      csv_field (line, ev->kind < LS_EVENT_N_KINDS ? ls_event_kind_name ((LsEventKind) ev->kind) : "?");
      g_string_append_c (line, ',');
      csv_id (line, ev->task);
      g_string_append_c (line, ',');
      if (lane >= 0 && (guint) lane < n_tasks)
        csv_field (line, tasks[lane].name);
      g_string_append_c (line, ',');
      csv_id (line, ev->future);
      g_string_append_c (line, ',');
      csv_id (line, ev->other);
      g_string_append_c (line, ',');
      if (ev->reason != LS_REASON_NONE)
        csv_field (line, ev->reason < LS_REASON_N ? ls_reason_name ((LsReason) ev->reason) : "?");
      g_string_append_c (line, ',');
      if (ev->value != 0)
        {
          ls_float_repr (ev->value, num);
          g_string_append (line, num);
        }
      g_string_append_c (line, ',');
      if (ev->line > 0)
        g_string_append_printf (line, "%d", ev->line);
      g_string_append_c (line, ',');
      csv_field (line, ev->detail);
      g_string_append_c (line, ',');
      csv_field (line, ev->extra);
      g_string_append (line, "\r\n");
      put (&sink, line->str, line->len);
    }
  g_string_free (line, TRUE);
  if (sink.error)
    {
      g_propagate_error (error, sink.error);
      return FALSE;
    }
  return TRUE;
}

/* ---- entry points ------------------------------------------------------------------ */

gboolean
ls_trace_export (const LsTraceModel *model, LsTraceExportFormat format, GOutputStream *out,
                 GError **error)
{
  GOutputStream *buffered;
  gboolean ok;

  g_return_val_if_fail (model != NULL && out != NULL, FALSE);
  buffered = g_buffered_output_stream_new_sized (out, 1 << 16);
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (buffered), FALSE);
  ok = format == LS_TRACE_EXPORT_CSV ? export_csv (model, buffered, error)
                                     : export_perfetto (model, buffered, error);
  if (ok)
    ok = g_output_stream_flush (buffered, NULL, error);
  g_object_unref (buffered);
  return ok;
}

gboolean
ls_trace_export_to_file (const LsTraceModel *model, LsTraceExportFormat format, const char *path,
                         GError **error)
{
  GFile *file = g_file_new_for_path (path);
  GFileOutputStream *out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                           NULL, error);
  gboolean ok = FALSE;

  if (out)
    {
      ok = ls_trace_export (model, format, G_OUTPUT_STREAM (out), error);
      /* Closing commits the replacement; a cancelled close keeps the
       * old file, so a failed export loses nothing. */
      if (ok)
        ok = g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
      else
        {
          GCancellable *cancel = g_cancellable_new ();
          g_cancellable_cancel (cancel);
          g_output_stream_close (G_OUTPUT_STREAM (out), cancel, NULL);
          g_object_unref (cancel);
        }
      g_object_unref (out);
    }
  g_object_unref (file);
  return ok;
}
