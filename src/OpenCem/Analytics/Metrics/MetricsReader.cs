using System.Data.Common;
using Dapper;
using OpenCem.Analytics.Statistics;
using OpenCem.Interactions;
using OpenCem.Storage;

namespace OpenCem.Analytics.Metrics;

/// <summary>
/// Answers a metrics query from the rollups, never from the responses: picks the smallest cube with the needed
/// dimensions (<see cref="MetricCube.For"/>), sums its rows per period, group and score in SQL, and finishes in
/// memory — dimension values from the catalogue and the segment dictionary, filters, the statistics of
/// <see cref="MetricTally"/>, and the previous period of the same group (read by extending the range one period back).
/// </summary>
public sealed class MetricsReader(Database database, CatalogueStore catalogue, MetricsSettingsStore settingsStore)
{
    /// <summary>Beyond this many excluded segments the statement would grow too long: the filter then runs in memory only.</summary>
    private const int MaxExcludedSegments = 20_000;

    public async Task<MetricsSettings> SettingsAsync(long workspaceId, CancellationToken cancellationToken) =>
        await settingsStore.GetAsync(workspaceId, cancellationToken);

    /// <summary>The report's rows, or the parameter at fault.</summary>
    public async Task<(IReadOnlyList<MetricRow> Rows, MetricsRequestError? Error)> ReadAsync(
        long workspaceId, MetricsRequest request, MetricsSettings settings, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var surveys = await MetricSurveys.ListAsync(connection, null, workspaceId);
        var targets = MetricSurveys.Targets(request, surveys, out var error);
        if (error is not null)
        {
            return ([], error);
        }

        if (targets.Any(t => surveys.First(s => s.Id == t.SurveyId).Definition.Audience == Feedback.Surveys.SurveyAudience.Employees))
        {
            // Employee answers are only shown through the anonymity policy, which needs whole quarters and one value per filter.
            return ([], new(request.SurveyId is null ? "metric" : "survey",
                "employee surveys are anonymous: read eNPS and their items from /api/v1/pulse/enps and /api/v1/pulse/items, where small groups are suppressed."));
        }

        if (CheckAnswerDimensions(request, surveys, targets) is { } answerError)
        {
            return ([], answerError);
        }

        var cube = MetricCube.For(request, settings);
        var from = request.From is { } f ? MetricPeriods.Day(f) : (long?)null;
        var to = request.To is { } t ? (MetricPeriods.Day(t) == t ? t : MetricPeriods.Day(t) + MetricPeriods.DayMilliseconds) : (long?)null;
        var firstPeriod = from is { } start ? MetricPeriods.Start(request.Interval, start) : long.MinValue;
        var readFrom = from is null || request.Interval == MetricInterval.All ? from : MetricPeriods.Previous(request.Interval, firstPeriod);

        var sources = request.Dimensions.Distinct().ToDictionary(d => d, d => MetricDimensions.Classify(d, settings, out _)!.Value);
        var touchpointColumns = cube.HasTouchpoint && sources.ContainsValue(DimensionSource.Touchpoint);
        var segmentColumns = !cube.Dimensional && cube.HasSegment && sources.ContainsValue(DimensionSource.Segment);
        var dimension = cube.Dimensional ? sources.FirstOrDefault(s => s.Value == DimensionSource.Segment).Key ?? "" : null;
        var touchpoints = touchpointColumns ? (await catalogue.ListTouchpointsAsync(workspaceId, cancellationToken)).ToDictionary(tp => tp.Id) : [];
        var segments = segmentColumns ? await MetricSegments.AllAsync(connection, database.Target.Display, workspaceId) : null;

        // Touchpoint filters become a list of touchpoint ids the database reads (the other filters are applied below).
        var touchpointFilters = request.Filters.Where(f => sources[f.Dimension] == DimensionSource.Touchpoint).ToList();
        var allowed = touchpointColumns && touchpointFilters.Count > 0
            ? touchpoints.Values.Where(tp => touchpointFilters.All(f => TouchpointValue(f.Dimension, tp.Id, tp.Channel, touchpoints) is { } v && f.Values.Contains(v))).Select(tp => tp.Id).ToList()
            : null;

        // Segment filters become the known segments they exclude, which the database skips; segments this reader has
        // not seen yet still come back, so the reload below finds them and the filter below applies to them.
        var segmentFilters = request.Filters.Where(f => sources[f.Dimension] == DimensionSource.Segment).ToList();
        var excluded = segments is not null && segmentFilters.Count > 0
            ? segments.Where(s => !segmentFilters.All(f => s.Value.GetValueOrDefault(f.Dimension) is { } v && f.Values.Contains(v))).Select(s => s.Key).ToList()
            : null;
        if (excluded is { Count: > MaxExcludedSegments })
        {
            excluded = null;
        }

        // Rows show the asked range only (a first period may be partial); previous values are whole periods.
        var shown = new Dictionary<(long Period, GroupKey Group), MetricTally>();
        var whole = new Dictionary<(long Period, GroupKey Group), MetricTally>();
        var rows = await QueryAsync(connection, cube, workspaceId, targets, readFrom, to, touchpointColumns, segmentColumns, dimension, allowed, excluded, cancellationToken);
        if (dimension is { Length: > 0 } && request.By.Contains(dimension))
        {
            // Answers without a value for the dimension have no row of their own: they are the total minus the values.
            var totals = await QueryAsync(connection, cube, workspaceId, targets, readFrom, to, false, false, "", null, null, cancellationToken);
            rows.AddRange(Remainder(rows, totals));
        }
        if (segments is not null && rows.Any(r => !segments.ContainsKey(r.SegmentId)))
        {
            segments = await MetricSegments.AllAsync(connection, database.Target.Display, workspaceId, reload: true);
        }

        var values = new string?[request.By.Count];
        foreach (var row in rows)
        {
            string? Value(string dimension) => sources[dimension] switch
            {
                DimensionSource.Survey => row.SurveyId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                DimensionSource.Touchpoint => TouchpointValue(dimension, row.TouchpointId, row.Channel, touchpoints),
                _ => segments is null ? row.Value : segments.GetValueOrDefault(row.SegmentId)?.GetValueOrDefault(dimension),
            };

            if (!request.Filters.All(filter => Value(filter.Dimension) is { } v && filter.Values.Contains(v)))
            {
                continue;
            }

            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Value(request.By[i]);
            }

            var key = (MetricPeriods.Start(request.Interval, row.Period), new GroupKey(values));
            var tally = whole.GetValueOrDefault(key);
            tally.Add(row.Score, row.N, row.Total, row.TotalSquares);
            whole[key] = tally;
            if (from is null || row.Period >= from)
            {
                tally = shown.GetValueOrDefault(key);
                tally.Add(row.Score, row.N, row.Total, row.TotalSquares);
                shown[key] = tally;
            }
        }

        return (Rows(request, settings, shown, whole, firstPeriod), null);
    }

    private static List<MetricRow> Rows(
        MetricsRequest request, MetricsSettings settings, Dictionary<(long Period, GroupKey Group), MetricTally> shown,
        Dictionary<(long Period, GroupKey Group), MetricTally> whole, long firstPeriod)
    {
        var result = new List<MetricRow>();
        foreach (var ((period, group), tally) in shown.OrderBy(t => t.Key.Group).ThenBy(t => t.Key.Period))
        {
            if (period < firstPeriod || tally.Evaluate(request.Metric) is not { } current)
            {
                continue;
            }

            var previous = request.Interval == MetricInterval.All ? null
                : whole.GetValueOrDefault((MetricPeriods.Previous(request.Interval, period), group)).Evaluate(request.Metric);
            var significant = previous is not null && current.N >= settings.MinimumN && previous.N >= settings.MinimumN
                && current.StandardError is { } se && previous.StandardError is { } previousSe
                && MetricStatistics.ChangeIsSignificant(previous.Exact, previousSe, current.Exact, se);
            result.Add(new MetricRow(
                MetricPeriods.Label(request.Interval, period),
                request.By.Count == 0 ? null : request.By.Select((d, i) => (d, group.Values[i])).ToDictionary(x => x.d, x => x.Item2),
                current.N, current.Value, current.CiLow, current.CiHigh, previous?.Value, significant, current.N < settings.MinimumN,
                request.Interval == MetricInterval.All ? null : DateTimeOffset.FromUnixTimeMilliseconds(period),
                previous?.N,
                request.Metric == MetricKind.Csat ? current.Mean : null,
                current.Promoters,
                current.Detractors));
        }

        return result;
    }

    private static IEnumerable<CubeRow> Remainder(List<CubeRow> values, List<CubeRow> totals)
    {
        var counted = values.GroupBy(r => (r.Period, r.SurveyId, r.Score))
            .ToDictionary(g => g.Key, g => (N: g.Sum(r => r.N), Total: g.Sum(r => r.Total), TotalSquares: g.Sum(r => r.TotalSquares)));
        foreach (var total in totals)
        {
            var (n, sum, squares) = counted.GetValueOrDefault((total.Period, total.SurveyId, total.Score));
            if (total.N > n)
            {
                yield return new CubeRow
                {
                    Period = total.Period,
                    SurveyId = total.SurveyId,
                    Score = total.Score,
                    N = total.N - n,
                    Total = total.Total - sum,
                    TotalSquares = total.TotalSquares - squares,
                };
            }
        }
    }

    private static MetricsRequestError? CheckAnswerDimensions(MetricsRequest request, IReadOnlyList<MetricSurvey> surveys, IReadOnlyList<MetricTarget> targets)
    {
        var definitions = surveys.Where(s => targets.Any(t => t.SurveyId == s.Id)).Select(s => s.Definition).ToList();
        foreach (var (dimension, field) in request.By.Select(d => (d, "by")).Concat(request.Filters.Select(f => (f.Dimension, "filter"))))
        {
            if (dimension.StartsWith(MetricDimensions.AnswerPrefix, StringComparison.Ordinal)
                && !definitions.Any(d => d.Find(dimension[MetricDimensions.AnswerPrefix.Length..]) is { Type: Feedback.Surveys.QuestionType.RadioGroup or Feedback.Surveys.QuestionType.Dropdown }))
            {
                return new(field, $"{field}: \"{dimension}\" names no single-choice (radiogroup or dropdown) question of the surveys read.");
            }
        }

        return null;
    }

    private static string? TouchpointValue(string dimension, long touchpointId, string channel, Dictionary<long, Touchpoint> touchpoints)
    {
        var touchpoint = touchpoints.GetValueOrDefault(touchpointId);
        return dimension switch
        {
            MetricDimensions.Touchpoint => touchpoint?.Key,
            MetricDimensions.Channel => channel.Length > 0 ? channel : null,
            MetricDimensions.Journey => touchpoint?.Journey,
            _ => touchpoint?.Stage,
        };
    }

    /// <summary>
    /// The cube's rows of each (survey, question) in the range, read along the primary key without grouping: every
    /// cube row is already one (period, dimensions, score) cell, so the database only scans an index range.
    /// </summary>
    private static async Task<List<CubeRow>> QueryAsync(
        DbConnection connection, MetricCube cube, long workspaceId, IReadOnlyList<MetricTarget> targets, long? from, long? to,
        bool touchpointColumns, bool segmentColumns, string? dimension, List<long>? allowedTouchpoints, List<long>? excludedSegments, CancellationToken cancellationToken)
    {
        var columns = "period, survey_id" + (touchpointColumns ? ", touchpoint_id, channel" : "") + (segmentColumns ? ", segment_id" : "")
            + (dimension is not null ? ", value" : "") + ", score, n, total, total_squares";
        var sql = $"""
            SELECT {columns} FROM {cube.Table}
            WHERE workspace_id = @workspaceId AND survey_id = @survey AND question = @question
                {(dimension is null ? "" : "AND dimension = @dimension")}
                {(from is null ? "" : "AND period >= @from")} {(to is null ? "" : "AND period < @to")}
                {(allowedTouchpoints is null ? "" : $"AND touchpoint_id IN ({(allowedTouchpoints.Count == 0 ? "-1" : string.Join(", ", allowedTouchpoints))})")}
                {(excludedSegments is not { Count: > 0 } ? "" : $"AND segment_id NOT IN ({string.Join(", ", excludedSegments)})")}
            """;
        var result = new List<CubeRow>();
        foreach (var target in targets)
        {
            var parameters = new { workspaceId, survey = target.SurveyId, question = target.Question, dimension, from, to };
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
            while (await reader.ReadAsync(cancellationToken))
            {
                var column = 0;
                var row = new CubeRow { Period = reader.GetInt64(column++), SurveyId = reader.GetInt64(column++) };
                if (touchpointColumns)
                {
                    row.TouchpointId = reader.GetInt64(column++);
                    row.Channel = reader.GetString(column++);
                }

                if (segmentColumns)
                {
                    row.SegmentId = reader.GetInt64(column++);
                }

                if (dimension is not null)
                {
                    row.Value = reader.GetString(column++);
                }

                row.Score = reader.GetInt64(column++);
                row.N = reader.GetInt64(column++);
                row.Total = reader.GetDouble(column++);
                row.TotalSquares = reader.GetDouble(column);
                result.Add(row);
            }
        }

        return result;
    }

    private sealed class CubeRow
    {
        public long Period { get; set; }

        public long SurveyId { get; set; }

        public long TouchpointId { get; set; }

        public string Channel { get; set; } = "";

        public long SegmentId { get; set; }

        /// <summary>The dimension's value in a per-dimension cube.</summary>
        public string? Value { get; set; }

        public long Score { get; set; }

        public long N { get; set; }

        public double Total { get; set; }

        public double TotalSquares { get; set; }
    }

    /// <summary>The values of a group's dimensions, compared by value.</summary>
    private readonly struct GroupKey(string?[] values) : IEquatable<GroupKey>, IComparable<GroupKey>
    {
        public string?[] Values { get; } = (string?[])values.Clone();

        public bool Equals(GroupKey other) => Values.AsSpan().SequenceEqual(other.Values);

        public override bool Equals(object? obj) => obj is GroupKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = default(HashCode);
            foreach (var value in Values)
            {
                hash.Add(value);
            }

            return hash.ToHashCode();
        }

        public int CompareTo(GroupKey other)
        {
            for (var i = 0; i < Values.Length; i++)
            {
                var c = string.CompareOrdinal(Values[i], other.Values[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        }
    }
}
