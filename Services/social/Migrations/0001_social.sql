-- Categories, playlists and comments, and social's read models of users (from
-- auth's events) and videos (from media's events).

-- Names and avatars of authors and playlist creators; `changed_at` keeps an older
-- event from overriding a newer one.
CREATE TABLE users (
    user_id uuid PRIMARY KEY,
    username text NOT NULL,
    avatar_url text,
    changed_at timestamptz NOT NULL
);
CREATE INDEX users_username_idx ON users (lower(username));

-- What social shows and checks of a video: its owner and status (visibility),
-- its category (video_count) and the rest of the `Video` shape for playlists.
CREATE TABLE videos (
    id uuid PRIMARY KEY,
    short_id text NOT NULL,
    title text NOT NULL,
    description text,
    filename text NOT NULL DEFAULT '',
    original_filename text NOT NULL DEFAULT '',
    storage_path text,
    file_size_bytes bigint NOT NULL DEFAULT 0,
    thumbnail_filename text,
    duration_seconds integer,
    uploaded_by uuid NOT NULL,
    category_id uuid,
    view_count bigint NOT NULL DEFAULT 0,
    processing_status text NOT NULL,
    error_message text,
    created_at timestamptz NOT NULL,
    changed_at timestamptz NOT NULL,
    -- Bumped with every change of the video's comments (the key of their cache).
    comments_version bigint NOT NULL DEFAULT 0
);
CREATE INDEX videos_category_idx ON videos (category_id);

-- Videos deleted, so a late `created`/`updated` never brings one back.
CREATE TABLE deleted_videos (
    video_id uuid PRIMARY KEY,
    deleted_at timestamptz NOT NULL
);

CREATE TABLE categories (
    id uuid PRIMARY KEY,
    name text NOT NULL UNIQUE,
    slug text NOT NULL UNIQUE,
    description text,
    image_filename text,
    image_version bigint NOT NULL DEFAULT 0,
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz
);

CREATE TABLE playlists (
    id uuid PRIMARY KEY,
    short_id text NOT NULL UNIQUE CHECK (short_id ~ '^[0-9A-Za-z]{10}$'),
    name text NOT NULL,
    description text,
    created_by uuid NOT NULL,
    is_public boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX playlists_created_by_idx ON playlists (created_by, created_at DESC);

-- Positions are 0..n-1 in every playlist; the unique constraint is checked at
-- commit so a shift or a reorder may pass through duplicates.
CREATE TABLE playlist_entries (
    id uuid PRIMARY KEY,
    playlist_id uuid NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    video_id uuid NOT NULL,
    position integer NOT NULL CHECK (position >= 0),
    added_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    added_by uuid,
    UNIQUE (playlist_id, video_id),
    CONSTRAINT playlist_entries_position_key UNIQUE (playlist_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX playlist_entries_video_idx ON playlist_entries (video_id);

-- One level of replies: a reply's parent has no parent (checked on insert).
CREATE TABLE comments (
    id uuid PRIMARY KEY,
    video_id uuid NOT NULL,
    user_id uuid NOT NULL,
    parent_id uuid REFERENCES comments (id) ON DELETE CASCADE,
    content text NOT NULL,
    timestamp_seconds integer CHECK (timestamp_seconds >= 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX comments_video_idx ON comments (video_id, created_at);
CREATE INDEX comments_parent_idx ON comments (parent_id);
