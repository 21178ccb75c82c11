namespace OpenCem.Interactions.Ingestion;

/// <summary>The SQL shared by both writers: the insert column list and the rollup and counter upserts.</summary>
internal static class InteractionColumns
{
    public static readonly string[] Names =
    [
        "workspace_id", "message_id", "client_ts", "customer_id", "type", "event", "occurred_at", "received_at", "touchpoint_id",
        "channel", "journey_key", "stage", "outcome", "effort", "revenue", "cost", "properties", "context", "identity_id",
    ];

    public static readonly string InsertSql =
        $"INSERT INTO interactions ({string.Join(", ", Names)}) VALUES ({string.Join(", ", Names.Select(n => "@" + n))}) " +
        "ON CONFLICT (workspace_id, client_ts, message_id) DO NOTHING";

    public const string RollupInsert =
        "INSERT INTO interaction_daily (workspace_id, day, touchpoint_id, channel, outcome, interactions, effort_sum, effort_count, revenue_sum, cost_sum)";

    /// <summary>How a rollup delta adds to an existing row.</summary>
    public const string RollupConflict = """
        ON CONFLICT (workspace_id, day, touchpoint_id, channel, outcome) DO UPDATE SET
            interactions = interaction_daily.interactions + excluded.interactions,
            effort_sum = interaction_daily.effort_sum + excluded.effort_sum,
            effort_count = interaction_daily.effort_count + excluded.effort_count,
            revenue_sum = interaction_daily.revenue_sum + excluded.revenue_sum,
            cost_sum = interaction_daily.cost_sum + excluded.cost_sum
        """;

    public const string RollupUpsertSql =
        RollupInsert + " VALUES (@ws, @day, @tp, @channel, @outcome, @n, @effort, @effortN, @revenue, @cost) " + RollupConflict;

    public const string CounterUpsertSql = """
        INSERT INTO workspace_counters (workspace_id, name, value) VALUES (@ws, @name, @value)
        ON CONFLICT (workspace_id, name) DO UPDATE SET value = workspace_counters.value + excluded.value
        """;

    /// <summary>The client's own timestamp in ms, or 0 when it sent none: the dedupe key's time part.</summary>
    public static long ClientTimestamp(TrackingEvent trackingEvent) => trackingEvent.ClientTimestamp?.ToUnixTimeMilliseconds() ?? 0;

    public static string TypeName(TrackingCallType type) => type switch
    {
        TrackingCallType.Track => "track",
        TrackingCallType.Identify => "identify",
        TrackingCallType.Page => "page",
        TrackingCallType.Screen => "screen",
        TrackingCallType.Group => "group",
        TrackingCallType.Alias => "alias",
    };
}
