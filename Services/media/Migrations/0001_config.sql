-- The runtime configuration of media (API.md §3.8): one row, created with the
-- defaults on first read; the settings are one JSON object so a new setting
-- needs no migration.
CREATE TABLE config (
    id integer PRIMARY KEY CHECK (id = 1),
    settings jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_by uuid
);
