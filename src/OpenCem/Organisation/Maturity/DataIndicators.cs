namespace OpenCem.Organisation.Maturity;

/// <summary>
/// An indicator measured from OpenCem's data for an element (and the criterion it speaks to): its definition and the
/// four cut points that band its value: 1 below the first, 5 at or above the last.
/// </summary>
public sealed record IndicatorDefinition(string Key, string Element, string Criterion, string Name, string Definition, IReadOnlyList<double> Thresholds)
{
    /// <summary>The 1–5 band of <paramref name="value"/>: one plus the number of cut points it reaches; null without a value.</summary>
    public int? Band(double? value) => value is { } v && !double.IsNaN(v) ? 1 + Thresholds.Count(t => v >= t) : null;
}

/// <summary>What <see cref="IndicatorReader"/> measured for one indicator: a share 0–1 (null when there was nothing to measure) and its basis.</summary>
public sealed record IndicatorMeasurement(string Key, double? Value, long Basis)
{
    public static IndicatorMeasurement Share(string key, double part, double whole, long basis) =>
        new(key, whole > 0 ? Math.Clamp(part / whole, 0, 1) : null, basis);
}

/// <summary>
/// The indicators OpenCem measures, for the elements where its data speaks. Windows end at the assessment's date (or
/// now, if that is later than now); the case rollup has no time axis, so its two indicators cover all closed cases.
/// </summary>
public static class DataIndicators
{
    public const string KnownInteractions = "known-interactions";
    public const string ScoredCustomers = "scored-customers";
    public const string SurveyedChannels = "surveyed-channels";
    public const string CrossChannelCustomers = "cross-channel-customers";
    public const string SlaAttainment = "sla-attainment";
    public const string RecoveryRate = "recovery-rate";
    public const string Advocates = "advocates";
    public const string AnalysedTexts = "analysed-texts";
    public const string MeasuredEquity = "measured-equity";

    public const int RecentDays = 90;
    public const int ValueDays = 365;

    public static readonly IReadOnlyList<IndicatorDefinition> All =
    [
        new(KnownInteractions, "customer-insight", "customer-insight.customer-knowledge", "Interactions linked to a known customer",
            "Share of the interactions of the last 90 days whose profile carries an identifier other than an anonymous id.",
            [0.5, 0.7, 0.85, 0.95]),
        new(ScoredCustomers, "customer-insight", "customer-insight.feedback-loop", "Active customers with a recent score",
            "Share of the customers with an interaction in the last 90 days who gave an NPS, CSAT or CES answer in those 90 days.",
            [0.05, 0.1, 0.2, 0.35]),
        new(SurveyedChannels, "channels-interaction", "channels-interaction.channel-coverage", "Channels covered by surveys",
            "Share of the channels with interactions in the last 90 days that had survey responses at their touchpoints in that time or carry a survey trigger.",
            [0.2, 0.4, 0.6, 0.8]),
        new(CrossChannelCustomers, "channels-interaction", "channels-interaction.cross-channel", "Customers seen across channels",
            "Share of the customers with a journey started in the last 90 days whose journeys in that time ran in two or more channels.",
            [0.1, 0.2, 0.35, 0.5]),
        new(SlaAttainment, "service-processes", "service-processes.sla", "Case SLA attainment",
            "Share of the closed cases that never breached their SLA (the case recovery rollup, all time).",
            [0.5, 0.7, 0.85, 0.95]),
        new(RecoveryRate, "service-processes", "service-processes.complaint-recovery", "Recovery rate",
            "Share of the closed cases with a measured outcome in which the customer was recovered (the case recovery rollup, all time).",
            [0.15, 0.3, 0.45, 0.6]),
        new(Advocates, "customer-participation", "customer-participation.advocacy", "Advocates and promoters",
            "Share of the customers on the loyalty ladder in the assessment's month who are advocates (a referral, or a promoter score with a positive review, in 12 months) or whose latest NPS answer is a promoter's.",
            [0.02, 0.05, 0.1, 0.2]),
        new(AnalysedTexts, "technology", "technology.text-analytics", "Comments and signals analysed",
            "Share of the survey comments and signals of the last 90 days that have a text analysis (sentiment, emotions, themes).",
            [0.25, 0.5, 0.75, 0.95]),
        new(MeasuredEquity, "finance-performance", "finance-performance.customer-value", "Customer equity under measurement",
            "Share of customer equity (the sum of CLV) held by customers with an NPS, CSAT or CES answer in the last 12 months.",
            [0.2, 0.4, 0.6, 0.8]),
    ];

    public static IEnumerable<IndicatorDefinition> Of(string element) => All.Where(i => i.Element == element);
}
