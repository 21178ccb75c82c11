namespace OpenCem.Storage;

/// <summary>
/// The schema, one list of migrations for both databases. SQL is written once in the subset both speak;
/// <c>{id}</c> is the only word that differs (SQLite's rowid alias versus a PostgreSQL identity column).
/// Times are UTC milliseconds since the Unix epoch in BIGINT columns, so ordering and ranges are identical.
/// </summary>
internal static class Schema
{
    public static readonly IReadOnlyList<(int Version, string Name, string Sql)> Migrations =
    [
        (1, "workspaces, keys, customers, catalogue, interactions, rollups", """
            CREATE TABLE workspaces (
                id {id},
                key TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE TABLE workspace_settings (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                name TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (workspace_id, name)
            );
            CREATE TABLE workspace_counters (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                name TEXT NOT NULL,
                value BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, name)
            );
            CREATE TABLE api_keys (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                prefix TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT NULL
            );
            CREATE TABLE customers (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                traits TEXT NULL
            );
            CREATE INDEX ix_customers_workspace ON customers (workspace_id, id);
            CREATE TABLE customer_identities (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                customer_id BIGINT NOT NULL REFERENCES customers (id),
                created_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, kind, value)
            );
            CREATE INDEX ix_customer_identities_customer ON customer_identities (customer_id);
            CREATE TABLE journeys (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                key TEXT NOT NULL,
                name TEXT NOT NULL,
                description TEXT NULL,
                stages TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (workspace_id, key)
            );
            CREATE TABLE touchpoints (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                key TEXT NOT NULL,
                name TEXT NOT NULL,
                channel TEXT NOT NULL,
                journey_key TEXT NULL,
                stage TEXT NULL,
                events TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (workspace_id, key)
            );
            CREATE TABLE interactions (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                message_id TEXT NOT NULL,
                client_ts BIGINT NOT NULL,
                customer_id BIGINT NOT NULL,
                type TEXT NOT NULL,
                event TEXT NULL,
                occurred_at BIGINT NOT NULL,
                received_at BIGINT NOT NULL,
                touchpoint_id BIGINT NULL,
                channel TEXT NULL,
                journey_key TEXT NULL,
                stage TEXT NULL,
                outcome TEXT NULL,
                effort DOUBLE PRECISION NULL,
                revenue DOUBLE PRECISION NULL,
                cost DOUBLE PRECISION NULL,
                properties TEXT NULL,
                context TEXT NULL
            );
            CREATE UNIQUE INDEX ux_interactions_message ON interactions (workspace_id, client_ts, message_id);
            CREATE INDEX ix_interactions_time ON interactions (workspace_id, occurred_at, id);
            CREATE INDEX ix_interactions_customer ON interactions (workspace_id, customer_id, occurred_at, id);
            CREATE TABLE interaction_daily (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                day BIGINT NOT NULL,
                touchpoint_id BIGINT NOT NULL,
                channel TEXT NOT NULL,
                outcome TEXT NOT NULL,
                interactions BIGINT NOT NULL,
                effort_sum DOUBLE PRECISION NOT NULL,
                effort_count BIGINT NOT NULL,
                revenue_sum DOUBLE PRECISION NOT NULL,
                cost_sum DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (workspace_id, day, touchpoint_id, channel, outcome)
            );
            """),
    ];

    public static string Render(string sql, DatabaseKind kind) => sql.Replace(
        "{id}",
        kind == DatabaseKind.Sqlite ? "INTEGER PRIMARY KEY" : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        StringComparison.Ordinal);
}
