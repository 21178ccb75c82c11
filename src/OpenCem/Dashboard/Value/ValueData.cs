using OpenCem.Value.Churn;
using OpenCem.Value.Equity;

namespace OpenCem.Dashboard.Value;

/// <summary>What the Value page shows, read through the value services (the same the equity and CLV APIs use).</summary>
public sealed record ValueData(
    ClvDistribution Clv, IReadOnlyList<EquityPoint> EquityTrend, EquitySegmentsView Segments, EquityTouchpointsView Touchpoints, AtRiskPage? AtRisk);

/// <summary>The groupings of equity the page offers (the equity API's segment parameter).</summary>
public static class ValueGroupings
{
    public static readonly IReadOnlyList<string> All = ["lifecycle", "tenure", "loyalty"];

    public static string Parse(string? text) => text is not null && All.Contains(text) ? text : "lifecycle";
}

/// <summary>Words for churn reasons: "failedSetups7d = 4 (raises)" — the feature, the customer's value, which way it pushes. Pure.</summary>
public static class ChurnReasonText
{
    public static string Of(ChurnReason reason, string raises, string lowers) =>
        $"{reason.Feature} = {reason.Value} ({(reason.Direction == "raises" ? raises : lowers)})";

    public static string Top(IReadOnlyList<ChurnReason> reasons, string raises, string lowers, int count = 3) =>
        reasons.Count == 0 ? "–" : string.Join("; ", reasons.Take(count).Select(r => Of(r, raises, lowers)));
}

public sealed class ValueReport(CustomerValueReport values, EquityQuery equity)
{
    public const int PageSize = 25;

    /// <param name="withCustomers">False for roles that may not list customers outside their cases (agents).</param>
    public async Task<ValueData> ReadAsync(long workspaceId, string grouping, int page, bool withCustomers, CancellationToken cancellationToken = default)
    {
        // The distribution reads every customer's value: remembered per equity totals version (each fit, scoring or
        // erasure). The trend is not: a fit is marked done after its values commit (a later write the version misses),
        // and it reads at most 24 fit rows.
        var clv = await equity.RememberedAsync(workspaceId, "clv", () => values.ClvDistributionAsync(workspaceId, cancellationToken), cancellationToken);
        var trend = await values.EquityTrendAsync(workspaceId, cancellationToken: cancellationToken);
        var segments = await equity.BySegmentAsync(workspaceId, grouping, cancellationToken);
        var touchpoints = await equity.ByTouchpointAsync(workspaceId, cancellationToken);
        var atRisk = withCustomers && segments.ChurnModelId is not null ? await values.AtRiskAsync(workspaceId, page, PageSize, cancellationToken) : null;
        return new ValueData(clv, trend, segments, touchpoints, atRisk);
    }
}
