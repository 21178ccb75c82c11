using OpenCem.Dashboard.Layout;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

/// <summary>
/// Every stylesheet a page asks for reaches its head, also when several components each bring one (Blazor keeps only
/// the last HeadContent, which used to drop analytics.css from the Organisation pages).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class PageStylesheetsTests(DashboardFixture fixture)
{
    [Theory]
    [InlineData("/organisation", "analytics.css,organisation.css")]
    [InlineData("/personas", "analytics.css,personas.css")]
    [InlineData("/drivers", "analytics.css")]
    [InlineData("/cases", "work.css")]
    [InlineData("/settings", "settings.css")]
    [InlineData("/", "")]
    public async Task Page_LinksEveryStylesheetItsComponentsAskFor_InItsHead(string path, string sheets)
    {
        using var client = await fixture.SignedInClientAsync(DashboardRoles.Admin);
        var html = await client.GetStringAsync(path);
        var head = html[..html.IndexOf("</head>", StringComparison.Ordinal)];
        var linked = System.Text.RegularExpressions.Regex.Matches(head, "href=\"/assets/dashboard/([a-z]+\\.css)\\?").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["dashboard.css", .. sheets.Split(',', StringSplitOptions.RemoveEmptyEntries)], linked);
        Assert.DoesNotContain("rel=\"stylesheet\"", html[head.Length..], StringComparison.Ordinal);
    }

    [Fact]
    public void Stylesheets_KeepTheFirstAskedOrder_OnceEach_AndSayWhenOneIsAdded()
    {
        var sheets = new PageStylesheets();
        var changes = 0;
        sheets.Changed += () => changes++;
        sheets.Add("analytics.css");
        sheets.Add("organisation.css");
        sheets.Add("analytics.css");
        Assert.Equal(["analytics.css", "organisation.css"], sheets.Names);
        Assert.Equal(2, changes);
    }
}
