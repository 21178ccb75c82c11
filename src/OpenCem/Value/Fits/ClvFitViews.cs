using OpenCem.Value.Lifetime;

namespace OpenCem.Value.Fits;

/// <summary>The request of a fit, as posted and stored.</summary>
public sealed record ClvFitRequest(string CalibrationEnd, string TimeUnit, int Horizon, double DiscountRate);

public sealed record BgNbdView(double R, double Alpha, double A, double B);

public sealed record GammaGammaView(double P, double Q, double Gamma);

/// <summary>
/// A finished fit. <c>n</c>, the parameters, <c>logLikelihood</c> and <c>holdout</c> (cumulative repeat purchases after
/// the calibration end, predicted against actual) describe the calibration cohort; <c>customerEquity</c> is the sum of
/// the CLVs of every customer valued as of <c>asOf</c> (the last purchase day in the data) with the fitted parameters.
/// </summary>
public sealed record ClvFitResultView(
    long FitId,
    int N,
    BgNbdView Bgnbd,
    GammaGammaView GammaGamma,
    double LogLikelihood,
    double CustomerEquity,
    IReadOnlyList<HoldoutPoint> Holdout,
    string HoldoutKind,
    CalibrationCheck Calibration,
    int RepeatCustomers,
    int DistinctTuples,
    string CalibrationEnd,
    string TimeUnit,
    int Horizon,
    double DiscountRate,
    string AsOf,
    int CustomersValued,
    double ExpectedPurchases,
    long Purchases);

/// <summary>A fit as stored: queued, running (with progress 0..1), done (with its result) or failed (with why).</summary>
public sealed record ClvFitView(
    long Id,
    string Status,
    double Progress,
    ClvFitRequest Request,
    ClvFitResultView? Result,
    string? Error,
    string? ErrorField,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

public static class ClvFitStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
}
