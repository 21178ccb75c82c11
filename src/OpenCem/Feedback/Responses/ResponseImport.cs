using System.Data.Common;
using System.Diagnostics;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using OpenCem.Analytics.Metrics;
using OpenCem.Customers;
using OpenCem.Feedback.Metrics;
using OpenCem.Feedback.Surveys;
using OpenCem.Interactions;
using OpenCem.Storage;

namespace OpenCem.Feedback.Responses;

/// <summary>
/// What an import did: rows read, responses stored, responses whose responseId was stored before, rows rejected
/// (with line and reason), anonymous responses, existing profiles that got responses, and profiles created for
/// respondents nobody knew.
/// </summary>
public sealed record ResponseImportResult(
    long Read, long Stored, long Duplicates, long Rejected, IReadOnlyList<RecordRejection> Rejections, long Anonymous, long RespondentsLinked, long ProfilesCreated)
{
    /// <summary>Where the time went (reading and validating overlaps with storing), for OPENCEM_TIMINGS.</summary>
    [JsonIgnore]
    public IReadOnlyList<(string Phase, TimeSpan Elapsed)> Phases { get; init; } = [];
}

/// <summary>
/// Stores the responses of an import file (<see cref="ResponseFile"/>) into a survey, the same for the CLI and the
/// API. One task reads and validates the file while this one stores each block of rows as it comes: respondents
/// are looked up in bulk (<see cref="RespondentMap"/>); when a block has respondents nobody knows, they get profiles
/// in one <see cref="IdentityService.UpsertAsync"/> (source <c>surveys</c>); the rows go in by the provider's bulk
/// path (<see cref="ResponseBulkInsert"/>) inside a transaction that holds the workspace's identity lock shared, and
/// their rollups (<c>survey_daily</c>, <c>survey_stats</c>) are added in that transaction before it commits, every
/// <see cref="ChunkSize"/> rows (and before profiles are created). A responseId stored before is a duplicate, not an
/// error. An import stopped half-way keeps what it committed; run again, it skips the responseIds already stored.
/// </summary>
public sealed class ResponseImport(Database database, IdentityService identity, RespondentLookup lookup, CatalogueStore catalogue, TimeProvider time)
{
    public const int DefaultChunkSize = 50_000;

    /// <summary>Rows per transaction at most; small values let tests cover several.</summary>
    internal int ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>The workspace's identity rules and touchpoints for reading a file into this survey.</summary>
    public async Task<ImportSetup> SetupAsync(StoredSurvey survey, CancellationToken cancellationToken = default) => new(
        survey,
        await identity.GetSettingsAsync(survey.WorkspaceId, cancellationToken),
        await catalogue.ListTouchpointsAsync(survey.WorkspaceId, cancellationToken),
        time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <param name="stored">Called after each commit with the responses stored so far.</param>
    public async Task<ResponseImportResult> ImportAsync(ResponseFile file, ImportSetup setup, Action<long>? stored = null, CancellationToken cancellationToken = default)
    {
        await using var run = new Run(setup.Survey.WorkspaceId, setup.Survey.Id, stored);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var blocks = Channel.CreateBounded<IReadOnlyList<ImportRow>>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var started = Stopwatch.GetTimestamp();
        var readingTime = TimeSpan.Zero;
        var reading = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var block in file.ReadBlocks())
                    {
                        await blocks.Writer.WriteAsync(block, stop.Token);
                    }

                    readingTime = Stopwatch.GetElapsedTime(started);
                    blocks.Writer.Complete();
                }
                catch (Exception exception)
                {
                    blocks.Writer.Complete(exception);
                }
            },
            CancellationToken.None);

        try
        {
            await foreach (var block in blocks.Reader.ReadAllAsync(stop.Token))
            {
                await StoreAsync(run, block, stop.Token);
            }

            await CommitAsync(run, stop.Token);
        }
        finally
        {
            await stop.CancelAsync();
            await reading;
        }

        var rejections = file.Rejections.Concat(run.Rejections).OrderBy(r => r.Line).ToList();
        return new ResponseImportResult(
            file.Rows, run.Stored, run.Duplicates, rejections.Count, rejections, run.Anonymous, run.Linked.Count(p => !run.Created.Contains(p)), run.ProfilesCreated)
        {
            Phases =
            [
                ("read and validate (overlapping)", readingTime),
                ("look up respondents", run.Lookup),
                ("create profiles", run.Profiles),
                ("insert", run.Insert),
                ("roll up and commit", run.Commit),
                ("all", Stopwatch.GetElapsedTime(started)),
            ],
        };
    }

    /// <summary>Stores a block of rows in the open transaction (a responseId stored before, in this file too, is found by the insert).</summary>
    private async Task StoreAsync(Run run, IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken)
    {
        var mark = Stopwatch.GetTimestamp();
        await OpenAsync(run, cancellationToken);
        await run.Respondents.ResolveAsync(run.Connection!, run.Transaction, rows);
        run.Lookup += Stopwatch.GetElapsedTime(mark);
        var unknown = rows.Select(r => r.Item).Where(i => i.CustomerId is null && i.Respondent.Identifiers.Count > 0).Select(i => i.Respondent).ToList();
        if (unknown.Count > 0)
        {
            // Identity resolution takes the workspace's identity lock (SQLite: the write lock): what is open commits first.
            await CommitAsync(run, cancellationToken);
            mark = Stopwatch.GetTimestamp();
            var outcome = await lookup.CreateProfilesAsync(run.WorkspaceId, unknown, cancellationToken);
            run.ProfilesCreated += outcome?.ProfilesCreated ?? 0;
            run.Respondents.Created(unknown.SelectMany(r => r.Identifiers), outcome);
            foreach (var respondent in unknown)
            {
                run.NewRespondents.Add(respondent.Identifiers[0]);
            }

            run.Profiles += Stopwatch.GetElapsedTime(mark);
            mark = Stopwatch.GetTimestamp();
            await OpenAsync(run, cancellationToken);
            await run.Respondents.ResolveAsync(run.Connection!, run.Transaction, rows);
            run.Lookup += Stopwatch.GetElapsedTime(mark);
        }

        mark = Stopwatch.GetTimestamp();
        var items = new List<ResponseItem>(rows.Count);
        foreach (var (line, item) in rows)
        {
            if (item.CustomerId is null && item.Respondent.CustomerId is { } id && item.Respondent.Identifiers.Count == 0)
            {
                run.Rejections.Add(new RecordRejection(line, item.ExternalId, $"customerId: {id} is not a profile of this workspace"));
                continue;
            }

            items.Add(item);
        }

        if (database.Kind == DatabaseKind.Postgres)
        {
            run.ResponseIds ??= await ResponseIdLedger.ForSurveyAsync(run.Connection!, run.WorkspaceId, run.SurveyId, cancellationToken);
        }

        var inserted = await ResponseBulkInsert.InsertAsync(
            run.Connection!, run.Transaction!, items, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken, run.ResponseIds);
        for (var i = 0; i < items.Count; i++)
        {
            if (inserted[i])
            {
                run.Add(items[i]);
            }
            else
            {
                run.Pending.Duplicates++;
            }
        }

        run.Insert += Stopwatch.GetElapsedTime(mark);
        if (run.Pending.Rows >= ChunkSize)
        {
            await CommitAsync(run, cancellationToken);
        }
    }

    /// <summary>
    /// Opens the transaction the rows go into, unless one is open: it holds the workspace's identity lock shared
    /// (with ingestion and responses; identity resolution takes it exclusively), so no profile moves under our feet.
    /// </summary>
    private async Task OpenAsync(Run run, CancellationToken cancellationToken)
    {
        if (run.Transaction is not null)
        {
            return;
        }

        run.Connection = await database.OpenAsync(cancellationToken);
        run.Transaction = await run.Connection.BeginTransactionAsync(cancellationToken);
        await IdentityService.LockAsync(run.Connection, run.Transaction, database.Kind, run.WorkspaceId, shared: true);
    }

    /// <summary>Adds the rollups of the rows stored since the last commit, and commits.</summary>
    private static async Task CommitAsync(Run run, CancellationToken cancellationToken)
    {
        if (run.Transaction is null)
        {
            return;
        }

        var mark = Stopwatch.GetTimestamp();
        var pending = run.Pending;
        await SurveyRollup.AddAsync(run.Connection!, run.Transaction, pending.Deltas);
        await MetricRollup.AddAsync(run.Connection!, run.Transaction, pending.Items);
        await SurveyRollup.CountAsync(run.Connection!, run.Transaction, [(run.WorkspaceId, run.SurveyId, SurveyStats.Completed, pending.Stored)]);
        await run.Transaction.CommitAsync(cancellationToken);
        await run.CloseAsync();
        run.Stored += pending.Stored;
        run.Duplicates += pending.Duplicates;
        run.Anonymous += pending.Anonymous;
        run.Linked.UnionWith(pending.Linked);
        run.Created.UnionWith(pending.Created);
        run.Pending = new Uncommitted();
        run.Commit += Stopwatch.GetElapsedTime(mark);
        run.OnCommit?.Invoke(run.Stored);
    }

    /// <summary>What the open transaction holds, counted once it commits.</summary>
    private sealed class Uncommitted
    {
        public Dictionary<SurveyDay, (long Responses, ScoreTally Tally)> Deltas { get; } = [];

        /// <summary>The stored rows, for the metrics rollup at commit.</summary>
        public List<ResponseItem> Items { get; } = [];

        public long Rows => Stored + Duplicates;

        public long Stored { get; set; }

        public long Duplicates { get; set; }

        public long Anonymous { get; set; }

        public HashSet<long> Linked { get; } = [];

        public HashSet<long> Created { get; } = [];
    }

    /// <summary>The state of one import: its open transaction, the respondents known so far, and the counts.</summary>
    private sealed class Run(long workspaceId, long surveyId, Action<long>? onCommit) : IAsyncDisposable
    {
        public long WorkspaceId { get; } = workspaceId;

        public long SurveyId { get; } = surveyId;

        public Action<long>? OnCommit { get; } = onCommit;

        public RespondentMap Respondents { get; } = new(workspaceId);

        public DbConnection? Connection { get; set; }

        public DbTransaction? Transaction { get; set; }

        public Uncommitted Pending { get; set; } = new();

        /// <summary>PostgreSQL: the responseIds this import wrote, and whether the survey held any before.</summary>
        public ResponseIdLedger? ResponseIds { get; set; }

        /// <summary>The first identifier of each respondent this import created a profile for.</summary>
        public HashSet<Identifier> NewRespondents { get; } = [];

        public HashSet<long> Linked { get; } = [];

        public HashSet<long> Created { get; } = [];

        public List<RecordRejection> Rejections { get; } = [];

        public long Stored { get; set; }

        public long Duplicates { get; set; }

        public long Anonymous { get; set; }

        public long ProfilesCreated { get; set; }

        public TimeSpan Lookup { get; set; }

        public TimeSpan Profiles { get; set; }

        public TimeSpan Insert { get; set; }

        public TimeSpan Commit { get; set; }

        /// <summary>A stored row: into the pending rollup deltas and counts.</summary>
        public void Add(ResponseItem item)
        {
            var pending = Pending;
            pending.Stored++;
            SurveyRollup.Fold(pending.Deltas, item);
            pending.Items.Add(item);
            if (item.CustomerId is not { } customer)
            {
                pending.Anonymous += item.Respondent.IsAnonymous ? 1 : 0;
            }
            else if (item.Respondent.Identifiers.Count > 0 && NewRespondents.Contains(item.Respondent.Identifiers[0]))
            {
                pending.Created.Add(customer);
            }
            else
            {
                pending.Linked.Add(customer);
            }
        }

        public async Task CloseAsync()
        {
            if (Transaction is not null)
            {
                await Transaction.DisposeAsync();
                Transaction = null;
            }

            if (Connection is not null)
            {
                await Connection.DisposeAsync();
                Connection = null;
            }
        }

        public async ValueTask DisposeAsync() => await CloseAsync();
    }
}
