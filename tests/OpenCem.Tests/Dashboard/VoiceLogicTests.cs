using OpenCem.Analytics.Metrics;
using OpenCem.Dashboard.Surveys;
using OpenCem.Dashboard.Text;
using OpenCem.Dashboard.Value;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Surveys;
using OpenCem.Text;
using OpenCem.Text.Insights;
using OpenCem.Value.Churn;
using OpenCem.Value.Equity;

namespace OpenCem.Tests.Dashboard;

/// <summary>The pure logic behind the Text, Value and Surveys pages.</summary>
public sealed class VoiceLogicTests
{
    private static readonly IReadOnlyList<ThemeDefinition> Taxonomy =
    [
        new("waiting-time", null, new Dictionary<string, string> { ["en"] = "Waiting time" },
            new Dictionary<string, IReadOnlyList<string>> { ["en"] = ["wait", "on hold", "queue*"], ["de"] = ["wartezeit", "ausfall"] }),
        new("price", null, new Dictionary<string, string> { ["en"] = "Price" }, new Dictionary<string, IReadOnlyList<string>> { ["en"] = ["price", "expensive"] }),
    ];

    [Fact]
    public void Highlighter_MarksTheMatchedWordsAndPhrasesOfFoundThemesOnly()
    {
        var segments = CommentHighlighter.Segments("Kept ON HOLD, then waited in the queues. Price fine.", ["waiting-time"], Taxonomy, "en");
        Assert.Equal(["ON HOLD", "waited", "queues"], segments.Where(s => s.Theme == "waiting-time").Select(s => s.Text));
        // Price is not a theme the analysis found here: not marked. The pieces put together are the comment, unchanged.
        Assert.DoesNotContain(segments, s => s.Theme == "price");
        Assert.Equal("Kept ON HOLD, then waited in the queues. Price fine.", string.Concat(segments.Select(s => s.Text)));
    }

    [Fact]
    public void Highlighter_GermanCompoundAndMarkupStayText()
    {
        var segments = CommentHighlighter.Segments("<script>alert(1)</script> Zugausfall!", ["waiting-time"], Taxonomy, "de");
        Assert.Equal("Zugausfall", segments.Single(s => s.Theme is not null).Text);
        Assert.Equal("<script>alert(1)</script> ", segments[0].Text);
        Assert.Empty(CommentHighlighter.Segments("", ["price"], Taxonomy, "en"));
        Assert.Equal([new CommentSegment("no themes", null)], CommentHighlighter.Segments("no themes", [], Taxonomy, "en"));
    }

    [Fact]
    public void ClvHistogram_RoundWidths_OpenTopBar_Median()
    {
        var values = Enumerable.Range(1, 99).Select(i => (double)i).Append(10_000).ToList();
        var histogram = ClvHistogram.Of(values, bars: 10);
        Assert.Equal(100, histogram.Valued);
        Assert.Equal(50.5, histogram.Median);
        Assert.Equal(10, histogram.Bins[0].High);
        Assert.All(histogram.Bins.Take(histogram.Bins.Count - 1), b => Assert.Equal(10, b.High!.Value - b.Low));
        Assert.Null(histogram.Bins[^1].High);
        Assert.Equal(1, histogram.Bins[^1].Customers);
        Assert.Equal(100, histogram.Bins.Sum(b => b.Customers));
        Assert.Equal((2.5, 50.0, 1.0), (ClvHistogram.RoundWidth(2.1), ClvHistogram.RoundWidth(41), ClvHistogram.RoundWidth(0)));
        Assert.Empty(ClvHistogram.Of([]).Bins);
        Assert.Equal(3, ClvHistogram.Of([0, 0, -5]).Bins.Single().Customers);
    }

    [Fact]
    public void SentimentTrend_SumsDaysIntoPeriods()
    {
        var day = 86_400_000L;
        var points = SentimentTrend.Bucket([(0, 2, 1.0, 1, 0), (day, 2, -1.0, 0, 2), (40 * day, 0, 0, 0, 0)], MetricInterval.Month);
        Assert.Equal(2, points.Count);
        Assert.Equal((4L, 0.0, 0.25, 0.5), (points[0].Items, points[0].Mean!.Value, points[0].PositiveShare!.Value, points[0].NegativeShare!.Value));
        Assert.Null(points[1].Mean);
    }

    [Fact]
    public void SuppressionKinds_GroupReasonsWithTheirDetails()
    {
        Assert.Equal(SuppressionKinds.OpenCase, SuppressionKinds.Of("case 17 is open for the customer"));
        Assert.Equal(SuppressionKinds.ContactFrequency, SuppressionKinds.Of("contact frequency: already invited 1 time(s) in the last 30 days"));
        Assert.Equal(SuppressionKinds.UnknownCustomer, SuppressionKinds.Of("unknown customer: no profile matches the given identifier"));
        Assert.Equal(SuppressionKinds.Other, SuppressionKinds.Of(null));
        var counts = InvitationStatistics.Count([("sent", null), ("suppressed", "no e-mail address known for the customer"), ("suppressed", "no e-mail address known")], capped: true);
        Assert.True(counts.Capped);
        Assert.Equal([(SuppressionKinds.NoEmail, 2L)], counts.Suppressed);
    }

    [Fact]
    public void SurveyEditor_SplitsProblemPaths_AndBuildsTheApiBody()
    {
        Assert.Equal(("definition: pages[0].elements[1]", "type \"x\" is not supported."), SurveysReport.Split("definition", "pages[0].elements[1]: type \"x\" is not supported."));
        Assert.Equal(("definition", "The definition must be a JSON object."), SurveysReport.Split("definition", "The definition must be a JSON object."));
        Assert.Null(SurveysReport.Body("n", "{", SurveySettings.Default));
        using var body = SurveysReport.Body("Name", """{"elements": []}""", SurveySettings.Default with { AnonymousLink = true })!;
        Assert.Equal("Name", body.RootElement.GetProperty("name").GetString());
        Assert.True(body.RootElement.GetProperty("settings").GetProperty("anonymousLink").GetBoolean());
    }

    [Fact]
    public void SurveyPreview_WritesTheRespondentPage_OrTheProblems()
    {
        var (definition, problems) = SurveyPreview.Parse(OpenCem.Tests.Feedback.SurveyFixtures.Nps);
        Assert.Empty(problems);
        var html = new System.Text.StringBuilder();
        SurveyPreview.Write(html, definition, problems, "de");
        Assert.Contains("Wie wahrscheinlich empfehlen Sie uns weiter?", html.ToString(), StringComparison.Ordinal);

        var (broken, reasons) = SurveyPreview.Parse("""{"title": "<b>x</b>", "pages": 3}""");
        Assert.Null(broken);
        html.Clear();
        SurveyPreview.Write(html, broken, reasons);
        Assert.Contains("pages: must be an array.", html.ToString(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self'", SurveyPreview.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("form-action 'none'", SurveyPreview.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.NotNull(SurveyPreview.Parse("{").Problems.Single());
    }

    [Fact]
    public void ValuePage_ReasonWordsAndGroupings()
    {
        var reasons = new[] { new ChurnReason("failedSetups", "4", "raises", 0.3), new ChurnReason("tenureMonths", "30", "lowers", -0.1) };
        Assert.Equal("failedSetups = 4 (up); tenureMonths = 30 (down)", ChurnReasonText.Top(reasons, "up", "down"));
        Assert.Equal("–", ChurnReasonText.Top([], "up", "down"));
        Assert.Equal(("tenure", "lifecycle", "lifecycle"), (ValueGroupings.Parse("tenure"), ValueGroupings.Parse("trait.x"), ValueGroupings.Parse(null)));
    }
}
