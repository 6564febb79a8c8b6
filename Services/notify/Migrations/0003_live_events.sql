-- Status changes of users' videos for the live stream (GET /api/events), kept a
-- while so a client that reconnects with Last-Event-ID gets what it missed.
-- `seq` counts per user without gaps: it is taken from live_cursors under that
-- row's lock, so a user's events commit in seq order and "seq > N" never skips one.

CREATE TABLE live_cursors (
    user_id uuid PRIMARY KEY,
    last_seq bigint NOT NULL
);

CREATE TABLE live_events (
    user_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_id uuid NOT NULL,
    name text NOT NULL,
    data jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (user_id, seq)
);
