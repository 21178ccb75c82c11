using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Text.Pipeline;

namespace OpenCem.Text.Experience;

/// <summary>
/// Keeps <c>text_experiences</c> (modules and descriptive words per analysed item) and its two daily rollups in step
/// with <c>text_analyses</c>: called by <see cref="TextAnalysisWriter"/> in the same transaction for every batch it
/// writes or removes, it counts the items' previous rows out and the new ones in, so the rollups are exact increments.
/// </summary>
public static class ExperienceStore
{
    private static readonly JsonSerializerOptions Json = TextAnalysisWriter.Json;

    /// <param name="ids">Every item of the batch, analysed or removed; <paramref name="analysed"/> are those that have a new result.</param>
    public static async Task WriteAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, string kind, IReadOnlyList<AnalysedItem> analysed, long[] ids)
    {
        var rollup = new ExperienceRollup();
        var old = await OldAsync(connection, transaction, workspaceId, kind, ids);
        foreach (var facts in old)
        {
            rollup.Add(facts, -1);
        }

        if (old.Count > 0)
        {
            await connection.ExecuteAsync(
                $"DELETE FROM text_experiences WHERE workspace_id = @workspaceId AND item_kind = @kind AND {SqlLists.In(connection, "item_id", "ids")}",
                new { workspaceId, kind, ids = old.Select(o => o.ItemId).ToArray() }, transaction);
        }

        var rows = analysed.Select(a => ExperienceFacts.Of(kind, a)).ToList();
        foreach (var facts in rows)
        {
            rollup.Add(facts, 1);
        }

        await InsertAsync(connection, transaction, workspaceId, rows);
        await ApplyAsync(connection, transaction, workspaceId, rollup, old.Count > 0);
    }

    private static async Task<List<ExperienceFacts>> OldAsync(DbConnection connection, DbTransaction transaction, long workspaceId, string kind, long[] ids)
    {
        if (ids.Length == 0)
        {
            return [];
        }

        // A batch is mostly a dense run of ids: one range of the key beats binding a thousand list parameters.
        var among = ids.Max() - ids.Min() < 4L * ids.Length ? "item_id BETWEEN @min AND @max" : SqlLists.In(connection, "item_id", "ids");
        var wanted = ids.ToHashSet();
        return (await connection.QueryAsync<Row>(
                $"""
                SELECT item_id AS ItemId, day AS Day, survey_id AS SurveyId, touchpoint_id AS TouchpointId, sentiment AS Sentiment, modules AS Modules,
                    descriptors AS Descriptors
                FROM text_experiences WHERE workspace_id = @workspaceId AND item_kind = @kind AND {among}
                """,
                new { workspaceId, kind, ids, min = ids.Min(), max = ids.Max() }, transaction))
            .Where(r => wanted.Contains(r.ItemId))
            .Select(r => new ExperienceFacts(kind, r.Day, r.SurveyId, r.TouchpointId, r.Sentiment,
                JsonSerializer.Deserialize<List<ExperienceTag>>(r.Modules, Json) ?? [],
                JsonSerializer.Deserialize<List<DescriptorMention>>(r.Descriptors, Json) ?? [])
            { ItemId = r.ItemId })
            .ToList();
    }

    private static async Task InsertAsync(DbConnection connection, DbTransaction transaction, long workspaceId, List<ExperienceFacts> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        const string Columns = "workspace_id, item_kind, item_id, day, survey_id, touchpoint_id, sentiment, modules, descriptors";
        if (connection is Npgsql.NpgsqlConnection)
        {
            await connection.ExecuteAsync(
                $"""
                INSERT INTO text_experiences ({Columns})
                SELECT @workspaceId, u.* FROM unnest(@kinds, @ids, @days, @surveys, @touchpoints, @sentiments, @modules, @descriptors) AS u
                """,
                new
                {
                    workspaceId,
                    kinds = rows.Select(r => r.Kind).ToArray(),
                    ids = rows.Select(r => r.ItemId).ToArray(),
                    days = rows.Select(r => r.Day).ToArray(),
                    surveys = rows.Select(r => r.SurveyId).ToArray(),
                    touchpoints = rows.Select(r => r.TouchpointId).ToArray(),
                    sentiments = rows.Select(r => r.Sentiment).ToArray(),
                    modules = rows.Select(r => JsonSerializer.Serialize(r.Modules, Json)).ToArray(),
                    descriptors = rows.Select(r => JsonSerializer.Serialize(r.Descriptors, Json)).ToArray(),
                },
                transaction);
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO text_experiences ({Columns}) VALUES ($ws, $kind, $id, $day, $survey, $touchpoint, $sentiment, $modules, $descriptors)";
        var p = new[] { "$ws", "$kind", "$id", "$day", "$survey", "$touchpoint", "$sentiment", "$modules", "$descriptors" }.Select(name =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        p[0].Value = workspaceId;
        await command.PrepareAsync();
        foreach (var row in rows)
        {
            p[1].Value = row.Kind;
            p[2].Value = row.ItemId;
            p[3].Value = row.Day;
            p[4].Value = row.SurveyId;
            p[5].Value = row.TouchpointId;
            p[6].Value = row.Sentiment;
            p[7].Value = JsonSerializer.Serialize(row.Modules, Json);
            p[8].Value = JsonSerializer.Serialize(row.Descriptors, Json);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task ApplyAsync(DbConnection connection, DbTransaction transaction, long workspaceId, ExperienceRollup rollup, bool removals)
    {
        var modules = rollup.Modules.Where(m => m.Value.Items != 0 || m.Value.SentimentSum != 0).ToList();
        var terms = rollup.Terms.Where(t => t.Value != default).ToList();
        const string ModuleConflict =
            """
            ON CONFLICT (workspace_id, day, item_kind, survey_id, touchpoint_id, module) DO UPDATE SET
                items = text_experience_daily.items + excluded.items, sentiment_sum = text_experience_daily.sentiment_sum + excluded.sentiment_sum
            """;
        const string TermConflict =
            """
            ON CONFLICT (workspace_id, day, item_kind, survey_id, touchpoint_id, term) DO UPDATE SET
                affirmed = text_descriptor_daily.affirmed + excluded.affirmed, negated = text_descriptor_daily.negated + excluded.negated
            """;
        if (connection is Npgsql.NpgsqlConnection)
        {
            if (modules.Count > 0)
            {
                await connection.ExecuteAsync(
                    $"""
                    INSERT INTO text_experience_daily (workspace_id, day, item_kind, survey_id, touchpoint_id, module, items, sentiment_sum)
                    SELECT @workspaceId, u.* FROM unnest(@days, @kinds, @surveys, @touchpoints, @modules, @items, @sums) AS u
                    {ModuleConflict}
                    """,
                    new
                    {
                        workspaceId,
                        days = modules.Select(m => m.Key.Day).ToArray(),
                        kinds = modules.Select(m => m.Key.Kind).ToArray(),
                        surveys = modules.Select(m => m.Key.SurveyId).ToArray(),
                        touchpoints = modules.Select(m => m.Key.TouchpointId).ToArray(),
                        modules = modules.Select(m => m.Key.Module).ToArray(),
                        items = modules.Select(m => m.Value.Items).ToArray(),
                        sums = modules.Select(m => m.Value.SentimentSum).ToArray(),
                    },
                    transaction);
            }

            if (terms.Count > 0)
            {
                await connection.ExecuteAsync(
                    $"""
                    INSERT INTO text_descriptor_daily (workspace_id, day, item_kind, survey_id, touchpoint_id, term, affirmed, negated)
                    SELECT @workspaceId, u.* FROM unnest(@days, @kinds, @surveys, @touchpoints, @terms, @affirmed, @negated) AS u
                    {TermConflict}
                    """,
                    new
                    {
                        workspaceId,
                        days = terms.Select(t => t.Key.Day).ToArray(),
                        kinds = terms.Select(t => t.Key.Kind).ToArray(),
                        surveys = terms.Select(t => t.Key.SurveyId).ToArray(),
                        touchpoints = terms.Select(t => t.Key.TouchpointId).ToArray(),
                        terms = terms.Select(t => t.Key.Term).ToArray(),
                        affirmed = terms.Select(t => t.Value.Affirmed).ToArray(),
                        negated = terms.Select(t => t.Value.Negated).ToArray(),
                    },
                    transaction);
            }
        }
        else
        {
            await connection.ExecuteAsync(
                $"""
                INSERT INTO text_experience_daily (workspace_id, day, item_kind, survey_id, touchpoint_id, module, items, sentiment_sum)
                VALUES (@workspaceId, @Day, @Kind, @SurveyId, @TouchpointId, @Module, @Items, @SentimentSum)
                {ModuleConflict}
                """,
                modules.Select(m => new { workspaceId, m.Key.Day, m.Key.Kind, m.Key.SurveyId, m.Key.TouchpointId, m.Key.Module, m.Value.Items, m.Value.SentimentSum }),
                transaction);
            await connection.ExecuteAsync(
                $"""
                INSERT INTO text_descriptor_daily (workspace_id, day, item_kind, survey_id, touchpoint_id, term, affirmed, negated)
                VALUES (@workspaceId, @Day, @Kind, @SurveyId, @TouchpointId, @Term, @Affirmed, @Negated)
                {TermConflict}
                """,
                terms.Select(t => new { workspaceId, t.Key.Day, t.Key.Kind, t.Key.SurveyId, t.Key.TouchpointId, t.Key.Term, t.Value.Affirmed, t.Value.Negated }),
                transaction);
        }

        if (removals)
        {
            await connection.ExecuteAsync("DELETE FROM text_experience_daily WHERE workspace_id = @workspaceId AND items = 0", new { workspaceId }, transaction);
            await connection.ExecuteAsync(
                "DELETE FROM text_descriptor_daily WHERE workspace_id = @workspaceId AND affirmed = 0 AND negated = 0", new { workspaceId }, transaction);
        }
    }

    private sealed class Row
    {
        public long ItemId { get; set; }

        public long Day { get; set; }

        public long SurveyId { get; set; }

        public long TouchpointId { get; set; }

        public double Sentiment { get; set; }

        public string Modules { get; set; } = "[]";

        public string Descriptors { get; set; } = "[]";
    }
}
