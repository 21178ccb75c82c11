using System.Data.Common;
using Dapper;

namespace OpenCem.Customers.Personas;

/// <summary>
/// Reads what a run's personas do and say, once its assignments are stored: their touchpoints (the company's own
/// mailings left out, since everyone gets bills), the themes of their comments by sentiment, and the comments of the
/// members nearest each centre.
/// </summary>
public static class PersonaEvidenceReader
{
    /// <summary>How many of the members nearest a centre (among those who commented) are read for comments.</summary>
    public const int CommentCandidates = 40;
    public const int CommentsPerPersona = 3;

    public static async Task<IReadOnlyList<PersonaEvidence>> ReadAsync(
        DbConnection connection, long ws, long runId, PersonaFeatureTable table, PersonaClusters clusters, CancellationToken cancellationToken = default)
    {
        var k = clusters.K;
        var touchpoints = Enumerable.Range(0, k).Select(_ => new List<TouchpointUse>()).ToArray();
        foreach (var row in await connection.QueryAsync<TouchpointRow>(new CommandDefinition(
            """
            SELECT a.number AS Persona, t.key AS TouchpointKey, t.name AS Name, t.channel AS Channel, t.journey_key AS Journey,
                count(*) AS Interactions, count(DISTINCT i.customer_id) AS Customers
            FROM interactions i
            JOIN persona_assignments a ON a.run_id = @runId AND a.customer_id = i.customer_id
            JOIN touchpoints t ON t.id = i.touchpoint_id
            WHERE i.workspace_id = @ws AND t.channel NOT IN ('email', 'mail')
            GROUP BY a.number, t.key, t.name, t.channel, t.journey_key
            """, new { ws, runId }, commandTimeout: 600, cancellationToken: cancellationToken)))
        {
            touchpoints[row.Persona - 1].Add(new TouchpointUse(row.TouchpointKey, row.Name, row.Channel, row.Journey, row.Interactions,
                Math.Round(row.Customers / (double)Math.Max(1, clusters.Sizes[row.Persona - 1]), 4)));
        }

        var themes = Enumerable.Range(0, k).Select(_ => new List<ThemeFeeling>()).ToArray();
        foreach (var row in await connection.QueryAsync<ThemeRow>(new CommandDefinition(
            $"""
            SELECT a.number AS Persona, m.theme_key AS Theme, count(*) AS Mentions,
                sum(CASE WHEN m.sentiment > 0 THEN 1 ELSE 0 END) AS Positive, sum(CASE WHEN m.sentiment < 0 THEN 1 ELSE 0 END) AS Negative,
                avg(CAST(m.sentiment AS DOUBLE PRECISION)) AS Sentiment
            FROM ({PersonaFeatureReader.CommentsSql("t.item_kind AS kind, t.item_id")}) x
            JOIN text_theme_mentions m ON m.workspace_id = @ws AND m.item_kind = x.kind AND m.item_id = x.item_id
            JOIN persona_assignments a ON a.run_id = @runId AND a.customer_id = x.customer_id
            GROUP BY a.number, m.theme_key
            """, new { ws, runId }, commandTimeout: 600, cancellationToken: cancellationToken)))
        {
            themes[row.Persona - 1].Add(new ThemeFeeling(row.Theme, row.Mentions, row.Positive, row.Negative, Math.Round(row.Sentiment ?? 0, 3)));
        }

        // The commenting members nearest each centre, nearest first.
        var candidates = Enumerable.Range(0, k).Select(_ => new List<int>()).ToArray();
        foreach (var r in Enumerable.Range(0, table.Count).Where(r => table.Comments[r] > 0).OrderBy(r => clusters.Distance[r]).ThenBy(r => table.Customers[r]))
        {
            if (candidates[clusters.Assignment[r]] is { Count: < CommentCandidates } list)
            {
                list.Add(r);
            }
        }

        var ids = candidates.SelectMany(c => c).Select(r => table.Customers[r]).ToList();
        var texts = ids.Count == 0 ? [] : (await connection.QueryAsync<CommentRow>(new CommandDefinition(
            $"""
            SELECT r.customer_id AS Customer, r.comment AS Text, r.language AS Language, t.sentiment AS Sentiment, r.submitted_at AS At, r.id AS Item
            FROM survey_responses r LEFT JOIN text_analyses t ON t.workspace_id = r.workspace_id AND t.item_kind = 'response' AND t.item_id = r.id
            WHERE r.workspace_id = @ws AND r.comment IS NOT NULL AND {OpenCem.Storage.SqlLists.In(connection, "r.customer_id", "ids")}
            UNION ALL
            SELECT s.customer_id AS Customer, s.text AS Text, s.language AS Language, t.sentiment AS Sentiment, s.occurred_at AS At, -s.id AS Item
            FROM signals s LEFT JOIN text_analyses t ON t.workspace_id = s.workspace_id AND t.item_kind = 'signal' AND t.item_id = s.id
            WHERE s.workspace_id = @ws AND {OpenCem.Storage.SqlLists.In(connection, "s.customer_id", "ids")}
            """, connection is Npgsql.NpgsqlConnection ? new { ws, ids = ids.ToArray() } : (object)new { ws, ids }, cancellationToken: cancellationToken))).ToList();
        var byCustomer = texts.Where(t => !string.IsNullOrWhiteSpace(t.Text)).GroupBy(t => t.Customer)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.At).ThenByDescending(t => t.Item).First());

        var evidence = new List<PersonaEvidence>();
        for (var p = 0; p < k; p++)
        {
            var comments = new List<RepresentativeComment>();
            foreach (var r in candidates[p])
            {
                if (comments.Count < CommentsPerPersona && byCustomer.TryGetValue(table.Customers[r], out var c) && comments.All(x => x.Text != c.Text))
                {
                    comments.Add(new RepresentativeComment(c.Customer, c.Text!, c.Language, Math.Round(clusters.Distance[r], 3), c.Sentiment is { } s ? Math.Round(s, 3) : null));
                }
            }

            evidence.Add(new PersonaEvidence(
                touchpoints[p].OrderByDescending(t => t.Interactions).ThenBy(t => t.Touchpoint, StringComparer.Ordinal).ToList(),
                themes[p].OrderByDescending(t => t.Mentions).ThenBy(t => t.Theme, StringComparer.Ordinal).ToList(),
                comments));
        }

        return evidence;
    }

    private sealed class TouchpointRow
    {
        public int Persona { get; set; }

        public string TouchpointKey { get; set; } = "";

        public string Name { get; set; } = "";

        public string Channel { get; set; } = "";

        public string? Journey { get; set; }

        public long Interactions { get; set; }

        public long Customers { get; set; }
    }

    private sealed class ThemeRow
    {
        public int Persona { get; set; }

        public string Theme { get; set; } = "";

        public long Mentions { get; set; }

        public long Positive { get; set; }

        public long Negative { get; set; }

        public double? Sentiment { get; set; }
    }

    private sealed class CommentRow
    {
        public long Customer { get; set; }

        public string? Text { get; set; }

        public string? Language { get; set; }

        public double? Sentiment { get; set; }

        public long At { get; set; }

        public long Item { get; set; }
    }
}
