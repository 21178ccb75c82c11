using OpenCem.Analytics.Metrics;

namespace OpenCem.Tests.Analytics.Metrics;

/// <summary>The metrics query string, and the periods it groups by.</summary>
public sealed class MetricsRequestParserTests
{
    [Theory]
    [InlineData("npx", null, null, null, null, null, null, "metric")]
    [InlineData("mean", null, "3", null, null, null, null, "question")]
    [InlineData("mean", "q", null, null, null, null, null, "survey")]
    [InlineData("nps", null, "x", null, null, null, null, "survey")]
    [InlineData("nps", null, null, "touchpoint,colour", null, null, null, "by")]
    [InlineData("nps", null, null, "trait.shoeSize", null, null, null, "by")]
    [InlineData("nps", null, null, "channel,channel", null, null, null, "by")]
    [InlineData("nps", null, null, null, "fortnight", null, null, "interval")]
    [InlineData("nps", null, null, null, null, "yesterday", null, "from")]
    [InlineData("nps", null, null, null, null, null, "2025-13-01", "to")]
    [InlineData("nps", null, null, null, null, "0001-01-01", null, "from")]
    [InlineData("nps", null, null, null, null, null, "9999-12-31", "to")]
    [InlineData("nps", null, null, null, null, "2025-02-01", "2025-01-01", "to")]
    public void Parse_BadParameter_NamesIt(string metric, string? question, string? survey, string? by, string? interval, string? from, string? to, string field)
    {
        Assert.Null(MetricsRequestParser.Parse(metric, question, survey, by, interval, from, to, [], MetricsSettings.Default, out var error));
        Assert.Equal(field, error!.Field);
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("colour:red")]
    [InlineData("trait.shoeSize:42")]
    [InlineData("channel:")]
    public void Parse_BadFilter_NamesFilter(string filter)
    {
        Assert.Null(MetricsRequestParser.Parse("nps", null, null, null, null, null, null, [filter], MetricsSettings.Default, out var error));
        Assert.Equal("filter", error!.Field);
    }

    [Fact]
    public void Parse_FullQuery_ReadsEveryPart()
    {
        var request = MetricsRequestParser.Parse(
            "CSAT", null, "7", "trait.region, touchpoint", "quarter", "2025-01-01", "2025-03-31", ["channel:web|app", "trait.plan:mobile"],
            MetricsSettings.Default, out var error)!;
        Assert.Null(error);
        Assert.Equal(MetricKind.Csat, request.Metric);
        Assert.Equal(7, request.SurveyId);
        Assert.Equal(["trait.region", "touchpoint"], request.By);
        Assert.Equal(MetricInterval.Quarter, request.Interval);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), request.From);
        Assert.Equal(new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), request.To);
        Assert.Equal(2, request.Filters.Count);
        Assert.True(request.Filters[0].Values.SetEquals(["web", "app"]));
        Assert.Same(MetricCube.MonthlyDimensions.Table, MetricCube.For(request with { By = ["trait.region"], Filters = [] }, MetricsSettings.Default).Table);
        Assert.Same(MetricCube.MonthlySegments.Table, MetricCube.For(request with { By = ["trait.region"], Filters = request.Filters.Skip(1).ToList() }, MetricsSettings.Default).Table);
        Assert.Same(MetricCube.DailyDimensions.Table, MetricCube.For(request with { By = [], Filters = [], Interval = MetricInterval.Week }, MetricsSettings.Default).Table);
        Assert.Same(MetricCube.MonthlyFull.Table, MetricCube.For(request, MetricsSettings.Default).Table);
        Assert.Same(MetricCube.Daily.Table, MetricCube.For(request with { From = request.From + MetricPeriods.DayMilliseconds }, MetricsSettings.Default).Table);
        Assert.Same(MetricCube.Daily.Table, MetricCube.For(request with { To = request.To - MetricPeriods.DayMilliseconds }, MetricsSettings.Default).Table);
        Assert.Same(MetricCube.Daily.Table, MetricCube.For(request with { Interval = MetricInterval.Week }, MetricsSettings.Default).Table);
        Assert.Same(MetricCube.DailyTouchpoints.Table, MetricCube.For(request with { By = ["touchpoint"], Filters = [], Interval = MetricInterval.Week }, MetricsSettings.Default).Table);
    }

    [Theory]
    [InlineData(MetricInterval.Day, "2025-01-01T13:00:00Z", "2025-01-01", "2024-12-31")]
    [InlineData(MetricInterval.Week, "2025-01-01T13:00:00Z", "2025-W01", "2024-W52")]
    [InlineData(MetricInterval.Month, "2025-03-31T23:59:59Z", "2025-03", "2025-02")]
    [InlineData(MetricInterval.Quarter, "2025-05-15T00:00:00Z", "2025-Q2", "2025-Q1")]
    [InlineData(MetricInterval.Year, "2025-05-15T00:00:00Z", "2025", "2024")]
    public void Periods_StartLabelAndPrevious(MetricInterval interval, string at, string label, string previousLabel)
    {
        var start = MetricPeriods.Start(interval, DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        Assert.Equal(label, MetricPeriods.Label(interval, start));
        Assert.Equal(previousLabel, MetricPeriods.Label(interval, MetricPeriods.Previous(interval, start)));
    }
}
