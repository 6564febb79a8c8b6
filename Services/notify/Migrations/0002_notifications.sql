-- The emails notify made from events (the notification log) and the in-app
-- notifications, with notify's read model of users (names and addresses, from
-- auth's events).

CREATE TABLE users (
    user_id uuid PRIMARY KEY,
    username text NOT NULL,
    email text NOT NULL,
    changed_at timestamptz NOT NULL
);

-- One row per email: rendered when its event is handled, then delivered by the
-- sender loop (pending -> sending -> sent, or back to pending with a back-off,
-- or failed). UNIQUE keeps an event from making the same email twice.
CREATE TABLE emails (
    id uuid PRIMARY KEY,
    event_id uuid NOT NULL,
    kind text NOT NULL,
    user_id uuid,
    to_address text NOT NULL,
    subject text NOT NULL,
    text_body text NOT NULL,
    html_body text NOT NULL,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    lease_expires_at timestamptz,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    sent_at timestamptz,
    UNIQUE (event_id, kind, to_address)
);
CREATE INDEX emails_due_idx ON emails (next_attempt_at) WHERE state IN ('pending', 'sending');

-- What a user sees in the app's notification list.
CREATE TABLE notifications (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL,
    event_id uuid NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    link text,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    read_at timestamptz,
    UNIQUE (event_id, user_id, kind)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
