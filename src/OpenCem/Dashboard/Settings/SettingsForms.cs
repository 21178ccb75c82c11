using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace OpenCem.Dashboard.Settings;

/// <summary>Small helpers of the settings forms, pure: field errors by name, posted values, dates.</summary>
public static class SettingsForms
{
    /// <summary>The messages of <paramref name="field"/> and its parts (<c>names.en</c>, <c>keywords.en[2]</c>), the part named.</summary>
    public static IEnumerable<string> Messages(IReadOnlyDictionary<string, string[]> errors, string field)
    {
        foreach (var (key, messages) in errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var own = key == field;
            if (!own && !(key.StartsWith(field, StringComparison.Ordinal) && key.Length > field.Length && key[field.Length] is '.' or '['))
            {
                continue;
            }

            foreach (var message in messages)
            {
                yield return own ? message : $"{key}: {message}";
            }
        }
    }

    /// <summary>A posted text, trimmed; null when missing or blank.</summary>
    public static string? Text(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.ToString().Trim() is { Length: > 0 } text ? text : null;

    /// <summary>A yyyy-MM-dd date (what an input of type date sends); null when missing, false when not a date.</summary>
    public static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && parsed.Year >= 1970)
        {
            date = parsed;
            return true;
        }

        return false;
    }
}
