namespace OpenCem.Analytics.Drivers;

/// <summary>
/// The importance × performance matrix. A driver is important when its share of R² is at least the mean share
/// (100 % / k), and performs well when its performance on 0–100 is at least the mean over the drivers:
/// important and weak → "fix first"; important and strong → "keep up"; less important and strong → "maintain"
/// (do not over-invest); less important and weak → "monitor".
/// </summary>
public static class DriverQuadrants
{
    public const string FixFirst = "fix first";
    public const string KeepUp = "keep up";
    public const string Maintain = "maintain";
    public const string Monitor = "monitor";

    public static string Of(double share, double meanShare, double performance100, double meanPerformance100)
    {
        var important = share >= meanShare;
        // Without a known scale the driver counts as performing at the mean.
        var strong = double.IsNaN(performance100) || double.IsNaN(meanPerformance100) || performance100 >= meanPerformance100;
        return (important, strong) switch
        {
            (true, false) => FixFirst,
            (true, true) => KeepUp,
            (false, true) => Maintain,
            (false, false) => Monitor,
        };
    }
}
