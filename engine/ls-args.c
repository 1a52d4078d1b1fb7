/* ls-args.c - binding a call's arguments to a built-in's signature, with
 * CPython's messages for what does not fit (see ls-args.h). */
#include "ls-args.h"

#include <string.h>

static const char *
were (guint n)
{
  return n == 1 ? "was" : "were";
}

gboolean
_ls_bind_args (const LsSig *sig, const LsValue *args, guint nargs, LsValue kwnames,
               const LsValue *kwvalues, LsValue *slots, LsValue *error)
{
  LsTuple *names = ls_is_none (kwnames) ? NULL : (LsTuple *) ls_value_as_object (kwnames);
  guint given = 0, self = sig->method ? 1 : 0, nmissing = 0;
  const char *missing[4];

  if (!sig->star && nargs > sig->npos)
    {
      if (sig->nrequired == sig->npos)
        *error = ls_exc_newf (&ls_exc_TypeError, "%s() takes %u positional argument%s but %u %s given",
                              sig->name, sig->npos + self, sig->npos + self == 1 ? "" : "s",
                              nargs + self, were (nargs + self));
      else
        *error = ls_exc_newf (&ls_exc_TypeError,
                              "%s() takes from %u to %u positional arguments but %u %s given",
                              sig->name, sig->nrequired + self, sig->npos + self, nargs + self,
                              were (nargs + self));
      return FALSE;
    }
  for (guint i = 0; i < MIN (nargs, sig->npos); i++)
    {
      slots[i] = args[i];
      given |= 1u << i;
    }
  for (guint k = 0; names && k < names->len; k++)
    {
      const char *key = ls_str_get (names->items[k]);
      guint j;
      for (j = 0; j < sig->nparams; j++)
        if (strcmp (sig->params[j], key) == 0)
          break;
      if (j == sig->nparams)
        {
          *error = ls_exc_newf (&ls_exc_TypeError, "%s() got an unexpected keyword argument '%s'",
                                sig->name, key);
          return FALSE;
        }
      if (given & (1u << j))
        {
          *error = ls_exc_newf (&ls_exc_TypeError, "%s() got multiple values for argument '%s'",
                                sig->name, key);
          return FALSE;
        }
      slots[j] = kwvalues[k];
      given |= 1u << j;
    }
  for (guint i = 0; i < sig->nrequired; i++)
    if (!(given & (1u << i)))
      missing[nmissing++] = sig->params[i];
  if (nmissing)
    {
      GString *list = g_string_new (NULL);
      for (guint i = 0; i < nmissing; i++)
        g_string_append_printf (list, "%s'%s'", i == 0 ? ""
                                : nmissing == 2 ? " and " : i == nmissing - 1 ? ", and " : ", ",
                                missing[i]);
      *error = ls_exc_newf (&ls_exc_TypeError, "%s() missing %u required positional argument%s: %s",
                            sig->name, nmissing, nmissing == 1 ? "" : "s", list->str);
      g_string_free (list, TRUE);
      return FALSE;
    }
  return TRUE;
}
