using static OpenCem.Dashboard.DashboardCulture;

namespace OpenCem.Dashboard.Settings.Rules;

/// <summary>The days a dry-run covers, from the page's query string (pure): the last 30 days unless asked, at most 800 days as in the API.</summary>
public static class DryRunWindow
{
    public const int DefaultDays = 30;
    public const int MaxDays = 800;

    public static ((DateOnly From, DateOnly To) Window, Dictionary<string, string[]> Errors) Read(string? from, string? to, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        if (!SettingsForms.TryDate(to, out var end))
        {
            errors["to"] = [T("A date such as 2026-05-01.", "Ein Datum wie 2026-05-01.")];
        }

        if (!SettingsForms.TryDate(from, out var start))
        {
            errors["from"] = [T("A date such as 2026-05-01.", "Ein Datum wie 2026-05-01.")];
        }

        var last = end ?? today.AddDays(1);
        var first = start ?? last.AddDays(-DefaultDays);
        if (errors.Count == 0 && (first >= last || last.DayNumber - first.DayNumber > MaxDays))
        {
            errors["from"] = [T($"From must be before to, at most {MaxDays} days apart.", $"Von muss vor bis liegen, höchstens {MaxDays} Tage auseinander.")];
        }

        return ((first, last), errors);
    }
}
