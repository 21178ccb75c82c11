using OpenCem.Dashboard.Components;
using OpenCem.Interactions;
using OpenCem.Text;
using OpenCem.Text.Insights;
using OpenCem.Text.Pipeline;
using OpenCem.Text.Themes;

namespace OpenCem.Dashboard.Text;

/// <summary>What the Text page shows: the themes API's view, the sentiment trend, a page of comments and the taxonomy (for names and highlighting).</summary>
public sealed record TextData(
    ThemesView Themes, IReadOnlyList<SentimentPoint> Trend, CommentPage Comments, IReadOnlyList<ThemeDefinition> Taxonomy, string? Theme, string? Search, int Page);

/// <summary>Reads the Text page through the text services: <see cref="ThemeInsights"/> (as GET /api/v1/text/themes), the trend and the comment search.</summary>
public sealed class TextReport(ThemeInsights insights, SentimentTrend trend, CommentSearch comments, TaxonomyStore taxonomy, CatalogueCache catalogue, TimeProvider time)
{
    public const int PageSize = 20;

    public async Task<TextData> ReadAsync(long workspaceId, DashboardFilters filters, string? theme, string? search, int page, CancellationToken cancellationToken = default)
    {
        var (from, to) = filters.Window(time.GetUtcNow());
        long? touchpointId = null;
        if (filters.Touchpoint is not null)
        {
            await catalogue.RefreshAsync([workspaceId], cancellationToken);
            // An unknown touchpoint key matches nothing rather than everything.
            touchpointId = catalogue.Get(workspaceId).Find(filters.Touchpoint)?.Id ?? -1;
        }

        var filter = new ThemeFilter(
            DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(to), filters.Survey, touchpointId, TextItemKind.Response);
        var themes = await taxonomy.ListAsync(workspaceId, cancellationToken);
        theme = theme is not null && themes.Any(t => t.Key == theme) ? theme : null;
        var view = await insights.GetAsync(workspaceId, filter, filters.Touchpoint, cancellationToken);
        var points = await trend.ReadAsync(workspaceId, filter, theme, filters.ChartInterval, cancellationToken);
        var list = await comments.FindAsync(workspaceId, new CommentQuery(filter, theme, search, page, PageSize), cancellationToken);
        return new TextData(view, points, list, themes, theme, search, page);
    }
}
