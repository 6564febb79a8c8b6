import Infrastructure

/// media's PostgreSQL with its outbox (see ``OutboxDatabase``).
typealias MediaDatabase = OutboxDatabase
