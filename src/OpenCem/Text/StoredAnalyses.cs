using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Text.Pipeline;

namespace OpenCem.Text;

/// <summary>The stored analysis of a response's comment or a signal, as the responses, signals and export APIs show it.</summary>
public sealed record TextAnalysisView(
    string Lang, SentimentScore Sentiment, IReadOnlyList<EmotionScore> Emotions, IReadOnlyList<ThemeMention> Themes, bool Truncated, DateTimeOffset AnalyzedAt);

/// <summary>Reads stored analyses for a page of responses or signals (one query per page) and forgets a person's.</summary>
public static class StoredAnalyses
{
    /// <summary>The analyses of the items that have one, by item id.</summary>
    public static async Task<IReadOnlyDictionary<long, TextAnalysisView>> ForItemsAsync(
        DbConnection connection, long workspaceId, string kind, IReadOnlyCollection<long> ids, DbTransaction? transaction = null)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<long, TextAnalysisView>();
        }

        var list = ids.Distinct().ToArray();
        var rows = await connection.QueryAsync<Row>(
            $"""
            SELECT item_id, language, sentiment, label, emotions, themes, truncated, analyzed_at FROM text_analyses
            WHERE workspace_id = @workspaceId AND item_kind = @kind AND {SqlLists.In(connection, "item_id", "list")}
            """,
            new { workspaceId, kind, list }, transaction);
        return rows.ToDictionary(r => r.Item_Id, r => r.ToView());
    }

    /// <summary>
    /// Erasure: deletes the analyses of everything the person wrote and counts them out of the theme rollup, in the
    /// erasure's transaction (before their comments and signals go).
    /// </summary>
    public static async Task ForgetCustomerAsync(DbConnection connection, DbTransaction transaction, long workspaceId, long customerId)
    {
        await TextAnalysisWriter.LockAsync(connection, transaction, workspaceId);
        var args = new { workspaceId, customerId };
        var responses = (await connection.QueryAsync<long>(
            "SELECT id FROM survey_responses WHERE workspace_id = @workspaceId AND customer_id = @customerId", args, transaction)).ToList();
        var signals = (await connection.QueryAsync<long>(
            "SELECT id FROM signals WHERE workspace_id = @workspaceId AND customer_id = @customerId", args, transaction)).ToList();
        foreach (var (kind, ids) in new[] { (TextItemKind.Response, responses), (TextItemKind.Signal, signals) })
        {
            foreach (var chunk in ids.Chunk(1000))
            {
                await TextAnalysisWriter.WriteAsync(connection, transaction, workspaceId, kind, [], chunk, "", 0);
                await connection.ExecuteAsync(
                    $"DELETE FROM text_pending WHERE workspace_id = @workspaceId AND item_kind = @kind AND {SqlLists.In(connection, "item_id", "chunk")}",
                    new { workspaceId, kind, chunk }, transaction);
            }
        }
    }

    private sealed class Row
    {
        public long Item_Id { get; set; }

        public string Language { get; set; } = "";

        public double Sentiment { get; set; }

        public string Label { get; set; } = "";

        public string Emotions { get; set; } = "[]";

        public string Themes { get; set; } = "[]";

        public long Truncated { get; set; }

        public long Analyzed_At { get; set; }

        public TextAnalysisView ToView() => new(
            Language,
            new SentimentScore(Sentiment, Label),
            JsonSerializer.Deserialize<List<EmotionScore>>(Emotions, TextAnalysisWriter.Json) ?? [],
            JsonSerializer.Deserialize<List<ThemeMention>>(Themes, TextAnalysisWriter.Json) ?? [],
            Truncated != 0,
            DateTimeOffset.FromUnixTimeMilliseconds(Analyzed_At));
    }
}
