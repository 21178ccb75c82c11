using System.Globalization;

namespace OpenCem.Dashboard.Journeys;

/// <summary>How the Journeys page writes waits and shares, in the user's culture. Pure.</summary>
public static class JourneyText
{
    /// <summary>Minutes below an hour, hours below two days, days above.</summary>
    public static string Duration(double hours) => hours switch
    {
        < 1 => (hours * 60).ToString("N0", CultureInfo.CurrentCulture) + " min",
        < 48 => hours.ToString("N1", CultureInfo.CurrentCulture) + " h",
        _ => (hours / 24).ToString("N1", CultureInfo.CurrentCulture) + " " + DashboardCulture.T("d", "T"),
    };

    public static string Share(double? share) => share is { } s ? s.ToString("P1", CultureInfo.CurrentCulture) : "–";
}
