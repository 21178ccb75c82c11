using System.Data.Common;
using Dapper;
using OpenCem.Storage;
using OpenCem.Text;
using OpenCem.Text.Pipeline;

namespace OpenCem.Feedback.Ideas;

/// <summary>
/// Ideas: listed, read, written and moderated. Every new or edited text runs through the workspace's text analysis,
/// so an idea carries its themes and sentiment like any comment; ideas posted on the board pass the spam checks first.
/// </summary>
public sealed class IdeaStore(Database database, WorkspaceAnalyzers analyzers, TimeProvider time)
{
    public async Task<IReadOnlyList<IdeaView>> ListAsync(long workspaceId, IdeaFilter filter, CancellationToken cancellationToken = default)
    {
        var where = "workspace_id = @workspaceId";
        where += filter.Status is null ? "" : " AND status = @Status";
        where += filter.Moderation is null ? "" : " AND moderation = @Moderation";
        where += filter.Theme is null ? "" : " AND themes LIKE @theme";
        var order = filter.Sort == "recent" ? "created_at DESC, id DESC" : "votes DESC, id DESC";
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<IdeaRow>(new CommandDefinition(
            $"SELECT {IdeaRow.Columns} FROM ideas WHERE {where} ORDER BY {order} LIMIT @Limit OFFSET @Offset",
            new { workspaceId, filter.Status, filter.Moderation, theme = $"%,{filter.Theme},%", filter.Limit, filter.Offset }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToView())];
    }

    public async Task<IdeaView?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, workspaceId, id);
    }

    internal static async Task<IdeaView?> GetAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, long id) =>
        (await connection.QuerySingleOrDefaultAsync<IdeaRow>(
            $"SELECT {IdeaRow.Columns} FROM ideas WHERE workspace_id = @workspaceId AND id = @id", new { workspaceId, id }, transaction))?.ToView();

    /// <summary>
    /// Stores a new idea. With <paramref name="checkSpam"/> (the board) the spam checks decide whether it is published or
    /// held; staff entries are published.
    /// </summary>
    public async Task<IdeaOutcome<IdeaView>> CreateAsync(long workspaceId, IdeaDraft draft, bool checkSpam, CancellationToken cancellationToken = default)
    {
        var analysis = await AnalyzeAsync(workspaceId, draft.Title + ". " + draft.Body, draft.Language, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        if (draft.CustomerId is { } customerId && !await IdeaCustomers.ExistsAsync(connection, null, workspaceId, customerId))
        {
            return IdeaOutcome<IdeaView>.Fail(422, "customerId", "No customer (who was not erased) has this id.");
        }

        if (draft.CaseId is { } caseId && !await CaseExistsAsync(connection, workspaceId, caseId))
        {
            return IdeaOutcome<IdeaView>.Fail(422, "caseId", "No case has this id.");
        }

        IReadOnlyList<string> reasons = [];
        if (checkSpam && draft.CustomerId is { } author)
        {
            reasons = SpamCheck.Reasons(draft.Title + "\n" + draft.Body, await IdeaCustomers.HistoryAsync(connection, workspaceId, author, now));
        }

        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO ideas (workspace_id, customer_id, title, body, language, status, moderation, spam_reasons, themes, sentiment, case_id, votes,
                created_at, updated_at, status_at)
            VALUES (@workspaceId, @CustomerId, @title, @body, @language, @status, @moderation, @spam, @themes, @sentiment, @CaseId, 0, @now, @now, @now)
            RETURNING id
            """,
            new
            {
                workspaceId,
                draft.CustomerId,
                title = draft.Title.Trim(),
                body = draft.Body.Trim(),
                language = draft.Language ?? (analysis.Language is "en" or "de" ? analysis.Language : null),
                status = IdeaStatus.UnderReview,
                moderation = reasons.Count > 0 ? Moderation.Held : Moderation.Published,
                spam = IdeaText.Reasons(reasons),
                themes = IdeaText.Themes(analysis.Themes.Select(t => t.Key)),
                sentiment = analysis.Sentiment.Score,
                draft.CaseId,
                now,
            });
        await connection.ExecuteAsync(
            "INSERT INTO idea_status_changes (workspace_id, idea_id, from_status, to_status, answer, actor, at) VALUES (@workspaceId, @id, NULL, @status, NULL, @actor, @now)",
            new { workspaceId, id, status = IdeaStatus.UnderReview, actor = draft.CustomerId is { } c ? $"customer:{c}" : "staff", now });
        return new IdeaOutcome<IdeaView>((await GetAsync(connection, null, workspaceId, id))!, 201);
    }

    /// <summary>Changes title, body, language or the linked case (0 unlinks it); a changed text is analysed again.</summary>
    public async Task<IdeaOutcome<IdeaView>> UpdateAsync(
        long workspaceId, long id, string? title, string? body, string? language, long? caseId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (await GetAsync(connection, null, workspaceId, id) is not { } idea)
        {
            return IdeaOutcome<IdeaView>.Fail(404, "id", "No idea has this id.");
        }

        if (caseId is > 0 && !await CaseExistsAsync(connection, workspaceId, caseId.Value))
        {
            return IdeaOutcome<IdeaView>.Fail(422, "caseId", "No case has this id.");
        }

        var newTitle = title?.Trim() ?? idea.Title;
        var newBody = body?.Trim() ?? idea.Body;
        var newLanguage = language ?? idea.Language;
        var analysis = await AnalyzeAsync(workspaceId, newTitle + ". " + newBody, newLanguage, cancellationToken);
        await connection.ExecuteAsync(
            """
            UPDATE ideas SET title = @newTitle, body = @newBody, language = @newLanguage, themes = @themes, sentiment = @sentiment,
                case_id = @linked, updated_at = @now
            WHERE workspace_id = @workspaceId AND id = @id
            """,
            new
            {
                newTitle,
                newBody,
                newLanguage,
                themes = IdeaText.Themes(analysis.Themes.Select(t => t.Key)),
                sentiment = analysis.Sentiment.Score,
                linked = caseId is null ? idea.CaseId : caseId > 0 ? caseId : null,
                now = time.GetUtcNow().ToUnixTimeMilliseconds(),
                workspaceId,
                id,
            });
        return new IdeaOutcome<IdeaView>(await GetAsync(connection, null, workspaceId, id));
    }

    /// <summary>A staff decision on a held (or published) idea: approve publishes it, reject hides it from the board.</summary>
    public async Task<IdeaView?> ModerateAsync(long workspaceId, long id, bool approve, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            "UPDATE ideas SET moderation = @moderation, updated_at = @now WHERE workspace_id = @workspaceId AND id = @id",
            new { moderation = approve ? Moderation.Published : Moderation.Rejected, now = time.GetUtcNow().ToUnixTimeMilliseconds(), workspaceId, id });
        return changed == 0 ? null : await GetAsync(connection, null, workspaceId, id);
    }

    private async Task<TextAnalysis> AnalyzeAsync(long workspaceId, string text, string? language, CancellationToken cancellationToken)
    {
        var analyzer = (await analyzers.GetAsync(workspaceId, cancellationToken)).Analyzer;
        try
        {
            return analyzer.Analyze(text, language);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // As in the analyse API: a text the analyser cannot read gets no themes rather than failing the post.
            return new TextAnalysis("und", new SentimentScore(0, "neutral"), [], [], false);
        }
    }

    private static async Task<bool> CaseExistsAsync(DbConnection connection, long workspaceId, long caseId) =>
        await connection.ExecuteScalarAsync<long?>("SELECT id FROM cases WHERE workspace_id = @workspaceId AND id = @caseId", new { workspaceId, caseId }) is not null;
}
