/* test-render.c - `loopscope-cli render`: PNG, SVG and PDF of the size
 * asked, task names kept as text in a PDF, the steps handout, Chinese
 * text, a trace file as input, and bad usage.  Runs the real CLI. */
#include "trace-test-util.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static char *tmp_dir;

/* Runs the CLI; returns its exit status, stderr in *err (may be NULL). */
static int
cli (char **err, const char *first, ...)
{
  GPtrArray *argv = g_ptr_array_new ();
  va_list ap;
  const char *a;
  int status = -1;
  GError *error = NULL;

  g_ptr_array_add (argv, (char *) LS_TEST_CLI);
  va_start (ap, first);
  for (a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                err, &status, &error);
  g_assert_no_error (error);
  g_ptr_array_free (argv, TRUE);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static char *
out_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static char *
scenario (const char *name)
{
  return g_build_filename (LS_TEST_SOURCE_DIR, "data", "scenarios", name, NULL);
}

/* Width and height from a PNG's IHDR. */
static void
png_size (const char *path, guint *w, guint *h)
{
  char *data = NULL;
  gsize len = 0;
  const guchar *p;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 24);
  g_assert_cmpint (memcmp (data, "\x89PNG\r\n\x1a\n", 8), ==, 0);
  p = (const guchar *) data + 16;
  *w = (guint) p[0] << 24 | (guint) p[1] << 16 | (guint) p[2] << 8 | p[3];
  *h = (guint) p[4] << 24 | (guint) p[5] << 16 | (guint) p[6] << 8 | p[7];
  g_free (data);
}

/* The text of a PDF as pdftotext reads it, or NULL without poppler-utils. */
static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  char *out = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, NULL))
    return NULL;
  return out;
}

static void
test_png_size (void)
{
  char *in = scenario ("gather_factorial.py"), *out = out_path ("g.png");
  guint w, h;

  g_assert_cmpint (cli (NULL, "render", in, "-o", out, "--width", "900", "--height", "320", NULL), ==, 0);
  png_size (out, &w, &h);
  g_assert_cmpuint (w, ==, 900);
  g_assert_cmpuint (h, ==, 320);
  /* Without --height: enough for every lane (4 here), more than a minimum. */
  g_assert_cmpint (cli (NULL, "render", in, "-o", out, "--axis", "switch", "--theme", "dark", NULL), ==, 0);
  png_size (out, &w, &h);
  g_assert_cmpuint (w, ==, 1400);
  g_assert_cmpuint (h, >=, 4 * 40);
  g_free (in);
  g_free (out);
}

static void
test_svg_size (void)
{
  char *in = scenario ("shield.py"), *out = out_path ("s.svg"), *data = NULL;

  g_assert_cmpint (cli (NULL, "render", in, "-o", out, "--width", "640", "--height", "240", NULL), ==, 0);
  g_assert_true (g_file_get_contents (out, &data, NULL, NULL));
  g_assert_nonnull (strstr (data, "<svg"));
  g_assert_nonnull (strstr (data, "width=\"640pt\""));
  g_assert_nonnull (strstr (data, "height=\"240pt\""));
  g_free (data);
  g_free (in);
  g_free (out);
}

static void
test_pdf_text (void)
{
  char *in = scenario ("taskgroup_failing.py"), *out = out_path ("t.pdf"), *text;

  g_assert_cmpint (cli (NULL, "render", in, "-o", out, "--axis", "time", NULL), ==, 0);
  text = pdf_text (out);
  if (!text)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      goto out;
    }
  /* Task names and coroutines are text, not paths: searchable, copyable. */
  g_assert_nonnull (strstr (text, "Task-1"));
  g_assert_nonnull (strstr (text, "Task-4"));
  g_assert_nonnull (strstr (text, "download()"));
  g_assert_nonnull (strstr (text, "TaskGroup"));
  g_free (text);
out:
  g_free (in);
  g_free (out);
}

/* A group's name steps aside rather than cross a printed line: drawn over
 * each other, pdftotext would read neither.  (Whether a text is cut short
 * cannot be read back this way: the PDF keeps the whole text of a run.) */
static void
test_text_placement (void)
{
  char *in = scenario ("producer_consumer.py"), *out = out_path ("p.pdf"), *text;

  g_assert_cmpint (cli (NULL, "render", in, "-o", out, "--width", "1200", NULL), ==, 0);
  text = pdf_text (out);
  if (!text)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      goto out;
    }
  g_assert_nonnull (strstr (text, "everything sold"));
  g_assert_nonnull (strstr (text, "gather"));
  g_free (text);
out:
  g_free (in);
  g_free (out);
}

static void
test_steps_pdf (void)
{
  char *in = scenario ("gather_factorial.py"), *out = out_path ("steps.pdf"), *text;
  const char *argv[] = { "pdfinfo", NULL, NULL };
  char *info = NULL;
  int status;

  g_assert_cmpint (cli (NULL, "render", in, "-o", out, "--steps", NULL), ==, 0);
  argv[1] = out;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &info, NULL, &status, NULL))
    {
      g_test_skip ("pdfinfo (poppler-utils) is not installed");
      goto out;
    }
  /* One page per step: main 2, A 2, B 3, C 4. */
  g_assert_nonnull (strstr (info, "Pages:"));
  g_assert_cmpint (atoi (strstr (info, "Pages:") + 6), ==, 11);
  text = pdf_text (out);
  g_assert_nonnull (strstr (text, "Step 1 of 11"));
  g_assert_nonnull (strstr (text, "Step 11 of 11"));
  /* The last page has all the output so far. */
  g_assert_nonnull (strstr (text, "[2, 6, 24]"));
  g_free (text);
out:
  g_free (info);
  g_free (in);
  g_free (out);
}

static void
test_chinese (void)
{
  char *src = out_path ("zh.py"), *out = out_path ("zh.pdf"), *png = out_path ("zh.png"), *text;
  const char *program =
    "import asyncio\n"
    "\n"
    "async def 下载(名字):\n"
    "    await asyncio.sleep(1)\n"
    "    print(f\"{名字} 完成\")\n"
    "\n"
    "async def main():\n"
    "    t = asyncio.create_task(下载(\"文件\"), name=\"下载任务\")\n"
    "    await t\n"
    "\n"
    "asyncio.run(main())\n";
  guint w, h;

  g_assert_true (g_file_set_contents (src, program, -1, NULL));
  g_assert_cmpint (cli (NULL, "render", src, "-o", png, "--width", "700", NULL), ==, 0);
  png_size (png, &w, &h);
  g_assert_cmpuint (w, ==, 700);
  g_assert_cmpint (cli (NULL, "render", src, "-o", out, NULL), ==, 0);
  text = pdf_text (out);
  if (!text)
    g_test_skip ("pdftotext (poppler-utils) is not installed");
  else
    g_assert_nonnull (strstr (text, "下载任务"));
  g_free (text);
  g_free (src);
  g_free (out);
  g_free (png);
}

static void
test_trace_input_and_range (void)
{
  char *trace = ls_test_record (tmp_dir, "data/scenarios/count_down_sequential.py");
  char *out = out_path ("cd.png");
  guint w, h;

  g_assert_cmpint (cli (NULL, "render", trace, "-o", out, "--from", "1", "--to", "4",
                        "--tasks", "count_down", "--width", "600", "--height", "200", NULL), ==, 0);
  png_size (out, &w, &h);
  g_assert_cmpuint (w, ==, 600);
  g_assert_cmpuint (h, ==, 200);
  /* A filter that matches nothing still draws (an empty timeline that says so). */
  g_assert_cmpint (cli (NULL, "render", trace, "-o", out, "--tasks", "nothing*", NULL), ==, 0);
  g_free (trace);
  g_free (out);
}

static void
test_bad_usage (void)
{
  char *in = scenario ("shield.py"), *out = out_path ("x.png"), *bad = out_path ("bad.sqlite");
  char *gif = out_path ("x.gif"), *err = NULL;

  g_assert_cmpint (cli (&err, "render", in, "-o", gif, NULL), ==, 2);
  g_assert_nonnull (strstr (err, ".png, .svg or .pdf"));
  g_free (err);
  g_assert_cmpint (cli (NULL, "render", in, "-o", out, "--axis", "sideways", NULL), ==, 2);
  g_assert_cmpint (cli (NULL, "render", in, "-o", out, "--theme", "pink", NULL), ==, 2);
  g_assert_cmpint (cli (NULL, "render", in, "-o", out, "--steps", NULL), ==, 2);
  g_assert_cmpint (cli (NULL, "render", in, NULL), ==, 2);
  g_assert_true (g_file_set_contents (bad, "not a trace", -1, NULL));
  g_assert_cmpint (cli (&err, "render", bad, "-o", out, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "bad.sqlite"));
  g_free (err);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_free (in);
  g_free (out);
  g_free (bad);
  g_free (gif);
}

/* Every bundled scenario renders, in both themes. */
static void
test_every_scenario (void)
{
  char *dir = g_build_filename (LS_TEST_SOURCE_DIR, "data", "scenarios", NULL);
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)))
    {
      char *in, *out;
      guint w, h;
      if (!g_str_has_suffix (name, ".py"))
        continue;
      in = g_build_filename (dir, name, NULL);
      out = out_path ("every.png");
      g_assert_cmpint (cli (NULL, "render", in, "-o", out, "--width", "800",
                            "--theme", count % 2 ? "dark" : "light", NULL), ==, 0);
      png_size (out, &w, &h);
      g_assert_cmpuint (w, ==, 800);
      g_free (in);
      g_free (out);
      count++;
    }
  g_dir_close (d);
  g_free (dir);
  g_assert_cmpuint (count, >=, 13);
}

int
main (int argc, char **argv)
{
  int rc;
  GDir *d;
  const char *name;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("ls-test-render-XXXXXX", NULL);
  g_test_add_func ("/trace/render/png-size", test_png_size);
  g_test_add_func ("/trace/render/svg-size", test_svg_size);
  g_test_add_func ("/trace/render/pdf-keeps-text", test_pdf_text);
  g_test_add_func ("/trace/render/text-placement", test_text_placement);
  g_test_add_func ("/trace/render/steps-pdf", test_steps_pdf);
  g_test_add_func ("/trace/render/chinese", test_chinese);
  g_test_add_func ("/trace/render/trace-input-and-range", test_trace_input_and_range);
  g_test_add_func ("/trace/render/bad-usage", test_bad_usage);
  g_test_add_func ("/trace/render/every-scenario", test_every_scenario);
  rc = g_test_run ();
  d = g_dir_open (tmp_dir, 0, NULL);
  while (d && (name = g_dir_read_name (d)))
    {
      char *p = g_build_filename (tmp_dir, name, NULL);
      g_remove (p);
      g_free (p);
    }
  if (d)
    g_dir_close (d);
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
