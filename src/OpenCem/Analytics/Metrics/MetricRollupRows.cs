namespace OpenCem.Analytics.Metrics;

/// <summary>The key of one rollup row.</summary>
public readonly record struct MetricRowKey(
    long WorkspaceId, long SurveyId, string Question, long Period, long TouchpointId, string Channel, long SegmentId, long Score, string Dimension = "", string Value = "");

/// <summary>Answers counted in one rollup row: how many, their sum and sum of squares (decimals stay exact).</summary>
public record struct MetricRowValue(long N, double Total, double TotalSquares);

/// <summary>One response as the rollup sees it (before its segment has an id).</summary>
public sealed record MetricResponse(
    long WorkspaceId, long SurveyId, long SubmittedAt, long? TouchpointId, string? Channel, string SegmentKey,
    IReadOnlyDictionary<string, string> Dimensions, IReadOnlyList<AnswerFact> Answers);

/// <summary>
/// Pending additions to the four rollup tables, folded in memory (pure) and written by <see cref="MetricRollup"/>.
/// A score's bucket is its whole part (a decimal 8.5 counts as 8 for NPS classes); sums keep the exact value.
/// </summary>
public sealed class MetricRollupRows
{
    public Dictionary<MetricRowKey, MetricRowValue>[] Tables { get; } = MetricCube.All.Select(_ => new Dictionary<MetricRowKey, MetricRowValue>()).ToArray();

    public int Count => Tables.Sum(t => t.Count);

    public void Fold(MetricResponse response, long segmentId)
    {
        var day = MetricPeriods.Day(response.SubmittedAt);
        var month = MetricPeriods.Month(response.SubmittedAt);
        var touchpoint = response.TouchpointId ?? 0;
        var channel = response.Channel ?? "";
        foreach (var answer in response.Answers)
        {
            var score = (long)Math.Floor(answer.Value);
            for (var i = 0; i < MetricCube.All.Count; i++)
            {
                var cube = MetricCube.All[i];
                if (cube.Dimensional)
                {
                    // One row for the total ('' = every answer) and one per segment dimension value.
                    var period = cube.Monthly ? month : day;
                    Add(i, new MetricRowKey(response.WorkspaceId, response.SurveyId, answer.Question, period, 0, "", 0, score), answer.Value);
                    foreach (var (dimension, value) in response.Dimensions)
                    {
                        Add(i, new MetricRowKey(response.WorkspaceId, response.SurveyId, answer.Question, period, 0, "", 0, score, dimension, value), answer.Value);
                    }

                    continue;
                }

                var key = new MetricRowKey(
                    response.WorkspaceId, response.SurveyId, answer.Question, cube.Monthly ? month : day,
                    cube.HasTouchpoint ? touchpoint : 0, cube.HasTouchpoint ? channel : "", cube.HasSegment ? segmentId : 0, score);
                Add(i, key, answer.Value);
            }
        }
    }

    private void Add(int table, MetricRowKey key, double answer)
    {
        var value = Tables[table].GetValueOrDefault(key);
        Tables[table][key] = new MetricRowValue(value.N + 1, value.Total + answer, value.TotalSquares + (answer * answer));
    }

    /// <summary>Adds <paramref name="sign"/> times another fold (a move: the fold after a change, minus the fold before it).</summary>
    public void Add(MetricRollupRows other, int sign)
    {
        for (var i = 0; i < Tables.Length; i++)
        {
            foreach (var (key, value) in other.Tables[i])
            {
                var current = Tables[i].GetValueOrDefault(key);
                Tables[i][key] = new MetricRowValue(current.N + (sign * value.N), current.Total + (sign * value.Total), current.TotalSquares + (sign * value.TotalSquares));
            }
        }
    }

    /// <summary>
    /// Forgets rows that do not change: a cell the same responses fold into before and after a change gets the same
    /// sums in the same order both times, so its difference is exactly zero.
    /// </summary>
    public void DropZeros()
    {
        foreach (var table in Tables)
        {
            foreach (var key in table.Where(r => r.Value is { N: 0, Total: 0, TotalSquares: 0 }).Select(r => r.Key).ToList())
            {
                table.Remove(key);
            }
        }
    }

    public void Clear()
    {
        foreach (var table in Tables)
        {
            table.Clear();
        }
    }
}
