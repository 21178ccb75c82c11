using System.Diagnostics;
using OpenCem.Storage;

namespace OpenCem.Customers.Personas;

/// <summary>How long each step of a run took, in milliseconds (for the CLI and the benchmark).</summary>
public sealed record PersonaRunTimings(long ReadFeatures, long Cluster, long SaveAssignments, long Profiles, long Publish);

public sealed record PersonaRunResult(long RunId, PersonaRunRow Run, PersonaRunTimings Timings);

/// <summary>
/// One persona run, start to end: read the features, cluster, store the assignments, read the evidence and build the
/// profiles, then publish (the run becomes current and <c>trait.persona</c> follows it). One run at a time per
/// process: runs read whole workspaces and a second one would only slow the first down.
/// </summary>
public sealed class PersonaRunner(Database database, TimeProvider time)
{
    public const string CustomerSinceTrait = "customerSince";
    public const string FeeTrait = "monthlyFee";
    public const int DefaultSeed = 42;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private readonly PersonaStore _store = new(database);

    public async Task<PersonaRunResult> RunAsync(long ws, int? k, int? seed, bool publish = true, CancellationToken cancellationToken = default)
    {
        var theSeed = seed ?? DefaultSeed;
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var runId = await _store.CreateRunAsync(ws, k, theSeed, now, cancellationToken);
            try
            {
                var watch = Stopwatch.StartNew();
                PersonaFeatureTable table;
                await using (var connection = await database.OpenAsync(cancellationToken))
                {
                    table = await PersonaFeatureReader.ReadAsync(connection, ws, now, CustomerSinceTrait, FeeTrait, cancellationToken);
                }

                var read = watch.ElapsedMilliseconds;
                if (table.Count < Math.Max(2, k ?? PersonaClustering.MinK + 1))
                {
                    await _store.FailAsync(runId, $"Too few customers ({table.Count}) for personas.", now);
                    return new PersonaRunResult(runId, (await _store.RunAsync(ws, runId, CancellationToken.None))!, new PersonaRunTimings(read, 0, 0, 0, 0));
                }

                watch.Restart();
                var clusters = new PersonaClustering(theSeed).Run(table, k);
                var cluster = watch.ElapsedMilliseconds;
                watch.Restart();
                await _store.SaveAssignmentsAsync(runId, table, clusters, cancellationToken);
                var save = watch.ElapsedMilliseconds;
                watch.Restart();
                IReadOnlyList<PersonaEvidence> evidence;
                await using (var connection = await database.OpenAsync(cancellationToken))
                {
                    evidence = await PersonaEvidenceReader.ReadAsync(connection, ws, runId, table, clusters, cancellationToken);
                }

                // The summary names themes as the workspace's taxonomy does, in both languages.
                var taxonomy = (await new Text.Themes.TaxonomyStore(database, time).ListAsync(ws, cancellationToken))
                    .GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Names, StringComparer.Ordinal);
                var profiles = PersonaProfileBuilder.Build(table, clusters, evidence, key => taxonomy.TryGetValue(key, out var names)
                    ? new BilingualText(names.GetValueOrDefault("en") ?? key, names.GetValueOrDefault("de") ?? names.GetValueOrDefault("en") ?? key)
                    : new BilingualText(key, key));
                await _store.SavePersonasAsync(ws, runId, clusters, profiles, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
                var profile = watch.ElapsedMilliseconds;
                watch.Restart();
                if (publish)
                {
                    await _store.PublishAsync(ws, runId, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
                }

                var timings = new PersonaRunTimings(read, cluster, save, profile, watch.ElapsedMilliseconds);
                return new PersonaRunResult(runId, (await _store.RunAsync(ws, runId, cancellationToken))!, timings);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await _store.FailAsync(runId, e.Message, time.GetUtcNow().ToUnixTimeMilliseconds());
                throw;
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
