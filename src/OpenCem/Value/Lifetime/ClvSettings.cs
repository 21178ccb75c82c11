namespace OpenCem.Value.Lifetime;

/// <summary>
/// What a fit is asked for: purchases up to <see cref="CalibrationEnd"/> (inclusive) calibrate the models, later ones
/// check them; CLV counts <see cref="Horizon"/> periods of <see cref="TimeUnit"/>, each discounted by
/// <see cref="DiscountRate"/> per period.
/// </summary>
public sealed record ClvSettings(DateOnly CalibrationEnd, ClvTimeUnit TimeUnit, int Horizon, double DiscountRate)
{
    /// <summary>Below this many customers with repeat purchases the parameters are not worth reporting.</summary>
    public const int MinimumRepeatCustomers = 20;

    public const int MaximumHorizon = 3_650;

    public int CalibrationEndDay => Purchase.DayOf(CalibrationEnd);
}
