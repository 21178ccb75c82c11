using System.Net;
using Dapper;
using Microsoft.Playwright;
using OpenCem.Actions.Cases;
using OpenCem.Storage;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

/// <summary>
/// The Cases pages in Chromium and over HTTP: the queue with its filters and SLA clocks, an agent working a case through
/// to closed, and every role tried against every change (viewers and analysts are refused on the server).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class CasesPageTests(DashboardFixture fixture)
{
    // The machine is shared with other builds: a navigation may take longer than the default 30 s there.
    private static readonly PageWaitForURLOptions Slow = new() { Timeout = 90_000 };

    [Fact]
    public async Task Queue_DemoData_RendersClocksAndAFilterChangeUpdatesIt()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Admin, "/cases");
        var page = browser.Page;
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Cases");
        var rows = page.Locator("table.data-table tbody tr");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        // Each clock says its state in words: time left, breached, or no clock running.
        var clocks = await page.Locator("table.data-table tbody tr td:nth-child(6)").AllInnerTextsAsync();
        Assert.All(clocks, text => Assert.Matches("left|breached|no clock running", text));
        await browser.ScreenshotAsync("cases-queue-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();

        await page.SelectOptionAsync("select[name=status]", CaseStatuses.Closed);
        await page.WaitForURLAsync(url => url.Contains("status=closed", StringComparison.Ordinal), Slow);
        var statuses = await page.Locator("table.data-table tbody tr td:nth-child(2)").AllInnerTextsAsync();
        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.Equal("Closed", s));

        await page.SelectOptionAsync("select[name=breached]", "true");
        await page.WaitForURLAsync(url => url.Contains("breached=true", StringComparison.Ordinal) && url.Contains("status=closed", StringComparison.Ordinal), Slow);
        await browser.GotoAsync("/cases?breached=true");
        var breached = await page.Locator("table.data-table tbody tr td:nth-child(6)").AllInnerTextsAsync();
        Assert.All(breached, text => Assert.Contains("breached", text));
        await browser.ScreenshotAsync("cases-queue-breached-1280");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Queue_Agent_SeesOnlyTheirTeamAndMine()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Agent, "/cases", width: 375, height: 800);
        var page = browser.Page;
        await Assertions.Expect(page.Locator("select[name=team]")).ToHaveCountAsync(0);
        var teams = await page.Locator("table.data-table tbody tr td:nth-child(4)").AllInnerTextsAsync();
        Assert.NotEmpty(teams);
        Assert.All(teams, team => Assert.Equal("Billing", team));
        await browser.ScreenshotAsync("cases-queue-agent-375");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();

        // Asking for another team in the URL changes nothing.
        await browser.GotoAsync("/cases?team=care");
        Assert.All(await page.Locator("table.data-table tbody tr td:nth-child(4)").AllInnerTextsAsync(), team => Assert.Equal("Billing", team));

        var mine = await OpenCaseAsync("billing", owner: DashboardFixture.Email(DashboardRoles.Agent));
        await page.ClickAsync("a:has-text('My cases')");
        await page.WaitForURLAsync(url => url.Contains("mine=true", StringComparison.Ordinal), Slow);
        await Assertions.Expect(page.Locator($"table.data-table a[href='/cases/{mine}']")).ToBeVisibleAsync();
        Assert.All(await page.Locator("table.data-table tbody tr td:nth-child(5)").AllInnerTextsAsync(),
            owner => Assert.Equal(DashboardFixture.Email(DashboardRoles.Agent), owner));
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task CasePage_Agent_WorksACaseThroughToClosed()
    {
        var id = await OpenCaseAsync("billing");
        await using var browser = await fixture.OpenAsync(DashboardRoles.Agent, $"/cases/{id}");
        var page = browser.Page;
        await browser.AssertAccessibleAsync();

        await page.ClickAsync("button:has-text('Assign to me')");
        await Assertions.Expect(page.Locator("[data-field=owner]")).ToContainTextAsync(DashboardFixture.Email(DashboardRoles.Agent));
        await Assertions.Expect(page.Locator("[data-field=status]")).ToHaveTextAsync("Assigned");
        await Assertions.Expect(page.Locator("[role=status]")).ToHaveTextAsync("The assignment was saved.");

        await page.ClickAsync("button:has-text('Start work')");
        await Assertions.Expect(page.Locator("[data-field=status]")).ToHaveTextAsync("In progress");

        await page.FillAsync("#note-text", "Called back <script>alert(1)</script>; she wants a credit note.");
        await page.ClickAsync("button:has-text('Add note')");
        await Assertions.Expect(page.Locator(".notes li p").Last).ToHaveTextAsync("Called back <script>alert(1)</script>; she wants a credit note.");

        await page.ClickAsync("button:has-text('Wait for customer')");
        await Assertions.Expect(page.Locator("[data-field=status]")).ToHaveTextAsync("Waiting for customer");

        await page.SelectOptionAsync("#resolve-outcome", CaseOutcomes.Recovered);
        await page.FillAsync("#resolve-reason", "credit note");
        await page.ClickAsync("form[aria-label='Resolve the case'] button[type=submit]");
        await Assertions.Expect(page.Locator("[data-field=status]")).ToHaveTextAsync("Resolved");
        await Assertions.Expect(page.Locator("[data-field=outcome]")).ToContainTextAsync("Recovered · credit note");
        await browser.ScreenshotAsync("case-resolved-1280");

        await page.ClickAsync("form[aria-label='Close the case'] button[type=submit]");
        await Assertions.Expect(page.Locator("[data-field=status]")).ToHaveTextAsync("Closed");
        await Assertions.Expect(page.Locator("form[aria-label='Move the case']")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("case-closed-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();

        var detail = await fixture.Server.Service<CaseReader>().GetAsync(fixture.WorkspaceId, id);
        Assert.Equal(CaseStatuses.Closed, detail!.Case.Status);
        Assert.Equal(CaseOutcomes.Recovered, detail.Case.Outcome);
        Assert.Equal(DashboardFixture.Email(DashboardRoles.Agent), detail.Case.Owner);
        Assert.Single(detail.Notes);
        // Opened assigned to a billing agent; the agent's four moves, each in the audit trail under their name.
        var moves = detail.Audit.Where(a => a.Field == "status").TakeLast(4).ToList();
        Assert.Equal([CaseStatuses.InProgress, CaseStatuses.WaitingForCustomer, CaseStatuses.Resolved, CaseStatuses.Closed], moves.Select(a => a.To));
        Assert.All(moves, a => Assert.Equal(DashboardFixture.Email(DashboardRoles.Agent), a.Actor));
        Assert.Contains(detail.Audit, a => a.Field == "owner" && a.To == DashboardFixture.Email(DashboardRoles.Agent));
    }

    [Fact]
    public async Task CasePage_Viewer_SeesNoEditAndAForgedEditIsRefused()
    {
        var id = await OpenCaseAsync("billing");
        await using var browser = await fixture.OpenAsync(DashboardRoles.Viewer, $"/cases/{id}");
        var page = browser.Page;
        await Assertions.Expect(page.Locator(".read-only-note")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main form[method=post]")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("case-viewer-1280");
        await browser.AssertAccessibleAsync();

        // The edit a viewer could forge from this page (a valid anti-forgery token, the note form's name) is refused on the server.
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var response = await page.APIRequest.PostAsync(new Uri(fixture.Server.BaseAddress, $"/cases/{id}").ToString(), new APIRequestContextOptions
        {
            Form = FormOf(("_handler", "case-note"), ("__RequestVerificationToken", token!), ("Note.Text", "viewer was here")),
            MaxRedirects = 0,
        });
        Assert.Equal(403, response.Status);
        var detail = await fixture.Server.Service<CaseReader>().GetAsync(fixture.WorkspaceId, id);
        Assert.Empty(detail!.Notes);
        browser.AssertNoConsoleErrors();

        IFormData FormOf(params (string Name, string Value)[] fields)
        {
            var form = page.APIRequest.CreateFormData();
            foreach (var (name, value) in fields)
            {
                form.Set(name, value);
            }

            return form;
        }
    }

    public static TheoryData<string, string, string, HttpStatusCode> RoleActions()
    {
        var data = new TheoryData<string, string, string, HttpStatusCode>();
        foreach (var (role, own, other) in new[]
        {
            (DashboardRoles.Admin, HttpStatusCode.Redirect, HttpStatusCode.Redirect),
            (DashboardRoles.Analyst, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            (DashboardRoles.Agent, HttpStatusCode.Redirect, HttpStatusCode.Forbidden),
            (DashboardRoles.Viewer, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
        })
        {
            foreach (var action in new[] { "note", "move", "assign", "resolve" })
            {
                data.Add(role, action, "billing", own);
                data.Add(role, action, "care", other);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoleActions))]
    public async Task Post_EachRoleAndAction_AllowedOnlyWherePermitted(string role, string action, string team, HttpStatusCode expected)
    {
        var id = await OpenCaseAsync(team);
        using var client = await fixture.SignedInClientAsync(role);
        var token = await DashboardFixture.FormTokenAsync(client, "/cases");
        var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = token };
        switch (action)
        {
            case "note": fields["_handler"] = "case-note"; fields["Note.Text"] = "A note"; break;
            case "move": fields["_handler"] = "case-move"; fields["Move.To"] = CaseStatuses.InProgress; break;
            case "assign": fields["_handler"] = "case-assign"; fields["Assign.ToMe"] = "true"; break;
            default: fields["_handler"] = "case-resolve"; fields["Resolve.Outcome"] = CaseOutcomes.Recovered; break;
        }

        var before = await fixture.Server.Service<CaseReader>().GetAsync(fixture.WorkspaceId, id);
        var response = await client.PostAsync($"/cases/{id}", new FormUrlEncodedContent(fields));
        Assert.Equal(expected, response.StatusCode);
        var after = await fixture.Server.Service<CaseReader>().GetAsync(fixture.WorkspaceId, id);
        if (expected == HttpStatusCode.Redirect)
        {
            Assert.Contains($"/cases/{id}?done=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
            Assert.True(after!.Audit.Count > before!.Audit.Count || after.Notes.Count > before.Notes.Count);
        }
        else
        {
            Assert.Equal(before!.Audit.Count, after!.Audit.Count);
            Assert.Equal(before.Notes.Count, after.Notes.Count);
        }
    }

    [Theory]
    [InlineData(DashboardRoles.Admin, "care", HttpStatusCode.OK)]
    [InlineData(DashboardRoles.Analyst, "care", HttpStatusCode.OK)]
    [InlineData(DashboardRoles.Viewer, "care", HttpStatusCode.OK)]
    [InlineData(DashboardRoles.Agent, "billing", HttpStatusCode.OK)]
    [InlineData(DashboardRoles.Agent, "care", HttpStatusCode.Forbidden)]
    public async Task Get_CasePage_AgentsSeeOnlyTheirTeam(string role, string team, HttpStatusCode expected)
    {
        var id = await OpenCaseAsync(team);
        using var client = await fixture.SignedInClientAsync(role);
        var response = await client.GetAsync($"/cases/{id}");
        Assert.Equal(expected, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected == HttpStatusCode.OK, html.Contains("Test case for the dashboard", StringComparison.Ordinal));
        Assert.Equal(role is DashboardRoles.Admin or DashboardRoles.Agent && expected == HttpStatusCode.OK, html.Contains("case-note", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_Queue_SignedOut_RedirectsToSignIn()
    {
        using var client = fixture.AnonymousClient();
        var response = await client.GetAsync("/cases?status=new");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith("/sign-in", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CasePage_CommentWithScript_RendersAsText()
    {
        var id = await OpenCaseAsync("billing");
        await fixture.Server.Service<CaseChanges>().AddNoteAsync(fixture.WorkspaceId, id, "<script>alert('x')</script> call +49 151 2345678", "test");
        using var viewer = await fixture.SignedInClientAsync(DashboardRoles.Viewer);
        var html = await viewer.GetStringAsync($"/cases/{id}");
        html = html.Replace("&#x27;", "'", StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert", html, StringComparison.Ordinal);
        // Viewers do not see phone numbers written into notes.
        Assert.DoesNotContain("2345678", html, StringComparison.Ordinal);
    }

    /// <summary>A new case of the team with a demo customer, assigned to one of the team's agents, through the case opener the API uses.</summary>
    private async Task<long> OpenCaseAsync(string team, string? owner = null)
    {
        owner ??= team == "billing" ? "sara" : "emil";
        var database = fixture.Server.Service<Database>();
        await using var connection = await database.OpenAsync();
        var customer = await connection.ExecuteScalarAsync<long>("SELECT min(id) FROM customers WHERE workspace_id = @ws AND erased_at IS NULL", new { ws = fixture.WorkspaceId });
        await using var transaction = await connection.BeginTransactionAsync();
        var (id, _) = await CaseOpener.OpenAsync(connection, transaction, new CaseOpening(
            fixture.WorkspaceId, "Test case for the dashboard", customer, "detractor", CasePriorities.Normal, team, owner, Actor: "test"),
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await transaction.CommitAsync();
        return id;
    }
}
