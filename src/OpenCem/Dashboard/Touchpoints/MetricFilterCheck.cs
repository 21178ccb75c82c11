using OpenCem.Analytics.Metrics;

namespace OpenCem.Dashboard.Touchpoints;

/// <summary>
/// Checks the page's metric filters the way the API's parser does before they reach <see cref="MetricsReader"/>, which
/// expects known dimensions: a trait that is not rolled up becomes a message, not a server error.
/// </summary>
public static class MetricFilterCheck
{
    public static MetricsRequestError? Problem(IEnumerable<MetricFilter> filters, MetricsSettings settings)
    {
        foreach (var filter in filters)
        {
            if (MetricDimensions.Classify(filter.Dimension, settings, out var why) is null)
            {
                return new MetricsRequestError(filter.Dimension.StartsWith(MetricDimensions.TraitPrefix, StringComparison.Ordinal) ? "trait" : filter.Dimension, why ?? "unknown filter.");
            }
        }

        return null;
    }
}
