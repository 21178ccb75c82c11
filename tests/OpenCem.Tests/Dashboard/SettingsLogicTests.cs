using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using OpenCem.Actions.Rules;
using OpenCem.Dashboard.Settings;
using OpenCem.Dashboard.Settings.Rules;
using OpenCem.Dashboard.Settings.Themes;
using OpenCem.Dashboard.Settings.Webhooks;
using OpenCem.Text;

namespace OpenCem.Tests.Dashboard;

/// <summary>The pure parts of the settings pages: theme tree and form, rule editing and state, dry-run window, webhook form.</summary>
public sealed class SettingsLogicTests
{
    private static ThemeDefinition Theme(string key, string? parent = null) =>
        new(key, parent, new Dictionary<string, string> { ["en"] = key }, new Dictionary<string, IReadOnlyList<string>>());

    [Fact]
    public void ThemeTreeOrder_ChildrenFollowTheirParent_WithDepthAndOrphansAsRoots()
    {
        var tree = ThemeTree.Order([Theme("billing"), Theme("wait", "service"), Theme("service"), Theme("refund", "billing"), Theme("stray", "gone")]);

        Assert.Equal(["billing", "refund", "service", "wait", "stray"], tree.Select(n => n.Theme.Key).ToArray());
        Assert.Equal([0, 1, 0, 1, 0], tree.Select(n => n.Depth).ToArray());
        Assert.Equal(1, tree[0].Children);
    }

    [Fact]
    public void ThemeTreeOrder_ACycle_ListsEveryThemeOnce()
    {
        var tree = ThemeTree.Order([Theme("a", "b"), Theme("b", "a")]);
        Assert.Equal(2, tree.Count);
        Assert.Equal(2, tree.Select(n => n.Theme.Key).Distinct().Count());
    }

    [Theory]
    [InlineData("Waiting time", "waiting-time")]
    [InlineData("  Lange Wartezeit für Rückruf! ", "lange-wartezeit-fuer-rueckruf")]
    [InlineData("Straße", "strasse")]
    [InlineData("!!!", "")]
    public void ThemeFormSlug_Phrase_IsAKey(string phrase, string key) => Assert.Equal(key, ThemeForm.Slug(phrase));

    [Fact]
    public void ThemeFormRead_ValidForm_GivesTheThemeWithKeywordsPerLine()
    {
        var errors = new Dictionary<string, string[]>();
        var theme = new ThemeForm("wait", "service", "Waiting", "Warten", "wait*\non hold, queue", "warte*").Read(null, errors);

        Assert.Empty(errors);
        Assert.NotNull(theme);
        Assert.Equal("service", theme.Parent);
        Assert.Equal(["wait*", "on hold", "queue"], theme.Keywords["en"]);
        Assert.Equal("Warten", theme.Names["de"]);
    }

    [Fact]
    public void ThemeFormRead_BadKeyAndNoName_ReportsTheApisFieldNames()
    {
        var errors = new Dictionary<string, string[]>();
        var theme = new ThemeForm("Not a key!", null, "", "", "", "").Read(null, errors);

        Assert.Null(theme);
        Assert.Contains("key", errors.Keys);
        Assert.Contains("names", errors.Keys);
    }

    [Fact]
    public void ThemeFormRead_Edit_KeepsTheEditedKey()
    {
        var errors = new Dictionary<string, string[]>();
        var theme = new ThemeForm("other", null, "Waiting", "", "", "").Read("wait", errors);
        Assert.Equal("wait", theme?.Key);
    }

    [Fact]
    public void SettingsFormsMessages_FieldAndItsParts_NamedParts()
    {
        var errors = new Dictionary<string, string[]> { ["keywords.en[2]"] = ["too long"], ["keywords.en"] = ["bad"], ["keywords.de"] = ["x"], ["keywordsen"] = ["y"] };
        Assert.Equal(["bad", "keywords.en[2]: too long"], SettingsForms.Messages(errors, "keywords.en").ToArray());
    }

    [Fact]
    public void RuleEditingJson_ReadBack_GivesTheSameRule()
    {
        var errors = new Dictionary<string, string[]>();
        var rule = RuleReader.Read(JsonNode.Parse(OpenCem.Demo.DemoRules.All[1].Json), errors)!;

        var again = RuleEditing.Read(RuleEditing.Json(rule), errors);

        Assert.Empty(errors);
        Assert.NotNull(again);
        Assert.Equal(rule.Name, again.Name);
        Assert.Equal(rule.Condition, again.Condition);
        Assert.Equal(rule.CooldownMinutes, again.CooldownMinutes);
        Assert.Equal(RuleEditing.Json(rule), RuleEditing.Json(again));
    }

    [Fact]
    public void RuleEditingRead_NotJson_ReportsBody()
    {
        var errors = new Dictionary<string, string[]>();
        Assert.Null(RuleEditing.Read("{\"name\": ", errors));
        Assert.Contains("body", errors.Keys);
    }

    [Fact]
    public void RuleEditingRead_BadCondition_ReportsConditionWithPosition()
    {
        var errors = new Dictionary<string, string[]>();
        Assert.Null(RuleEditing.Read("""{"name": "x", "trigger": "response.submitted", "condition": "nps <= 6", "actions": [{"type": "tag", "tag": "t"}]}""", errors));
        Assert.Contains("condition", errors.Keys);
    }

    [Fact]
    public void RuleEditingTemplate_IsAValidRule()
    {
        var errors = new Dictionary<string, string[]>();
        Assert.NotNull(RuleEditing.Read(RuleEditing.Template, errors));
    }

    [Theory]
    [InlineData(true, 0, false, RuleState.Active)]
    [InlineData(true, 2, false, RuleState.Failing)]
    [InlineData(true, 5, true, RuleState.Paused)]
    [InlineData(false, 0, false, RuleState.Disabled)]
    public void RuleEditingState_RunTimeState_IsNamed(bool enabled, int failures, bool paused, RuleState state)
    {
        var definition = new RuleDefinition("r", enabled, "response.submitted", null, null, [], null);
        var rule = new StoredRule(1, 1, definition, 0, 0, failures, null, null, paused ? DateTimeOffset.UnixEpoch : null, null, default, default);
        Assert.Equal(state, RuleEditing.State(rule));
    }

    [Fact]
    public void DryRunWindowRead_NothingAsked_LastThirtyDaysUpToTomorrow()
    {
        var today = new DateOnly(2026, 11, 24);
        var ((from, to), errors) = DryRunWindow.Read(null, null, today);
        Assert.Empty(errors);
        Assert.Equal(new DateOnly(2026, 11, 25), to);
        Assert.Equal(new DateOnly(2026, 10, 26), from);
    }

    [Theory]
    [InlineData("2026-13-01", "2026-11-01", "from")]
    [InlineData("2026-11-01", "yesterday", "to")]
    [InlineData("2026-11-02", "2026-11-01", "from")]
    [InlineData("2020-01-01", "2026-11-01", "from")]
    public void DryRunWindowRead_BadDates_NameTheField(string from, string to, string field)
    {
        var (_, errors) = DryRunWindow.Read(from, to, new DateOnly(2026, 11, 24));
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void DryRunChartBuckets_ShortWindow_EveryDayWithZeros()
    {
        var from = new DateOnly(2026, 11, 1);
        var buckets = DryRunChart.Buckets([new DryRunDay(new DateOnly(2026, 11, 3), 4)], from, from.AddDays(7));

        Assert.Equal(DryRunChart.Step.Day, DryRunChart.StepFor(from, from.AddDays(7)));
        Assert.Equal(7, buckets.Count);
        Assert.Equal([0L, 0, 4, 0, 0, 0, 0], buckets.Select(b => b.Count).ToArray());
    }

    [Fact]
    public void DryRunChartBuckets_Year_WeeksFromMondaySummed()
    {
        var from = new DateOnly(2025, 11, 24); // a Monday
        var to = from.AddDays(365);
        var buckets = DryRunChart.Buckets(
            [new DryRunDay(new DateOnly(2025, 11, 25), 2), new DryRunDay(new DateOnly(2025, 11, 30), 3), new DryRunDay(new DateOnly(2025, 12, 1), 1)], from, to);

        Assert.Equal(DryRunChart.Step.Week, DryRunChart.StepFor(from, to));
        Assert.Equal(53, buckets.Count);
        Assert.All(buckets, b => Assert.Equal(DayOfWeek.Monday, b.Start.DayOfWeek));
        Assert.Equal([5L, 1], buckets.Take(2).Select(b => b.Count).ToArray());
        Assert.Equal(6, buckets.Sum(b => b.Count));
    }

    [Fact]
    public void DryRunChartBuckets_TwoYears_Months()
    {
        var from = new DateOnly(2024, 11, 15);
        var buckets = DryRunChart.Buckets([new DryRunDay(new DateOnly(2024, 11, 20), 1), new DryRunDay(new DateOnly(2024, 12, 31), 2)], from, from.AddDays(700));

        Assert.Equal(new DateOnly(2024, 11, 1), buckets[0].Start);
        Assert.Equal([1L, 2], buckets.Take(2).Select(b => b.Count).ToArray());
    }

    [Fact]
    public void WebhookFormRead_TickedAndTypedEvents_AreJoinedWithoutRepeats()
    {
        var form = new FormCollection(new Dictionary<string, StringValues>
        {
            ["url"] = " https://example.com/hook ",
            ["events"] = new StringValues(["case.opened", "rule.fired"]),
            ["patterns"] = "case.* rule.fired",
        });

        var read = WebhookForm.Read(form);

        Assert.Equal("https://example.com/hook", read.Url);
        Assert.Equal(["case.opened", "rule.fired", "case.*"], read.Events);
        Assert.False(read.Enabled);
        Assert.Equal("case.*", read.Patterns);
        Assert.Empty(read.Check());
    }

    [Fact]
    public void WebhookFormCheck_NoEventsUnknownEventNoUrl_ReportsEachField()
    {
        Assert.Equal(["events", "url"], new WebhookForm("", null, [], true).Check().Keys.Order().ToArray());
        Assert.Contains("events", new WebhookForm("https://example.com", null, ["case.exploded"], true).Check().Keys);
        Assert.Contains("description", new WebhookForm("https://example.com", new string('x', 501), ["*"], true).Check().Keys);
    }

    [Theory]
    [InlineData(1_500, "1.5 s")]
    [InlineData(-20, "0.0 s")]
    [InlineData(125_000, "2 min")]
    [InlineData(5_400_000, "1.5 h")]
    [InlineData(259_200_000, "3.0 days")]
    public void RunDelay_ScalesItsUnit(long milliseconds, string expected)
    {
        OpenCem.Dashboard.DashboardCulture.Use("en");
        Assert.Equal(expected, RuleRunLog.Delay(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void PausingRun_IsTheNewestRunByThePause_NoneWhenNotPaused()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 3, 0, 0, TimeSpan.Zero);
        RuleRun Run(int day, int ranAfterMs) => new(t0.AddDays(day), t0.AddDays(day).AddMilliseconds(ranAfterMs), 10, 5, 5, 0, 0, null);
        List<RuleRun> runs = [Run(2, 900), Run(1, 700), Run(0, 500)];
        var rule = new StoredRule(1, 1, new RuleDefinition("r", true, RuleTriggers.Schedule, "0 3 * * *", null, [], null), 0, 0, 5, "boom", null,
            PausedAt: runs[1].RanAt, null, t0, t0);

        Assert.Same(runs[1], RuleRunLog.PausingRun(rule, runs));
        Assert.Null(RuleRunLog.PausingRun(rule with { PausedAt = null }, runs));
        Assert.Null(RuleRunLog.PausingRun(rule with { PausedAt = t0.AddDays(-1) }, runs));
    }

    [Theory]
    [InlineData("openCase: case 12 opened", "Opened case #12")]
    [InlineData("openCase: case 12 existed", "Case #12 was already open")]
    [InlineData("webhook: event 40 for webhook 7", "Webhook #7 queued (event #40)")]
    [InlineData("email: notification 9 queued", "Email queued (#9)")]
    [InlineData("tag: detractor", "Tag \"detractor\" added")]
    [InlineData("tag: no customer, skipped", "Not done: tag — no customer")]
    [InlineData("survey: invitation 5", "Survey invitation #5")]
    [InlineData("survey: invitation 5 suppressed (contacted 2 days ago)", "Not done: survey invitation #5 suppressed (contacted 2 days ago)")]
    [InlineData("survey: survey 3 does not exist or is closed, skipped", "Not done: survey — survey 3 does not exist or is closed")]
    [InlineData("helpOffer: offer 8 on web", "Help offer #8 on web")]
    [InlineData("sms: unknown action, skipped", "Not done: sms — unknown action")]
    [InlineData("something the engine wrote later", "something the engine wrote later")]
    public void FiringOutcome_EachActionsResultLineInWords_NotDoneStandsOut(string line, string expected)
    {
        OpenCem.Dashboard.DashboardCulture.Use("en");
        Assert.Equal(expected, RuleFiringLog.Outcome(line));
    }

    [Fact]
    public void FiringPage_ExtraRowAndCursorTellWhichSidesHaveMore()
    {
        static RuleFiring Firing(long id) => new(id, DateTimeOffset.UnixEpoch, "response.submitted", "event", id, null, [], null);
        var read = Enumerable.Range(0, RuleFiringLog.PageSize + 1).Select(i => Firing(100 - i)).ToList();

        var first = RuleFiringLog.Page(read, RuleFiringLog.Position(null, null));
        Assert.Equal((RuleFiringLog.PageSize, true, false), (first.Page.Count, first.HasOlder, first.HasNewer));
        Assert.Equal(100, first.Page[0].Id);

        var last = RuleFiringLog.Page(read[..5], RuleFiringLog.Position("200", null));
        Assert.Equal((5, false, true), (last.Page.Count, last.HasOlder, last.HasNewer));

        // Read back towards the newest: the extra row is the newest one and is left for the page before.
        var back = RuleFiringLog.Page(read, RuleFiringLog.Position("200", "50"));
        Assert.Equal((RuleFiringLog.PageSize, true, true), (back.Page.Count, back.HasOlder, back.HasNewer));
        Assert.Equal(99, back.Page[0].Id);
        Assert.Equal((null, null), RuleFiringLog.Position("x", "-1"));
    }

    [Fact]
    public void FiringEmptyText_SaysWhenTheRuleFires()
    {
        OpenCem.Dashboard.DashboardCulture.Use("en");
        var t0 = DateTimeOffset.UnixEpoch;
        var rule = new StoredRule(1, 1, new RuleDefinition("r", true, "response.submitted", null, "response.nps <= 6", [], null), 0, 0, 0, null, null, null, null, t0, t0);
        Assert.Equal("This rule has not fired yet. It fires when a survey response is submitted and its condition response.nps <= 6 holds.", RuleFiringLog.EmptyText(rule));
        Assert.EndsWith("its schedule 0 3 * * * (UTC) comes due, once it is switched on.",
            RuleFiringLog.EmptyText(rule with { Definition = new RuleDefinition("r", false, RuleTriggers.Schedule, "0 3 * * *", null, [], null) }), StringComparison.Ordinal);
    }
}
