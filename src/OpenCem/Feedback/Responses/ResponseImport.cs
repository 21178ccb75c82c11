using System.Diagnostics;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Npgsql;
using OpenCem.Customers;
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
/// API. The file is read and validated on one side while chunks of rows are stored on the other. Each chunk:
/// respondents are looked up in bulk (<see cref="RespondentMap"/>); those nobody knows get profiles in one
/// <see cref="IdentityService.UpsertAsync"/> (source <c>surveys</c>); then, in one transaction holding the
/// workspace's identity lock shared, the respondents are looked up again if profiles changed meanwhile, the rows
/// go in by the provider's bulk path (<see cref="ResponseBulkInsert"/>) and the rollups
/// (<c>survey_daily</c>, <c>survey_stats</c>) take the new ones. A responseId stored before is a duplicate, not an
/// error. A chunk is committed whole or not at all; an import stopped half-way keeps the chunks it committed,
/// and running it again with responseIds stores only the rest.
/// </summary>
public sealed class ResponseImport(Database database, IdentityService identity, RespondentLookup lookup, CatalogueStore catalogue, TimeProvider time)
{
    public const int DefaultChunkSize = 50_000;

    /// <summary>Rows per transaction; small values let tests cover several chunks.</summary>
    internal int ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>The workspace's identity rules and touchpoints for reading a file into this survey.</summary>
    public async Task<ImportSetup> SetupAsync(StoredSurvey survey, CancellationToken cancellationToken = default) => new(
        survey,
        await identity.GetSettingsAsync(survey.WorkspaceId, cancellationToken),
        await catalogue.ListTouchpointsAsync(survey.WorkspaceId, cancellationToken),
        time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <param name="stored">Called after each committed chunk with the responses stored so far.</param>
    public async Task<ResponseImportResult> ImportAsync(ResponseFile file, ImportSetup setup, Action<long>? stored = null, CancellationToken cancellationToken = default)
    {
        var run = new Run(setup.Survey.WorkspaceId);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var blocks = Channel.CreateBounded<IReadOnlyList<ImportRow>>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
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
            var chunk = new List<ImportRow>(ChunkSize);
            await foreach (var block in blocks.Reader.ReadAllAsync(stop.Token))
            {
                foreach (var row in block)
                {
                    chunk.Add(row);
                    if (chunk.Count == ChunkSize)
                    {
                        await StoreAsync(run, chunk, stop.Token);
                        chunk.Clear();
                        stored?.Invoke(run.Stored);
                    }
                }
            }

            if (chunk.Count > 0)
            {
                await StoreAsync(run, chunk, stop.Token);
                stored?.Invoke(run.Stored);
            }
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
                ("insert and roll up", run.Insert),
                ("commit", run.Commit),
                ("all", Stopwatch.GetElapsedTime(started)),
            ],
        };
    }

    private async Task StoreAsync(Run run, List<ImportRow> chunk, CancellationToken cancellationToken)
    {
        // A responseId met earlier in this file: the first one counts.
        var rows = new List<ImportRow>(chunk.Count);
        foreach (var row in chunk)
        {
            if (row.Item.ExternalId is { } external && !run.ResponseIds.Add(external))
            {
                run.Duplicates++;
            }
            else
            {
                rows.Add(row);
            }
        }

        var mark = Stopwatch.GetTimestamp();
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await run.Respondents.RefreshAsync(connection, null, rows);
        }

        run.Lookup += Stopwatch.GetElapsedTime(mark);
        var unknown = rows.Select(r => r.Item.Respondent).Where(r => r.Identifiers.Count > 0 && run.Respondents.Find(r) is null).ToList();
        if (unknown.Count > 0)
        {
            mark = Stopwatch.GetTimestamp();
            run.ProfilesCreated += await lookup.CreateProfilesAsync(run.WorkspaceId, unknown, cancellationToken);
            foreach (var respondent in unknown)
            {
                run.NewRespondents.Add(respondent.Identifiers[0]);
            }

            run.Profiles += Stopwatch.GetElapsedTime(mark);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StoreInTransactionAsync(run, rows, cancellationToken);
                return;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation && attempt == 1)
            {
                // Someone stored one of these responseIds between our check and our COPY: the next check sees it.
            }
        }
    }

    private async Task StoreInTransactionAsync(Run run, List<ImportRow> rows, CancellationToken cancellationToken)
    {
        var mark = Stopwatch.GetTimestamp();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Shared with ingestion and responses, exclusive for identity resolution: no profile moves under our feet.
        await IdentityService.LockAsync(connection, transaction, database.Kind, run.WorkspaceId, shared: true);
        await run.Respondents.RefreshAsync(connection, transaction, rows);
        run.Lookup += Stopwatch.GetElapsedTime(mark);

        mark = Stopwatch.GetTimestamp();
        var items = new List<ResponseItem>(rows.Count);
        var rejected = new List<RecordRejection>();
        foreach (var (line, item) in rows)
        {
            var respondent = item.Respondent;
            item.CustomerId = respondent.IsAnonymous ? null : run.Respondents.Find(respondent);
            if (item.CustomerId is null && respondent.CustomerId is { } id && respondent.Identifiers.Count == 0)
            {
                rejected.Add(new RecordRejection(line, item.ExternalId, $"customerId: {id} is not a profile of this workspace"));
                continue;
            }

            items.Add(item);
        }

        var stored = await ResponseBulkInsert.InsertAsync(connection, transaction, items, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        var fresh = items.Where((_, i) => stored[i]).ToList();
        await SurveyRollup.AddAsync(connection, transaction, SurveyRollup.Deltas(fresh));
        await SurveyRollup.CountAsync(connection, transaction, fresh.Count == 0 ? [] : [(run.WorkspaceId, fresh[0].SurveyId, SurveyStats.Completed, fresh.Count)]);
        run.Insert += Stopwatch.GetElapsedTime(mark);

        mark = Stopwatch.GetTimestamp();
        await transaction.CommitAsync(cancellationToken);
        run.Commit += Stopwatch.GetElapsedTime(mark);

        run.Rejections.AddRange(rejected);
        run.Stored += fresh.Count;
        run.Duplicates += items.Count - fresh.Count;
        foreach (var item in fresh)
        {
            if (item.CustomerId is not { } customer)
            {
                run.Anonymous += item.Respondent.IsAnonymous ? 1 : 0;
            }
            else if (item.Respondent.Identifiers.Count > 0 && run.NewRespondents.Contains(item.Respondent.Identifiers[0]))
            {
                run.Created.Add(customer);
            }
            else
            {
                run.Linked.Add(customer);
            }
        }
    }

    /// <summary>The state of one import across its chunks.</summary>
    private sealed class Run(long workspaceId)
    {
        public long WorkspaceId { get; } = workspaceId;

        public RespondentMap Respondents { get; } = new(workspaceId);

        public HashSet<string> ResponseIds { get; } = new(StringComparer.Ordinal);

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
    }
}
