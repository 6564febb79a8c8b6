-- Which emails each user has turned off. A user without a row gets every
-- email; invitations and password resets are never optional.
CREATE TABLE preferences (
    user_id uuid PRIMARY KEY,
    welcome boolean NOT NULL DEFAULT true,
    video_processed boolean NOT NULL DEFAULT true,
    video_failed boolean NOT NULL DEFAULT true,
    new_comment boolean NOT NULL DEFAULT true,
    new_reply boolean NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
