using System.Data.Common;
using System.Globalization;
using Dapper;

namespace OpenCem.Customers.Personas;

/// <summary>
/// Reads the <see cref="PersonaFeatureTable"/> of a workspace with a handful of aggregate queries, each one pass over a
/// table grouped by customer and streamed, so a million customers never sit in memory as objects.
/// </summary>
public static class PersonaFeatureReader
{
    private const double DayMs = 86_400_000d;
    private const double MonthMs = 30.4375 * DayMs;

    /// <summary>The weight, in contacts, of everyone's channel mix in a customer's channel shares.</summary>
    public const double PriorContacts = 4;

    /// <param name="customerSinceTrait">The trait holding the date a customer joined.</param>
    /// <param name="feeTrait">The trait holding the monthly fee (a year of it is the value; the CLV when there is no fee).</param>
    public static async Task<PersonaFeatureTable> ReadAsync(
        DbConnection connection, long ws, long now, string customerSinceTrait, string feeTrait, CancellationToken cancellationToken = default)
    {
        var pg = connection is Npgsql.NpgsqlConnection;
        var themes = (await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            SELECT theme_key FROM text_theme_mentions WHERE workspace_id = @ws
            GROUP BY theme_key ORDER BY count(*) DESC, theme_key LIMIT {PersonaFeatures.ThemeFeatures}
            """, new { ws }, cancellationToken: cancellationToken))).ToList();
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM customers WHERE workspace_id = @ws AND erased_at IS NULL ORDER BY id", new { ws }, cancellationToken: cancellationToken))).ToArray();
        var table = new PersonaFeatureTable(PersonaFeatures.For(themes), ids);
        var w = table.Width;
        var since = new long[ids.Length];
        Array.Fill(since, long.MinValue);

        string Trait(string name) => pg ? $"(c.traits::jsonb ->> '{name}')" : $"CAST(json_extract(c.traits, '$.\"{name}\"') AS TEXT)";
        var traitSql = $"""
            SELECT c.id AS Customer, {Trait(Safe(feeTrait))} AS Fee, {Trait(Safe(customerSinceTrait))} AS Since, v.clv AS Clv
            FROM customers c LEFT JOIN customer_values v ON v.workspace_id = c.workspace_id AND v.customer_id = c.id
            WHERE c.workspace_id = @ws AND c.erased_at IS NULL
            """;
        await foreach (var row in connection.QueryUnbufferedAsync<TraitRow>(traitSql, new { ws }).WithCancellation(cancellationToken))
        {
            var r = table.RowOf(row.Customer);
            if (r < 0)
            {
                continue;
            }

            // The contracted yearly revenue when the fee is known (a fact), else the modelled CLV.
            double? fee = double.TryParse(row.Fee, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f >= 0 ? f : null;
            var value = fee * 12 ?? row.Clv;
            if (value is { } v && double.IsFinite(v))
            {
                table[r, 7] = (float)v;
                table.CustomerValue[r] = (float)Math.Max(0, v);
            }

            if (row.Since is { Length: >= 10 } text
                && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var joined))
            {
                since[r] = new DateTimeOffset(joined, TimeSpan.Zero).ToUnixTimeMilliseconds();
            }
        }

        var channels = PersonaFeatures.OwnChannels;
        var totals = new long[channels.Count];
        var seen = new bool[ids.Length];
        var sums = string.Join(", ", channels.Select((c, i) => $"sum(CASE WHEN channel = '{c}' THEN 1 ELSE 0 END) AS C{i}"));
        await foreach (var row in connection.QueryUnbufferedAsync<InteractionRow>(
            $"""
            SELECT customer_id AS Customer, {sums}, count(DISTINCT touchpoint_id) AS Touchpoints, min(occurred_at) AS First, max(occurred_at) AS Last
            FROM interactions WHERE workspace_id = @ws GROUP BY customer_id
            """, new { ws }).WithCancellation(cancellationToken))
        {
            var r = table.RowOf(row.Customer);
            if (r < 0)
            {
                continue;
            }

            long[] counts = [row.C0, row.C1, row.C2, row.C3, row.C4];
            var own = counts.Sum();
            for (var c = 0; c < counts.Length; c++)
            {
                table.ChannelContacts[(r * channels.Count) + c] = (int)counts[c];
                totals[c] += counts[c];
            }

            seen[r] = true;

            // Contacts per month of the span the customer was seen in (at least a month, so a first day is not a burst).
            var from = since[r] != long.MinValue ? Math.Max(since[r], row.First) : row.First;
            table[r, 5] = (float)(own / Math.Max(1, (row.Last - from) / MonthMs));
            table[r, 6] = row.Touchpoints;
            if (since[r] == long.MinValue)
            {
                since[r] = row.First;
            }
        }

        // Channel shares shrunk towards everyone's mix by PriorContacts pseudo-contacts: with two contacts a share is
        // 0, 0.5 or 1, and such noise would split rarely active customers into clusters of their own.
        var all = Math.Max(1, totals.Sum());
        for (var r = 0; r < ids.Length; r++)
        {
            if (!seen[r])
            {
                continue;
            }

            var own = 0L;
            for (var c = 0; c < channels.Count; c++)
            {
                own += table.ChannelContacts[(r * channels.Count) + c];
            }

            for (var c = 0; c < channels.Count; c++)
            {
                var prior = totals[c] / (double)all;
                table[r, c] = (float)((table.ChannelContacts[(r * channels.Count) + c] + (PriorContacts * prior)) / (own + PriorContacts));
            }
        }

        for (var r = 0; r < ids.Length; r++)
        {
            if (since[r] != long.MinValue)
            {
                table[r, 8] = (float)Math.Max(0, (now - since[r]) / (365.25 * DayMs));
            }
        }

        await foreach (var row in connection.QueryUnbufferedAsync<ScoreRow>(
            """
            SELECT customer_id AS Customer, avg(CAST(nps AS DOUBLE PRECISION)) AS Nps, avg(CAST(csat AS DOUBLE PRECISION)) AS Csat
            FROM survey_responses WHERE workspace_id = @ws AND customer_id IS NOT NULL AND (nps IS NOT NULL OR csat IS NOT NULL)
            GROUP BY customer_id
            """, new { ws }).WithCancellation(cancellationToken))
        {
            if (table.RowOf(row.Customer) is var r and >= 0)
            {
                table[r, 9] = row.Nps is { } n ? (float)n : float.NaN;
                table[r, 10] = row.Csat is { } c ? (float)c : float.NaN;
            }
        }

        await foreach (var row in connection.QueryUnbufferedAsync<CommentRow>(
            $"""
            SELECT x.customer_id AS Customer, count(*) AS Comments, sum(CASE WHEN x.label = 'negative' THEN 1 ELSE 0 END) AS Negative
            FROM ({CommentsSql("t.label")}) x GROUP BY x.customer_id
            """, new { ws }).WithCancellation(cancellationToken))
        {
            if (table.RowOf(row.Customer) is var r and >= 0 && row.Comments > 0)
            {
                table.Comments[r] = (int)row.Comments;
                table[r, 11] = (float)(row.Negative / (double)row.Comments);
                for (var t = 0; t < themes.Count; t++)
                {
                    table[r, 12 + t] = 0;
                }
            }
        }

        if (themes.Count > 0)
        {
            var parameters = new DynamicParameters(new { ws, themes });
            await foreach (var row in connection.QueryUnbufferedAsync<ThemeRow>(
                $"""
                SELECT x.customer_id AS Customer, m.theme_key AS Theme, count(*) AS Mentions
                FROM ({CommentsSql("t.item_kind AS kind, t.item_id")}) x
                JOIN text_theme_mentions m ON m.workspace_id = @ws AND m.item_kind = x.kind AND m.item_id = x.item_id
                WHERE {OpenCem.Storage.SqlLists.In(connection, "m.theme_key", "themes")}
                GROUP BY x.customer_id, m.theme_key
                """, parameters).WithCancellation(cancellationToken))
            {
                if (table.RowOf(row.Customer) is var r and >= 0 && table.Comments[r] > 0)
                {
                    table[r, 12 + themes.IndexOf(row.Theme)] = (float)(row.Mentions / (double)table.Comments[r]);
                }
            }
        }

        return table;
    }

    /// <summary>The analysed comments of responses and signals with their customer, selecting <paramref name="columns"/> of text_analyses t.</summary>
    internal static string CommentsSql(string columns) =>
        $"""
        SELECT r.customer_id, {columns} FROM survey_responses r
        JOIN text_analyses t ON t.workspace_id = r.workspace_id AND t.item_kind = 'response' AND t.item_id = r.id
        WHERE r.workspace_id = @ws AND r.customer_id IS NOT NULL
        UNION ALL
        SELECT s.customer_id, {columns} FROM signals s
        JOIN text_analyses t ON t.workspace_id = s.workspace_id AND t.item_kind = 'signal' AND t.item_id = s.id
        WHERE s.workspace_id = @ws AND s.customer_id IS NOT NULL
        """;

    /// <summary>Trait names go into the SQL text (JSON paths cannot be parameters everywhere), so only letters, digits, _ and - pass.</summary>
    private static string Safe(string name) =>
        name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-') ? name : throw new ArgumentException($"Invalid trait name '{name}'.", nameof(name));

    private sealed class TraitRow
    {
        public long Customer { get; set; }

        public string? Fee { get; set; }

        public string? Since { get; set; }

        public double? Clv { get; set; }
    }

    private sealed class InteractionRow
    {
        public long Customer { get; set; }

        public long C0 { get; set; }

        public long C1 { get; set; }

        public long C2 { get; set; }

        public long C3 { get; set; }

        public long C4 { get; set; }

        public long Touchpoints { get; set; }

        public long First { get; set; }

        public long Last { get; set; }
    }

    private sealed class ScoreRow
    {
        public long Customer { get; set; }

        public double? Nps { get; set; }

        public double? Csat { get; set; }
    }

    private sealed class CommentRow
    {
        public long Customer { get; set; }

        public long Comments { get; set; }

        public long Negative { get; set; }
    }

    private sealed class ThemeRow
    {
        public long Customer { get; set; }

        public string Theme { get; set; } = "";

        public long Mentions { get; set; }
    }
}
