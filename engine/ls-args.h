/* ls-args.h - a built-in's Python signature and the binding of a call to
 * it, with CPython's TypeError messages (too many positionals, an unknown
 * or repeated keyword, missing required arguments). */
#pragma once

#include "ls-value.h"

/* A Python signature, enough for CPython's argument errors. */
typedef struct {
  const char *name;            /* as the messages name it: "sleep", "Lock.acquire" */
  const char *params[4];
  guint npos;                  /* positional-or-keyword parameters come first */
  guint nparams;               /* all named ones; those past npos are keyword-only */
  guint nrequired;             /* the first nrequired are required */
  gboolean star;               /* *args: positionals past npos are the caller's */
  gboolean method;             /* a bound method: messages count self */
} LsSig;

/* Binds a call to sig: slots[i] becomes the value (borrowed) of parameter
 * i when the call gives it; the others keep what the caller put there,
 * the defaults.  FALSE with *error set when the call does not fit. */
gboolean _ls_bind_args (const LsSig *sig, const LsValue *args, guint nargs, LsValue kwnames,
                        const LsValue *kwvalues, LsValue *slots, LsValue *error);
