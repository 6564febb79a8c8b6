-- Videos, their jobs, the chunked upload sessions, quotas, and media's read
-- models of users (from auth's events) and categories (from social's).

-- Who uploaded: names for `uploader_username`, from auth.user.registered/updated
-- and from the token of each uploader (so an upload never waits for an event).
CREATE TABLE users (
    user_id uuid PRIMARY KEY,
    username text NOT NULL,
    changed_at timestamptz NOT NULL
);

-- Categories for `category_name`/`category_slug` and the category check of uploads.
CREATE TABLE categories (
    category_id uuid PRIMARY KEY,
    name text NOT NULL,
    slug text NOT NULL,
    changed_at timestamptz NOT NULL
);

-- Categories deleted, so an old `created`/`updated` redelivered after the delete
-- cannot bring one back.
CREATE TABLE deleted_categories (
    category_id uuid PRIMARY KEY,
    deleted_at timestamptz NOT NULL
);

CREATE TABLE videos (
    id uuid PRIMARY KEY,
    short_id text NOT NULL UNIQUE CHECK (short_id ~ '^[0-9A-Za-z]{10}$'),
    title text NOT NULL,
    description text,
    -- `<id>_<YYYYmmddHHMMSS>.<ext>` at upload; the outputs' name after processing.
    filename text NOT NULL,
    original_filename text NOT NULL,
    -- The uploaded file, relative to the media root (`originals/<filename>`); kept
    -- until the outputs exist, so a job run twice still has its input.
    source_path text,
    upload_size_bytes bigint NOT NULL CHECK (upload_size_bytes >= 0),
    file_size_bytes bigint NOT NULL CHECK (file_size_bytes >= 0),
    thumbnail_filename text,
    duration_seconds integer,
    width integer,
    height integer,
    uploaded_by uuid NOT NULL,
    category_id uuid,
    view_count bigint NOT NULL DEFAULT 0,
    processing_status text NOT NULL DEFAULT 'pending'
        CHECK (processing_status IN ('pending', 'processing', 'completed', 'failed')),
    processing_progress integer NOT NULL DEFAULT 0 CHECK (processing_progress BETWEEN 0 AND 100),
    error_message text,
    -- 'hls' or 'progressive' once processed: which outputs exist under videos/<id>/.
    output_format text CHECK (output_format IN ('hls', 'progressive')),
    -- [{height, width, bandwidth, playlist}] of the HLS ladder, for stream-info.
    renditions jsonb NOT NULL DEFAULT '[]',
    -- The storyboard's WebVTT file name under videos/<id>/, once made.
    storyboard_filename text,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX videos_by_created ON videos (created_at DESC, id);
CREATE INDEX videos_by_uploader ON videos (uploaded_by, created_at DESC);
CREATE INDEX videos_by_category ON videos (category_id) WHERE category_id IS NOT NULL;
CREATE INDEX videos_by_status ON videos (processing_status, created_at DESC);

-- Work for media workers (ARCHITECTURE §2 rule 4): the row is the truth, the
-- RabbitMQ message only wakes a worker.
CREATE TABLE jobs (
    id uuid PRIMARY KEY,
    video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('transcode', 'thumbnail', 'hls_migration')),
    state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed', 'dead')),
    attempts integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL DEFAULT 3,
    lease_owner text,
    lease_expires_at timestamptz,
    heartbeat_at timestamptz,
    progress integer NOT NULL DEFAULT 0,
    error text,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX jobs_waiting ON jobs (state, updated_at) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_by_video ON jobs (video_id);

-- Chunked upload sessions (API Part A): owned by their user, expiring.
CREATE TABLE upload_sessions (
    id uuid PRIMARY KEY,
    owner_id uuid NOT NULL,
    total_size bigint CHECK (total_size >= 0),
    total_chunks integer CHECK (total_chunks > 0),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX upload_sessions_expiry ON upload_sessions (expires_at);

-- Weekly upload counters (API §4.4); a user without a row has used nothing.
CREATE TABLE quotas (
    user_id uuid PRIMARY KEY,
    weekly_upload_bytes bigint NOT NULL DEFAULT 0 CHECK (weekly_upload_bytes >= 0),
    last_upload_reset timestamptz NOT NULL
);

-- Each automatic weekly reset, once across replicas.
CREATE TABLE quota_resets (
    period_start timestamptz PRIMARY KEY,
    reset_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- View batches already added to videos.view_count (see ViewCounter), so a
-- batch flushed twice after a crash counts once.
CREATE TABLE view_batches (
    batch_id uuid PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
