namespace OpenCem.Value.Churn;

/// <summary>A reason behind a customer's risk: the feature, the customer's value of it, whether it raises or lowers the risk, and how much.</summary>
public sealed record ChurnReason(string Feature, string Value, string Direction, double Weight);

/// <summary>
/// A churn model version as the API shows it: the contract's <c>modelId, auc, cvAuc, calibration, features</c> (the
/// chosen trainer's figures on held-out customers; importance is permutation importance, the fall in held-out AUC),
/// both trainers' figures, the sample sizes and what was left out of the features and why.
/// </summary>
public sealed record ChurnModelView(
    long ModelId,
    string Status,
    double Progress,
    string Label,
    double? Auc = null,
    double? CvAuc = null,
    IReadOnlyList<CalibrationBin>? Calibration = null,
    IReadOnlyList<FeatureImportance>? Features = null,
    string? Trainer = null,
    TrainerScore? Trees = null,
    TrainerScore? Baseline = null,
    int? N = null,
    int? Positives = null,
    int? HeldOut = null,
    string? PredictionDate = null,
    IReadOnlyList<LeftOut>? LeftOut = null,
    string? Importance = null,
    long? Scored = null,
    string? Error = null);

/// <summary>One customer's stored churn risk, the model version that gave it, and the reasons behind it.</summary>
public sealed record ChurnCustomerView(long CustomerId, double Risk, long ModelId, IReadOnlyList<ChurnReason> Reasons);
