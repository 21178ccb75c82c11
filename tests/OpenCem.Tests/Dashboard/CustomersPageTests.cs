using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Playwright;
using OpenCem.Storage;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

/// <summary>
/// The Customers pages in Chromium and over HTTP: search by identifier and name, the 360 with its timeline, personal
/// data masked without the permission, and agents kept to the customers behind their team's cases.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class CustomersPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Search_ByEmail_FindsTheCustomerAndThe360RendersWithTimeline()
    {
        var (id, name, email) = await NamedCustomerAsync();
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/customers");
        var page = browser.Page;
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Customers");
        await browser.AssertAccessibleAsync();

        await page.FillAsync("input[name=q]", email.ToUpperInvariant());
        await page.ClickAsync("form[role=search] button[type=submit]");
        await page.WaitForURLAsync(url => url.Contains("q=", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator($"table.data-table a[href='/customers/{id}']")).ToHaveTextAsync(name);
        await browser.ScreenshotAsync("customers-search-1280");
        await browser.AssertAccessibleAsync();

        // Another search (the filter in the URL) updates the results.
        await browser.GotoAsync("/customers?q=" + Uri.EscapeDataString("no-such-person-anywhere@example.org"));
        await Assertions.Expect(page.Locator(".empty-state")).ToContainTextAsync("No customer matches");

        await browser.GotoAsync($"/customers/{id}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(name);
        await Assertions.Expect(page.Locator("#ids-title")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table:has(caption:text('Identifiers'))")).ToContainTextAsync(email.ToLowerInvariant());
        await Assertions.Expect(page.Locator("table:has(caption:text('Traits'))")).ToContainTextAsync("crm");
        var timeline = page.Locator("table:has(caption:text('Everything that happened')) tbody tr");
        await Assertions.Expect(timeline.First).ToBeVisibleAsync();
        var firstPage = await timeline.AllInnerTextsAsync();
        await browser.ScreenshotAsync("customer-360-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();

        if (await page.Locator("a[rel=next]:has-text('Older')").CountAsync() > 0)
        {
            await page.ClickAsync("a[rel=next]:has-text('Older')");
            await page.WaitForURLAsync(url => url.Contains("history=", StringComparison.Ordinal));
            var secondPage = await timeline.AllInnerTextsAsync();
            Assert.NotEqual(firstPage, secondPage);
        }

        await browser.GotoAsync($"/customers/{id}");
        var narrow = await DashboardBrowser.StartAsync(fixture.Chromium, fixture.Server.BaseAddress, 375, 800, "de-DE");
        await using (narrow)
        {
            await narrow.SignInAsync(DashboardFixture.Email(DashboardRoles.Analyst), DashboardFixture.Password(DashboardRoles.Analyst));
            await narrow.GotoAsync($"/language/de?returnUrl=/customers/{id}");
            await Assertions.Expect(narrow.Page.Locator("#history-title")).ToHaveTextAsync("Verlauf");
            await narrow.ScreenshotAsync("customer-360-375-de");
            await narrow.AssertNoHorizontalOverflowAsync();
            narrow.AssertNoConsoleErrors();
        }

        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Customer360_Viewer_SeesPersonalDataMasked()
    {
        var (id, name, email) = await NamedCustomerAsync();
        using var viewer = await fixture.SignedInClientAsync(DashboardRoles.Viewer);
        var html = WebUtility.HtmlDecode(await viewer.GetStringAsync($"/customers/{id}"));
        Assert.DoesNotContain(name, html, StringComparison.Ordinal);
        Assert.DoesNotContain(email, html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(name[0] + "•••", html, StringComparison.Ordinal);
        Assert.Contains("•••@", html, StringComparison.Ordinal);

        var search = WebUtility.HtmlDecode(await viewer.GetStringAsync("/customers?q=" + Uri.EscapeDataString(email)));
        Assert.Contains($"/customers/{id}", search, StringComparison.Ordinal);
        // The search box and caption repeat what the viewer typed; the result rows show the address masked.
        Assert.DoesNotContain("<td>" + email + "</td>", search, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<td>•••@", search, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Customer360_Agent_OpensOnlyCustomersBehindTheirTeamsCases()
    {
        var database = fixture.Server.Service<Database>();
        await using var connection = await database.OpenAsync();
        var ws = fixture.WorkspaceId;
        var behind = await connection.ExecuteScalarAsync<long>(
            "SELECT max(customer_id) FROM cases WHERE workspace_id = @ws AND team = 'billing' AND customer_id IS NOT NULL", new { ws });
        var notBehind = await connection.ExecuteScalarAsync<long>(
            """
            SELECT max(c.id) FROM customers c
            WHERE c.workspace_id = @ws AND c.erased_at IS NULL AND c.traits LIKE '%"email"%'
              AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.workspace_id = c.workspace_id AND k.customer_id = c.id AND k.team = 'billing')
            """,
            new { ws });
        using var agent = await fixture.SignedInClientAsync(DashboardRoles.Agent);

        var allowed = await agent.GetAsync($"/customers/{behind}");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var refused = await agent.GetAsync($"/customers/{notBehind}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Not allowed", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Search does not reveal customers the agent may not open.
        var traits = JsonNode.Parse(await connection.ExecuteScalarAsync<string>("SELECT traits FROM customers WHERE id = @notBehind", new { notBehind }) ?? "{}")!;
        var hidden = (string)traits["email"]!;
        var search = await agent.GetStringAsync("/customers?q=" + Uri.EscapeDataString(hidden));
        Assert.DoesNotContain($"/customers/{notBehind}\"", search, StringComparison.Ordinal);

        foreach (var role in new[] { DashboardRoles.Admin, DashboardRoles.Analyst, DashboardRoles.Viewer })
        {
            using var client = await fixture.SignedInClientAsync(role);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/customers/{notBehind}")).StatusCode);
        }

        using var admin = await fixture.SignedInClientAsync(DashboardRoles.Admin);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/customers/999999999")).StatusCode);
    }

    [Fact]
    public async Task Customers_SignedOut_RedirectsToSignIn()
    {
        using var client = fixture.AnonymousClient();
        var response = await client.GetAsync("/customers/1");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith("/sign-in", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    /// <summary>A demo customer from the CRM, with a name and an e-mail address in their traits.</summary>
    private async Task<(long Id, string Name, string Email)> NamedCustomerAsync()
    {
        await using var connection = await fixture.Server.Service<Database>().OpenAsync();
        var rows = await connection.QueryAsync<(long Id, string Traits)>(
            "SELECT id, traits FROM customers WHERE workspace_id = @ws AND erased_at IS NULL AND traits LIKE '%\"name\"%' AND traits LIKE '%\"email\"%' ORDER BY id LIMIT 50",
            new { ws = fixture.WorkspaceId });
        foreach (var (id, json) in rows)
        {
            var traits = JsonNode.Parse(json)!;
            if ((string?)traits["name"] is { } name && (string?)traits["email"] is { } email && email.Contains('@', StringComparison.Ordinal)
                && !email.Contains("shop", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("Prospect", StringComparison.Ordinal))
            {
                return (id, name, email);
            }
        }

        throw new InvalidOperationException("The demo has no customer with a name and an e-mail address.");
    }
}
