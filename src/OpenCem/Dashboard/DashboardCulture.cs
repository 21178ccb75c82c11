using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace OpenCem.Dashboard;

/// <summary>
/// The interface languages, English and German, and the culture that formats numbers and dates in each. The
/// process runs with invariant globalization (no ICU), so the two cultures are built here rather than looked up.
/// </summary>
public static class DashboardCulture
{
    public const string CookieName = "opencem-lang";

    public static readonly IReadOnlyList<string> Languages = ["en", "de"];

    public static readonly CultureInfo English = Build(
        "en", ".", ",", "dd MMM yyyy", "dd MMM yyyy HH:mm", "MMM yyyy",
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]);

    public static readonly CultureInfo German = Build(
        "de", ",", ".", "dd.MM.yyyy", "dd.MM.yyyy HH:mm", "MMM yyyy",
        ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
        ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"]);

    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>The language of the request being rendered: en or de.</summary>
    public static string Language => Current.Value ?? "en";

    public static bool IsGerman => Language == "de";

    /// <summary>The text in the current language: keep texts next to the page that uses them.</summary>
    public static string T(string english, string german) => IsGerman ? german : english;

    /// <summary>The switch in the header (cookie) first, then the user's stored preference, then the browser's Accept-Language.</summary>
    public static string Choose(HttpContext context, string? preference)
    {
        if (context.Request.Cookies[CookieName] is { } cookie && Languages.Contains(cookie))
        {
            return cookie;
        }

        if (preference is not null && Languages.Contains(preference))
        {
            return preference;
        }

        foreach (var entry in context.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1))
        {
            var language = entry.Value.Value?.Split('-')[0].ToLowerInvariant();
            if (language is not null && Languages.Contains(language))
            {
                return language;
            }
        }

        return "en";
    }

    /// <summary>Sets the language and the formatting culture for the rest of this request.</summary>
    public static void Use(string language)
    {
        Current.Value = language;
        var culture = language == "de" ? German : English;
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }

    private static CultureInfo Build(
        string name, string decimalSeparator, string groupSeparator, string shortDate, string fullDate, string yearMonth, string[] months, string[] shortMonths)
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = decimalSeparator;
        culture.NumberFormat.NumberGroupSeparator = groupSeparator;
        culture.NumberFormat.PercentDecimalSeparator = decimalSeparator;
        culture.NumberFormat.PercentGroupSeparator = groupSeparator;
        culture.NumberFormat.CurrencyDecimalSeparator = decimalSeparator;
        culture.NumberFormat.CurrencyGroupSeparator = groupSeparator;
        culture.NumberFormat.CurrencySymbol = "€";
        culture.NumberFormat.CurrencyPositivePattern = name == "de" ? 3 : 0;
        culture.NumberFormat.CurrencyNegativePattern = name == "de" ? 8 : 1;
        culture.DateTimeFormat.ShortDatePattern = shortDate;
        culture.DateTimeFormat.LongDatePattern = shortDate;
        culture.DateTimeFormat.FullDateTimePattern = fullDate;
        culture.DateTimeFormat.ShortTimePattern = "HH:mm";
        culture.DateTimeFormat.YearMonthPattern = yearMonth;
        culture.DateTimeFormat.MonthNames = [.. months, ""];
        culture.DateTimeFormat.MonthGenitiveNames = [.. months, ""];
        culture.DateTimeFormat.AbbreviatedMonthNames = [.. shortMonths, ""];
        culture.DateTimeFormat.AbbreviatedMonthGenitiveNames = [.. shortMonths, ""];
        return CultureInfo.ReadOnly(culture);
    }
}
