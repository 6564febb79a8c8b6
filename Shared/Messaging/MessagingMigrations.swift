import Database

/// The tables every service that sends or receives events carries in its own
/// schema: the transactional outbox and the inbox of applied event ids.
package enum MessagingMigrations {
    /// Migrations of the `messaging` component, applied with the service's own.
    package static let all: [Migration] = [
        Migration(component: "messaging", version: 1, name: "outbox_and_inbox", sql: """
            CREATE TABLE outbox (
                seq bigserial PRIMARY KEY,
                id uuid NOT NULL UNIQUE,
                routing_key text NOT NULL,
                body text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                published_at timestamptz,
                attempts integer NOT NULL DEFAULT 0,
                last_error text
            );
            CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL;
            CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;
            CREATE TABLE inbox (
                event_id uuid PRIMARY KEY,
                event_type text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
            );
            """),
    ]
}
