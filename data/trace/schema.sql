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

-- Every task and worker thread, written when it finishes (or at the end
-- of the run, still pending).
CREATE TABLE tasks (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL,      -- 'task' or 'thread'
  name          TEXT NOT NULL,      -- its last name (Task-1, or set_name's)
  coro          TEXT,               -- coroutine (task) or thread name
  parent        INTEGER,            -- the task that created it, NULL: none
  line          INTEGER,            -- where it was created
  created_seq   INTEGER NOT NULL,
  created_time  REAL NOT NULL,
  finished_seq  INTEGER,            -- NULL while pending
  finished_time REAL,
  outcome       TEXT NOT NULL,      -- 'result', 'exception', 'cancelled', 'pending'
  result        TEXT,               -- repr of the result, or 'Type: message'
  steps         INTEGER NOT NULL    -- how many times it ran
);

-- Every future other than tasks: sleeps, gathers, waits, shields, lock,
-- queue and event waiters, executor jobs ...  Written when done (or at
-- the end of the run, still pending).
CREATE TABLE awaitables (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,       -- 'sleep', 'gather', 'wait', 'wait_for', 'shield', ...
  creator      INTEGER,             -- the task running when it was made
  created_seq  INTEGER NOT NULL,
  created_time REAL NOT NULL,
  done_seq     INTEGER,             -- NULL while pending
  done_time    REAL,
  outcome      TEXT NOT NULL        -- 'result', 'exception', 'cancelled', 'pending'
);

-- What a group awaits: the children of a gather, the set given to wait ...
CREATE TABLE members (
  awaitable INTEGER NOT NULL,       -- the group (awaitables.id)
  position  INTEGER NOT NULL,       -- 0, 1, 2 ... in the order given
  member    INTEGER NOT NULL,       -- a task or awaitable id
  PRIMARY KEY (awaitable, position)
) WITHOUT ROWID;

-- Every timer (call_later, call_at, and the ones sleep and timeouts use).
CREATE TABLE timers (
  id        INTEGER PRIMARY KEY,
  callback  TEXT,                   -- what it calls
  deadline  REAL NOT NULL,          -- virtual seconds
  added_seq INTEGER NOT NULL,
  end_seq   INTEGER,                -- when it fired or was cancelled
  outcome   TEXT NOT NULL           -- 'fired', 'cancelled', 'pending'
);

-- The events with their names spelled out, for reading in the shell.
CREATE VIEW event_list AS
  SELECT e.seq, e.time, k.name AS kind, t.name AS task, e.future, e.other,
         r.name AS reason, e.value, e.line, e.detail, e.extra
  FROM events e
  JOIN event_kinds k ON k.id = e.kind
  LEFT JOIN reasons r ON r.id = e.reason
  LEFT JOIN tasks t ON t.id = e.task;
