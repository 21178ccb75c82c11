using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Customers;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;

namespace OpenCem.Operations.Retention;

/// <summary>
/// One retention pass over a workspace: deletes raw interactions past their time (in batches, each with the
/// interaction counter in its transaction), empties the text of survey responses and signals past theirs (only the range
/// since the last pass, so a pass costs the new data, not the history), and erases the customers inactive for longer
/// than the personal-data term, up to <see cref="RetentionOptions.MaxErasuresPerPass"/> a pass. Inactive: no interaction
/// and no response since, and either some before (a backfilled history counts by its dates) or a profile that old.
/// </summary>
public sealed class RetentionPurge(Database database, SurveyStore surveys, ProfileChanges profiles, RetentionOptions options, TimeProvider time)
{
    private const int DeleteBatch = 5_000;
    private const int ResponseBatch = 1_000;

    public async Task<RetentionRun> RunAsync(long workspaceId, RetentionPolicy policy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        long interactions = 0, comments = 0, signals = 0, erased = 0;
        var complete = true;
        // Inactive customers first: their old interactions are what shows they were once active.
        if (RetentionPolicy.Cutoff(policy.PersonalDataDays, now) is { } activeSince)
        {
            (erased, complete) = await EraseInactiveAsync(workspaceId, activeSince, cancellationToken);
        }

        if (RetentionPolicy.Cutoff(policy.InteractionsDays, now) is { } interactionsBefore)
        {
            interactions = await DeleteInteractionsAsync(workspaceId, interactionsBefore, cancellationToken);
        }

        if (RetentionPolicy.Cutoff(policy.CommentsDays, now) is { } commentsBefore)
        {
            (comments, signals) = await EmptyTextsAsync(workspaceId, commentsBefore, cancellationToken);
        }

        return new RetentionRun(now.ToUnixTimeMilliseconds(), interactions, comments, signals, erased, complete);
    }

    private async Task<long> DeleteInteractionsAsync(long workspaceId, long before, CancellationToken cancellationToken)
    {
        long total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var deleted = await connection.ExecuteAsync(
                """
                DELETE FROM interactions WHERE id IN (
                    SELECT id FROM interactions WHERE workspace_id = @workspaceId AND occurred_at < @before ORDER BY occurred_at, id LIMIT @batch)
                """,
                new { workspaceId, before, batch = DeleteBatch }, transaction);
            // The counter says how many are stored; the rollups keep counting what happened.
            await connection.ExecuteAsync(
                "UPDATE workspace_counters SET value = value - @deleted WHERE workspace_id = @workspaceId AND name = 'interactions'",
                new { workspaceId, deleted }, transaction);
            await transaction.CommitAsync(cancellationToken);
            total += deleted;
            if (deleted < DeleteBatch)
            {
                break;
            }
        }

        return total;
    }

    private async Task<(long Responses, long Signals)> EmptyTextsAsync(long workspaceId, long before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var from = await connection.ExecuteScalarAsync<long?>(
            "SELECT comments_done_before FROM retention_policies WHERE workspace_id = @workspaceId", new { workspaceId }) ?? long.MinValue;
        if (from >= before)
        {
            return (0, 0);
        }

        long responses = 0;
        foreach (var survey in await surveys.ListAsync(workspaceId, cancellationToken))
        {
            var texts = survey.Definition.Questions
                .Where(q => q.Type == QuestionType.Comment || (q.Type == QuestionType.Text && q.InputType != "number"))
                .Select(q => q.Name).ToHashSet(StringComparer.Ordinal);
            var after = 0L;
            while (true)
            {
                var rows = (await connection.QueryAsync<ResponseRow>(
                    """
                    SELECT id AS Id, answers AS Answers, comment AS Comment FROM survey_responses
                    WHERE workspace_id = @workspaceId AND survey_id = @surveyId AND id > @after AND submitted_at >= @from AND submitted_at < @before
                    ORDER BY id LIMIT @batch
                    """,
                    new { workspaceId, surveyId = survey.Id, after, from, before, batch = ResponseBatch })).ToList();
                if (rows.Count == 0)
                {
                    break;
                }

                after = rows[^1].Id;
                var changed = new List<object>();
                foreach (var row in rows)
                {
                    var answers = WithoutTexts(row.Answers, texts);
                    if (row.Comment is not null || answers is not null)
                    {
                        changed.Add(new { row.Id, answers = answers ?? row.Answers });
                    }
                }

                if (changed.Count > 0)
                {
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                    await connection.ExecuteAsync("UPDATE survey_responses SET comment = NULL, answers = @answers WHERE id = @Id", changed, transaction);
                    await transaction.CommitAsync(cancellationToken);
                    responses += changed.Count;
                }
            }
        }

        await using var final = await connection.BeginTransactionAsync(cancellationToken);
        var args = new { workspaceId, from, before };
        var signals = await connection.ExecuteAsync(
            "UPDATE signals SET text = '', title = NULL WHERE workspace_id = @workspaceId AND occurred_at >= @from AND occurred_at < @before AND (text <> '' OR title IS NOT NULL)",
            args, final);
        // The outbox's copies of the responses and signals carry the same texts.
        await connection.ExecuteAsync(
            """
            UPDATE events SET payload = '{}'
            WHERE workspace_id = @workspaceId AND type IN ('response.submitted', 'signal.received') AND occurred_at >= @from AND occurred_at < @before
            """,
            args, final);
        await connection.ExecuteAsync("UPDATE retention_policies SET comments_done_before = @before WHERE workspace_id = @workspaceId", args, final);
        await final.CommitAsync(cancellationToken);
        return (responses, signals);
    }

    /// <summary>The answers without the free-text ones, or null when there was none.</summary>
    private static string? WithoutTexts(string answers, HashSet<string> texts)
    {
        if (texts.Count == 0 || JsonNode.Parse(answers) is not JsonObject values)
        {
            return null;
        }

        var removed = false;
        foreach (var name in texts)
        {
            removed |= values.Remove(name);
        }

        return removed ? values.ToJsonString() : null;
    }

    private async Task<(long Erased, bool Complete)> EraseInactiveAsync(long workspaceId, long activeSince, CancellationToken cancellationToken)
    {
        long erased = 0;
        var after = 0L;
        while (erased < options.MaxErasuresPerPass)
        {
            List<long> inactive;
            await using (var connection = await database.OpenAsync(cancellationToken))
            {
                inactive = (await connection.QueryAsync<long>(
                    """
                    SELECT c.id FROM customers c
                    WHERE c.workspace_id = @workspaceId AND c.id > @after AND c.erased_at IS NULL
                      AND NOT EXISTS (SELECT 1 FROM customer_redirects d WHERE d.workspace_id = c.workspace_id AND d.old_customer_id = c.id)
                      AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.workspace_id = c.workspace_id AND i.customer_id = c.id AND i.occurred_at >= @activeSince)
                      AND NOT EXISTS (SELECT 1 FROM survey_responses r WHERE r.workspace_id = c.workspace_id AND r.customer_id = c.id AND r.submitted_at >= @activeSince)
                      AND (c.created_at < @activeSince
                        OR EXISTS (SELECT 1 FROM interactions i WHERE i.workspace_id = c.workspace_id AND i.customer_id = c.id)
                        OR EXISTS (SELECT 1 FROM survey_responses r WHERE r.workspace_id = c.workspace_id AND r.customer_id = c.id))
                    ORDER BY c.id LIMIT @batch
                    """,
                    new { workspaceId, after, activeSince, batch = Math.Min(500, options.MaxErasuresPerPass - erased) })).ToList();
            }

            if (inactive.Count == 0)
            {
                return (erased, true);
            }

            foreach (var customerId in inactive)
            {
                if (await profiles.EraseAsync(workspaceId, customerId, cancellationToken) is not null)
                {
                    erased++;
                }
            }

            after = inactive[^1];
        }

        return (erased, false);
    }

    private sealed class ResponseRow
    {
        public long Id { get; set; }

        public string Answers { get; set; } = "{}";

        public string? Comment { get; set; }
    }
}
