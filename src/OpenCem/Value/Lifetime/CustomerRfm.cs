namespace OpenCem.Value.Lifetime;

/// <summary>
/// One customer of the calibration cohort summarised as the models need it, with recency and age in whole days (so
/// customers compress into few distinct tuples) and the holdout purchases after the calibration end.
/// </summary>
/// <param name="Repeats">x: purchase days after the first one, up to the calibration end.</param>
/// <param name="LastRepeatDays">t_x in days: from the first purchase to the last repeat one (0 without repeats).</param>
/// <param name="AgeDays">T in days: from the first purchase to the calibration end.</param>
/// <param name="MeanRepeatValue">The mean value of the repeat purchase days (each day's purchases summed); 0 without repeats.</param>
/// <param name="HoldoutPurchases">Purchase days after the calibration end, by holdout period (index 0 is period 1); null when none.</param>
public sealed record CustomerRfm(long CustomerId, int Repeats, int LastRepeatDays, int AgeDays, double MeanRepeatValue, int[]? HoldoutPurchases);
