namespace OpenCem.Value.Lifetime;

/// <summary>Predicted against actual repeat purchases of the calibration cohort, cumulative from the calibration end to the end of <see cref="Period"/>.</summary>
public sealed record HoldoutPoint(int Period, double Predicted, long Actual);

/// <summary>One customer's value under a fit.</summary>
public readonly record struct CustomerValue(long CustomerId, double Clv, double ProbabilityAlive, double ExpectedPurchases);

/// <summary>
/// Repeat purchases in the calibration period: actual, and what the model expects of customers of these ages
/// (Σ E[X(T)]); with the holdout this is the paper's cumulative tracking from each customer's first purchase.
/// </summary>
public sealed record CalibrationCheck(double Predicted, long Actual);

/// <summary>A fitted model: its parameters on the calibration cohort (N customers) and the holdout check.</summary>
public sealed record ClvModel(
    int N,
    int RepeatCustomers,
    int DistinctTuples,
    BgNbdParameters BgNbd,
    GammaGammaParameters GammaGamma,
    double LogLikelihood,
    IReadOnlyList<HoldoutPoint> Holdout,
    CalibrationCheck Calibration);
