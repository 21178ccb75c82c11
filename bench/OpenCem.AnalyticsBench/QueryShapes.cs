using OpenCem.Storage;

namespace OpenCem.AnalyticsBench;

/// <summary>A measured query: the metrics request and the raw scan of survey_responses that computes the same thing.</summary>
internal sealed record QueryShape(string Name, string Metric, string? Survey, string? Question, string By, string Interval, string[] Filters, Func<DatabaseKind, string> RawSql, string? From = null);

/// <summary>The benchmark's query shapes, with their raw-scan baselines in each database's SQL.</summary>
internal static class QueryShapes
{
    public static IReadOnlyList<QueryShape> All(IReadOnlyDictionary<string, long> surveys)
    {
        var customerNps = $"({surveys["relationship"]}, {surveys["onboarding"]})";
        var customerCsat = $"({surveys["repair"]}, {surveys["onboarding"]})";
        return
        [
            new("NPS by month", "nps", null, null, "", "month", [],
                k => $"""
                    SELECT {Month(k)} AS period, count(*), sum(CASE WHEN nps >= 9 THEN 1 ELSE 0 END), sum(CASE WHEN nps <= 6 THEN 1 ELSE 0 END)
                    FROM survey_responses WHERE workspace_id = 1 AND status = 'completed' AND nps IS NOT NULL AND survey_id IN {customerNps} GROUP BY 1
                    """),
            new("NPS by touchpoint x month, filters channel and journey", "nps", null, null, "touchpoint", "month",
                ["channel:phone|chat|field|web", "journey:fault-repair|billing|onboarding"],
                k => $"""
                    SELECT {Month(k)} AS period, t.key, count(*), sum(CASE WHEN r.nps >= 9 THEN 1 ELSE 0 END), sum(CASE WHEN r.nps <= 6 THEN 1 ELSE 0 END)
                    FROM survey_responses r JOIN touchpoints t ON t.id = r.touchpoint_id
                    WHERE r.workspace_id = 1 AND r.status = 'completed' AND r.nps IS NOT NULL AND r.survey_id IN {customerNps}
                        AND t.channel IN ('phone', 'chat', 'field', 'web') AND t.journey_key IN ('fault-repair', 'billing', 'onboarding')
                    GROUP BY 1, 2
                    """),
            new("NPS by touchpoint x month, filters trait.plan and trait.region", "nps", null, null, "touchpoint", "month",
                ["trait.plan:mobile|bundle", "trait.region:north|south|alps"],
                k => $"""
                    SELECT {Month(k)} AS period, r.touchpoint_id, count(*), sum(CASE WHEN r.nps >= 9 THEN 1 ELSE 0 END), sum(CASE WHEN r.nps <= 6 THEN 1 ELSE 0 END)
                    FROM survey_responses r JOIN customers c ON c.id = r.customer_id
                    WHERE r.workspace_id = 1 AND r.status = 'completed' AND r.nps IS NOT NULL AND r.survey_id IN {customerNps}
                        AND {Json(k, "c.traits", "plan")} IN ('mobile', 'bundle') AND {Json(k, "c.traits", "region")} IN ('north', 'south', 'alps')
                    GROUP BY 1, 2
                    """),
            // The same from the second day on: the first month is cut, so the daily full grain answers (same-run comparison of the two cubes).
            new("NPS by touchpoint x month, filters trait.plan and trait.region, from 2023-06-02", "nps", null, null, "touchpoint", "month",
                ["trait.plan:mobile|bundle", "trait.region:north|south|alps"],
                k => $"""
                    SELECT {Month(k)} AS period, r.touchpoint_id, count(*), sum(CASE WHEN r.nps >= 9 THEN 1 ELSE 0 END), sum(CASE WHEN r.nps <= 6 THEN 1 ELSE 0 END)
                    FROM survey_responses r JOIN customers c ON c.id = r.customer_id
                    WHERE r.workspace_id = 1 AND r.status = 'completed' AND r.nps IS NOT NULL AND r.survey_id IN {customerNps}
                        AND r.submitted_at >= {new DateTimeOffset(2023, 6, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()}
                        AND {Json(k, "c.traits", "plan")} IN ('mobile', 'bundle') AND {Json(k, "c.traits", "region")} IN ('north', 'south', 'alps')
                    GROUP BY 1, 2
                    """,
                From: "2023-06-02"),
            new("CSAT by trait.region by quarter", "csat", null, null, "trait.region", "quarter", [],
                k => $"""
                    SELECT {Quarter(k)} AS period, {Json(k, "c.traits", "region")} AS region, count(*), sum(CASE WHEN r.csat >= 4 THEN 1 ELSE 0 END), sum(r.csat)
                    FROM survey_responses r LEFT JOIN customers c ON c.id = r.customer_id
                    WHERE r.workspace_id = 1 AND r.status = 'completed' AND r.csat IS NOT NULL AND r.survey_id IN {customerCsat}
                    GROUP BY 1, 2
                    """),
            new("Mean of a question (repair: speed) by week", "mean", surveys["repair"].ToString(System.Globalization.CultureInfo.InvariantCulture), "speed", "", "week", [],
                k => $"""
                    SELECT {Week(k)} AS period, count(*), sum(v), sum(v * v) FROM (
                        SELECT submitted_at, CAST({Json(k, "answers", "speed")} AS DOUBLE PRECISION) AS v
                        FROM survey_responses WHERE workspace_id = 1 AND status = 'completed' AND survey_id = {surveys["repair"]}) AS s
                    WHERE v IS NOT NULL GROUP BY 1
                    """),
        ];
    }

    private static string Time(DatabaseKind kind) => kind == DatabaseKind.Sqlite
        ? "submitted_at / 1000, 'unixepoch'"
        : "to_timestamp(submitted_at / 1000.0) AT TIME ZONE 'UTC'";

    private static string Month(DatabaseKind kind) => kind == DatabaseKind.Sqlite ? $"strftime('%Y-%m', {Time(kind)})" : $"to_char({Time(kind)}, 'YYYY-MM')";

    private static string Week(DatabaseKind kind) => kind == DatabaseKind.Sqlite ? $"strftime('%Y-%W', {Time(kind)})" : $"to_char({Time(kind)}, 'IYYY-IW')";

    private static string Quarter(DatabaseKind kind) => kind == DatabaseKind.Sqlite
        ? $"strftime('%Y', {Time(kind)}) || '-Q' || ((CAST(strftime('%m', {Time(kind)}) AS INTEGER) + 2) / 3)"
        : $"to_char({Time(kind)}, 'YYYY-\"Q\"Q')";

    private static string Json(DatabaseKind kind, string column, string name) => kind == DatabaseKind.Sqlite
        ? $"json_extract({column}, '$.{name}')"
        : $"({column}::jsonb ->> '{name}')";
}
