using OpenCem.Analytics.Metrics;
using OpenCem.Dashboard;
using OpenCem.Dashboard.Components;
using OpenCem.Dashboard.Drivers;
using OpenCem.Dashboard.Journeys;
using OpenCem.Dashboard.Touchpoints;
using OpenCem.Demo;
using OpenCem.Feedback.Surveys;
using OpenCem.Interactions;

namespace OpenCem.Tests.Dashboard;

/// <summary>The pure parts of the Touchpoints, Drivers and Journeys pages.</summary>
public sealed class AnalyticsPagesLogicTests
{
    [Theory]
    [InlineData(MetricKind.Nps, -50, 0)]
    [InlineData(MetricKind.Nps, -20, 1)]
    [InlineData(MetricKind.Nps, 0, 2)]
    [InlineData(MetricKind.Nps, 39.9, 3)]
    [InlineData(MetricKind.Nps, 40, 4)]
    [InlineData(MetricKind.Csat, 59.9, 0)]
    [InlineData(MetricKind.Csat, 95, 4)]
    [InlineData(MetricKind.Ces, 3.2, 0)]
    [InlineData(MetricKind.Ces, 5.5, 3)]
    public void HeatScaleBand_Value_FallsInTheBandOfItsFixedLimits(MetricKind kind, double value, int band) =>
        Assert.Equal(band, HeatScale.Band(kind, value));

    [Fact]
    public void HeatScaleRanges_Nps_NameFiveBandsLowestFirst()
    {
        var ranges = HeatScale.Ranges(MetricKind.Nps, v => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(["< -20", "-20 – < 0", "0 – < 20", "20 – < 40", "≥ 40"], ranges);
    }

    [Theory]
    [InlineData("csat", MetricKind.Csat)]
    [InlineData("CES", MetricKind.Ces)]
    [InlineData("mean", MetricKind.Nps)]
    [InlineData("<script>", MetricKind.Nps)]
    [InlineData(null, MetricKind.Nps)]
    public void HeatScaleParse_AnyText_IsOneOfTheThreeMetrics(string? text, MetricKind expected) =>
        Assert.Equal(expected, HeatScale.Parse(text));

    [Fact]
    public void HeatmapBuild_TwoTouchpointsInACell_CombinesTheirValuesWeightedByN()
    {
        Journey journey = new("j", "J", null, [new("a", "A"), new("b", "B")]);
        Touchpoint[] touchpoints =
        [
            new(1, "t1", "T1", "web", "j", "a", []),
            new(2, "t2", "T2", "web", "j", "a", []),
            new(3, "t3", "T3", "phone", "j", "b", []),
            new(4, "t4", "T4", "email", null, null, []),
        ];
        var scores = new Dictionary<string, MetricRow> { ["t1"] = Row(100, 10), ["t2"] = Row(300, -30), ["t4"] = Row(5, 50, flagged: true) };

        var heatmap = TouchpointHeatmap.Build([journey], touchpoints, scores);

        Assert.Equal(["email", "phone", "web"], heatmap.Channels);
        Assert.Equal(2, heatmap.Rows.Count);
        var cell = heatmap.Rows[0].Cells["web"];
        Assert.Equal(400, cell.N);
        Assert.Equal(((100 * 10) + (300 * -30)) / 400.0, cell.Value!.Value, 9);
        Assert.False(cell.LowN);
        Assert.Null(heatmap.Rows[1].Cells["phone"].Value);
        Assert.False(heatmap.Rows[0].Cells.ContainsKey("phone"));
        Assert.Equal("t4", Assert.Single(heatmap.Unplaced).Touchpoint.Key);
    }

    [Fact]
    public void LatestByTouchpoint_RowsOfEarlierPeriods_AreIgnored()
    {
        var from = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        MetricRow[] rows = [Row(50, 1, "old", from.AddMonths(-3)), Row(60, 2, "old", from), Row(70, 3, "gone", from.AddMonths(-3))];

        var latest = TouchpointsReport.LatestByTouchpoint(rows, from.ToUnixTimeMilliseconds());

        Assert.Equal(2, Assert.Single(latest).Value.Value);
    }

    [Fact]
    public void AnalyticsLinks_Touchpoint_KeepsTheFiltersAndEncodesTheKey()
    {
        var filters = DashboardFilters.Default with { Period = DashboardPeriod.Year, TraitName = "plan", TraitValue = "a&b" };

        var link = AnalyticsLinks.Touchpoint("x/y", filters, MetricKind.Ces);

        Assert.Equal("/touchpoints/x%2Fy?period=year&trait=plan%3Aa%26b&metric=ces", link);
    }

    [Fact]
    public void LinearScale_Nice_WidensToRoundTicksAndMapsOntoTheRange()
    {
        var scale = LinearScale.Nice(3, 47, 0, 100);

        Assert.Equal(0, scale.DomainMin);
        Assert.Equal(50, scale.DomainMax);
        Assert.Equal([0, 10, 20, 30, 40, 50], scale.Ticks());
        Assert.Equal(50, scale.Map(25), 9);
        var flat = LinearScale.Nice(5, 5, 100, 0);
        Assert.True(flat.DomainMin < 5 && flat.DomainMax > 5);
        Assert.Equal(100, flat.Map(flat.DomainMin), 9);
    }

    [Fact]
    public void DriverChoices_DemoSurveys_OfferTheLoyaltyOutcomeFirstAndFindTheExpectationSurvey()
    {
        var definitions = DemoSurveys.All.Select(s => SurveyDefinitionParser.Parse(System.Text.Json.JsonDocument.Parse(s.Definition).RootElement)).ToList();

        var withDrivers = definitions.Where(DriverChoices.HasDrivers).ToList();
        var withGaps = definitions.Where(DriverChoices.HasGaps).ToList();

        Assert.NotEmpty(withDrivers);
        Assert.Single(withGaps);
        Assert.Equal("overall", DriverChoices.Outcome(withGaps[0], null));
        Assert.Equal("overall", DriverChoices.Outcome(withGaps[0], "no-such-question"));
        Assert.DoesNotContain(DriverChoices.Outcomes(withGaps[0]), o => o.Question is "network" or "expectNetwork");
    }

    [Fact]
    public void JourneysOptions_BadTraitName_IsAProblemNotAQuery()
    {
        var now = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

        var (bad, problem) = JourneysPageReport.Options(DashboardFilters.Default with { TraitName = "a\"[", TraitValue = "x" }, now);
        var (good, _) = JourneysPageReport.Options(DashboardFilters.Default with { Channel = "app", TraitName = "plan", TraitValue = "x" }, now);

        Assert.Null(bad);
        Assert.NotNull(problem);
        Assert.Equal(["channel:app", "trait.plan:x"], good!.Filters.Select(f => f.Text));
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), good.From);
    }

    [Theory]
    [InlineData(0.5, "30 min")]
    [InlineData(5.26, "5.3 h")]
    [InlineData(72, "3.0 d")]
    public void JourneyTextDuration_Hours_AreWrittenInAReadableUnit(double hours, string expected)
    {
        var before = System.Globalization.CultureInfo.CurrentCulture;
        DashboardCulture.Use("en");
        try
        {
            Assert.Equal(expected, JourneyText.Duration(hours));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = before;
            System.Globalization.CultureInfo.CurrentUICulture = before;
        }
    }

    private static MetricRow Row(long n, double value, string? touchpoint = null, DateTimeOffset? start = null, bool flagged = false) =>
        new("p", touchpoint is null ? null : new Dictionary<string, string?> { [MetricDimensions.Touchpoint] = touchpoint }, n, value, null, null, null, false, flagged, start, null, null, null, null);
}
