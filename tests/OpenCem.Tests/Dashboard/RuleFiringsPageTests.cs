using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Playwright;
using OpenCem.Actions.Rules;
using OpenCem.Dashboard;
using OpenCem.Dashboard.Settings.Rules;
using OpenCem.Storage;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

/// <summary>
/// The rule page's "Recent firings" show what GET /api/v1/rules/{id}/firings answers: newest first, 20 a page with
/// Next and Previous, links to the customer and the case, the actions' outcomes in words, the counts of the last
/// 24 hours and 7 days. Makes its own detractor rule with firings written as the engine writes them (no events, so
/// the demo's rules act on nothing new).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class RuleFiringsPageTests(DashboardFixture fixture)
{
    private const int Firings = 25;

    [Fact]
    public async Task RecentFirings_DetractorRule_RowsMatchTheApiPageByPageWithLinksAndCounts()
    {
        var (rule, caseId, customers) = await DetractorRuleWithFiringsAsync();
        var api = await fixture.Server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/rules/{rule.Id}/firings?limit=200");
        var firings = api.GetProperty("firings").EnumerateArray().ToList();
        Assert.Equal(Firings, firings.Count);

        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, $"/settings/rules/{rule.Id}");
        var page = browser.Page;
        // Seeded one every 8 hours (and a minute) back from now: 3 in the last 24 h (0, 8, 16 h ago), 21 in the last 7 days.
        await Assertions.Expect(page.Locator("#firing-counts")).ToHaveTextAsync("Fired 3 times in the last 24 hours, 21 times in the last 7 days.");
        Assert.Equal(3, api.GetProperty("firedLast24Hours").GetInt64());
        Assert.Equal(21, api.GetProperty("firedLast7Days").GetInt64());
        await browser.ScreenshotAsync("settings-rule-firings");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();

        var first = await RowsAsync(page);
        Assert.Equal(RuleFiringLog.PageSize, first.Count);
        Assert.Equal(0, await page.Locator("#firings nav.pager a[rel=prev]").CountAsync());

        // The newest firing opened a case: links to its customer and its case, outcomes in words.
        Assert.Equal(["#" + customers[^1], "#" + caseId, $"Opened case #{caseId}; Tag \"detractor\" added; Email queued (#77)"], first[0].Cells[2..]);
        Assert.Equal([$"/customers/{customers[^1]}", $"/cases/{caseId}"], first[0].Links);
        Assert.StartsWith("response.submitted (event #", first[0].Cells[1], StringComparison.Ordinal);
        Assert.Contains(first, row => row.Cells[4] == "Not done: helpOffer — no customer" && row.Cells[2] == "–");

        await page.Locator("#firings nav.pager a[rel=next]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("firingsOlder=[0-9]+"));
        var second = await RowsAsync(page);
        Assert.Equal(Firings - RuleFiringLog.PageSize, second.Count);
        Assert.Equal(0, await page.Locator("#firings nav.pager a[rel=next]").CountAsync());
        Assert.Equal(firings.Select(Expected).ToList(), first.Concat(second).Select(r => r.Cells).ToList(), new CellsComparer());

        await page.Locator("#firings nav.pager a[rel=prev]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("firingsNewer=[0-9]+"));
        Assert.Equal(first.Select(r => r.Cells).ToList(), (await RowsAsync(page)).Select(r => r.Cells).ToList(), new CellsComparer());
        Assert.Equal(0, await page.Locator("#firings nav.pager a[rel=prev]").CountAsync());
        browser.AssertNoConsoleErrors();
        await fixture.Server.Service<RuleStore>().DeleteAsync(fixture.WorkspaceId, rule.Id);
    }

    [Fact]
    public async Task RecentFirings_RuleThatNeverFired_SaysWhenItFires()
    {
        using var analyst = await fixture.SignedInClientAsync(DashboardRoles.Analyst);
        var rule = await CreateRuleAsync($"Detractor quiet {Guid.NewGuid():N}");
        var html = await analyst.GetStringAsync($"/settings/rules/{rule.Id}");
        Assert.Contains("This rule has not fired yet. It fires when a survey response is submitted and its condition response.nps &lt;= 6 holds.", html, StringComparison.Ordinal);
        Assert.Contains("Fired 0 times in the last 24 hours, 0 times in the last 7 days.", html, StringComparison.Ordinal);
        await fixture.Server.Service<RuleStore>().DeleteAsync(fixture.WorkspaceId, rule.Id);
    }

    /// <summary>
    /// A detractor rule with <see cref="Firings"/> firings, one every 8 hours back from now, on demo customers; every
    /// fifth opened a demo case, one had no customer (its help offer skipped).
    /// </summary>
    private async Task<(StoredRule Rule, long CaseId, long[] Customers)> DetractorRuleWithFiringsAsync()
    {
        var rule = await CreateRuleAsync($"Detractor follow-up {Guid.NewGuid():N}");
        await using var connection = await fixture.Server.Service<Database>().OpenAsync();
        var customers = (await connection.QueryAsync<long>(
            "SELECT id FROM customers WHERE workspace_id = @ws ORDER BY id LIMIT @n", new { ws = fixture.WorkspaceId, n = Firings })).ToArray();
        var caseId = await connection.ExecuteScalarAsync<long>("SELECT MIN(id) FROM cases WHERE workspace_id = @ws", new { ws = fixture.WorkspaceId });
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < Firings; i++)
        {
            // Oldest first, so ids follow time as the engine writes them.
            var age = Firings - 1 - i;
            var actions = i % 5 == 4 ? [$"openCase: case {caseId} opened", "tag: detractor", "email: notification 77 queued"]
                : i == 20 ? ["helpOffer: no customer, skipped"]
                : new[] { "tag: detractor", $"webhook: event {500 + i} for webhook 7" };
            await connection.ExecuteAsync(
                """
                INSERT INTO rule_firings (workspace_id, rule_id, source_kind, source_id, customer_id, fired_at, actions)
                VALUES (@ws, @rule, 'event', @source, @customer, @at, @actions)
                """,
                new
                {
                    ws = fixture.WorkspaceId,
                    rule = rule.Id,
                    source = 900_000 + i,
                    customer = i == 20 ? (long?)null : customers[i],
                    at = (now - TimeSpan.FromHours(8 * age) - TimeSpan.FromMinutes(1)).ToUnixTimeMilliseconds(),
                    actions = JsonSerializer.Serialize(actions),
                });
        }

        return (rule, caseId, customers);
    }

    private Task<StoredRule> CreateRuleAsync(string name) => fixture.CreateRuleAsync($$"""
        {"name": "{{name}}", "trigger": "response.submitted", "condition": "response.nps <= 6",
         "actions": [{"type": "openCase", "title": "Call back"}, {"type": "tag", "tag": "detractor"}]}
        """);

    private static async Task<List<(string[] Cells, string[] Links)>> RowsAsync(IPage page)
    {
        var rows = new List<(string[], string[])>();
        foreach (var row in await page.Locator("#firings table tbody tr").AllAsync())
        {
            var links = new List<string>();
            foreach (var link in await row.Locator("a").AllAsync())
            {
                links.Add(await link.GetAttributeAsync("href") ?? "");
            }

            rows.Add(([.. (await row.Locator("td").AllInnerTextsAsync()).Select(t => t.Trim())], [.. links]));
        }

        return rows;
    }

    /// <summary>A firing of the API as the page writes it in English.</summary>
    private static string[] Expected(JsonElement firing)
    {
        var at = DateTimeOffset.Parse(firing.GetProperty("firedAt").GetString()!, CultureInfo.InvariantCulture);
        return
        [
            at.UtcDateTime.ToString("g", DashboardCulture.English) + " UTC",
            $"{firing.GetProperty("trigger").GetString()} ({firing.GetProperty("sourceKind").GetString()} #{firing.GetProperty("sourceId").GetInt64()})",
            firing.TryGetProperty("customerId", out var customer) ? "#" + customer.GetInt64() : "–",
            firing.TryGetProperty("caseId", out var caseId) ? "#" + caseId.GetInt64() : "–",
            string.Join("; ", firing.GetProperty("actions").EnumerateArray().Select(a => RuleFiringLog.Outcome(a.GetString()!))),
        ];
    }

    private sealed class CellsComparer : IEqualityComparer<string[]>
    {
        public bool Equals(string[]? x, string[]? y) => x is not null && y is not null && x.SequenceEqual(y);

        public int GetHashCode(string[] cells) => cells.Length;
    }
}
