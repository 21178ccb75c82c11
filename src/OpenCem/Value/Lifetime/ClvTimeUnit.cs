namespace OpenCem.Value.Lifetime;

/// <summary>The period in which recency, age, the horizon and the discount rate are counted.</summary>
public enum ClvTimeUnit
{
    Day,
    Week,
    Month,
}

public static class ClvTimeUnits
{
    /// <summary>Days per unit; a month is the mean Gregorian month, so periods do not depend on which months they span.</summary>
    public static double Days(this ClvTimeUnit unit) => unit switch
    {
        ClvTimeUnit.Day => 1,
        ClvTimeUnit.Week => 7,
        ClvTimeUnit.Month => 365.2425 / 12,
    };

    public static bool TryParse(string? text, out ClvTimeUnit unit)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "day":
                unit = ClvTimeUnit.Day;
                return true;
            case "week":
                unit = ClvTimeUnit.Week;
                return true;
            case "month":
                unit = ClvTimeUnit.Month;
                return true;
            default:
                unit = ClvTimeUnit.Week;
                return false;
        }
    }

    public static string Name(this ClvTimeUnit unit) => unit.ToString().ToLowerInvariant();
}
