using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using OpenCem.Customers;
using OpenCem.Storage;

namespace OpenCem.Value.Churn;

/// <summary>
/// Scores every customer of a workspace with a trained model, <see cref="ChunkSize"/> customers at a time, so memory
/// stays bounded however many customers there are. Reading the facts, predicting and storing run at the same time
/// (a pipeline of bounded channels, each stage on its own connection or thread): the whole takes about as long as
/// its slowest stage rather than the sum of the three.
/// </summary>
public static class ChurnScorer
{
    public const int ChunkSize = 20_000;

    /// <summary>Chunks waiting between two stages: enough to smooth their pace, few enough to bound memory.</summary>
    private const int Queued = 2;

    private const int Readers = 2;

    public static Task<long> ScoreAllAsync(
        Database database, long ws, long modelId, ChurnFeatureSchema schema, ChurnPredictor predictor, LifecycleRules rules, long now,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        ScoreAllAsync(ChunkSize, database, ws, modelId, schema, predictor, rules, now, progress, cancellationToken);

    /// <summary>The same in chunks of <paramref name="chunkSize"/> (tests use small chunks to cross many chunk boundaries).</summary>
    internal static async Task<long> ScoreAllAsync(
        int chunkSize, Database database, long ws, long modelId, ChurnFeatureSchema schema, ChurnPredictor predictor, LifecycleRules rules, long now,
        IProgress<double>? progress, CancellationToken cancellationToken)
    {
        await using var writing = await database.OpenAsync(cancellationToken);
        var ids = await ChurnFactsReader.CustomerIdsAsync(writing, ws);
        var touchpoints = await ChurnFactsReader.TouchpointKeysAsync(writing, ws);
        var rows = new ChurnFeatureRows(schema);
        var traits = TraitsUsed(schema, rules);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var chunks = (ids.Count + chunkSize - 1) / chunkSize;
        var facts = Enumerable.Range(0, Readers).Select(_ => Channel.CreateBounded<List<ChurnFacts>>(1)).ToArray();
        var scores = Channel.CreateBounded<List<ChurnScore>>(Queued);
        long scored = 0;

        // Reading is the slowest stage (the grouped interaction query, the traits), so two connections read in turns:
        // reader k reads chunks k, k + Readers, …; the next stage takes them back in order.
        var read = facts.Select((output, reader) => Stage(output.Writer, stop, async token =>
        {
            await using var reading = await database.OpenAsync(token);
            for (var chunk = reader; chunk < chunks; chunk += Readers)
            {
                var part = ids.Skip(chunk * chunkSize).Take(chunkSize).ToList();
                var found = await ChurnFactsReader.ReadAsync(reading, ws, part[0], part[^1], long.MaxValue, now, rules, touchpoints, traits);
                await output.Writer.WriteAsync(part.Where(found.ContainsKey).Select(id => found[id]).ToList(), token);
            }
        })).ToArray();
        var predict = Stage(scores.Writer, stop, async token =>
        {
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                var customers = await facts[chunk % Readers].Reader.ReadAsync(token);
                await scores.Writer.WriteAsync(Score(rows, schema, predictor, customers), token);
            }
        });
        var store = Stage(null, stop, async token =>
        {
            await foreach (var chunk in scores.Reader.ReadAllAsync(token))
            {
                await ChurnScoreWriter.WriteAsync(writing, ws, modelId, now, chunk, token);
                scored += chunk.Count;
                progress?.Report((double)scored / ids.Count);
            }
        });
        await WhenAllAsync([.. read, predict, store]);
        cancellationToken.ThrowIfCancellationRequested();
        await Equity.EquityTotalsStore.RefreshAsync(writing, null, ws, now);
        return scored;
    }

    /// <summary>Predicts and explains the customers' risk, in their order, one at a time. Pure apart from the model.</summary>
    public static List<ChurnScore> Score(ChurnFeatureSchema schema, ChurnPredictor predictor, IReadOnlyList<ChurnFacts> customers)
    {
        var scores = new List<ChurnScore>(customers.Count);
        var i = 0;
        foreach (var prediction in predictor.Explain(customers.Select(schema.Row)))
        {
            scores.Add(ScoreOf(schema, customers[i++], prediction));
        }

        return scores;
    }

    /// <summary>
    /// The same as <see cref="Score(ChurnFeatureSchema, ChurnPredictor, IReadOnlyList{ChurnFacts})"/>, on all cores
    /// when the model scores customers independently (the trees), with the features built by <paramref name="rows"/>.
    /// </summary>
    public static List<ChurnScore> Score(ChurnFeatureRows rows, ChurnFeatureSchema schema, ChurnPredictor predictor, IReadOnlyList<ChurnFacts> customers)
    {
        if (predictor.ExplainOne is not { } explain)
        {
            var sequential = new List<ChurnScore>(customers.Count);
            var i = 0;
            foreach (var prediction in predictor.Explain(customers.Select(rows.Row)))
            {
                sequential.Add(ScoreOf(schema, customers[i++], prediction));
            }

            return sequential;
        }

        var scores = new ChurnScore[customers.Count];
        Parallel.ForEach(Partitioner.Create(0, customers.Count, 1_000), range =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                scores[i] = ScoreOf(schema, customers[i], explain(rows.Row(customers[i])));
            }
        });
        return [.. scores];
    }

    private static ChurnScore ScoreOf(ChurnFeatureSchema schema, ChurnFacts f, ChurnPrediction prediction) => new(
        f.CustomerId,
        Math.Round(prediction.Risk, 5),
        ChurnReasons.Json(schema, f, prediction.Contributions),
        f.Lifecycle,
        TenureBand(f.TenureDays),
        f.PoorTouchpoints.Count == 0 ? "" : string.Join(',', f.PoorTouchpoints.Order().Select(t => t.ToString(CultureInfo.InvariantCulture))));

    /// <summary>The traits scoring reads: those the model's columns take their values from, and the customer-since trait.</summary>
    public static IReadOnlyCollection<string> TraitsUsed(ChurnFeatureSchema schema, LifecycleRules rules) =>
        schema.Columns.Where(c => c.Kind is FeatureKind.Number or FeatureKind.Category or FeatureKind.Missing).Select(c => c.Source)
            .Concat(rules.CustomerSinceTrait is { } since ? [since] : []).ToHashSet(StringComparer.Ordinal);

    /// <summary>Runs one stage; completes its output when done, and stops the other stages if it fails.</summary>
    private static Task Stage<T>(ChannelWriter<T>? output, CancellationTokenSource stop, Func<CancellationToken, Task> run) => Task.Run(async () =>
    {
        try
        {
            await run(stop.Token);
            output?.TryComplete();
        }
        catch (Exception exception)
        {
            output?.TryComplete(exception);
            await stop.CancelAsync();
            throw;
        }
    });

    private static Task Stage(ChannelWriter<object>? output, CancellationTokenSource stop, Func<CancellationToken, Task> run) => Stage<object>(output, stop, run);

    /// <summary>Waits for every stage; rethrows the failure that stopped the others rather than their cancellations.</summary>
    private static async Task WhenAllAsync(params Task[] stages)
    {
        try
        {
            await Task.WhenAll(stages);
        }
        catch
        {
            var cause = stages.Where(s => s.IsFaulted).SelectMany(s => s.Exception!.InnerExceptions).FirstOrDefault(e => e is not OperationCanceledException);
            if (cause is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }
    }

    /// <summary>The tenure band used to compare like with like.</summary>
    public static string TenureBand(double? days) => days switch
    {
        null => "unknown",
        < 182 => "under 6 months",
        < 365 => "6-12 months",
        < 730 => "1-2 years",
        < 1461 => "2-4 years",
        _ => "4 years or more",
    };
}
