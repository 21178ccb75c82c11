using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCem.Dashboard.Components;

namespace OpenCem.Tests.Dashboard;

/// <summary>The component kit rendered to HTML without a server: what customers write is always encoded.</summary>
public sealed class DashboardComponentTests
{
    private const string Comment = "<script>alert('x')</script> & <img src=x onerror=alert(1)>";

    [Fact]
    public async Task DataTable_CommentWithScript_RendersAsText()
    {
        var html = await RenderAsync<DataTable<string>>(new Dictionary<string, object?>
        {
            ["Caption"] = "Comments",
            ["Items"] = new List<string> { Comment },
            ["Columns"] = new List<DataColumn<string>> { new("Comment", c => c) },
        });

        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", html);
    }

    [Fact]
    public async Task Chart_LabelsWithMarkup_AreEncodedInTheDataAttributeAndTable()
    {
        var html = await RenderAsync<Chart>(new Dictionary<string, object?>
        {
            ["Title"] = "Themes",
            ["Kind"] = ChartKind.Bar,
            ["XLabel"] = "Theme",
            ["YLabel"] = "Mentions",
            ["Labels"] = new List<string> { Comment },
            ["Series"] = new List<ChartSeries> { new("Mentions", [3]) },
        });

        Assert.DoesNotContain("<script>", html);
        Assert.Contains("role=\"img\"", html);
        Assert.Contains("aria-label=\"Themes\"", html);
        Assert.Contains("<summary>Data</summary>", html);
        Assert.Contains("&quot;xLabel&quot;:&quot;Theme&quot;", html);
    }

    [Fact]
    public async Task Tile_WithoutValue_SaysSoInsteadOfZero()
    {
        var html = await RenderAsync<Tile>(new Dictionary<string, object?> { ["Label"] = "NPS", ["Value"] = null });

        Assert.Contains("No data in this period", html);
        Assert.DoesNotContain("tile-value", html);
    }

    [Fact]
    public async Task Tile_WithTrend_ShowsIntervalChangeSignificanceAndN()
    {
        var html = await RenderAsync<Tile>(new Dictionary<string, object?>
        {
            ["Label"] = "NPS",
            ["Value"] = 31.5,
            ["Low"] = 25.0,
            ["High"] = 38.0,
            ["Previous"] = 20.0,
            ["Significant"] = true,
            ["N"] = 1234L,
        });

        Assert.Contains("25.0 – 38.0", html);
        Assert.Contains("+11.5 vs previous period", System.Net.WebUtility.HtmlDecode(html));
        Assert.Contains("trend-good", html);
        Assert.Contains("(significant)", html);
        Assert.Contains("n = 1,234", html);
    }

    private static async Task<string> RenderAsync<TComponent>(Dictionary<string, object?> parameters) where TComponent : IComponent
    {
        OpenCem.Dashboard.DashboardCulture.Use("en");
        await using var services = new ServiceCollection().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }
}
