using System.Text.Json.Serialization;

namespace OpenCem.Organisation.Targets;

/// <summary>One of the four strategic targets of the Customer Care Concept with the figures that measure it.</summary>
public sealed record StrategicTarget(string Key, string Name, IReadOnlyList<TargetKpi> Kpis);

/// <summary>
/// One measured figure: its definition, the current and the previous period's value, the change, and whether the
/// change is significant (null where no test applies). <see cref="Suppressed"/>: withheld for anonymity.
/// </summary>
public sealed record TargetKpi(
    string Key,
    string Definition,
    string Unit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Current,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Previous,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Change,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] bool? Significant,
    long? N = null,
    IReadOnlyList<TrendPoint>? Trend = null,
    bool Suppressed = false);

/// <summary>A period's value in a trend (null: no data, or suppressed).</summary>
public sealed record TrendPoint(string Period, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Value);

/// <summary>The targets page: the current and previous period and the four targets.</summary>
public sealed record TargetsView(string Period, DateTimeOffset CurrentStart, DateTimeOffset CurrentEnd, string PreviousPeriod, IReadOnlyList<StrategicTarget> Targets);
