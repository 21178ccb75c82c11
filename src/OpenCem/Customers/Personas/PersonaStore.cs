using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenCem.Analytics.Metrics;
using OpenCem.Storage;

namespace OpenCem.Customers.Personas;

public static class PersonaRunStatus
{
    public const string Running = "running";
    public const string Ready = "ready";
    public const string Failed = "failed";
}

/// <summary>A stored run: its status, k, seed, how many customers it clustered, silhouette and when it was published.</summary>
public sealed class PersonaRunRow
{
    public long Id { get; set; }

    public string Status { get; set; } = "";

    public int? K { get; set; }

    public int Seed { get; set; }

    public long Customers { get; set; }

    public double? Silhouette { get; set; }

    public string? Error { get; set; }

    public long CreatedAt { get; set; }

    public long? FinishedAt { get; set; }

    public long? PublishedAt { get; set; }
}

public sealed class PersonaRow
{
    public long Id { get; set; }

    public long RunId { get; set; }

    public int Number { get; set; }

    public long Size { get; set; }

    public string Profile { get; set; } = "";
}

/// <summary>
/// Runs, personas and assignments. Publishing a run makes it current: each assigned customer gets the trait
/// <c>persona</c> (= the persona's key, p1 the largest), customers the run did not cover lose it, <c>persona</c> joins the
/// metrics traits and the rollups are recounted, so <c>trait.persona</c> filters metrics, drivers and journeys alike.
/// </summary>
public sealed class PersonaStore(Database database)
{
    public const string Trait = "persona";
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private const int Chunk = 50_000;

    public async Task<long> CreateRunAsync(long ws, int? k, int seed, long now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO persona_runs (workspace_id, status, k, seed, customers, created_at) VALUES (@ws, @status, @k, @seed, 0, @now) RETURNING id
            """, new { ws, status = PersonaRunStatus.Running, k, seed, now });
    }

    public async Task FailAsync(long runId, string error, long now)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("UPDATE persona_runs SET status = @status, error = @error, finished_at = @now WHERE id = @runId",
            new { status = PersonaRunStatus.Failed, error, now, runId });
    }

    /// <summary>Stores every customer's persona (number 1..k) and distance to its centre, in chunks.</summary>
    public async Task SaveAssignmentsAsync(long runId, PersonaFeatureTable table, PersonaClusters clusters, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (connection is Npgsql.NpgsqlConnection)
        {
            for (var from = 0; from < table.Count; from += Chunk)
            {
                var n = Math.Min(Chunk, table.Count - from);
                await connection.ExecuteAsync(
                    "INSERT INTO persona_assignments (run_id, customer_id, number, distance) SELECT @runId, * FROM unnest(@ids, @numbers, @distances)",
                    new
                    {
                        runId,
                        ids = table.Customers.AsSpan(from, n).ToArray(),
                        numbers = clusters.Assignment.AsSpan(from, n).ToArray().Select(a => a + 1).ToArray(),
                        distances = clusters.Distance.AsSpan(from, n).ToArray().Select(d => (double)d).ToArray(),
                    }, transaction);
            }
        }
        else
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO persona_assignments (run_id, customer_id, number, distance) VALUES ($run, $customer, $number, $distance)";
            var run = Parameter(command, "$run");
            var customer = Parameter(command, "$customer");
            var number = Parameter(command, "$number");
            var distance = Parameter(command, "$distance");
            run.Value = runId;
            for (var r = 0; r < table.Count; r++)
            {
                customer.Value = table.Customers[r];
                number.Value = clusters.Assignment[r] + 1;
                distance.Value = (double)clusters.Distance[r];
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task SavePersonasAsync(long ws, long runId, PersonaClusters clusters, IReadOnlyList<PersonaProfile> profiles, long now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var profile in profiles)
        {
            await connection.ExecuteAsync(
                "INSERT INTO personas (workspace_id, run_id, number, size, profile) VALUES (@ws, @runId, @Number, @Size, @profile)",
                new { ws, runId, profile.Number, profile.Size, profile = JsonSerializer.Serialize(profile, Json) }, transaction);
        }

        await connection.ExecuteAsync(
            "UPDATE persona_runs SET status = @status, k = @k, customers = @customers, silhouette = @silhouette, scaling = @scaling, finished_at = @now WHERE id = @runId",
            new
            {
                status = PersonaRunStatus.Ready,
                k = clusters.K,
                customers = (long)clusters.Assignment.Length,
                silhouette = clusters.Silhouette,
                scaling = JsonSerializer.Serialize(new { clusters.Scaling.Names, clusters.Scaling.Means, clusters.Scaling.Sds, clusters.Scaling.Weights, clusters.Candidates }, Json),
                now,
                runId,
            }, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Makes a ready run current (see the class summary); returns the number of responses the metrics rollups recounted.
    /// Only customers whose persona changes are written, and while <c>persona</c> is already a metrics trait only their
    /// responses move between rollup cells (<see cref="MetricRollup.MoveCustomersAsync"/>), in the transaction that
    /// changes their traits. The first publish adds the trait to the metrics settings and recounts everything, as does a
    /// publish that finds the rollups drifted from the responses, or where more than <see cref="MoveShare"/> of the
    /// customers change persona (moving folds their responses twice, so a recount is cheaper then).
    /// </summary>
    public async Task<long> PublishAsync(long ws, long runId, long now, CancellationToken cancellationToken = default)
    {
        var settingsStore = new MetricsSettingsStore(database);
        var settings = await settingsStore.GetAsync(ws, cancellationToken);
        if (settings.Traits.Contains(Trait))
        {
            try
            {
                return await WriteTraitsAsync(ws, runId, now, moveRollups: true, cancellationToken) ?? await MetricRollup.RebuildAsync(database, ws, cancellationToken);
            }
            catch (RollupDriftException)
            {
                // Rolled back: the traits are written again below and everything is recounted.
            }
        }

        await WriteTraitsAsync(ws, runId, now, moveRollups: false, cancellationToken);
        if (!settings.Traits.Contains(Trait))
        {
            if (settings.Traits.Count >= MetricsSettings.MaxTraits)
            {
                return 0; // not a metrics dimension: no rollup cell depends on it
            }

            await settingsStore.SaveAsync(ws, settings with { Traits = [.. settings.Traits, Trait] }, cancellationToken);
        }

        return await MetricRollup.RebuildAsync(database, ws, cancellationToken);
    }

    /// <summary>Above this share of the workspace's customers changing persona, publishing recounts the rollups instead of moving cells.</summary>
    internal double MoveShare { get; init; } = 1 / 3.0;

    /// <returns>The responses moved, or null when the rollups were not moved and need a recount.</returns>
    private async Task<long?> WriteTraitsAsync(long ws, long runId, long now, bool moveRollups, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await IdentityService.LockAsync(connection, transaction, database.Kind, ws, shared: false);
        var changed = await PersonaTraits.ChangedAsync(connection, transaction, ws, runId);
        Task Write(long[] ids) => PersonaTraits.WriteAsync(connection, transaction, ws, runId, now, ids);
        long? moved = null;
        if (moveRollups && changed.Length <= MoveShare * await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM customers WHERE workspace_id = @ws", new { ws }, transaction))
        {
            moved = await MetricRollup.MoveCustomersAsync(connection, transaction, ws, changed, Write);
        }
        else
        {
            foreach (var chunk in changed.Chunk(Chunk))
            {
                await Write(chunk);
            }
        }

        await connection.ExecuteAsync("UPDATE persona_runs SET published_at = @now WHERE id = @runId", new { now, runId }, transaction);
        if (changed.Length > 0)
        {
            // Results remembered per traits version (trait-filtered journeys, a persona's scenario) must see the new personas.
            await DataVersions.BumpAsync(connection, transaction, ws, DataVersions.Traits);
        }

        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    public async Task<PersonaRunRow?> RunAsync(long ws, long runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PersonaRunRow>($"{RunColumns} WHERE workspace_id = @ws AND id = @runId", new { ws, runId });
    }

    /// <summary>The current run: the latest published one.</summary>
    public async Task<PersonaRunRow?> CurrentRunAsync(long ws, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<PersonaRunRow>(
            $"{RunColumns} WHERE workspace_id = @ws AND published_at IS NOT NULL ORDER BY published_at DESC, id DESC LIMIT 1", new { ws });
    }

    public async Task<IReadOnlyList<PersonaRow>> PersonasAsync(long ws, long runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<PersonaRow>(
            "SELECT id AS Id, run_id AS RunId, number AS Number, size AS Size, profile AS Profile FROM personas WHERE workspace_id = @ws AND run_id = @runId ORDER BY number",
            new { ws, runId })).ToList();
    }

    public async Task<PersonaRow?> PersonaAsync(long ws, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PersonaRow>(
            "SELECT id AS Id, run_id AS RunId, number AS Number, size AS Size, profile AS Profile FROM personas WHERE workspace_id = @ws AND id = @id", new { ws, id });
    }

    private const string RunColumns =
        """
        SELECT id AS Id, status AS Status, k AS K, seed AS Seed, customers AS Customers, silhouette AS Silhouette, error AS Error,
            created_at AS CreatedAt, finished_at AS FinishedAt, published_at AS PublishedAt FROM persona_runs
        """;

    private static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
