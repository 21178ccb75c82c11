using System.Net.Http.Json;
using Dapper;
using Microsoft.Playwright;
using OpenCem.Actions.Rules;
using OpenCem.Dashboard;
using OpenCem.Dashboard.Settings.Rules;
using OpenCem.Storage;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

/// <summary>
/// The rule's page shows its run log as the API answers it (GET /api/v1/rules/{id}/runs): newest first, paged, with
/// the run that paused the rule and the pause reason; and the empty states of an event rule and a schedule rule
/// that has not run yet. Makes its own rules, so the demo's stay as other page tests expect them.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class RulePageTests(DashboardFixture fixture)
{
    private const int Runs = 45;

    [Fact]
    public async Task RunLog_PausedScheduleRule_RowsMatchTheApiPageByPageWithThePauseReason()
    {
        var rule = await PausedRuleWithRunsAsync();
        var api = (await fixture.Server.Admin.GetFromJsonAsync<RuleRunList>($"/api/v1/rules/{rule.Id}/runs"))!.Runs;
        Assert.Equal(Runs, api.Count);

        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, $"/settings/rules/{rule.Id}");
        await Assertions.Expect(browser.Page.Locator("#pause-reason")).ToContainTextAsync(
            $"after {RuleEngine.MaxFailures} failures in a row; the last: an action failed: <b>mail server</b> refused");
        await Assertions.Expect(browser.Page.Locator("#runs .hint")).ToContainTextAsync("Trigger: schedule 0 3 * * * (UTC)");
        await browser.ScreenshotAsync("settings-rule-run-log");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();

        // Page by page through the "Next" link, the rows are the API's runs in its order, cell for cell.
        var shown = new List<string[]>();
        for (var page = 1; ; page++)
        {
            var rows = await RowsAsync(browser.Page);
            Assert.Equal(Math.Min(RuleRunLog.PageSize, Runs - shown.Count), rows.Count);
            shown.AddRange(rows);
            var next = browser.Page.Locator("#runs nav.pager a[rel=next]");
            if (await next.CountAsync() == 0)
            {
                break;
            }

            await next.ClickAsync();
            await browser.Page.WaitForURLAsync($"**/settings/rules/{rule.Id}?runsPage={page + 1}");
        }

        Assert.Equal(api.Select(Expected).ToList(), shown, new RowComparer());
        Assert.EndsWith("the rule was paused after this run.", shown[0][7], StringComparison.Ordinal);
        Assert.DoesNotContain(shown.Skip(1), row => row[7].Contains("paused", StringComparison.Ordinal));
        browser.AssertNoConsoleErrors();
        await fixture.Server.Service<RuleStore>().DeleteAsync(fixture.WorkspaceId, rule.Id);
    }

    [Fact]
    public async Task RunLog_EventRuleAndScheduleRuleWithoutRuns_SayWhyTheLogIsEmpty()
    {
        using var analyst = await fixture.SignedInClientAsync(DashboardRoles.Analyst);
        var detractors = (await fixture.Server.Service<RuleStore>().ListAsync(fixture.WorkspaceId)).Single(r => r.Definition.Name == "Detractor follow-up");
        var eventPage = await analyst.GetStringAsync($"/settings/rules/{detractors.Id}");
        Assert.Contains("No runs: this rule is triggered by events, not by a schedule.", eventPage, StringComparison.Ordinal);
        Assert.Contains("Trigger: response.submitted.", eventPage, StringComparison.Ordinal);

        var fresh = await CreateScheduleRuleAsync($"Nightly fresh {Guid.NewGuid():N}");
        var freshPage = await analyst.GetStringAsync($"/settings/rules/{fresh.Id}");
        Assert.Contains("first occurrence since the rule was saved has not come.", freshPage, StringComparison.Ordinal);
        Assert.Contains(" Next: ", freshPage, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"pause-reason\"", freshPage, StringComparison.Ordinal);
        Assert.Empty((await fixture.Server.Admin.GetFromJsonAsync<RuleRunList>($"/api/v1/rules/{fresh.Id}/runs"))!.Runs);
        await fixture.Server.Service<RuleStore>().DeleteAsync(fixture.WorkspaceId, fresh.Id);
    }

    /// <summary>A schedule rule with <see cref="Runs"/> runs in its log, paused by the newest one's failing action.</summary>
    private async Task<StoredRule> PausedRuleWithRunsAsync()
    {
        var rule = await CreateScheduleRuleAsync($"Nightly win-back {Guid.NewGuid():N}");
        var start = DateTimeOffset.UtcNow.AddDays(-Runs).ToUnixTimeMilliseconds() / 60_000 * 60_000;
        await using var connection = await fixture.Server.Service<Database>().OpenAsync();
        long lastRan = 0;
        for (var i = 0; i < Runs; i++)
        {
            var occurrence = start + (i * 86_400_000L);
            lastRan = occurrence + 1_500 + i;
            var matched = 150 + (i * 7);
            var fired = Math.Min(matched, 200);
            await connection.ExecuteAsync(
                """
                INSERT INTO rule_runs (workspace_id, rule_id, occurrence_at, ran_at, customers_scanned, matched, fired, overflow, errors, note)
                VALUES (@ws, @rule, @occurrence, @ran, @scanned, @matched, @fired, @overflow, @errors, @note)
                """,
                new
                {
                    ws = fixture.WorkspaceId,
                    rule = rule.Id,
                    occurrence,
                    ran = lastRan,
                    scanned = 1_500 + i,
                    matched,
                    fired,
                    overflow = matched - fired,
                    errors = i % 5 == 0 ? i + 1 : 0,
                    note = matched > fired ? $"{matched} customers selected, acted on the first 200; <i>{matched - fired} left</i>" : null,
                });
        }

        await connection.ExecuteAsync(
            "UPDATE rules SET failures = @failures, last_error = @error, last_error_at = @at, paused_at = @at WHERE id = @id",
            new { failures = RuleEngine.MaxFailures, error = "an action failed: <b>mail server</b> refused", at = lastRan, id = rule.Id });
        return rule;
    }

    private Task<StoredRule> CreateScheduleRuleAsync(string name) => fixture.CreateRuleAsync($$"""
        {"name": "{{name}}", "trigger": "schedule", "schedule": "0 3 * * *", "actions": [{"type": "tag", "tag": "win-back"}]}
        """);

    private static async Task<List<string[]>> RowsAsync(IPage page)
    {
        var rows = new List<string[]>();
        foreach (var row in await page.Locator("#runs table tbody tr").AllAsync())
        {
            rows.Add([.. (await row.Locator("td").AllInnerTextsAsync()).Select(t => t.Trim())]);
        }

        return rows;
    }

    /// <summary>A run as the page writes it in English: dates as SettingsTexts.Date does, counts with thousands separators.</summary>
    private static string[] Expected(RuleRun run) =>
    [
        Date(run.OccurrenceAt), (run.RanAt - run.OccurrenceAt).TotalSeconds.ToString("N1", DashboardCulture.English) + " s", Count(run.CustomersScanned), Count(run.Matched), Count(run.Fired), Count(run.Overflow), Count(run.Errors),
        run.Note ?? "–",
    ];

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("g", DashboardCulture.English) + " UTC";

    private static string Count(long value) => value.ToString("N0", DashboardCulture.English);

    /// <summary>Cells equal, except that the note of the run that paused the rule has the pause appended.</summary>
    private sealed class RowComparer : IEqualityComparer<string[]>
    {
        public bool Equals(string[]? expected, string[]? shown) =>
            expected is not null && shown is not null && expected.Length == shown.Length
            && expected.SkipLast(1).SequenceEqual(shown.SkipLast(1))
            && (shown[^1] == expected[^1] || shown[^1].StartsWith(expected[^1] == "–" ? "The rule was paused" : expected[^1] + " — ", StringComparison.Ordinal));

        public int GetHashCode(string[] row) => row.Length;
    }
}
