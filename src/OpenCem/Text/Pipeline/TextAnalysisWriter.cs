using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Text.Experience;

namespace OpenCem.Text.Pipeline;

/// <summary>An analysis to store for an item, with the rollup dimensions and scores it is counted under.</summary>
public sealed record AnalysedItem(long ItemId, TextAnalysis Analysis, long Day, long SurveyId, long TouchpointId, int? Nps, int? Csat);

/// <summary>
/// Stores a batch of analyses in the caller's transaction: reads what the items had before, counts that out of the
/// theme rollup and the new results in, replaces <c>text_analyses</c> and <c>text_theme_mentions</c> (bulk: prepared
/// statements on SQLite, one <c>unnest</c> insert per table on PostgreSQL) and upserts each touched rollup row once.
/// Items whose text has gone meanwhile (erased, deleted) lose their analysis instead, so a result read before an
/// erasure never lands after it.
/// </summary>
public static class TextAnalysisWriter
{
    /// <summary>Serialises the writers of a workspace's analyses on PostgreSQL (the worker, the CLI, erasure).</summary>
    public const int LockKey = 727278;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Takes the workspace's analysis lock for the transaction (PostgreSQL; SQLite's writer is alone anyway).</summary>
    public static async Task LockAsync(DbConnection connection, DbTransaction transaction, long workspaceId)
    {
        if (connection is Npgsql.NpgsqlConnection)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@LockKey, @ws)", new { LockKey, ws = (int)workspaceId }, transaction);
        }
    }

    /// <summary>Writes <paramref name="analysed"/> and removes the analyses of <paramref name="removed"/>; returns how many were stored.</summary>
    public static async Task<int> WriteAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, string kind, IReadOnlyList<AnalysedItem> analysed, IReadOnlyList<long> removed,
        string version, long now)
    {
        if (analysed.Count > 0)
        {
            var present = await PresentAsync(connection, transaction, workspaceId, kind, analysed.Select(a => a.ItemId).ToArray());
            if (present.Count < analysed.Count)
            {
                removed = [.. removed, .. analysed.Where(a => !present.Contains(a.ItemId)).Select(a => a.ItemId)];
                analysed = analysed.Where(a => present.Contains(a.ItemId)).ToList();
            }
        }

        var ids = analysed.Select(a => a.ItemId).Concat(removed).Distinct().ToArray();
        if (ids.Length == 0)
        {
            return 0;
        }

        var rollup = new ThemeRollup();
        var old = await OldAsync(connection, transaction, workspaceId, kind, ids);
        foreach (var facts in old)
        {
            rollup.Add(facts, -1);
        }

        foreach (var item in analysed)
        {
            rollup.Add(new RollupFacts(kind, item.Day, item.SurveyId, item.TouchpointId, item.Analysis.Sentiment.Score, item.Nps, item.Csat, item.Analysis.Themes), 1);
        }

        if (old.Count > 0)
        {
            var args = new { workspaceId, kind, ids = old.Select(o => o.ItemId).ToArray() };
            await connection.ExecuteAsync(
                $"DELETE FROM text_theme_mentions WHERE workspace_id = @workspaceId AND item_kind = @kind AND {SqlLists.In(connection, "item_id", "ids")}", args, transaction);
            await connection.ExecuteAsync(
                $"DELETE FROM text_analyses WHERE workspace_id = @workspaceId AND item_kind = @kind AND {SqlLists.In(connection, "item_id", "ids")}", args, transaction);
        }

        await InsertAsync(connection, transaction, workspaceId, kind, analysed, version, now);

        await ThemeRollupStore.ApplyAsync(connection, transaction, workspaceId, rollup, old.Count > 0);
        await ExperienceStore.WriteAsync(connection, transaction, workspaceId, kind, analysed, ids);
        await DataVersions.BumpAsync(connection, transaction, workspaceId, DataVersions.Text);
        return analysed.Count;
    }

    /// <summary>
    /// Inserts the rows of <c>text_analyses</c> and <c>text_theme_mentions</c> and nothing else: no previous results, no
    /// rollup (part of <see cref="WriteAsync"/>, and the raw baseline of the text benchmark).
    /// </summary>
    public static async Task InsertAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, string kind, IReadOnlyList<AnalysedItem> analysed, string version, long now)
    {
        if (analysed.Count == 0)
        {
            return;
        }

        if (connection is Npgsql.NpgsqlConnection)
        {
            await PostgresInsertAsync(connection, transaction, workspaceId, kind, analysed, version, now);
        }
        else
        {
            await SqliteInsertAsync(connection, transaction, workspaceId, kind, analysed, version, now);
        }
    }

    /// <summary>The items that still have text to analyse, read inside the transaction.</summary>
    private static async Task<HashSet<long>> PresentAsync(DbConnection connection, DbTransaction transaction, long workspaceId, string kind, long[] ids)
    {
        var sql = kind == TextItemKind.Response
            ? $"SELECT id FROM survey_responses WHERE workspace_id = @workspaceId AND comment IS NOT NULL AND {Among(connection, "id", ids)}"
            : $"SELECT id FROM signals WHERE workspace_id = @workspaceId AND {Among(connection, "id", ids)}";
        var wanted = ids.ToHashSet();
        return (await connection.QueryAsync<long>(sql, new { workspaceId, ids, min = ids.Min(), max = ids.Max() }, transaction)).Where(wanted.Contains).ToHashSet();
    }

    private static async Task<List<RollupFacts>> OldAsync(DbConnection connection, DbTransaction transaction, long workspaceId, string kind, long[] ids)
    {
        var wanted = ids.ToHashSet();
        return (await connection.QueryAsync<StoredRow>(
                $"""
                SELECT item_id, sentiment, themes, day, survey_id, touchpoint_id, nps, csat FROM text_analyses
                WHERE workspace_id = @workspaceId AND item_kind = @kind AND {Among(connection, "item_id", ids)}
                """,
                new { workspaceId, kind, ids, min = ids.Min(), max = ids.Max() }, transaction))
            .Where(r => wanted.Contains(r.Item_Id))
            .Select(r => new RollupFacts(kind, r.Day, r.Survey_Id, r.Touchpoint_Id, r.Sentiment, r.Nps, r.Csat,
                JsonSerializer.Deserialize<List<ThemeMention>>(r.Themes, Json) ?? [])
            { ItemId = r.Item_Id })
            .ToList();
    }

    /// <summary>
    /// The ids of a batch: a walk's batch is a dense run of ids, read as one range of the primary key (binding a
    /// thousand list parameters cost more than the rows); scattered ids (pending responses, an erasure) as a list.
    /// The caller keeps only the ids it asked for.
    /// </summary>
    private static string Among(DbConnection connection, string column, long[] ids) =>
        ids.Max() - ids.Min() < 4L * ids.Length ? $"{column} BETWEEN @min AND @max" : SqlLists.In(connection, column, "ids");

    private static async Task SqliteInsertAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, string kind, IReadOnlyList<AnalysedItem> analysed, string version, long now)
    {
        await using var analyses = connection.CreateCommand();
        analyses.Transaction = transaction;
        analyses.CommandText =
            """
            INSERT INTO text_analyses (workspace_id, item_kind, item_id, language, sentiment, label, emotions, themes, truncated, version, analyzed_at,
                day, survey_id, touchpoint_id, nps, csat)
            VALUES ($ws, $kind, $id, $language, $sentiment, $label, $emotions, $themes, $truncated, $version, $now, $day, $survey, $touchpoint, $nps, $csat)
            """;
        var p = Parameters(analyses, "$ws", "$kind", "$id", "$language", "$sentiment", "$label", "$emotions", "$themes", "$truncated", "$version", "$now",
            "$day", "$survey", "$touchpoint", "$nps", "$csat");
        p[0].Value = workspaceId;
        p[1].Value = kind;
        p[9].Value = version;
        p[10].Value = now;
        await analyses.PrepareAsync();

        await using var mentions = connection.CreateCommand();
        mentions.Transaction = transaction;
        mentions.CommandText = "INSERT INTO text_theme_mentions (workspace_id, item_kind, item_id, theme_key, sentiment) VALUES ($ws, $kind, $id, $theme, $sentiment)";
        var m = Parameters(mentions, "$ws", "$kind", "$id", "$theme", "$sentiment");
        m[0].Value = workspaceId;
        m[1].Value = kind;
        await mentions.PrepareAsync();

        foreach (var item in analysed)
        {
            var a = item.Analysis;
            p[2].Value = item.ItemId;
            p[3].Value = a.Language;
            p[4].Value = a.Sentiment.Score;
            p[5].Value = a.Sentiment.Label;
            p[6].Value = JsonSerializer.Serialize(a.Emotions, Json);
            p[7].Value = JsonSerializer.Serialize(a.Themes, Json);
            p[8].Value = a.Truncated ? 1 : 0;
            p[11].Value = item.Day;
            p[12].Value = item.SurveyId;
            p[13].Value = item.TouchpointId;
            p[14].Value = (object?)item.Nps ?? DBNull.Value;
            p[15].Value = (object?)item.Csat ?? DBNull.Value;
            await analyses.ExecuteNonQueryAsync();
            m[2].Value = item.ItemId;
            foreach (var theme in a.Themes.DistinctBy(t => t.Key))
            {
                m[3].Value = theme.Key;
                m[4].Value = theme.Sentiment;
                await mentions.ExecuteNonQueryAsync();
            }
        }
    }

    private static DbParameter[] Parameters(DbCommand command, params string[] names) => names.Select(name =>
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }).ToArray();

    private static async Task PostgresInsertAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, string kind, IReadOnlyList<AnalysedItem> analysed, string version, long now)
    {
        await connection.ExecuteAsync(
            """
            INSERT INTO text_analyses (workspace_id, item_kind, item_id, language, sentiment, label, emotions, themes, truncated, version, analyzed_at,
                day, survey_id, touchpoint_id, nps, csat)
            SELECT @workspaceId, @kind, u.id, u.language, u.sentiment, u.label, u.emotions, u.themes, u.truncated, @version, @now,
                u.day, u.survey, u.touchpoint, u.nps, u.csat
            FROM unnest(@ids, @languages, @sentiments, @labels, @emotions, @themes, @truncated, @days, @surveys, @touchpoints, @nps, @csat)
                AS u (id, language, sentiment, label, emotions, themes, truncated, day, survey, touchpoint, nps, csat)
            """,
            new
            {
                workspaceId,
                kind,
                version,
                now,
                ids = analysed.Select(a => a.ItemId).ToArray(),
                languages = analysed.Select(a => a.Analysis.Language).ToArray(),
                sentiments = analysed.Select(a => a.Analysis.Sentiment.Score).ToArray(),
                labels = analysed.Select(a => a.Analysis.Sentiment.Label).ToArray(),
                emotions = analysed.Select(a => JsonSerializer.Serialize(a.Analysis.Emotions, Json)).ToArray(),
                themes = analysed.Select(a => JsonSerializer.Serialize(a.Analysis.Themes, Json)).ToArray(),
                truncated = analysed.Select(a => a.Analysis.Truncated ? 1 : 0).ToArray(),
                days = analysed.Select(a => a.Day).ToArray(),
                surveys = analysed.Select(a => a.SurveyId).ToArray(),
                touchpoints = analysed.Select(a => a.TouchpointId).ToArray(),
                nps = analysed.Select(a => a.Nps).ToArray(),
                csat = analysed.Select(a => a.Csat).ToArray(),
            },
            transaction);
        var mentions = analysed.SelectMany(a => a.Analysis.Themes.DistinctBy(t => t.Key).Select(t => (a.ItemId, t.Key, t.Sentiment))).ToList();
        if (mentions.Count > 0)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO text_theme_mentions (workspace_id, item_kind, item_id, theme_key, sentiment)
                SELECT @workspaceId, @kind, u.id, u.theme, u.sentiment FROM unnest(@ids, @themes, @sentiments) AS u (id, theme, sentiment)
                """,
                new
                {
                    workspaceId,
                    kind,
                    ids = mentions.Select(x => x.ItemId).ToArray(),
                    themes = mentions.Select(x => x.Key).ToArray(),
                    sentiments = mentions.Select(x => x.Sentiment).ToArray(),
                },
                transaction);
        }
    }

    private sealed class StoredRow
    {
        public long Item_Id { get; set; }

        public double Sentiment { get; set; }

        public string Themes { get; set; } = "[]";

        public long Day { get; set; }

        public long Survey_Id { get; set; }

        public long Touchpoint_Id { get; set; }

        public int? Nps { get; set; }

        public int? Csat { get; set; }
    }
}
