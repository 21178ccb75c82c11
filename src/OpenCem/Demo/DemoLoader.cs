using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCem.Analytics.Journeys;
using OpenCem.Analytics.Ladder;
using OpenCem.Customers;
using OpenCem.Interactions;
using OpenCem.Interactions.Ingestion;
using OpenCem.Storage;
using OpenCem.Text.Pipeline;
using OpenCem.Workspaces;

namespace OpenCem.Demo;

/// <summary>What a demo database was generated with; stored in the workspace so a rerun can tell.</summary>
public sealed record DemoMarker(int Customers, int Seed, DateTimeOffset AsOf, bool Complete = true);

public sealed record DemoLoadResult(long Customers, long Interactions, TimeSpan Elapsed, long Responses = 0, long Signals = 0);

/// <summary>
/// Stores the demo company through the same writer that tracking requests use, so the demo exercises the
/// real ingestion path. Generation and storage run in parallel, one core each. Then the source systems' records,
/// and what the customers said: surveys, invitations, responses and signals (<see cref="DemoFeedbackLoader"/>), analysed
/// by <see cref="TextBackfill"/>.
/// </summary>
public sealed class DemoLoader(Database database, TimeProvider time)
{
    public const string MarkerSetting = "demo";
    private const int BatchSize = 5_000;

    public async Task<DemoMarker?> ReadMarkerAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        var text = await new WorkspaceStore(database).GetSettingAsync(workspaceId, MarkerSetting, cancellationToken);
        return text is null ? null : JsonSerializer.Deserialize<DemoMarker>(text);
    }

    /// <param name="workspaceId">The workspace to fill.</param>
    /// <param name="options">Size, seed and end date of the demo.</param>
    /// <param name="progress">Told the number of customers stored so far.</param>
    /// <param name="cancellationToken">Stops the load between batches.</param>
    public async Task<DemoLoadResult> LoadAsync(long workspaceId, DemoOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var catalogue = new CatalogueStore(database, time);
        foreach (var journey in DemoCompany.Journeys)
        {
            await catalogue.SaveJourneyAsync(workspaceId, journey, cancellationToken);
        }

        foreach (var touchpoint in DemoCompany.Touchpoints)
        {
            await catalogue.SaveTouchpointAsync(workspaceId, touchpoint, cancellationToken);
        }

        var settings = new WorkspaceStore(database);
        var loading = new DemoMarker(options.Customers, options.Seed, options.ResolveAsOf(), Complete: false);
        await settings.SetSettingAsync(workspaceId, MarkerSetting, JsonSerializer.Serialize(loading), cancellationToken);
        var cache = new CatalogueCache(catalogue, time);
        await cache.RefreshAsync([workspaceId], cancellationToken);
        var batches = Channel.CreateBounded<List<IngestionItem>>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var people = new List<DemoCustomerProfile>(options.Customers);
        var feedback = new List<DemoCustomerFeedback>(options.Customers);
        var producer = Task.Run(
            () => ProduceAsync(batches.Writer, workspaceId, options, (person, said) => { people.Add(person); feedback.Add(said); }, cancellationToken),
            cancellationToken);

        long interactions = 0, customers = 0;
        var cancellations = new List<(string UserId, long At)>();
        await using (var writer = InteractionWriter.Create(database, cache.Get, time, bulkLoad: true))
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                var outcome = await writer.WriteAsync(batch, cancellationToken);
                DemoCaseLoader.CollectCancellations(batch, cancellations);
                interactions += outcome.Stored;
                customers += outcome.CustomersCreated;
                progress?.Report((int)customers);
            }
        }

        await producer;
        await LoadSourcesAsync(workspaceId, options, people, cancellationToken);
        await DemoPurchases.LoadAsync(database, time, workspaceId, options, cancellationToken);
        var (responses, signals) = await new DemoFeedbackLoader(database, time).LoadAsync(workspaceId, options, feedback, cache.Get(workspaceId), cancellationToken);
        // The demo's comments and signals arrive analysed, with the theme rollup and suggestions a newcomer looks at first.
        await new TextBackfill(database, time).RunAsync(workspaceId, TextItemKind.All, force: false, settled: _ => long.MaxValue, cancellationToken: cancellationToken);
        await DemoBrand.LoadAsync(database, time, workspaceId, cancellationToken);
        await new DemoCaseLoader(database, time).LoadAsync(workspaceId, options, cancellations, cancellationToken);
        await ProjectAnalyticsAsync(catalogue, cancellationToken);
        await DemoRules.CreateAsync(database, time, workspaceId, cancellationToken);
        await DemoValue.FitAsync(database, time, workspaceId, options, cancellationToken);
        await DemoAssessments.CreateAsync(database, time, workspaceId, options, cancellationToken);
        await DemoInitiatives.LoadAsync(database, workspaceId, options, cancellationToken);
        await DemoIdeas.LoadAsync(database, time, workspaceId, options, cancellationToken);
        if (database.Kind == DatabaseKind.Sqlite)
        {
            // The load skipped fsyncs; one checkpoint makes all of it durable before the marker says "loaded".
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync(cancellationToken);
        }

        await settings.SetSettingAsync(workspaceId, MarkerSetting, JsonSerializer.Serialize(loading with { Complete = true }), cancellationToken);
        return new DemoLoadResult(customers, interactions, time.GetElapsedTime(started), responses, signals);
    }

    /// <summary>Journey instances and the loyalty ladder, computed once the demo is in (the load is the only writer: nothing to settle).</summary>
    private async Task ProjectAnalyticsAsync(CatalogueStore catalogue, CancellationToken cancellationToken)
    {
        using var journeys = new JourneyProjector(database, catalogue, new JourneyOptions { Settle = TimeSpan.Zero }, time, NullLogger<JourneyProjector>.Instance);
        await journeys.RunOnceAsync(cancellationToken);
        using var ladder = new LadderProjector(database, new LadderRulesStore(database), time, NullLogger<LadderProjector>.Instance);
        await ladder.RunOnceAsync(force: true, cancellationToken);
    }

    /// <summary>The CRM, billing and web-shop exports, imported as a user imports them, resolved into the profiles.</summary>
    private async Task LoadSourcesAsync(long workspaceId, DemoOptions options, List<DemoCustomerProfile> customers, CancellationToken cancellationToken)
    {
        var identity = new IdentityService(database, time);
        var reader = new SourceRecordReader(await identity.GetSettingsAsync(workspaceId, cancellationToken));
        foreach (var (source, rows) in DemoSources.Records(options, customers))
        {
            var records = new List<IncomingRecord>(rows.Count);
            foreach (var row in rows)
            {
                var (record, error) = reader.Read(source, row);
                records.Add(new IncomingRecord(record ?? throw new InvalidOperationException($"Demo record {row["id"]} of {source}: {error}"), records.Count + 1));
            }

            await identity.UpsertAsync(workspaceId, records, cancellationToken);
        }
    }

    private static async Task ProduceAsync(
        ChannelWriter<List<IngestionItem>> writer, long workspaceId, DemoOptions options, Action<DemoCustomerProfile, DemoCustomerFeedback> onCustomer,
        CancellationToken cancellationToken)
    {
        try
        {
            var batch = new List<IngestionItem>(BatchSize);
            foreach (var trackingEvent in DemoCompany.Generate(options, onCustomer))
            {
                batch.Add(new IngestionItem(workspaceId, trackingEvent));
                if (batch.Count == BatchSize)
                {
                    await writer.WriteAsync(batch, cancellationToken);
                    batch = new List<IngestionItem>(BatchSize);
                }
            }

            if (batch.Count > 0)
            {
                await writer.WriteAsync(batch, cancellationToken);
            }

            writer.Complete();
        }
        catch (Exception exception)
        {
            writer.Complete(exception);
        }
    }
}
