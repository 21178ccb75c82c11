using System.Text.Json.Serialization;

namespace OpenCem.Analytics.Metrics;

/// <summary>
/// One row of a metrics report: a period and group, n, the value with its 95 % interval (null only when n &lt; 2),
/// the previous period's value of the same group and whether the change is significant. <see cref="Flagged"/>:
/// n is below the minimum, so the row is never significant. CSAT rows carry the mean, NPS rows the shares.
/// </summary>
public sealed record MetricRow(
    string Period,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyDictionary<string, string?>? Group,
    long N,
    double Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? CiLow,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? CiHigh,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Previous,
    bool Significant,
    bool Flagged,
    DateTimeOffset? PeriodStart,
    long? PreviousN,
    double? Mean,
    double? Promoters,
    double? Detractors);
