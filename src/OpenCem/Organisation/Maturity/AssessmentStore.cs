using System.Data.Common;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Organisation.Maturity;

/// <summary>Assessments with their assessors, ratings and targets (small tables, Dapper). Every read checks the workspace first.</summary>
public sealed class AssessmentStore(Database database, TimeProvider time)
{
    public async Task<long> CreateAsync(long workspaceId, NewAssessment assessment, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = Now();
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO assessments (workspace_id, name, assessed_at, status, notes, created_at, updated_at)
            VALUES (@workspaceId, @Name, @at, @Status, @Notes, @now, @now) RETURNING id
            """,
            new { workspaceId, assessment.Name, at = assessment.AssessedAt.ToUnixTimeMilliseconds(), assessment.Status, assessment.Notes, now }, transaction);
        await AddAssessorsAsync(connection, transaction, id, assessment.Assessors ?? [], now);
        await ReplaceTargetsAsync(connection, transaction, id, assessment.Targets ?? new Dictionary<string, double>());
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    public async Task<IReadOnlyList<AssessmentSummary>> ListAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AssessmentRow>(new CommandDefinition(
            $"""
            SELECT {AssessmentRow.Columns},
                   (SELECT count(*) FROM assessment_assessors s WHERE s.assessment_id = a.id) AS AssessorCount,
                   (SELECT count(*) FROM assessment_ratings r WHERE r.assessment_id = a.id) AS RatingCount
            FROM assessments a WHERE a.workspace_id = @workspaceId ORDER BY a.assessed_at DESC, a.id DESC
            """,
            new { workspaceId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new AssessmentSummary(r.Id, r.Name, Time(r.AssessedAt), r.Status, r.Notes, r.AssessorCount, r.RatingCount))];
    }

    public async Task<Assessment?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AssessmentRow>(new CommandDefinition(
            $"""
            SELECT {AssessmentRow.Columns}, 0 AS AssessorCount,
                   (SELECT count(*) FROM assessment_ratings r WHERE r.assessment_id = a.id) AS RatingCount
            FROM assessments a WHERE a.workspace_id = @workspaceId AND a.id = @id
            """,
            new { workspaceId, id }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var assessors = await connection.QueryAsync<AssessorRow>(new CommandDefinition(
            "SELECT assessor AS Name, role AS Role FROM assessment_assessors WHERE assessment_id = @id ORDER BY added_at, assessor",
            new { id }, cancellationToken: cancellationToken));
        var targets = await connection.QueryAsync<TargetRow>(new CommandDefinition(
            "SELECT element AS Element, target AS Target FROM assessment_targets WHERE assessment_id = @id",
            new { id }, cancellationToken: cancellationToken));
        return new Assessment(
            row.Id, row.Name, Time(row.AssessedAt), row.Status, row.Notes, [.. assessors.Select(a => new Assessor(a.Name, a.Role))],
            targets.ToDictionary(t => t.Element, t => t.Target, StringComparer.Ordinal), row.RatingCount, Time(row.CreatedAt), Time(row.UpdatedAt));
    }

    /// <summary>Applies the change; false when the workspace has no such assessment.</summary>
    public async Task<bool> UpdateAsync(long workspaceId, long id, AssessmentChange change, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = Now();
        var updated = await connection.ExecuteAsync(
            """
            UPDATE assessments SET name = COALESCE(@Name, name), assessed_at = COALESCE(@at, assessed_at), status = COALESCE(@Status, status),
                notes = CASE WHEN @clear = 1 THEN NULL ELSE COALESCE(@Notes, notes) END, updated_at = @now
            WHERE workspace_id = @workspaceId AND id = @id
            """,
            new { workspaceId, id, change.Name, at = change.AssessedAt?.ToUnixTimeMilliseconds(), change.Status, change.Notes, clear = change.ClearNotes ? 1 : 0, now },
            transaction);
        if (updated == 0)
        {
            return false;
        }

        await AddAssessorsAsync(connection, transaction, id, change.Assessors ?? [], now);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> DeleteAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await ExistsAsync(connection, transaction, workspaceId, id))
        {
            return false;
        }

        foreach (var table in new[] { "assessment_ratings", "assessment_targets", "assessment_assessors" })
        {
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE assessment_id = @id", new { id }, transaction);
        }

        await connection.ExecuteAsync("DELETE FROM assessments WHERE id = @id", new { id }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Stores a batch of ratings in one transaction: a rating an assessor already gave for a criterion is replaced, and
    /// an assessor not yet on the assessment joins it. False when the workspace has no such assessment.
    /// </summary>
    public async Task<bool> SaveRatingsAsync(long workspaceId, long id, IReadOnlyList<AssessmentRating> ratings, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await ExistsAsync(connection, transaction, workspaceId, id))
        {
            return false;
        }

        var now = Now();
        await connection.ExecuteAsync(
            """
            INSERT INTO assessment_ratings (assessment_id, criterion, assessor, rating, evidence, rated_at) VALUES (@id, @Criterion, @Assessor, @Rating, @Evidence, @at)
            ON CONFLICT (assessment_id, criterion, assessor) DO UPDATE SET rating = excluded.rating, evidence = excluded.evidence, rated_at = excluded.rated_at
            """,
            ratings.Select(r => new { id, r.Criterion, r.Assessor, r.Rating, r.Evidence, at = r.RatedAt > 0 ? r.RatedAt : now }).ToList(), transaction);
        await AddAssessorsAsync(connection, transaction, id, [.. ratings.Select(r => r.Assessor).Distinct(StringComparer.Ordinal).Select(a => new Assessor(a))], now);
        await connection.ExecuteAsync("UPDATE assessments SET updated_at = @now WHERE id = @id", new { id, now }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The assessment's ratings, by criterion and assessor; null when the workspace has no such assessment.</summary>
    public async Task<IReadOnlyList<AssessmentRating>?> RatingsAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (!await ExistsAsync(connection, null, workspaceId, id))
        {
            return null;
        }

        var rows = await connection.QueryAsync<RatingRow>(new CommandDefinition(
            """
            SELECT criterion AS Criterion, assessor AS Assessor, rating AS Rating, evidence AS Evidence, rated_at AS RatedAt
            FROM assessment_ratings WHERE assessment_id = @id ORDER BY criterion, assessor
            """,
            new { id }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new AssessmentRating(r.Criterion, r.Assessor, (int)r.Rating, r.Evidence, r.RatedAt))];
    }

    /// <summary>Replaces the targets (element → 1–5); false when the workspace has no such assessment.</summary>
    public async Task<bool> SaveTargetsAsync(long workspaceId, long id, IReadOnlyDictionary<string, double> targets, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await ExistsAsync(connection, transaction, workspaceId, id))
        {
            return false;
        }

        await ReplaceTargetsAsync(connection, transaction, id, targets);
        await connection.ExecuteAsync("UPDATE assessments SET updated_at = @now WHERE id = @id", new { id, now = Now() }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<bool> ExistsAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, long id) =>
        await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM assessments WHERE workspace_id = @workspaceId AND id = @id", new { workspaceId, id }, transaction) > 0;

    private static async Task AddAssessorsAsync(DbConnection connection, DbTransaction transaction, long id, IReadOnlyList<Assessor> assessors, long now)
    {
        if (assessors.Count == 0)
        {
            return;
        }

        // A named role updates the assessor's; a rating's assessor (no role) joins without touching one given before.
        await connection.ExecuteAsync(
            """
            INSERT INTO assessment_assessors (assessment_id, assessor, role, added_at) VALUES (@id, @Name, @Role, @now)
            ON CONFLICT (assessment_id, assessor) DO UPDATE SET role = COALESCE(excluded.role, assessment_assessors.role)
            """,
            assessors.Select(a => new { id, a.Name, a.Role, now }).ToList(), transaction);
    }

    private static async Task ReplaceTargetsAsync(DbConnection connection, DbTransaction transaction, long id, IReadOnlyDictionary<string, double> targets)
    {
        await connection.ExecuteAsync("DELETE FROM assessment_targets WHERE assessment_id = @id", new { id }, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO assessment_targets (assessment_id, element, target) VALUES (@id, @element, @target)",
            targets.Select(t => new { id, element = t.Key, target = t.Value }).ToList(), transaction);
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private sealed class AssessmentRow
    {
        public const string Columns = "a.id AS Id, a.name AS Name, a.assessed_at AS AssessedAt, a.status AS Status, a.notes AS Notes, a.created_at AS CreatedAt, a.updated_at AS UpdatedAt";

        public long Id { get; set; }

        public string Name { get; set; } = "";

        public long AssessedAt { get; set; }

        public string Status { get; set; } = "";

        public string? Notes { get; set; }

        public long CreatedAt { get; set; }

        public long UpdatedAt { get; set; }

        public long AssessorCount { get; set; }

        public long RatingCount { get; set; }
    }

    private sealed class AssessorRow
    {
        public string Name { get; set; } = "";

        public string? Role { get; set; }
    }

    private sealed class TargetRow
    {
        public string Element { get; set; } = "";

        public double Target { get; set; }
    }

    private sealed class RatingRow
    {
        public string Criterion { get; set; } = "";

        public string Assessor { get; set; } = "";

        public long Rating { get; set; }

        public string? Evidence { get; set; }

        public long RatedAt { get; set; }
    }
}
