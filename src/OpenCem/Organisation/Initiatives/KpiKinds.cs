namespace OpenCem.Organisation.Initiatives;

/// <summary>What a target KPI measures, and how its effect is tested.</summary>
public static class KpiKinds
{
    public const string Nps = "nps";
    public const string Csat = "csat";
    public const string Ces = "ces";

    /// <summary>The mean of one rating or numeric question of one survey.</summary>
    public const string Metric = "metric";

    /// <summary>The share of decided cases that never breached their SLA.</summary>
    public const string SlaAttainment = "sla-attainment";
    public const string Enps = "enps";

    public static readonly IReadOnlyList<string> All = [Nps, Csat, Ces, Metric, SlaAttainment, Enps];

    /// <summary>How a kind is measured: CSAT as its top-two box unless the mean is asked for.</summary>
    public static KpiMeasure MeasureOf(string kind, string? csatMeasure) => kind switch
    {
        Nps or Enps => KpiMeasure.Nps,
        Csat => csatMeasure == CsatMean ? KpiMeasure.Mean : KpiMeasure.Share,
        SlaAttainment => KpiMeasure.Share,
        _ => KpiMeasure.Mean,
    };

    public const string CsatTopTwoBox = "top-two-box";
    public const string CsatMean = "mean";
}

/// <summary>The statistic behind a KPI: NPS (points, PRODUCT.md's SE), a share (percent, two-proportion SE), or a mean (Welch).</summary>
public enum KpiMeasure
{
    Nps,
    Share,
    Mean,
}

public static class KpiDirections
{
    public const string Increase = "increase";
    public const string Decrease = "decrease";

    public static readonly IReadOnlyList<string> All = [Increase, Decrease];
}

/// <summary>
/// A target KPI of an initiative. Its scope: touchpoint keys (nps, csat, ces, metric, sla-attainment), a survey (nps,
/// csat, ces, enps; required with metric together with the question), a team (sla-attainment: the case team; enps: the
/// pulse's <c>team</c> answer). <see cref="Comparison"/> lists the untouched touchpoints (or teams, for a team-scoped
/// KPI) to compare with; null means all the others.
/// </summary>
public sealed record InitiativeKpi(
    long Id, string Kind, string? Measure, long? SurveyId, string? Question, IReadOnlyList<string> Touchpoints, string? Team, string Direction,
    double? Target, IReadOnlyList<string>? Comparison, KpiBaseline? Baseline)
{
    public KpiMeasure Statistic => KpiKinds.MeasureOf(Kind, Measure);
}

/// <summary>The KPI's value over a window before realisation, captured when the initiative entered realisation or on demand.</summary>
public sealed record KpiBaseline(double? Value, long N, DateTimeOffset From, DateTimeOffset To, DateTimeOffset CapturedAt);
