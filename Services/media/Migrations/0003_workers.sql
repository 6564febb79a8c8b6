-- What media workers need beyond 0002's jobs table: when a job last started
-- and finished (for figures and the admin's view), and HLS migrations, the
-- batches of `hls_migration` jobs started when the output format turns to HLS.
CREATE TABLE hls_migrations (
    id uuid PRIMARY KEY,
    started_by uuid,
    total integer NOT NULL,
    started_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

ALTER TABLE jobs
    ADD COLUMN migration_id uuid REFERENCES hls_migrations (id) ON DELETE SET NULL,
    ADD COLUMN started_at timestamptz,
    ADD COLUMN finished_at timestamptz;

CREATE INDEX jobs_by_migration ON jobs (migration_id) WHERE migration_id IS NOT NULL;
