-- schema.sql - the tables of a Loopscope trace, schema version 1.
--
-- One SQLite file per run.  The recorder creates these tables, sets
--   PRAGMA application_id = 1282630511   ('Lsco': a Loopscope trace)
--   PRAGMA user_version   = 1            (this schema's version)
-- and fills them while the program runs.  docs/trace-format.md describes
-- every column and gives queries to paste into the sqlite3 shell.
--
-- Ids: tasks, futures, timers and worker threads share one id space per
-- run, so events.task, events.future and events.other name exactly one
-- thing each.  Times are virtual seconds since the start of the run.
-- Everything is in the events table; the other tables say what ran and
-- name the numbers, and the views (tasks, awaitables, members, timers,
-- event_list) present the events object by object.

-- Facts about the run, as text: schema_version, tool, tool_version,
-- semantics, scenario, epoch, max_steps, max_time, max_wall, max_memory,
-- outcome, outcome_detail, exit_status, events, end_time.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT
) WITHOUT ROWID;

-- The program that ran, exactly as it was read.
CREATE TABLE source (
  path TEXT NOT NULL,
  text TEXT NOT NULL
);

-- The names behind events.kind and events.reason.
CREATE TABLE event_kinds (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE reasons (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

-- One row per event, in the order things happened.
CREATE TABLE events (
  seq    INTEGER PRIMARY KEY,   -- 1, 2, 3 ... without gaps
  time   REAL NOT NULL,         -- virtual seconds
  kind   INTEGER NOT NULL,      -- event_kinds.id
  task   INTEGER,               -- the task (or worker thread) concerned
  future INTEGER,               -- the future, awaitable or timer concerned
  other  INTEGER,               -- a related task or future (kind-specific)
  reason INTEGER,               -- reasons.id: why a step ended, how a future finished
  value  REAL,                  -- deadline, duration ... (kind-specific)
  line   INTEGER,               -- source line, when known
  detail TEXT,                  -- text: printed output, names, messages
  extra  TEXT                   -- a second text (coroutine name, result repr ...)
);

-- The objects of the run, as views over the events (so recording costs
-- one row per event and nothing else, and a run cut short still has
-- them).  The sqlite3 shell builds the indexes these joins need on the
-- fly; on a trace of a million events a query over them takes a second or
-- two.  Ids of an event kind or reason are looked up by name.

-- Every task and worker thread, in creation order.
CREATE VIEW tasks AS
  SELECT c.task AS id,
         'task' AS kind,
         coalesce(rn.detail, c.detail) AS name,   -- its last name (Task-1, or set_name's)
         c.extra AS coro,                          -- its coroutine, as repr() shows it
         c.other AS parent,                        -- the task that created it, NULL: none
         c.line AS line,                           -- where it was created
         c.seq AS created_seq,
         c.time AS created_time,
         f.seq AS finished_seq,                    -- NULL: still pending at the end
         f.time AS finished_time,
         coalesce(r.name, 'pending') AS outcome,   -- 'result', 'exception', 'cancelled', 'pending'
         f.extra AS result,                        -- repr of the result, or 'Type: message'
         coalesce(st.steps, 0) AS steps            -- how many times it ran
  FROM events c
  LEFT JOIN (SELECT task, detail, max(seq) FROM events
             WHERE kind = (SELECT id FROM event_kinds WHERE name = 'task-renamed')
             GROUP BY task) rn ON rn.task = c.task
  LEFT JOIN (SELECT task, count(*) AS steps FROM events
             WHERE kind = (SELECT id FROM event_kinds WHERE name = 'step-begin')
             GROUP BY task) st ON st.task = c.task
  LEFT JOIN (SELECT * FROM events
             WHERE kind = (SELECT id FROM event_kinds WHERE name = 'step-end')
               AND reason IN (SELECT id FROM reasons WHERE name IN ('result', 'exception', 'cancelled'))) f
         ON f.task = c.task
  LEFT JOIN reasons r ON r.id = f.reason
  WHERE c.kind = (SELECT id FROM event_kinds WHERE name = 'task-created')
  UNION ALL
  -- A worker thread of an executor: created when its first job starts.
  SELECT w.task, 'thread', w.detail, w.detail, NULL, NULL, min(w.seq), w.time, NULL, NULL,
         'thread', NULL, count(*)
  FROM events w
  WHERE w.kind = (SELECT id FROM event_kinds WHERE name = 'worker-started')
  GROUP BY w.task;

-- Every future other than tasks: sleeps, gathers, waits, shields, lock,
-- queue and event waiters, executor jobs ...
CREATE VIEW awaitables AS
  SELECT c.future AS id,
         c.detail AS kind,                         -- 'sleep', 'gather', 'wait', 'wait_for', 'shield', ...
         c.task AS creator,                        -- the task running when it was made
         c.seq AS created_seq,
         c.time AS created_time,
         d.seq AS done_seq,                        -- NULL: still pending at the end
         d.time AS done_time,
         coalesce(r.name, 'pending') AS outcome    -- 'result', 'exception', 'cancelled', 'pending'
  FROM events c
  LEFT JOIN (SELECT * FROM events
             WHERE kind = (SELECT id FROM event_kinds WHERE name = 'future-done')) d
         ON d.future = c.future
  LEFT JOIN reasons r ON r.id = d.reason
  WHERE c.kind = (SELECT id FROM event_kinds WHERE name = 'future-created');

-- What a group awaits: the children of a gather, the set given to wait ...
CREATE VIEW members AS
  SELECT future AS awaitable,                      -- the group (awaitables.id)
         row_number() OVER (PARTITION BY future ORDER BY seq) - 1 AS position,
         other AS member                           -- a task or awaitable id
  FROM events
  WHERE kind = (SELECT id FROM event_kinds WHERE name = 'await-link');

-- Every timer (call_later, call_at, and the ones sleep and timeouts use).
CREATE VIEW timers AS
  SELECT a.future AS id,
         a.detail AS callback,                     -- what it calls
         a.value AS deadline,                      -- virtual seconds
         a.seq AS added_seq,
         e.seq AS end_seq,                         -- when it fired or was cancelled
         CASE e.kind WHEN (SELECT id FROM event_kinds WHERE name = 'timer-fired') THEN 'fired'
                     WHEN (SELECT id FROM event_kinds WHERE name = 'timer-cancelled') THEN 'cancelled'
                     ELSE 'pending' END AS outcome
  FROM events a
  LEFT JOIN (SELECT * FROM events
             WHERE kind IN (SELECT id FROM event_kinds WHERE name IN ('timer-fired', 'timer-cancelled'))) e
         ON e.future = a.future
  WHERE a.kind = (SELECT id FROM event_kinds WHERE name = 'timer-added');

-- The events with their names spelled out, for reading in the shell.
CREATE VIEW event_list AS
  SELECT e.seq, e.time, k.name AS kind, t.name AS task, e.future, e.other,
         r.name AS reason, e.value, e.line, e.detail, e.extra
  FROM events e
  JOIN event_kinds k ON k.id = e.kind
  LEFT JOIN reasons r ON r.id = e.reason
  LEFT JOIN tasks t ON t.id = e.task;
