using Dapper;
using OpenCem.Interactions;
using OpenCem.Storage;
using OpenCem.Text.Experience;
using OpenCem.Text.Insights;

namespace OpenCem.Text.Brand;

/// <summary>The answer of <c>GET /api/v1/brand/gap</c>.</summary>
public sealed record BrandGapView(
    DateTimeOffset? From, DateTimeOffset? To, string? Touchpoint, string Kind, string Period, IReadOnlyList<ValueGap> Values, IReadOnlyList<TermUse> Terms);

/// <summary>
/// Measures the brand values from <c>text_descriptor_daily</c> only (days × touchpoints × the values' terms of the
/// period, never the comments), so a brand value added or changed is measured at once over all history.
/// </summary>
public sealed class BrandGapReader(Database database, BrandValueStore values, CatalogueStore catalogue)
{
    public const int DefaultTerms = 20;

    public static readonly IReadOnlyList<string> Periods = ["day", "week", "month", "quarter"];

    public async Task<BrandGapView> GetAsync(
        long workspaceId, ThemeFilter filter, string? touchpointKey, string period, int terms, CancellationToken cancellationToken = default)
    {
        var brand = await values.ListAsync(workspaceId, cancellationToken);
        var wanted = brand.SelectMany(v => { var (w, o) = BrandGap.Terms(v); return w.Concat(o); }).Distinct().ToArray();
        var where = ExperienceFilter.Where(filter, "text_descriptor_daily");
        var args = new DynamicParameters(ExperienceFilter.Arguments(workspaceId, filter));
        args.Add("terms", wanted);
        args.Add("limit", terms);
        List<TermCount> counts = [];
        List<(string Term, long Affirmed, long Negated)> sums;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            if (wanted.Length > 0)
            {
                counts = (await connection.QueryAsync<CountRow>(
                        $"""
                        SELECT day AS Day, touchpoint_id AS TouchpointId, term AS Term, sum(affirmed) AS Affirmed, sum(negated) AS Negated
                        FROM text_descriptor_daily WHERE {where} AND {SqlLists.In(connection, "term", "terms")}
                        GROUP BY day, touchpoint_id, term
                        """,
                        args))
                    .Select(r => new TermCount(r.Day, r.TouchpointId, r.Term, r.Affirmed, r.Negated)).ToList();
            }

            sums = (await connection.QueryAsync<CountRow>(
                    $"""
                    SELECT term AS Term, sum(affirmed) AS Affirmed, sum(negated) AS Negated
                    FROM text_descriptor_daily WHERE {where}
                    GROUP BY term ORDER BY sum(affirmed) + sum(negated) DESC, term LIMIT @limit
                    """,
                    args))
                .Select(r => (r.Term, r.Affirmed, r.Negated)).ToList();
        }

        var touchpoints = (await catalogue.ListTouchpointsAsync(workspaceId, cancellationToken)).ToDictionary(t => t.Id);
        (string?, string) Touchpoint(long id) => touchpoints.TryGetValue(id, out var t) ? (t.Key, t.Name) : (null, "(no touchpoint)");
        var gaps = brand.Select(v => BrandGap.Of(v, counts, day => BrandGap.PeriodOf(day, period), Touchpoint)).ToList();
        return new BrandGapView(filter.From, filter.To, touchpointKey, filter.Kind ?? "all", period, gaps, BrandGap.TopTerms(sums, terms));
    }

    private sealed class CountRow
    {
        public long Day { get; set; }

        public long TouchpointId { get; set; }

        public string Term { get; set; } = "";

        public long Affirmed { get; set; }

        public long Negated { get; set; }
    }
}
