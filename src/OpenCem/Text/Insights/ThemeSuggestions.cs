using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Text.Pipeline;

namespace OpenCem.Text.Insights;

/// <summary>An example of a suggested phrase: the comment or signal it was found in.</summary>
public sealed record SuggestionExample(string Kind, long Id, string Text);

/// <summary>A suggested new theme: a phrase, how many unmatched comments use it, and a few of them.</summary>
public sealed record ThemeSuggestion(string Phrase, string Language, long Count, IReadOnlyList<SuggestionExample> Examples);

/// <summary>
/// Suggested new themes, computed by the worker from the most recent comments and signals that no theme matched
/// (<see cref="PhraseMiner"/>) and stored in <c>text_suggestions</c>, so reading them costs one small query. Examples
/// are stored as references and their text read when shown, so an erased comment never appears as an example.
/// </summary>
public sealed class ThemeSuggestions(Database database, TimeProvider time)
{
    /// <summary>The unmatched items mined per kind: the most recent ones.</summary>
    public const int Window = 5_000;

    public async Task RecomputeAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var comments = new List<(long Id, string Text, string Language)>();
        foreach (var kind in TextItemKind.All)
        {
            var sql = kind == TextItemKind.Response
                ? """
                  SELECT a.item_id AS Id, r.comment AS Text, a.language AS Language FROM text_analyses a
                  JOIN survey_responses r ON r.id = a.item_id
                  JOIN surveys v ON v.workspace_id = r.workspace_id AND v.id = r.survey_id AND v.audience <> 'employees'
                  WHERE a.workspace_id = @workspaceId AND a.item_kind = @kind AND a.themes = '[]' AND r.comment IS NOT NULL
                  ORDER BY a.item_id DESC LIMIT @Window
                  """
                : """
                  SELECT a.item_id AS Id, s.text AS Text, a.language AS Language FROM text_analyses a
                  JOIN signals s ON s.id = a.item_id
                  WHERE a.workspace_id = @workspaceId AND a.item_kind = @kind AND a.themes = '[]'
                  ORDER BY a.item_id DESC LIMIT @Window
                  """;
            var rows = await connection.QueryAsync<(long Id, string Text, string Language)>(sql, new { workspaceId, kind, Window });
            // Ids of both kinds share one list: signal ids are made negative and turned back when stored.
            comments.AddRange(rows.Select(r => (kind == TextItemKind.Response ? r.Id : -r.Id, r.Text, r.Language)));
        }

        var phrases = PhraseMiner.Mine(comments);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM text_suggestions WHERE workspace_id = @workspaceId", new { workspaceId }, transaction);
        await connection.ExecuteAsync(
            """
            INSERT INTO text_suggestions (workspace_id, rank, phrase, language, count, examples, computed_at)
            VALUES (@workspaceId, @rank, @Phrase, @Language, @Count, @examples, @now)
            """,
            phrases.Select((p, i) => new
            {
                workspaceId,
                rank = i + 1,
                p.Phrase,
                p.Language,
                p.Count,
                examples = JsonSerializer.Serialize(p.Examples.Select(id => id > 0 ? $"{TextItemKind.Response}:{id}" : $"{TextItemKind.Signal}:{-id}")),
                now,
            }),
            transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ThemeSuggestion>> ListAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string Phrase, string Language, long Count, string Examples)>(
            "SELECT phrase, language, count, examples FROM text_suggestions WHERE workspace_id = @workspaceId ORDER BY rank", new { workspaceId })).ToList();
        var references = rows.SelectMany(r => JsonSerializer.Deserialize<string[]>(r.Examples) ?? [])
            .Select(r => r.Split(':')).Where(p => p.Length == 2 && long.TryParse(p[1], out _)).Select(p => (Kind: p[0], Id: long.Parse(p[1])))
            .ToList();
        var responses = references.Where(r => r.Kind == TextItemKind.Response).Select(r => r.Id).ToArray();
        var signals = references.Where(r => r.Kind == TextItemKind.Signal).Select(r => r.Id).ToArray();
        var texts = new Dictionary<string, string>();
        if (responses.Length > 0)
        {
            foreach (var (id, text) in await connection.QueryAsync<(long, string)>(
                $"SELECT id, comment FROM survey_responses WHERE workspace_id = @workspaceId AND comment IS NOT NULL AND {SqlLists.In(connection, "id", "responses")}",
                new { workspaceId, responses }))
            {
                texts[$"{TextItemKind.Response}:{id}"] = text;
            }
        }

        if (signals.Length > 0)
        {
            foreach (var (id, text) in await connection.QueryAsync<(long, string)>(
                $"SELECT id, text FROM signals WHERE workspace_id = @workspaceId AND {SqlLists.In(connection, "id", "signals")}", new { workspaceId, signals }))
            {
                texts[$"{TextItemKind.Signal}:{id}"] = text;
            }
        }

        return rows.Select(r => new ThemeSuggestion(
                r.Phrase,
                r.Language,
                r.Count,
                (JsonSerializer.Deserialize<string[]>(r.Examples) ?? [])
                    .Where(texts.ContainsKey)
                    .Select(e => new SuggestionExample(e.Split(':')[0], long.Parse(e.Split(':')[1]), texts[e]))
                    .ToList()))
            .ToList();
    }
}
