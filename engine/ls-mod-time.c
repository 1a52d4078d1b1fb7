/* ls-mod-time.c - the time module a scenario may import, on virtual time.
 *
 * What the CPython oracle does to its time module, we do here: sleep(s)
 * advances the one virtual clock (blocking the running loop, the lesson of
 * every "why is my asyncio program sequential" tutorial); perf_counter()
 * and monotonic() read that clock; time() is the configured epoch plus the
 * clock; gmtime/localtime/strftime/ctime/asctime with no time argument use
 * epoch + clock, in UTC (the oracle runs with TZ=UTC, and its localtime is
 * gmtime, whose tm_zone is "GMT").
 *
 * strftime formats the fields itself rather than calling the C library:
 * the C library's names follow the process locale (a GTK front end sets
 * it), while a Python program's time.strftime runs in the C locale.  The
 * conversions, flags and widths are glibc's, so the output is the one
 * CPython on Linux gives.
 */
#include "ls-vm-private.h"

#include <math.h>
#include <string.h>

/* OverflowError, which the value model does not define: only this module
 * raises it, and a program can still catch it as ArithmeticError. */
static LsExcType exc_OverflowError = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "OverflowError", &ls_exc_ArithmeticError
};

static const char *const wday_abbr[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const wday_full[] = {
  "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
};
static const char *const mon_abbr[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};
static const char *const mon_full[] = {
  "January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"
};

/* A broken-down time as C's struct tm holds it (tm_year is the full year
 * here, wday counts from Sunday, yday from 0), plus the zone name when it
 * came from a struct_time. */
typedef struct {
  gint64 year;
  int mon, mday, hour, min, sec, wday, yday, isdst;
  const char *zone;
} Tm;

/* ---- arguments ------------------------------------------------------------ */

static LsValue
arg_count_error (const char *fname, guint max, guint nargs)
{
  return ls_exc_newf (&ls_exc_TypeError, "%s() takes %s%u positional argument%s but %u %s given",
                      fname, max == 1 ? "" : "from 0 to ", max, max == 1 ? "" : "s", nargs,
                      nargs == 1 ? "was" : "were");
}

/* An int (or bool) argument where CPython wants an integer. */
static gboolean
get_int (LsValue v, gint64 *out, LsValue *error)
{
  LsKind k = ls_value_kind (v);
  if (k == LS_KIND_BOOL)
    *out = ls_value_as_bool (v);
  else if (k == LS_KIND_INT && ls_int_fits_int64 (v, out))
    ;
  else if (k == LS_KIND_INT)
    {
      *error = ls_exc_newf (&exc_OverflowError, "Python int too large to convert to C int");
      return FALSE;
    }
  else
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                            ls_value_class (v)->name);
      return FALSE;
    }
  return TRUE;
}

/* An int or float argument (seconds). */
static gboolean
get_seconds (LsValue v, double *out, LsValue *error)
{
  gint64 i;
  if (ls_value_kind (v) == LS_KIND_FLOAT)
    {
      *out = ls_value_as_float (v);
      return TRUE;
    }
  if (!get_int (v, &i, error))
    return FALSE;
  *out = (double) i;
  return TRUE;
}

static LsVm *
vm_of (gpointer data)
{
  return data ? data : ls_vm_current ();
}

/* The wall-clock time: the epoch plus the virtual clock. */
static double
wall_now (LsVm *vm)
{
  return vm->options.epoch + _ls_vm_now (vm);
}

/* int(round(x * 1e9)), as the oracle computes the *_ns clocks; round()
 * rounds halves to even, which nearbyint does in the default mode. */
static LsValue
to_ns (double x)
{
  return ls_int ((gint64) nearbyint (x * 1e9));
}

/* ---- sleep and the clocks ---------------------------------------------------- */

/* time.sleep(secs) */
static gboolean
time_sleep (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  double secs;

  if (nargs != 1)
    {
      *result = nargs ? arg_count_error ("sleep", 1, nargs)
                      : ls_exc_newf (&ls_exc_TypeError,
                                     "sleep() missing 1 required positional argument: 'secs'");
      return FALSE;
    }
  if (!get_seconds (args[0], &secs, result))
    return FALSE;
  if (isnan (secs))
    {
      *result = ls_exc_newf (&ls_exc_ValueError, "Invalid value NaN (not a number)");
      return FALSE;
    }
  if (secs < 0)
    {
      *result = ls_exc_newf (&ls_exc_ValueError, "sleep length must be non-negative");
      return FALSE;
    }
  if (isinf (secs) || secs > 9.2e9)
    {
      *result = ls_exc_newf (&exc_OverflowError, "timestamp out of range for platform time_t");
      return FALSE;
    }
  {
    /* After gevent.monkey.patch_all() it is gevent.sleep. */
    gboolean ok;
    if (_ls_gevent_patched_sleep (vm_of (data), secs, &ok, result))
      return ok;
  }
  _ls_vm_advance (vm_of (data), secs);
  *result = ls_none ();
  return TRUE;
}

static gboolean
no_arguments (const char *fname, guint nargs, LsValue *result)
{
  if (nargs == 0)
    return TRUE;
  *result = ls_exc_newf (&ls_exc_TypeError, "%s() takes 0 positional arguments but %u %s given",
                         fname, nargs, nargs == 1 ? "was" : "were");
  return FALSE;
}

/* perf_counter() and monotonic(): the virtual clock itself. */
static gboolean
time_clock (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  if (!no_arguments ("perf_counter", nargs, result))
    return FALSE;
  *result = ls_float (_ls_vm_now (vm_of (data)));
  return TRUE;
}

static gboolean
time_clock_ns (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  if (!no_arguments ("perf_counter_ns", nargs, result))
    return FALSE;
  *result = to_ns (_ls_vm_now (vm_of (data)));
  return TRUE;
}

/* time.time() */
static gboolean
time_time (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  if (!no_arguments ("time", nargs, result))
    return FALSE;
  *result = ls_float (wall_now (vm_of (data)));
  return TRUE;
}

/* time.time_ns(): the oracle adds the two parts in nanoseconds. */
static gboolean
time_time_ns (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsVm *vm = vm_of (data);
  if (!no_arguments ("time_ns", nargs, result))
    return FALSE;
  *result = ls_int ((gint64) nearbyint (vm->options.epoch * 1e9)
                    + (gint64) nearbyint (_ls_vm_now (vm) * 1e9));
  return TRUE;
}

/* ---- struct_time ---------------------------------------------------------------- */

static const char *const field_names[] = {
  "tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday", "tm_yday", "tm_isdst"
};

/* time.struct_time: a tuple of nine ints with names, plus tm_zone and
 * tm_gmtoff.  The tuple does the sequence work. */
typedef struct {
  LsObject base;
  LsValue tuple;
  char *zone;
} LsStructTime;

static void
struct_time_finalize (LsObject *self)
{
  LsStructTime *st = (LsStructTime *) self;
  ls_value_unref (st->tuple);
  g_free (st->zone);
}

static char *
struct_time_repr (LsObject *self)
{
  LsTuple *t = (LsTuple *) ls_value_as_object (((LsStructTime *) self)->tuple);
  GString *out = g_string_new ("time.struct_time(");
  for (guint i = 0; i < t->len; i++)
    {
      char *r = ls_value_repr (t->items[i]);
      g_string_append_printf (out, "%s%s=%s", i ? ", " : "", field_names[i], r);
      g_free (r);
    }
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}

static gboolean
struct_time_equal (LsObject *a, LsObject *b)
{
  return ls_value_equal (((LsStructTime *) a)->tuple, ((LsStructTime *) b)->tuple);
}

static gboolean
struct_time_getattr (LsObject *self, const char *name, LsValue *out)
{
  LsStructTime *st = (LsStructTime *) self;
  LsTuple *t = (LsTuple *) ls_value_as_object (st->tuple);

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (strcmp (name, field_names[i]) == 0)
      {
        *out = ls_value_ref (t->items[i]);
        return TRUE;
      }
  if (strcmp (name, "tm_zone") == 0)
    *out = ls_str_new (st->zone);
  else if (strcmp (name, "tm_gmtoff") == 0)
    *out = ls_int (0);
  else if (strcmp (name, "n_fields") == 0 || strcmp (name, "n_sequence_fields") == 0)
    *out = ls_int (strcmp (name, "n_fields") == 0 ? 11 : 9);
  else
    {
      *out = ls_exc_newf (&ls_exc_AttributeError,
                          "'time.struct_time' object has no attribute '%s'", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
struct_time_getitem (LsObject *self, LsValue key, LsValue *out)
{
  return ls_op_getitem (((LsStructTime *) self)->tuple, key, out);
}

static gboolean
struct_time_len (LsObject *self, gint64 *len, LsValue *error)
{
  *len = 9;
  return TRUE;
}

static gboolean
struct_time_contains (LsObject *self, LsValue item, gboolean *result, LsValue *error)
{
  return ls_op_contains (((LsStructTime *) self)->tuple, item, result, error);
}

static gboolean
struct_time_iter (LsObject *self, LsValue *out)
{
  return ls_op_iter (((LsStructTime *) self)->tuple, out);
}

static gboolean
struct_time_hash (LsObject *self, guint64 *hash, LsValue *error)
{
  return ls_op_hash (((LsStructTime *) self)->tuple, hash, error);
}

static const LsTypeSlots struct_time_slots = {
  .getattr = struct_time_getattr,
  .getitem = struct_time_getitem,
  .len = struct_time_len,
  .contains = struct_time_contains,
  .iter = struct_time_iter,
  .hash = struct_time_hash,
};

static const LsClass struct_time_class = {
  .name = "time.struct_time",
  .finalize = struct_time_finalize,
  .repr = struct_time_repr,
  .equal = struct_time_equal,
  .size = sizeof (LsStructTime),
  .ops = &struct_time_slots,
};

/* A struct_time of tm: Python counts weekdays from Monday, days of the
 * year from 1. */
static LsValue
struct_time_new (const Tm *tm)
{
  LsStructTime *st = ls_object_alloc (&struct_time_class, sizeof (LsStructTime));
  LsValue items[9] = {
    ls_int (tm->year), ls_int (tm->mon + 1), ls_int (tm->mday), ls_int (tm->hour),
    ls_int (tm->min), ls_int (tm->sec), ls_int ((tm->wday + 6) % 7), ls_int (tm->yday + 1),
    ls_int (tm->isdst),
  };
  st->tuple = ls_tuple_new (9, items);
  st->zone = g_strdup (tm->zone ? tm->zone : "GMT");
  return ls_object (st);
}

/* gmtime(secs) through GDateTime, in UTC. */
static gboolean
tm_from_seconds (double secs, Tm *tm, LsValue *error)
{
  GDateTime *dt = NULL;
  int y, m, d;

  secs = floor (secs);
  if (isfinite (secs) && fabs (secs) < 1e15)
    dt = g_date_time_new_from_unix_utc ((gint64) secs);
  if (!dt)
    {
      *error = ls_exc_newf (&exc_OverflowError, "timestamp out of range for platform time_t");
      return FALSE;
    }
  g_date_time_get_ymd (dt, &y, &m, &d);
  tm->year = y;
  tm->mon = m - 1;
  tm->mday = d;
  tm->hour = g_date_time_get_hour (dt);
  tm->min = g_date_time_get_minute (dt);
  tm->sec = g_date_time_get_second (dt);
  tm->wday = g_date_time_get_day_of_week (dt) % 7;   /* 7 is Sunday */
  tm->yday = g_date_time_get_day_of_year (dt) - 1;
  tm->isdst = 0;
  tm->zone = "GMT";
  g_date_time_unref (dt);
  return TRUE;
}

/* The time a function was given (secs, or None for now) as a Tm. */
static gboolean
tm_from_arg (LsVm *vm, LsValue secs_arg, Tm *tm, LsValue *error)
{
  double secs;
  if (ls_is_none (secs_arg))
    secs = wall_now (vm);
  else if (!get_seconds (secs_arg, &secs, error))
    return FALSE;
  else if (isnan (secs))
    {
      *error = ls_exc_newf (&ls_exc_ValueError, "Invalid value NaN (not a number)");
      return FALSE;
    }
  return tm_from_seconds (secs, tm, error);
}

/* gettmarg() and checktm() of timemodule.c: a struct_time or a 9-tuple,
 * checked and adjusted the way strftime() and asctime() do. */
static gboolean
tm_from_tuple (const char *fname, LsValue v, Tm *tm, LsValue *error)
{
  LsTuple *t;
  gint64 f[9];

  tm->zone = NULL;
  if (ls_value_is (v, &struct_time_class))
    {
      tm->zone = ((LsStructTime *) ls_value_as_object (v))->zone;
      v = ((LsStructTime *) ls_value_as_object (v))->tuple;
    }
  else if (!ls_value_is (v, &ls_tuple_class))
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "Tuple or struct_time argument required");
      return FALSE;
    }
  t = (LsTuple *) ls_value_as_object (v);
  if (t->len != 9)
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "%s(): illegal time tuple argument", fname);
      return FALSE;
    }
  for (guint i = 0; i < 9; i++)
    if (!get_int (t->items[i], &f[i], error))
      return FALSE;
  tm->year = f[0];
  tm->mon = f[1] - 1;
  tm->mday = f[2];
  tm->hour = f[3];
  tm->min = f[4];
  tm->sec = f[5];
  tm->wday = (f[6] + 1) % 7;
  tm->yday = f[7] - 1;
  tm->isdst = f[8];

  if (tm->mon == -1)
    tm->mon = 0;
  else if (tm->mon < 0 || tm->mon > 11)
    *error = ls_exc_newf (&ls_exc_ValueError, "month out of range");
  if (ls_is_none (*error) && tm->mday == 0)
    tm->mday = 1;
  else if (ls_is_none (*error) && (tm->mday < 0 || tm->mday > 31))
    *error = ls_exc_newf (&ls_exc_ValueError, "day of month out of range");
  if (ls_is_none (*error) && (tm->hour < 0 || tm->hour > 23))
    *error = ls_exc_newf (&ls_exc_ValueError, "hour out of range");
  if (ls_is_none (*error) && (tm->min < 0 || tm->min > 59))
    *error = ls_exc_newf (&ls_exc_ValueError, "minute out of range");
  if (ls_is_none (*error) && (tm->sec < 0 || tm->sec > 61))
    *error = ls_exc_newf (&ls_exc_ValueError, "seconds out of range");
  if (ls_is_none (*error) && tm->wday < 0)
    *error = ls_exc_newf (&ls_exc_ValueError, "day of week out of range");
  if (ls_is_none (*error) && tm->yday == -1)
    tm->yday = 0;
  else if (ls_is_none (*error) && (tm->yday < 0 || tm->yday > 365))
    *error = ls_exc_newf (&ls_exc_ValueError, "day of year out of range");
  tm->isdst = CLAMP (tm->isdst, -1, 1);
  return ls_is_none (*error);
}

/* gmtime(secs=None) and localtime(secs=None), the same in UTC */
static gboolean
time_gmtime (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  Tm tm;
  if (nargs > 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "gmtime expected at most 1 argument, got %u", nargs);
      return FALSE;
    }
  if (!tm_from_arg (vm_of (data), nargs ? args[0] : ls_none (), &tm, result))
    return FALSE;
  *result = struct_time_new (&tm);
  return TRUE;
}

/* ---- strftime ---------------------------------------------------------------------- */

static gboolean
is_leap (gint64 year)
{
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static gint64
days_from_civil (gint64 y, int m, int d)
{
  gint64 era, yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* glibc's iso_week_days: the days since the start of the ISO year. */
static int
iso_week_days (int yday, int wday)
{
  int big_enough_multiple_of_7 = (366 / 7 + 2) * 7;
  return yday - (yday - wday + 4 + big_enough_multiple_of_7) % 7 + 4 - 1;
}

static void
iso_week (const Tm *tm, gint64 *year, int *week)
{
  gint64 y = tm->year;
  int days = iso_week_days (tm->yday, tm->wday);
  if (days < 0)
    {
      y--;
      days = iso_week_days (tm->yday + (365 + is_leap (y)), tm->wday);
    }
  else
    {
      int d = iso_week_days (tm->yday - (365 + is_leap (y)), tm->wday);
      if (d >= 0)
        {
          y++;
          days = d;
        }
    }
  *year = y;
  *week = days / 7 + 1;
}

/* Appends text padded to width: spaces unless the flag asks for zeros.
 * '^' upper-cases the text; '#' too, except for %p and %Z (lower). */
static void
put_padded (GString *out, const char *text, int width, char pad, char conv)
{
  int len = strlen (text);
  char fill = pad == '0' ? '0' : ' ';
  gboolean lower = pad == '#' && (conv == 'p' || conv == 'Z');

  for (int i = len; i < width; i++)
    g_string_append_c (out, fill);
  if (pad == '^' || pad == '#')
    for (const char *c = text; *c; c++)
      g_string_append_c (out, lower ? g_ascii_tolower (*c) : g_ascii_toupper (*c));
  else
    g_string_append (out, text);
}

/* A number with glibc's DO_NUMBER padding: `digits` wide with zeros (or
 * spaces for %e %k %l), none with '-', spaces with '_', then widened to
 * an explicit width. */
static void
put_number (GString *out, gint64 value, int digits, gboolean space_pad, char pad, int width)
{
  char buf[32], *p = buf;
  gboolean neg = value < 0;
  char fill = (pad == '_' || (space_pad && pad != '0')) ? ' ' : '0';
  int len, n;
  GString *num = g_string_new (NULL);

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, neg ? -value : value);
  len = strlen (p);
  if (neg)
    g_string_append_c (num, '-');
  if (pad != '-')
    for (n = len + neg; n < digits; n++)
      g_string_append_c (num, fill);
  g_string_append (num, p);
  for (n = num->len; n < width; n++)
    g_string_append_c (out, pad == '-' || pad == '_' ? ' ' : '0');
  g_string_append_len (out, num->str, num->len);
  g_string_free (num, TRUE);
}

static void format_tm (GString *out, const char *fmt, const Tm *tm);

/* One conversion; FALSE when glibc does not know it. */
static gboolean
format_one (GString *out, char conv, char pad, int width, const Tm *tm)
{
  gint64 iso_year;
  int iso_wk, hour12 = tm->hour % 12 == 0 ? 12 : tm->hour % 12;
  const char *text = NULL;
  GString *sub;

  switch (conv)
    {
    case 'a': text = wday_abbr[tm->wday % 7]; break;
    case 'A': text = wday_full[tm->wday % 7]; break;
    case 'b': case 'h': text = mon_abbr[tm->mon]; break;
    case 'B': text = mon_full[tm->mon]; break;
    case 'p': text = tm->hour < 12 ? "AM" : "PM"; break;
    case 'P': text = tm->hour < 12 ? "am" : "pm"; break;
    case 'Z': text = tm->zone ? tm->zone : "UTC"; break;
    case 'z': text = "+0000"; break;
    case 'n': text = "\n"; break;
    case 't': text = "\t"; break;
    case '%': text = "%"; break;
    case 'c': case 'D': case 'F': case 'r': case 'R': case 'T': case 'x': case 'X':
      sub = g_string_new (NULL);
      format_tm (sub, conv == 'c' ? "%a %b %e %H:%M:%S %Y"
                      : conv == 'D' || conv == 'x' ? "%m/%d/%y"
                      : conv == 'F' ? "%Y-%m-%d"
                      : conv == 'r' ? "%I:%M:%S %p"
                      : conv == 'R' ? "%H:%M" : "%H:%M:%S", tm);
      put_padded (out, sub->str, width, pad, conv);
      g_string_free (sub, TRUE);
      return TRUE;
    case 'C': put_number (out, (tm->year >= 0 ? tm->year : tm->year - 99) / 100, 1, FALSE, pad, width); return TRUE;
    case 'd': put_number (out, tm->mday, 2, FALSE, pad, width); return TRUE;
    case 'e': put_number (out, tm->mday, 2, TRUE, pad, width); return TRUE;
    case 'H': put_number (out, tm->hour, 2, FALSE, pad, width); return TRUE;
    case 'I': put_number (out, hour12, 2, FALSE, pad, width); return TRUE;
    case 'k': put_number (out, tm->hour, 2, TRUE, pad, width); return TRUE;
    case 'l': put_number (out, hour12, 2, TRUE, pad, width); return TRUE;
    case 'j': put_number (out, tm->yday + 1, 3, FALSE, pad, width); return TRUE;
    case 'm': put_number (out, tm->mon + 1, 2, FALSE, pad, width); return TRUE;
    case 'M': put_number (out, tm->min, 2, FALSE, pad, width); return TRUE;
    case 'S': put_number (out, tm->sec, 2, FALSE, pad, width); return TRUE;
    case 'u': put_number (out, (tm->wday + 6) % 7 + 1, 1, FALSE, pad, width); return TRUE;
    case 'w': put_number (out, tm->wday, 1, FALSE, pad, width); return TRUE;
    case 'U': put_number (out, (tm->yday - tm->wday + 7) / 7, 2, FALSE, pad, width); return TRUE;
    case 'W':
      put_number (out, (tm->yday - (tm->wday - 1 + 7) % 7 + 7) / 7, 2, FALSE, pad, width);
      return TRUE;
    case 'y': put_number (out, ((tm->year % 100) + 100) % 100, 2, FALSE, pad, width); return TRUE;
    case 'Y': put_number (out, tm->year, 1, FALSE, pad, width); return TRUE;
    case 'G': case 'g': case 'V':
      iso_week (tm, &iso_year, &iso_wk);
      if (conv == 'V')
        put_number (out, iso_wk, 2, FALSE, pad, width);
      else if (conv == 'g')
        put_number (out, ((iso_year % 100) + 100) % 100, 2, FALSE, pad, width);
      else
        put_number (out, iso_year, 1, FALSE, pad, width);
      return TRUE;
    case 's':
      put_number (out, days_from_civil (tm->year, tm->mon + 1, tm->mday) * 86400
                  + tm->hour * 3600 + tm->min * 60 + tm->sec, 1, FALSE, pad, width);
      return TRUE;
    default:
      return FALSE;
    }
  put_padded (out, text, width, pad, conv);
  return TRUE;
}

static void
format_tm (GString *out, const char *fmt, const Tm *tm)
{
  const char *p = fmt;

  while (*p)
    {
      const char *start = p;
      char pad = 0;
      int width = 0;

      if (*p != '%')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      p++;
      while (*p == '_' || *p == '-' || *p == '0' || *p == '^' || *p == '#')
        pad = *p++;
      for (; g_ascii_isdigit (*p); p++)
        width = MIN (width * 10 + (*p - '0'), 1024);
      if (*p == 'E' || *p == 'O')
        p++;
      if (!*p)
        {
          /* a trailing % (or unfinished directive) is kept as it is */
          g_string_append (out, start);
          return;
        }
      if (!format_one (out, *p, pad, width, tm))
        g_string_append_len (out, start, p + 1 - start);
      p++;
    }
}

/* strftime(format[, t]) */
static gboolean
time_strftime (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  const char *fmt;
  GString *out;
  Tm tm;

  if (nargs == 0)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "strftime() missing 1 required positional argument: 'fmt'");
      return FALSE;
    }
  if (nargs > 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "strftime() takes at most 2 arguments (%u given)", nargs);
      return FALSE;
    }
  if (!(fmt = ls_str_get (args[0])))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "strftime() argument 1 must be str, not %s",
                             ls_value_class (args[0])->name);
      return FALSE;
    }
  *result = ls_none ();
  if (nargs == 2 ? !tm_from_tuple ("strftime", args[1], &tm, result)
                 : !tm_from_arg (vm_of (data), ls_none (), &tm, result))
    return FALSE;
  out = g_string_new (NULL);
  format_tm (out, fmt, &tm);
  *result = ls_str_take (g_string_free (out, FALSE));
  return TRUE;
}

/* asctime()'s own format: "Thu Jan  1 00:00:00 2026" */
static LsValue
asctime_of (const Tm *tm)
{
  return ls_str_printf ("%s %s%3d %.2d:%.2d:%.2d %" G_GINT64_FORMAT, wday_abbr[tm->wday % 7],
                        mon_abbr[tm->mon], tm->mday, tm->hour, tm->min, tm->sec, tm->year);
}

/* asctime(t=None) */
static gboolean
time_asctime (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  Tm tm;
  if (nargs > 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "asctime expected at most 1 argument, got %u", nargs);
      return FALSE;
    }
  *result = ls_none ();
  if (nargs && !ls_is_none (args[0]) ? !tm_from_tuple ("asctime", args[0], &tm, result)
                                      : !tm_from_arg (vm_of (data), ls_none (), &tm, result))
    return FALSE;
  *result = asctime_of (&tm);
  return TRUE;
}

/* ctime(secs=None) */
static gboolean
time_ctime (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  Tm tm;
  if (nargs > 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "ctime expected at most 1 argument, got %u", nargs);
      return FALSE;
    }
  if (!tm_from_arg (vm_of (data), nargs ? args[0] : ls_none (), &tm, result))
    return FALSE;
  *result = asctime_of (&tm);
  return TRUE;
}

/* ---- the module ------------------------------------------------------------------------ */

static void
add (LsValue m, const char *name, LsBuiltinFn fn, LsVm *vm)
{
  _ls_module_add (m, name, ls_builtin_new (name, fn, ls_none (), vm, NULL));
}

LsValue
_ls_mod_time_new (LsVm *vm)
{
  LsValue m = _ls_module_new ("time");

  add (m, "sleep", time_sleep, vm);
  add (m, "perf_counter", time_clock, vm);
  add (m, "monotonic", time_clock, vm);
  add (m, "perf_counter_ns", time_clock_ns, vm);
  add (m, "monotonic_ns", time_clock_ns, vm);
  add (m, "time", time_time, vm);
  add (m, "time_ns", time_time_ns, vm);
  add (m, "gmtime", time_gmtime, vm);
  add (m, "localtime", time_gmtime, vm);
  add (m, "strftime", time_strftime, vm);
  add (m, "asctime", time_asctime, vm);
  add (m, "ctime", time_ctime, vm);
  _ls_module_add (m, "timezone", ls_int (0));
  _ls_module_add (m, "altzone", ls_int (0));
  _ls_module_add (m, "daylight", ls_int (0));
  {
    LsValue names[2] = { ls_str_new ("UTC"), ls_str_new ("UTC") };
    _ls_module_add (m, "tzname", ls_tuple_new (2, names));
  }
  return m;
}
