-- Accounts, invitations, password resets and refresh tokens of the auth service.
CREATE TABLE users (
    id uuid PRIMARY KEY,
    email text NOT NULL UNIQUE,
    username text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    role text NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'user')),
    is_active boolean NOT NULL DEFAULT true,
    avatar_filename text,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX users_created ON users (created_at DESC);
CREATE INDEX users_inactive ON users (id) WHERE NOT is_active;

CREATE TABLE invitations (
    id uuid PRIMARY KEY,
    email text NOT NULL,
    token text NOT NULL UNIQUE,
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires_at timestamptz NOT NULL,
    used boolean NOT NULL DEFAULT false,
    used_at timestamptz
);
CREATE INDEX invitations_created ON invitations (created_at DESC);

-- Reset tokens are kept only as SHA-256 digests; a token is deleted when used.
CREATE TABLE password_resets (
    token_hash bytea PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Refresh tokens rotate within a family (one sign-in); presenting a rotated
-- token again revokes the whole family.
CREATE TABLE refresh_tokens (
    id uuid PRIMARY KEY,
    family_id uuid NOT NULL,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires_at timestamptz NOT NULL,
    rotated_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL;

-- Read models fed by media's and social's events: what each user uploaded and
-- created, and their weekly upload counter. Rows are kept on delete (deleted
-- = true) so an out-of-order create never resurrects a deleted object.
CREATE TABLE user_videos (
    video_id uuid PRIMARY KEY,
    user_id uuid NOT NULL,
    deleted boolean NOT NULL DEFAULT false
);
CREATE INDEX user_videos_user ON user_videos (user_id) WHERE NOT deleted;

CREATE TABLE user_playlists (
    playlist_id uuid PRIMARY KEY,
    user_id uuid NOT NULL,
    deleted boolean NOT NULL DEFAULT false
);
CREATE INDEX user_playlists_user ON user_playlists (user_id) WHERE NOT deleted;

CREATE TABLE user_quotas (
    user_id uuid PRIMARY KEY,
    weekly_upload_bytes bigint NOT NULL,
    last_upload_reset timestamptz NOT NULL,
    changed_at timestamptz NOT NULL
);
