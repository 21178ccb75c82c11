using System.Globalization;

namespace OpenCem.Analytics.Metrics;

/// <summary>A filter: the dimension's value must be one of <see cref="Values"/>.</summary>
public sealed record MetricFilter(string Dimension, IReadOnlySet<string> Values);

/// <summary>A validated metrics query; <see cref="From"/> inclusive and <see cref="To"/> exclusive, epoch ms, either open.</summary>
public sealed record MetricsRequest(
    MetricKind Metric, string? Question, long? SurveyId, IReadOnlyList<string> By, MetricInterval Interval, long? From, long? To,
    IReadOnlyList<MetricFilter> Filters)
{
    public IEnumerable<string> Dimensions => By.Concat(Filters.Select(f => f.Dimension));
}

/// <summary>A bad parameter: which one, and why.</summary>
public sealed record MetricsRequestError(string Field, string Message);

/// <summary>
/// Reads the query string of <c>GET /api/v1/analytics/metrics</c> (and the CLI's options). Pure: the
/// dimensions are checked against the workspace's <see cref="MetricsSettings"/>.
/// </summary>
public static class MetricsRequestParser
{
    public const int MaxDimensions = 3;

    public static MetricsRequest? Parse(
        string? metric, string? question, string? survey, string? by, string? interval, string? from, string? to, IEnumerable<string?> filters,
        MetricsSettings settings, out MetricsRequestError? error)
    {
        error = null;
        if (!Enum.TryParse<MetricKind>(metric, ignoreCase: true, out var kind) || int.TryParse(metric, out _))
        {
            error = new("metric", "metric must be one of nps, csat, ces, mean, enps.");
            return null;
        }

        long? surveyId = null;
        if (!string.IsNullOrWhiteSpace(survey))
        {
            if (!long.TryParse(survey, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                error = new("survey", "survey must be a survey id.");
                return null;
            }

            surveyId = id;
        }

        question = string.IsNullOrWhiteSpace(question) ? null : question.Trim();
        if (kind == MetricKind.Mean && (question is null || surveyId is null))
        {
            error = question is null ? new("question", "metric=mean needs question (a rating or numeric question).") : new("survey", "metric=mean needs survey.");
            return null;
        }

        var dimensions = (by ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (dimensions.Count > MaxDimensions || dimensions.Distinct(StringComparer.Ordinal).Count() != dimensions.Count)
        {
            error = new("by", $"by takes up to {MaxDimensions} different dimensions.");
            return null;
        }

        foreach (var dimension in dimensions)
        {
            if (MetricDimensions.Classify(dimension, settings, out var why) is null)
            {
                error = new("by", "by: " + why);
                return null;
            }
        }

        var grain = MetricInterval.Month;
        if (!string.IsNullOrWhiteSpace(interval) && (!Enum.TryParse(interval, ignoreCase: true, out grain) || int.TryParse(interval, out _)))
        {
            error = new("interval", "interval must be one of day, week, month, quarter, year, all.");
            return null;
        }

        if (!TryInstant(from, endOfDay: false, out var start) || !TryInstant(to, endOfDay: true, out var end))
        {
            error = start is null && !string.IsNullOrWhiteSpace(from) ? new("from", "from must be a date (2025-01-31) or an ISO 8601 time, from 1970 to 9000.") : new("to", "to must be a date (2025-01-31) or an ISO 8601 time, from 1970 to 9000.");
            return null;
        }

        if (start is not null && end is not null && end <= start)
        {
            error = new("to", "to must be after from.");
            return null;
        }

        var parsed = new List<MetricFilter>();
        foreach (var filter in filters.Where(f => !string.IsNullOrWhiteSpace(f)))
        {
            if (!FilterText.TrySplit(filter, out var field, out var valueText))
            {
                error = new("filter", $"filter \"{filter}\" must be FIELD:VALUE or FIELD:V1|V2.");
                return null;
            }

            if (MetricDimensions.Classify(field, settings, out var why) is null)
            {
                error = new("filter", "filter: " + why);
                return null;
            }

            var values = valueText.Split('|', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            parsed.Add(new MetricFilter(field, values));
        }

        return new MetricsRequest(kind, question, surveyId, dimensions, grain, start, end, parsed);
    }

    /// <summary>A date means its UTC day (the whole day for <c>to</c>); a time with an offset means that instant.</summary>
    private static bool TryInstant(string? text, bool endOfDay, out long? instant)
    {
        instant = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (date.Year is < 1970 or > 9000)
            {
                return false;
            }

            var day = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            instant = (endOfDay ? day.AddDays(1) : day).ToUnixTimeMilliseconds();
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && time.Year is >= 1970 and <= 9000)
        {
            instant = time.ToUnixTimeMilliseconds();
            return true;
        }

        return false;
    }
}
