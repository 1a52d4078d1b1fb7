/* bench-million.c - records the benchmarks' million-event trace. */
#include "bench-million.h"

#include "ls-trace-recorder.h"
#include "ls-vm.h"

#include <stdio.h>

static const char program[] =
  "import asyncio\n"
  "\n"
  "async def spin(n):\n"
  "    for i in range(n):\n"
  "        await asyncio.sleep(0)\n"
  "\n"
  "async def main():\n"
  "    await asyncio.gather(*(spin(100) for _ in range(5000)))\n"
  "\n"
  "asyncio.run(main())\n";

static void
discard_output (gboolean is_stderr, const char *text, gpointer user_data)
{
}

gboolean
ls_bench_record_million (const char *path, const char *who)
{
  char *name = g_strconcat (who, ".py", NULL);
  LsTraceRunInfo info = { .scenario_path = name, .source = program };
  LsVmOptions options = { 0 };
  GError *error = NULL;
  LsTraceRecorder *r = ls_trace_recorder_new (path, &info, &error);
  gboolean syntax_error = FALSE, ok = FALSE;
  LsVmStatus status;
  LsVm *vm;

  if (!r)
    goto out;
  vm = ls_vm_new (&options);
  ls_vm_set_output (vm, discard_output, NULL);
  ls_vm_set_observer (vm, ls_trace_recorder_observe, r);
  status = ls_vm_run_source (vm, name, program, &syntax_error);
  ls_vm_free (vm);
  ok = ls_trace_recorder_finish (r, status == LS_VM_OK ? LS_TRACE_OUTCOME_FINISHED
                                                       : LS_TRACE_OUTCOME_EXCEPTION,
                                 NULL, status == LS_VM_OK ? 0 : 1, &error);
out:
  if (error)
    {
      fprintf (stderr, "%s: %s\n", who, error->message);
      g_error_free (error);
    }
  g_free (name);
  return ok;
}
