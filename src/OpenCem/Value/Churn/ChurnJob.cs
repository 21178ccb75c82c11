using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenCem.Customers;
using OpenCem.Storage;

namespace OpenCem.Value.Churn;

/// <summary>A request that cannot give a model, said in words the client can act on.</summary>
public sealed class ChurnLabelException(string message) : Exception(message);

/// <summary>
/// Trains one queued churn model version: reads the labelled customers' facts (for an event label, only from before
/// the prediction date T0), builds the features, trains and judges the model (<see cref="ChurnTrainer"/>), stores it
/// with its figures, then scores every customer and stores their risk and reasons.
/// </summary>
public sealed class ChurnJob(Database database, ChurnModelStore models, IdentityService identity, TimeProvider time)
{
    public const int MinimumPerClass = 10;
    private const long DayMs = 86_400_000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RunAsync(ChurnModelRow row, CancellationToken cancellationToken)
    {
        try
        {
            var (label, error) = ChurnLabel.Parse(row.Label);
            if (label is null)
            {
                throw new ChurnLabelException(error!);
            }

            await models.SetProgressAsync(row.Id, ChurnModelStatus.Training, 0.05, cancellationToken);
            var rules = (await identity.GetSettingsAsync(row.WorkspaceId, cancellationToken)).Lifecycle;
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await using var connection = await database.OpenAsync(cancellationToken);
            var (facts, t0) = await LabelledAsync(connection, row.WorkspaceId, label, rules, now);
            var positives = facts.Count(f => f.Churned);
            if (positives == 0 || positives == facts.Count)
            {
                throw new ChurnLabelException(positives == 0
                    ? $"The label \"{label.Text}\" matches no customer: nothing to learn churn from."
                    : $"The label \"{label.Text}\" matches all {facts.Count} customers: nothing to tell churned from staying customers.");
            }

            if (positives < MinimumPerClass || facts.Count - positives < MinimumPerClass)
            {
                throw new ChurnLabelException(
                    $"Too little data: {positives} churned and {facts.Count - positives} staying customers; at least {MinimumPerClass} of each are needed to train and judge a model.");
            }

            var (schema, leftOut) = ChurnFeatureSchema.Build(facts, label, row.ExcludeList);
            if (schema.Count == 0)
            {
                throw new ChurnLabelException("No features remain once the label, the excluded names and identifier-like traits are left out.");
            }

            await models.SetProgressAsync(row.Id, ChurnModelStatus.Training, 0.2, cancellationToken);
            var training = new ChurnTrainer().Train(facts.Select(schema.Row).ToList(), facts.Select(f => f.Churned).ToList(), schema.Columns.Select(c => c.Name).ToList());
            var view = new ChurnModelView(
                row.Id, ChurnModelStatus.Ready, 1, label.Text, Math.Round(training.Auc, 4), Math.Round(training.CvAuc, 4), training.Calibration, training.Features,
                training.Trainer, Rounded(training.Trees), Rounded(training.Baseline), training.N, training.Positives, training.HeldOut,
                t0 is { } date ? DateTimeOffset.FromUnixTimeMilliseconds(date).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
                leftOut, "permutation: the fall in held-out AUC when the feature's values are shuffled among customers");
            await models.SaveModelAsync(row.Id, JsonSerializer.Serialize(view, Json), JsonSerializer.Serialize(schema.Columns, Json), training.Predictor.Serialise(), cancellationToken);
            var scored = await ChurnScorer.ScoreAllAsync(database, row.WorkspaceId, row.Id, schema, training.Predictor, rules, now, null, cancellationToken);
            await using (var update = await database.OpenAsync(cancellationToken))
            {
                await update.ExecuteAsync("UPDATE churn_models SET metrics = @metrics WHERE id = @id", new { id = row.Id, metrics = JsonSerializer.Serialize(view with { Scored = scored }, Json) });
            }

            await models.FinishAsync(row.Id, ChurnModelStatus.Ready, null, cancellationToken);
        }
        catch (ChurnLabelException exception)
        {
            await models.FinishAsync(row.Id, ChurnModelStatus.Invalid, exception.Message, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await models.FinishAsync(row.Id, ChurnModelStatus.Failed, exception.Message, CancellationToken.None);
            throw;
        }
    }

    private static TrainerScore Rounded(TrainerScore s) => s with { Auc = Math.Round(s.Auc, 4), CvAuc = Math.Round(s.CvAuc, 4) };

    /// <summary>The customers the label applies to, with their facts and label, and the prediction date of an event label.</summary>
    public static async Task<(List<ChurnFacts> Facts, long? T0)> LabelledAsync(DbConnection connection, long ws, ChurnLabel label, LifecycleRules rules, long now)
    {
        var ids = await ChurnFactsReader.CustomerIdsAsync(connection, ws);
        var touchpoints = await ChurnFactsReader.TouchpointKeysAsync(connection, ws);
        var result = new List<ChurnFacts>();
        if (ids.Count == 0)
        {
            return (result, null);
        }

        if (label.IsTrait)
        {
            foreach (var chunk in ids.Chunk(ChurnScorer.ChunkSize))
            {
                var facts = await ChurnFactsReader.ReadAsync(connection, ws, chunk[0], chunk[^1], long.MaxValue, now, rules, touchpoints);
                foreach (var f in facts.Values.OrderBy(f => f.CustomerId))
                {
                    if (f.Traits.TryGetValue(label.Trait!, out var text) && !string.IsNullOrWhiteSpace(text))
                    {
                        f.Churned = label.Matches(text);
                        result.Add(f);
                    }
                }
            }

            return (result, null);
        }

        var args = new { ws, name = label.Event };
        if (await connection.ExecuteScalarAsync<long?>("SELECT max(occurred_at) FROM interactions WHERE workspace_id = @ws AND event = @name", args) is not { } last)
        {
            return (result, null);
        }

        var t0 = last - label.Days * DayMs;
        var churned = new HashSet<long>();
        var before = new HashSet<long>();
        foreach (var (customer, first) in await connection.QueryAsync<(long, long)>(
            "SELECT customer_id, min(occurred_at) FROM interactions WHERE workspace_id = @ws AND event = @name GROUP BY customer_id", args))
        {
            (first <= t0 ? before : churned).Add(customer);
        }

        foreach (var chunk in ids.Chunk(ChurnScorer.ChunkSize))
        {
            var facts = await ChurnFactsReader.ReadAsync(connection, ws, chunk[0], chunk[^1], t0, t0, rules, touchpoints);
            foreach (var f in facts.Values.OrderBy(f => f.CustomerId))
            {
                // Not yet a customer at T0 (nothing before it), or gone already: not part of the question.
                if (before.Contains(f.CustomerId) || f.Counts.GetValueOrDefault(ChurnFeatureNames.Interactions) == 0)
                {
                    continue;
                }

                f.Churned = churned.Contains(f.CustomerId);
                result.Add(f);
            }
        }

        return (result, t0);
    }
}
