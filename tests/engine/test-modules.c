/* test-modules.c - the modules a scenario imports: asyncio, time and
 * functools, bound to the scheduler by ls-mod-asyncio.c, ls-mod-time.c and
 * ls-mod-functools.c.
 *
 * Each test runs a small program through the interpreter
 * (ls_vm_run_source) and compares what it printed with what the CPython
 * oracle printed for the same program (`PYENV_VERSION=3.12.1 python3
 * shared/tools/cpython_oracle.py NAME.py`, epoch 2026-01-01 00:00:00 UTC,
 * the default of both).  A program prints rather than asserts, so that a
 * difference shows in the test log as two texts.  The last two tests are
 * where Loopscope parts from the oracle on purpose: a deadlock or a limit
 * stops the program with Loopscope's own report.
 */
#include "ls-test-harness.h"
#include "ls-vm.h"

#define EPOCH 1767225600.0   /* 2026-01-01 00:00:00 UTC */

typedef struct {
  const char *filename;
  const char *source;
  const char *out;           /* what the oracle printed on stdout */
} ModCase;

typedef struct {
  GString *out;
  GString *err;
} Captured;

static void
capture (gboolean is_stderr, const char *text, gpointer data)
{
  Captured *c = data;
  g_string_append (is_stderr ? c->err : c->out, text);
}

/* Runs source as the program `filename`; what it printed goes to c. */
static LsVmStatus
run_program (const char *filename, const char *source, guint64 max_steps, Captured *c)
{
  LsVmOptions options = { .max_steps = max_steps, .epoch = EPOCH };
  LsVm *vm = ls_vm_new (&options);
  gboolean syntax_error;
  LsVmStatus status;

  ls_vm_set_output (vm, capture, c);
  status = ls_vm_run_source (vm, filename, source, &syntax_error);
  g_assert_false (syntax_error);
  ls_vm_free (vm);
  return status;
}

static void
run_case (const ModCase *mc)
{
  Captured c = { g_string_new (NULL), g_string_new (NULL) };
  LsVmStatus status = run_program (mc->filename, mc->source, 0, &c);

  g_assert_cmpstr (c.out->str, ==, mc->out);
  g_assert_cmpstr (c.err->str, ==, "");
  g_assert_cmpint (status, ==, LS_VM_OK);
  g_string_free (c.out, TRUE);
  g_string_free (c.err, TRUE);
}

/* ---- programs and what CPython printed ---------------------------------------- */

/* asyncio.run, create_task, gather and sleep on the virtual clock */
static const ModCase case_run_basic = {
  "run_basic.py",
  "import asyncio\n"
  "import time\n"
  "\n"
  "async def work(name, delay):\n"
  "    print(f\"{name} start at {time.perf_counter()}\")\n"
  "    await asyncio.sleep(delay)\n"
  "    print(f\"{name} done at {time.perf_counter()}\")\n"
  "    return name * 2\n"
  "\n"
  "async def main():\n"
  "    t = asyncio.create_task(work(\"a\", 1))\n"
  "    results = await asyncio.gather(t, work(\"b\", 2), asyncio.sleep(0.5, result=\"s\"))\n"
  "    print(results, t.get_name(), t.done(), t.result())\n"
  "    print(asyncio.current_task().get_name())\n"
  "    return \"main result\"\n"
  "\n"
  "print(asyncio.run(main()))\n"
  "print(time.monotonic(), time.time())\n",
  "a start at 0.0\n"
  "b start at 0.0\n"
  "a done at 1.0\n"
  "b done at 2.0\n"
  "['aa', 'bb', 's'] Task-2 True aa\n"
  "Task-1\n"
  "main result\n"
  "2.0 1767225602.0\n",
};

/* time: clocks, sleep, gmtime, strftime, ctime, asctime */
static const ModCase case_time = {
  "time_mod.py",
  "import time\n"
  "\n"
  "print(time.strftime(\"%Y-%m-%d %H:%M:%S\"))\n"
  "print(time.strftime(\"%a %A %b %B %j %c | %x %X %p %y %e %U %W %w %u %V %G\"))\n"
  "print(time.strftime(\"%D %F %T %R %r %C %I %l %k %s %Z %z %% %q\"))\n"
  "print(time.strftime(\"%-d|%_m|%10Y|%Ey|%^a|%#b|%5d|%-5d|%05e|abc%\"))\n"
  "print(time.gmtime())\n"
  "print(time.localtime(86400 * 365.25 * 30 + 12345.9))\n"
  "print(time.ctime(), \"|\", time.ctime(100000), \"|\", time.asctime())\n"
  "print(time.time_ns(), time.perf_counter_ns(), time.monotonic_ns())\n"
  "t = time.gmtime(1e9)\n"
  "print(t.tm_year, t[1], t[-1], len(t), t.tm_zone, tuple(t))\n"
  "y, mo, d, h, mi, s, wd, yd, dst = time.gmtime(0)\n"
  "print(y, mo, d, wd, yd)\n"
  "print(time.strftime(\"%Y %j %a %U %s\", (2020, 3, 5, 13, 4, 5, 0, 1, 0)))\n"
  "print(time.strftime(\"%a %j %d %m\", (2020, 0, 0, 0, 0, 0, 0, 0, 0)))\n"
  "print(time.asctime((2020, 1, 1, 0, 0, 0, 0, 1, 0)))\n"
  "time.sleep(2.5)\n"
  "print(time.perf_counter(), time.strftime(\"%H:%M:%S\"))\n"
  "for bad in [lambda: time.sleep(-1), lambda: time.sleep(\"x\"), lambda: time.strftime(5),\n"
  "            lambda: time.strftime(\"%Y\", (2020, 13, 1, 0, 0, 0, 0, 1, 0)),\n"
  "            lambda: time.strftime(\"%Y\", (2020,)), lambda: time.gmtime().foo]:\n"
  "    try:\n"
  "        bad()\n"
  "    except Exception as e:\n"
  "        print(type(e).__name__, e)\n",
  "2026-01-01 00:00:00\n"
  "Thu Thursday Jan January 001 Thu Jan  1 00:00:00 2026 | 01/01/26 00:00:00 AM 26  1 00 00 4 4 01 2026\n"
  "01/01/26 2026-01-01 00:00:00 00:00 12:00:00 AM 20 12 12  0 1767225600 GMT +0000 % %q\n"
  "1| 1|0000002026|26|THU|JAN|00001|    1|00001|abc%\n"
  "time.struct_time(tm_year=2026, tm_mon=1, tm_mday=1, tm_hour=0, tm_min=0, tm_sec=0, tm_wday=3, tm_yday=1, tm_isdst=0)\n"
  "time.struct_time(tm_year=2000, tm_mon=1, tm_mday=1, tm_hour=15, tm_min=25, tm_sec=45, tm_wday=5, tm_yday=1, tm_isdst=0)\n"
  "Thu Jan  1 00:00:00 2026 | Fri Jan  2 03:46:40 1970 | Thu Jan  1 00:00:00 2026\n"
  "1767225600000000000 0 0\n"
  "2001 9 0 9 GMT (2001, 9, 9, 1, 46, 40, 6, 252, 0)\n"
  "1970 1 1 3 1\n"
  "2020 001 Mon 00 1583413445\n"
  "Mon 001 01 01\n"
  "Mon Jan  1 00:00:00 2020\n"
  "2.5 00:00:02\n"
  "ValueError sleep length must be non-negative\n"
  "TypeError 'str' object cannot be interpreted as an integer\n"
  "TypeError strftime() argument 1 must be str, not int\n"
  "ValueError month out of range\n"
  "TypeError strftime(): illegal time tuple argument\n"
  "AttributeError 'time.struct_time' object has no attribute 'foo'\n",
};

/* functools.partial */
static const ModCase case_partial = {
  "partial.py",
  "from functools import partial\n"
  "import functools\n"
  "\n"
  "def f(a, b=2, *, c=3):\n"
  "    return (a, b, c)\n"
  "\n"
  "p = functools.partial(f, 1, c=5)\n"
  "print(p(2), p(c=7), p(b=9, c=8))\n"
  "q = partial(p, 4)\n"
  "print(q(), q.args, q.keywords, q.func is f)\n"
  "r = partial(print, \"a\", \"b\", sep=\"-\")\n"
  "print(r)\n"
  "r(\"c\", end=\"!\\n\")\n"
  "r(sep=\"+\")\n"
  "try:\n"
  "    partial(1)\n"
  "except TypeError as e:\n"
  "    print(e)\n",
  "(1, 2, 5) (1, 2, 7) (1, 9, 8)\n"
  "(1, 4, 5) (1, 4) {'c': 5} True\n"
  "functools.partial(<built-in function print>, 'a', 'b', sep='-')\n"
  "a-b-c!\n"
  "a+b\n"
  "the first argument must be callable\n",
};

/* asyncio.wait: sets, return_when, timeout, errors */
static const ModCase case_wait = {
  "wait_sets.py",
  "import asyncio\n"
  "\n"
  "async def job(n, fail=False):\n"
  "    await asyncio.sleep(n)\n"
  "    if fail:\n"
  "        raise ValueError(f\"job {n} failed\")\n"
  "    return n\n"
  "\n"
  "async def main():\n"
  "    tasks = [asyncio.create_task(job(i)) for i in (3, 1, 2)]\n"
  "    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)\n"
  "    print(type(done).__name__, len(done), len(pending), tasks[1] in done)\n"
  "    print([t.result() for t in done])\n"
  "    done, pending = await asyncio.wait(pending, timeout=0.5)\n"
  "    print(len(done), len(pending))\n"
  "    done, pending = await asyncio.wait(pending)\n"
  "    print(len(done), len(pending), sorted(t.result() for t in done))\n"
  "    bad = [asyncio.create_task(job(1, True)), asyncio.create_task(job(2))]\n"
  "    done, pending = await asyncio.wait(bad, return_when=asyncio.FIRST_EXCEPTION)\n"
  "    print(len(done), len(pending), [type(t.exception()).__name__ for t in done])\n"
  "    await asyncio.wait(pending)\n"
  "    for args in ([], \"nope\"):\n"
  "        try:\n"
  "            await asyncio.wait(bad, return_when=args) if args else await asyncio.wait(args)\n"
  "        except ValueError as e:\n"
  "            print(\"ValueError:\", e)\n"
  "    print(asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION, asyncio.ALL_COMPLETED)\n"
  "\n"
  "asyncio.run(main())\n",
  "set 1 2 True\n"
  "[1]\n"
  "0 2\n"
  "2 0 [2, 3]\n"
  "1 1 ['ValueError']\n"
  "ValueError: Set of Tasks/Futures is empty.\n"
  "ValueError: Invalid return_when value: nope\n"
  "FIRST_COMPLETED FIRST_EXCEPTION ALL_COMPLETED\n",
};

/* wait_for, timeout, timeout_at and Timeout's methods */
static const ModCase case_timeouts = {
  "timeouts.py",
  "import asyncio\n"
  "\n"
  "async def slow(d):\n"
  "    await asyncio.sleep(d)\n"
  "    return d\n"
  "\n"
  "async def main():\n"
  "    loop = asyncio.get_running_loop()\n"
  "    print(await asyncio.wait_for(slow(1), timeout=2))\n"
  "    try:\n"
  "        await asyncio.wait_for(slow(5), 1.5)\n"
  "    except asyncio.TimeoutError:\n"
  "        print(\"wait_for timed out at\", loop.time())\n"
  "    try:\n"
  "        async with asyncio.timeout(1) as cm:\n"
  "            print(cm.when(), cm.expired())\n"
  "            await asyncio.sleep(3)\n"
  "    except TimeoutError:\n"
  "        print(\"timeout expired:\", cm.expired(), loop.time())\n"
  "    async with asyncio.timeout(None) as cm:\n"
  "        print(cm.when())\n"
  "        cm.reschedule(loop.time() + 10)\n"
  "        print(cm.when())\n"
  "        await asyncio.sleep(1)\n"
  "    try:\n"
  "        async with asyncio.timeout_at(loop.time() + 0.25):\n"
  "            await asyncio.sleep(1)\n"
  "    except TimeoutError as e:\n"
  "        print(\"timeout_at\", repr(e), loop.time())\n"
  "    print(await asyncio.wait_for(slow(1), None))\n"
  "\n"
  "asyncio.run(main())\n",
  "1\n"
  "wait_for timed out at 2.5\n"
  "3.5 False\n"
  "timeout expired: True 3.5\n"
  "None\n"
  "13.5\n"
  "timeout_at TimeoutError() 4.75\n"
  "1\n",
};

/* as_completed, with and without a timeout */
static const ModCase case_as_completed = {
  "as_completed.py",
  "import asyncio\n"
  "\n"
  "async def job(n):\n"
  "    await asyncio.sleep(n)\n"
  "    return n * 10\n"
  "\n"
  "async def main():\n"
  "    for coro in asyncio.as_completed([job(3), job(1), job(2)]):\n"
  "        r = await coro\n"
  "        print(\"got\", r, asyncio.get_running_loop().time())\n"
  "    try:\n"
  "        for coro in asyncio.as_completed([job(5)], timeout=1):\n"
  "            await coro\n"
  "    except asyncio.TimeoutError:\n"
  "        print(\"as_completed timed out\")\n"
  "\n"
  "asyncio.run(main())\n",
  "got 10 1.0\n"
  "got 20 2.0\n"
  "got 30 3.0\n"
  "as_completed timed out\n",
};

/* Lock, Semaphore, BoundedSemaphore, Event, Condition; async with */
static const ModCase case_locks = {
  "locks.py",
  "import asyncio\n"
  "\n"
  "async def worker(name, lock, sem, log):\n"
  "    async with sem:\n"
  "        log.append(f\"{name} in sem\")\n"
  "        async with lock:\n"
  "            log.append(f\"{name} has lock {lock.locked()}\")\n"
  "            await asyncio.sleep(1)\n"
  "        log.append(f\"{name} released\")\n"
  "\n"
  "async def waiter(event, cond, name):\n"
  "    await event.wait()\n"
  "    print(name, \"saw event\", event.is_set())\n"
  "    async with cond:\n"
  "        await cond.wait()\n"
  "        print(name, \"notified\")\n"
  "\n"
  "async def main():\n"
  "    lock = asyncio.Lock()\n"
  "    sem = asyncio.Semaphore(2)\n"
  "    log = []\n"
  "    await asyncio.gather(*(worker(n, lock, sem, log) for n in \"abc\"))\n"
  "    print(\"\\n\".join(log))\n"
  "    print(lock.locked(), sem.locked(), asyncio.get_running_loop().time())\n"
  "    event = asyncio.Event()\n"
  "    cond = asyncio.Condition()\n"
  "    ws = [asyncio.create_task(waiter(event, cond, i)) for i in range(3)]\n"
  "    await asyncio.sleep(0)\n"
  "    event.set()\n"
  "    await asyncio.sleep(0)\n"
  "    async with cond:\n"
  "        cond.notify(2)\n"
  "    await asyncio.sleep(0)\n"
  "    async with cond:\n"
  "        cond.notify_all()\n"
  "    await asyncio.gather(*ws)\n"
  "    event.clear()\n"
  "    print(event.is_set())\n"
  "    b = asyncio.BoundedSemaphore(1)\n"
  "    await b.acquire()\n"
  "    b.release()\n"
  "    try:\n"
  "        b.release()\n"
  "    except ValueError as e:\n"
  "        print(\"ValueError:\", e)\n"
  "    try:\n"
  "        lock.release()\n"
  "    except RuntimeError as e:\n"
  "        print(\"RuntimeError:\", e)\n"
  "    ok = await lock.acquire()\n"
  "    print(ok, lock.locked())\n"
  "    lock.release()\n"
  "    async with cond:\n"
  "        r = await cond.wait_for(lambda: True)\n"
  "        print(\"wait_for\", r)\n"
  "\n"
  "asyncio.run(main())\n",
  "a in sem\n"
  "a has lock True\n"
  "b in sem\n"
  "a released\n"
  "b has lock True\n"
  "c in sem\n"
  "b released\n"
  "c has lock True\n"
  "c released\n"
  "False False 3.0\n"
  "0 saw event True\n"
  "1 saw event True\n"
  "2 saw event True\n"
  "0 notified\n"
  "1 notified\n"
  "2 notified\n"
  "False\n"
  "ValueError: BoundedSemaphore released too many times\n"
  "RuntimeError: Lock is not acquired.\n"
  "True True\n"
  "wait_for True\n",
};

/* Queue, LifoQueue, PriorityQueue */
static const ModCase case_queues = {
  "queues.py",
  "import asyncio\n"
  "\n"
  "async def producer(q, n):\n"
  "    for i in range(n):\n"
  "        await q.put(i)\n"
  "        print(\"put\", i, q.qsize(), q.full())\n"
  "    await q.put(None)\n"
  "\n"
  "async def consumer(q):\n"
  "    while True:\n"
  "        item = await q.get()\n"
  "        if item is None:\n"
  "            q.task_done()\n"
  "            break\n"
  "        await asyncio.sleep(1)\n"
  "        print(\"got\", item)\n"
  "        q.task_done()\n"
  "\n"
  "async def main():\n"
  "    q = asyncio.Queue(maxsize=2)\n"
  "    print(q.maxsize, q.empty())\n"
  "    await asyncio.gather(producer(q, 4), consumer(q))\n"
  "    await q.join()\n"
  "    print(\"joined at\", asyncio.get_running_loop().time())\n"
  "    q2 = asyncio.Queue(1)\n"
  "    q2.put_nowait(\"x\")\n"
  "    try:\n"
  "        q2.put_nowait(\"y\")\n"
  "    except asyncio.QueueFull:\n"
  "        print(\"full\")\n"
  "    print(q2.get_nowait())\n"
  "    try:\n"
  "        q2.get_nowait()\n"
  "    except asyncio.QueueEmpty:\n"
  "        print(\"empty\")\n"
  "    lq = asyncio.LifoQueue()\n"
  "    pq = asyncio.PriorityQueue()\n"
  "    for x in (3, 1, 2):\n"
  "        lq.put_nowait(x)\n"
  "        pq.put_nowait((x, str(x)))\n"
  "    print([lq.get_nowait() for _ in range(3)], [pq.get_nowait() for _ in range(3)])\n"
  "    try:\n"
  "        asyncio.Queue().task_done()\n"
  "    except ValueError as e:\n"
  "        print(e)\n"
  "\n"
  "asyncio.run(main())\n",
  "2 True\n"
  "put 0 1 False\n"
  "put 1 2 True\n"
  "put 2 2 True\n"
  "got 0\n"
  "put 3 2 True\n"
  "got 1\n"
  "got 2\n"
  "got 3\n"
  "joined at 4.0\n"
  "full\n"
  "x\n"
  "empty\n"
  "[2, 1, 3] [(1, '1'), (2, '2'), (3, '3')]\n"
  "task_done() called too many times\n",
};

/* TaskGroup and its ExceptionGroup */
static const ModCase case_taskgroup = {
  "taskgroup.py",
  "import asyncio\n"
  "\n"
  "async def job(n, fail=False):\n"
  "    await asyncio.sleep(n)\n"
  "    if fail:\n"
  "        raise ValueError(f\"job {n}\")\n"
  "    print(\"job\", n, \"done\")\n"
  "    return n\n"
  "\n"
  "async def main():\n"
  "    async with asyncio.TaskGroup() as tg:\n"
  "        t1 = tg.create_task(job(1))\n"
  "        t2 = tg.create_task(job(2), name=\"second\")\n"
  "    print(t1.result(), t2.result(), t2.get_name())\n"
  "    try:\n"
  "        async with asyncio.TaskGroup() as tg:\n"
  "            tg.create_task(job(1, True))\n"
  "            tg.create_task(job(3))\n"
  "            tg.create_task(job(1.5, True))\n"
  "    except ExceptionGroup as eg:\n"
  "        print(\"group:\", eg.message, [str(e) for e in eg.exceptions])\n"
  "    print(asyncio.get_running_loop().time())\n"
  "\n"
  "asyncio.run(main())\n",
  "job 1 done\n"
  "job 2 done\n"
  "1 2 second\n"
  "group: unhandled errors in a TaskGroup ['job 1']\n"
  "3.0\n",
};

/* loop objects, handles, the shared clock, set_event_loop */
static const ModCase case_loop_api = {
  "loop_api.py",
  "import asyncio\n"
  "import time\n"
  "from functools import partial\n"
  "\n"
  "def cb(tag, loop):\n"
  "    print(\"callback\", tag, loop.time())\n"
  "\n"
  "async def coro(x):\n"
  "    await asyncio.sleep(1)\n"
  "    return x + 1\n"
  "\n"
  "loop = asyncio.new_event_loop()\n"
  "time.sleep(5)\n"
  "print(loop.time(), loop.is_running(), loop.is_closed())\n"
  "h1 = loop.call_soon(cb, \"soon\", loop)\n"
  "h2 = loop.call_later(2, partial(cb, \"later\", loop))\n"
  "h3 = loop.call_at(loop.time() + 1, cb, \"at\", loop)\n"
  "h4 = loop.call_later(3, cb, \"cancelled\", loop)\n"
  "h4.cancel()\n"
  "print(h2.when(), h4.cancelled(), h1.cancelled())\n"
  "print(loop.run_until_complete(coro(41)))\n"
  "print(loop.time(), time.monotonic())\n"
  "loop.call_later(2, loop.stop)\n"
  "loop.run_forever()\n"
  "print(\"stopped at\", loop.time())\n"
  "fut = loop.create_future()\n"
  "loop.call_soon(fut.set_result, \"fut done\")\n"
  "print(loop.run_until_complete(fut))\n"
  "t = loop.create_task(coro(1), name=\"custom\")\n"
  "print(t.get_name(), loop.run_until_complete(t))\n"
  "loop.close()\n"
  "print(loop.is_closed())\n"
  "try:\n"
  "    loop.call_soon(cb, \"x\", loop)\n"
  "except RuntimeError as e:\n"
  "    print(\"RuntimeError:\", e)\n"
  "asyncio.set_event_loop(asyncio.new_event_loop())\n"
  "l2 = asyncio.get_event_loop()\n"
  "print(l2.run_until_complete(coro(10)), l2.time())\n",
  "5.0 False False\n"
  "7.0 True False\n"
  "callback soon 5.0\n"
  "callback at 6.0\n"
  "42\n"
  "6.0 6.0\n"
  "callback later 7.0\n"
  "stopped at 8.0\n"
  "fut done\n"
  "custom 2\n"
  "True\n"
  "RuntimeError: Event loop is closed\n"
  "11 10.0\n",
};

/* Future and Task methods, shield, ensure_future */
static const ModCase case_future_api = {
  "future_api.py",
  "import asyncio\n"
  "\n"
  "def on_done(fut):\n"
  "    print(\"done callback:\", fut.result() if not fut.cancelled() else \"cancelled\")\n"
  "\n"
  "async def setter(fut, value):\n"
  "    await asyncio.sleep(1)\n"
  "    fut.set_result(value)\n"
  "\n"
  "async def forever():\n"
  "    try:\n"
  "        await asyncio.sleep(100)\n"
  "    except asyncio.CancelledError as e:\n"
  "        print(\"cancelled with\", e.args)\n"
  "        raise\n"
  "\n"
  "async def main():\n"
  "    loop = asyncio.get_running_loop()\n"
  "    fut = loop.create_future()\n"
  "    fut.add_done_callback(on_done)\n"
  "    print(fut.done(), fut.cancelled())\n"
  "    asyncio.create_task(setter(fut, 42))\n"
  "    print(await fut, fut.done(), fut.exception())\n"
  "    try:\n"
  "        fut.set_result(1)\n"
  "    except asyncio.InvalidStateError as e:\n"
  "        print(\"InvalidStateError:\", e)\n"
  "    f2 = asyncio.Future()\n"
  "    f2.add_done_callback(on_done)\n"
  "    print(f2.remove_done_callback(on_done))\n"
  "    f2.set_exception(ValueError(\"bad\"))\n"
  "    print(type(f2.exception()).__name__)\n"
  "    try:\n"
  "        f2.result()\n"
  "    except ValueError as e:\n"
  "        print(\"raised\", e)\n"
  "    t = asyncio.create_task(forever())\n"
  "    await asyncio.sleep(0.5)\n"
  "    print(t.cancel(\"stop it\"), t.cancelling())\n"
  "    try:\n"
  "        await t\n"
  "    except asyncio.CancelledError:\n"
  "        print(\"task cancelled:\", t.cancelled(), t.done())\n"
  "    f3 = loop.create_future()\n"
  "    f3.add_done_callback(on_done)\n"
  "    f3.cancel()\n"
  "    await asyncio.sleep(0)\n"
  "    try:\n"
  "        f3.result()\n"
  "    except asyncio.CancelledError:\n"
  "        print(\"CancelledError from result()\")\n"
  "    print(len(asyncio.all_tasks()), asyncio.current_task().get_name())\n"
  "    t2 = asyncio.create_task(forever())\n"
  "    t2.set_name(\"renamed\")\n"
  "    await asyncio.sleep(0)\n"
  "    print(t2.get_name(), t2.cancel(), t2.cancelling(), t2.uncancel(), t2.cancelling())\n"
  "    await asyncio.sleep(0)\n"
  "    print(t2.done())\n"
  "    s = asyncio.shield(setter(loop.create_future(), 1))\n"
  "    s.cancel()\n"
  "    await asyncio.sleep(2)\n"
  "    c = forever()\n"
  "    print(asyncio.iscoroutine(c), asyncio.iscoroutine(1), asyncio.isfuture(s))\n"
  "    c.close()\n"
  "    e = asyncio.ensure_future(setter(loop.create_future(), 2))\n"
  "    await e\n"
  "    print(e.done())\n"
  "\n"
  "asyncio.run(main())\n",
  "False False\n"
  "done callback: 42\n"
  "42 True None\n"
  "InvalidStateError: invalid state\n"
  "1\n"
  "ValueError\n"
  "raised bad\n"
  "True 1\n"
  "cancelled with ('stop it',)\n"
  "task cancelled: True True\n"
  "done callback: cancelled\n"
  "CancelledError from result()\n"
  "1 Task-1\n"
  "renamed True 1 0 0\n"
  "cancelled with ()\n"
  "True\n"
  "True False True\n"
  "True\n",
};

/* argument errors and their messages */
static const ModCase case_errors = {
  "errors.py",
  "import asyncio\n"
  "\n"
  "async def main():\n"
  "    for bad in [lambda: asyncio.sleep(), lambda: asyncio.sleep(1, 2, 3),\n"
  "                lambda: asyncio.sleep(1, foo=2), lambda: asyncio.Semaphore(-1),\n"
  "                lambda: asyncio.Lock().foo,\n"
  "                lambda: asyncio.get_running_loop().call_at(None, print),\n"
  "                lambda: asyncio.create_task(1), lambda: asyncio.wait_for(),\n"
  "                lambda: asyncio.ensure_future(1)]:\n"
  "        try:\n"
  "            bad()\n"
  "        except Exception as e:\n"
  "            print(type(e).__name__ + \":\", e)\n"
  "    c = main()\n"
  "    try:\n"
  "        asyncio.run(c)\n"
  "    except RuntimeError as e:\n"
  "        print(\"RuntimeError:\", e)\n"
  "    c.close()\n"
  "    try:\n"
  "        await asyncio.sleep(\"x\")\n"
  "    except TypeError as e:\n"
  "        print(\"TypeError:\", e)\n"
  "\n"
  "try:\n"
  "    asyncio.get_running_loop()\n"
  "except RuntimeError as e:\n"
  "    print(\"RuntimeError:\", e)\n"
  "try:\n"
  "    asyncio.run(1)\n"
  "except ValueError as e:\n"
  "    print(\"ValueError:\", e)\n"
  "asyncio.run(main())\n"
  "try:\n"
  "    asyncio.get_event_loop()\n"
  "except RuntimeError as e:\n"
  "    print(\"RuntimeError:\", e)\n",
  "RuntimeError: no running event loop\n"
  "ValueError: a coroutine was expected, got 1\n"
  "TypeError: sleep() missing 1 required positional argument: 'delay'\n"
  "TypeError: sleep() takes from 1 to 2 positional arguments but 3 were given\n"
  "TypeError: sleep() got an unexpected keyword argument 'foo'\n"
  "ValueError: Semaphore initial value must be >= 0\n"
  "AttributeError: 'Lock' object has no attribute 'foo'\n"
  "TypeError: when cannot be None\n"
  "TypeError: a coroutine was expected, got 1\n"
  "TypeError: wait_for() missing 2 required positional arguments: 'fut' and 'timeout'\n"
  "TypeError: An asyncio.Future, a coroutine or an awaitable is required\n"
  "RuntimeError: asyncio.run() cannot be called from a running event loop\n"
  "TypeError: '<=' not supported between instances of 'str' and 'int'\n"
  "RuntimeError: There is no current event loop in thread 'MainThread'.\n",
};

#define CASE(id) static void test_##id (void) { run_case (&case_##id); }
CASE (run_basic)
CASE (time)
CASE (partial)
CASE (wait)
CASE (timeouts)
CASE (as_completed)
CASE (locks)
CASE (queues)
CASE (taskgroup)
CASE (loop_api)
CASE (future_api)
CASE (errors)

/* ---- where Loopscope stops a program ------------------------------------------------ */

/* A deadlock stops the program: nothing catches it, not even `except
 * BaseException`, and the rest of the program does not run. */
static void
test_deadlock (void)
{
  static const char source[] =
    "import asyncio\n"
    "\n"
    "async def main():\n"
    "    print(\"waiting forever\")\n"
    "    try:\n"
    "        await asyncio.Event().wait()\n"
    "    except BaseException:\n"
    "        print(\"must not be caught\")\n"
    "\n"
    "try:\n"
    "    asyncio.run(main())\n"
    "except BaseException:\n"
    "    print(\"must not be caught either\")\n"
    "print(\"not reached\")\n";
  Captured c = { g_string_new (NULL), g_string_new (NULL) };
  LsVmStatus status = run_program ("deadlock.py", source, 0, &c);

  g_assert_cmpint (status, ==, LS_VM_DEADLOCK);
  g_assert_cmpstr (c.out->str, ==, "waiting forever\n");
  g_assert_true (g_str_has_prefix (c.err->str, "loopscope: deadlock at t=0.0: nothing is ready"));
  g_assert_nonnull (strstr (c.err->str, "Task-1"));
  g_string_free (c.out, TRUE);
  g_string_free (c.err, TRUE);
}

/* A task that raised and was never awaited is reported as CPython 3.12's
 * default exception handler reports it (text printed by python3.12 with
 * its C tasks; the oracle's pure-Python tasks add one frame of
 * asyncio/tasks.py). */
static void
test_never_retrieved (void)
{
  static const char source[] =
    "import asyncio\n"
    "\n"
    "async def failing():\n"
    "    raise KeyError(\"lost\")\n"
    "\n"
    "async def main():\n"
    "    asyncio.create_task(failing())\n"
    "    await asyncio.sleep(1)\n"
    "    print(\"main done\")\n"
    "\n"
    "asyncio.run(main())\n";
  Captured c = { g_string_new (NULL), g_string_new (NULL) };
  LsVmStatus status = run_program ("lost.py", source, 0, &c);

  g_assert_cmpint (status, ==, LS_VM_OK);
  g_assert_cmpstr (c.out->str, ==, "main done\n");
  g_assert_cmpstr (c.err->str, ==,
                   "Task exception was never retrieved\n"
                   "future: <Task finished name='Task-2' coro=<failing() done, defined at lost.py:3> "
                   "exception=KeyError('lost')>\n"
                   "Traceback (most recent call last):\n"
                   "  File \"lost.py\", line 4, in failing\n"
                   "    raise KeyError(\"lost\")\n"
                   "KeyError: 'lost'\n");
  g_string_free (c.out, TRUE);
  g_string_free (c.err, TRUE);
}

/* The step limit stops a program that never ends. */
static void
test_limit (void)
{
  static const char source[] =
    "import asyncio\n"
    "\n"
    "async def spin():\n"
    "    n = 0\n"
    "    while True:\n"
    "        n += 1\n"
    "        await asyncio.sleep(0)\n"
    "\n"
    "async def main():\n"
    "    print(\"spinning\")\n"
    "    await spin()\n"
    "\n"
    "asyncio.run(main())\n"
    "print(\"not reached\")\n";
  Captured c = { g_string_new (NULL), g_string_new (NULL) };
  LsVmStatus status = run_program ("limit.py", source, 50, &c);

  g_assert_cmpint (status, ==, LS_VM_LIMIT);
  g_assert_cmpstr (c.out->str, ==, "spinning\n");
  g_assert_cmpstr (c.err->str, ==, "loopscope: limit reached: 50 task steps\n");
  g_string_free (c.out, TRUE);
  g_string_free (c.err, TRUE);
}

static const LsTest tests[] = {
  LS_TEST_FUNC ("/engine/modules/run-basic", test_run_basic),
  LS_TEST_FUNC ("/engine/modules/time", test_time),
  LS_TEST_FUNC ("/engine/modules/partial", test_partial),
  LS_TEST_FUNC ("/engine/modules/wait", test_wait),
  LS_TEST_FUNC ("/engine/modules/timeouts", test_timeouts),
  LS_TEST_FUNC ("/engine/modules/as-completed", test_as_completed),
  LS_TEST_FUNC ("/engine/modules/locks", test_locks),
  LS_TEST_FUNC ("/engine/modules/queues", test_queues),
  LS_TEST_FUNC ("/engine/modules/taskgroup", test_taskgroup),
  LS_TEST_FUNC ("/engine/modules/loop-api", test_loop_api),
  LS_TEST_FUNC ("/engine/modules/future-api", test_future_api),
  LS_TEST_FUNC ("/engine/modules/errors", test_errors),
  LS_TEST_FUNC ("/engine/modules/deadlock", test_deadlock),
  LS_TEST_FUNC ("/engine/modules/limit", test_limit),
  LS_TEST_FUNC ("/engine/modules/never-retrieved", test_never_retrieved),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
