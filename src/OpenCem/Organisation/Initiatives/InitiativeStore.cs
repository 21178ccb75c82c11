using System.Data.Common;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Organisation.Initiatives;

/// <summary>Initiatives, their phase history, work packages and KPIs (small tables, Dapper, both databases).</summary>
public sealed class InitiativeStore(Database database, TimeProvider time)
{
    public async Task<IReadOnlyList<InitiativeSummary>> ListAsync(long workspaceId, string? phase, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<InitiativeRow>(new CommandDefinition(
            $"SELECT {InitiativeRow.Columns} FROM initiatives WHERE workspace_id = @workspaceId {(phase is null ? "" : "AND phase = @phase")} ORDER BY id",
            new { workspaceId, phase }, cancellationToken: cancellationToken));
        var kpis = await CountsAsync(connection, "initiative_kpis", workspaceId, cancellationToken);
        var packages = await CountsAsync(connection, "initiative_packages", workspaceId, cancellationToken);
        return [.. rows.Select(r => new InitiativeSummary(
            r.Id, r.Name, r.Owner, r.Element, r.Phase, PhaseRow.Time(r.PhaseSince), kpis.GetValueOrDefault(r.Id), packages.GetValueOrDefault(r.Id), PhaseRow.Time(r.UpdatedAt)))];
    }

    public async Task<InitiativeView?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, workspaceId, id);
    }

    /// <summary>Creates the initiative in strategy (since <paramref name="startedAt"/>, default now) with its KPIs and packages, in one transaction.</summary>
    public async Task<InitiativeView> CreateAsync(
        long workspaceId, InitiativeDraft draft, IReadOnlyList<InitiativeKpi> kpis, IReadOnlyList<PackageDraft> packages, string actor,
        DateTimeOffset? startedAt, CancellationToken cancellationToken = default)
    {
        var now = Now();
        var since = startedAt?.ToUnixTimeMilliseconds() ?? now;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO initiatives (workspace_id, name, description, owner, element, phase, phase_since, before_days, lag_days, created_at, updated_at)
            VALUES (@workspaceId, @Name, @Description, @Owner, @Element, @phase, @since, @BeforeDays, @LagDays, @now, @now) RETURNING id
            """,
            new { workspaceId, draft.Name, draft.Description, draft.Owner, draft.Element, phase = InitiativePhases.Strategy, since, draft.BeforeDays, draft.LagDays, now },
            transaction);
        await AddPhaseAsync(connection, transaction, workspaceId, id, null, InitiativePhases.Strategy, since, actor, null);
        foreach (var kpi in kpis)
        {
            await AddKpiAsync(connection, transaction, workspaceId, id, kpi, now);
        }

        foreach (var package in packages)
        {
            await AddPackageAsync(connection, transaction, workspaceId, id, package, now);
        }

        await transaction.CommitAsync(cancellationToken);
        return (await GetAsync(connection, null, workspaceId, id))!;
    }

    public async Task<InitiativeChange> UpdateAsync(long workspaceId, long id, InitiativeDraft draft, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE initiatives SET name = @Name, description = @Description, owner = @Owner, element = @Element, before_days = @BeforeDays,
                lag_days = @LagDays, updated_at = @now
            WHERE workspace_id = @workspaceId AND id = @id
            """,
            new { workspaceId, id, draft.Name, draft.Description, draft.Owner, draft.Element, draft.BeforeDays, draft.LagDays, now = Now() },
            cancellationToken: cancellationToken));
        return changed == 0 ? InitiativeChange.NotFound : new(200, await GetAsync(connection, null, workspaceId, id));
    }

    public async Task<bool> DeleteAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var parameters = new { workspaceId, id };
        foreach (var table in new[] { "initiative_kpis", "initiative_packages", "initiative_phases" })
        {
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE workspace_id = @workspaceId AND initiative_id = @id", parameters, transaction);
        }

        var deleted = await connection.ExecuteAsync("DELETE FROM initiatives WHERE workspace_id = @workspaceId AND id = @id", parameters, transaction);
        await transaction.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    /// <summary>
    /// Moves the initiative to <paramref name="to"/> at <paramref name="at"/> (default now) when the transition table allows it:
    /// 409 with the allowed phases otherwise, 422 for a time before the last move or in the future.
    /// </summary>
    public async Task<InitiativeChange> TransitionAsync(
        long workspaceId, long id, string to, string actor, string? note, DateTimeOffset? at, CancellationToken cancellationToken = default)
    {
        var now = Now();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<InitiativeRow>(
            $"SELECT {InitiativeRow.Columns} FROM initiatives WHERE workspace_id = @workspaceId AND id = @id", new { workspaceId, id }, transaction);
        if (row is null)
        {
            return InitiativeChange.NotFound;
        }

        if (!InitiativePhases.IsAllowed(row.Phase, to))
        {
            var allowed = InitiativePhases.AllowedFrom(row.Phase);
            return new(409, Field: "to", Message: $"An initiative in {row.Phase} cannot move to {to}; allowed: {(allowed.Count == 0 ? "none (final phase)" : string.Join(", ", allowed))}.", Allowed: allowed);
        }

        var when = at?.ToUnixTimeMilliseconds() ?? now;
        if (when < row.PhaseSince || when > now)
        {
            return new(422, Field: "at", Message: $"must be between the last move ({PhaseRow.Time(row.PhaseSince):O}) and now.");
        }

        await connection.ExecuteAsync(
            "UPDATE initiatives SET phase = @to, phase_since = @when, updated_at = @now WHERE workspace_id = @workspaceId AND id = @id",
            new { workspaceId, id, to, when, now }, transaction);
        await AddPhaseAsync(connection, transaction, workspaceId, id, row.Phase, to, when, actor, note);
        await transaction.CommitAsync(cancellationToken);
        return new(200, await GetAsync(connection, null, workspaceId, id));
    }

    public async Task<long?> AddPackageAsync(long workspaceId, long initiativeId, PackageDraft package, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await ExistsAsync(connection, transaction, workspaceId, initiativeId))
        {
            return null;
        }

        var id = await AddPackageAsync(connection, transaction, workspaceId, initiativeId, package, Now());
        await TouchAsync(connection, transaction, workspaceId, initiativeId);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    public async Task<IReadOnlyList<WorkPackage>?> PackagesAsync(long workspaceId, long initiativeId, CancellationToken cancellationToken = default) =>
        await GetAsync(workspaceId, initiativeId, cancellationToken) is { } view ? view.Packages : null;

    public async Task<bool> UpdatePackageAsync(long workspaceId, long initiativeId, long id, PackageDraft package, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE initiative_packages SET name = @Name, status = @Status, due_at = @due, updated_at = @now
            WHERE workspace_id = @workspaceId AND initiative_id = @initiativeId AND id = @id
            """,
            new { workspaceId, initiativeId, id, package.Name, package.Status, due = PackageRow.DueOf(package.Due), now = Now() }, cancellationToken: cancellationToken));
        return changed > 0;
    }

    public async Task<bool> DeletePackageAsync(long workspaceId, long initiativeId, long id, CancellationToken cancellationToken = default) =>
        await DeleteChildAsync("initiative_packages", workspaceId, initiativeId, id, cancellationToken);

    public async Task<long?> AddKpiAsync(long workspaceId, long initiativeId, InitiativeKpi kpi, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await ExistsAsync(connection, transaction, workspaceId, initiativeId))
        {
            return null;
        }

        var id = await AddKpiAsync(connection, transaction, workspaceId, initiativeId, kpi, Now());
        await TouchAsync(connection, transaction, workspaceId, initiativeId);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Replaces the KPI's definition; its baseline stays (recapture it when the scope changed).</summary>
    public async Task<bool> UpdateKpiAsync(long workspaceId, long initiativeId, InitiativeKpi kpi, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE initiative_kpis SET kind = @kind, measure = @measure, survey_id = @survey, question = @question, touchpoints = @touchpoints, team = @team,
                direction = @direction, target = @target, comparison = @comparison, updated_at = @now
            WHERE workspace_id = @workspaceId AND initiative_id = @initiativeId AND id = @id
            """,
            KpiRow.Parameters(workspaceId, initiativeId, kpi, Now()), cancellationToken: cancellationToken));
        return changed > 0;
    }

    public async Task<bool> DeleteKpiAsync(long workspaceId, long initiativeId, long id, CancellationToken cancellationToken = default) =>
        await DeleteChildAsync("initiative_kpis", workspaceId, initiativeId, id, cancellationToken);

    public async Task SetBaselineAsync(long workspaceId, long kpiId, EffectSample? sample, EffectWindow window, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE initiative_kpis SET baseline_value = @value, baseline_n = @n, baseline_from = @from, baseline_to = @to, baseline_at = @now
            WHERE workspace_id = @workspaceId AND id = @kpiId
            """,
            new
            {
                workspaceId,
                kpiId,
                value = sample?.Value,
                n = sample?.N ?? 0,
                from = window.From.ToUnixTimeMilliseconds(),
                to = window.To.ToUnixTimeMilliseconds(),
                now = Now(),
            },
            cancellationToken: cancellationToken));
    }

    private static async Task<InitiativeView?> GetAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, long id)
    {
        var parameters = new { workspaceId, id };
        var row = await connection.QuerySingleOrDefaultAsync<InitiativeRow>(
            $"SELECT {InitiativeRow.Columns} FROM initiatives WHERE workspace_id = @workspaceId AND id = @id", parameters, transaction);
        if (row is null)
        {
            return null;
        }

        var history = (await connection.QueryAsync<PhaseRow>(
            "SELECT initiative_id AS InitiativeId, from_phase AS FromPhase, to_phase AS ToPhase, at AS At, actor AS Actor, note AS Note FROM initiative_phases WHERE workspace_id = @workspaceId AND initiative_id = @id ORDER BY id",
            parameters, transaction)).Select(p => p.ToChange()).ToList();
        var packages = (await connection.QueryAsync<PackageRow>(
            $"SELECT {PackageRow.Columns} FROM initiative_packages WHERE workspace_id = @workspaceId AND initiative_id = @id ORDER BY id", parameters, transaction))
            .Select(p => p.ToPackage()).ToList();
        var kpis = (await connection.QueryAsync<KpiRow>(
            $"SELECT {KpiRow.Columns} FROM initiative_kpis WHERE workspace_id = @workspaceId AND initiative_id = @id ORDER BY id", parameters, transaction))
            .Select(k => k.ToKpi()).ToList();
        return new InitiativeView(
            row.Id, row.Name, row.Description, row.Owner, row.Element, row.Phase, PhaseRow.Time(row.PhaseSince), InitiativePhases.AllowedFrom(row.Phase),
            (int)row.BeforeDays, (int)row.LagDays, InitiativeView.PeriodsOf(history), history, packages, kpis, PhaseRow.Time(row.CreatedAt), PhaseRow.Time(row.UpdatedAt));
    }

    private static Task AddPhaseAsync(DbConnection connection, DbTransaction transaction, long workspaceId, long id, string? from, string to, long at, string actor, string? note) =>
        connection.ExecuteAsync(
            "INSERT INTO initiative_phases (workspace_id, initiative_id, from_phase, to_phase, at, actor, note) VALUES (@workspaceId, @id, @from, @to, @at, @actor, @note)",
            new { workspaceId, id, from, to, at, actor, note }, transaction);

    private static Task<long> AddKpiAsync(DbConnection connection, DbTransaction transaction, long workspaceId, long initiativeId, InitiativeKpi kpi, long now) =>
        connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO initiative_kpis (workspace_id, initiative_id, kind, measure, survey_id, question, touchpoints, team, direction, target, comparison, created_at, updated_at)
            VALUES (@workspaceId, @initiativeId, @kind, @measure, @survey, @question, @touchpoints, @team, @direction, @target, @comparison, @now, @now) RETURNING id
            """,
            KpiRow.Parameters(workspaceId, initiativeId, kpi, now), transaction);

    private static Task<long> AddPackageAsync(DbConnection connection, DbTransaction transaction, long workspaceId, long initiativeId, PackageDraft package, long now) =>
        connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO initiative_packages (workspace_id, initiative_id, name, status, due_at, created_at, updated_at)
            VALUES (@workspaceId, @initiativeId, @Name, @Status, @due, @now, @now) RETURNING id
            """,
            new { workspaceId, initiativeId, package.Name, package.Status, due = PackageRow.DueOf(package.Due), now }, transaction);

    private static async Task<bool> ExistsAsync(DbConnection connection, DbTransaction transaction, long workspaceId, long id) =>
        await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM initiatives WHERE workspace_id = @workspaceId AND id = @id", new { workspaceId, id }, transaction) > 0;

    private Task TouchAsync(DbConnection connection, DbTransaction transaction, long workspaceId, long id) =>
        connection.ExecuteAsync("UPDATE initiatives SET updated_at = @now WHERE workspace_id = @workspaceId AND id = @id", new { workspaceId, id, now = Now() }, transaction);

    private async Task<bool> DeleteChildAsync(string table, long workspaceId, long initiativeId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM {table} WHERE workspace_id = @workspaceId AND initiative_id = @initiativeId AND id = @id", new { workspaceId, initiativeId, id },
            cancellationToken: cancellationToken)) > 0;
    }

    private static async Task<Dictionary<long, int>> CountsAsync(DbConnection connection, string table, long workspaceId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(long Id, long Count)>(new CommandDefinition(
            $"SELECT initiative_id, count(*) FROM {table} WHERE workspace_id = @workspaceId GROUP BY initiative_id", new { workspaceId }, cancellationToken: cancellationToken)))
        .ToDictionary(r => r.Id, r => (int)r.Count);

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
