using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace OpenCem.Feedback.Respondents;

/// <summary>
/// The language a respondent page is shown in: the one asked for in <c>?lang=</c> if the survey has it, else the
/// invitation's, else the best of the browser's <c>Accept-Language</c> the survey has, else the survey's default.
/// </summary>
public static class PageLanguage
{
    public static string Choose(IReadOnlyList<string> available, string fallback, string? query, string? invitation, StringValues acceptLanguage) =>
        Match(available, query) ?? Match(available, invitation) ?? Accepted(available, acceptLanguage) ?? fallback;

    /// <summary>The available language equal to <paramref name="wanted"/>, or to its primary subtag (de-CH → de); null when none is.</summary>
    public static string? Match(IReadOnlyList<string> available, string? wanted)
    {
        if (string.IsNullOrWhiteSpace(wanted) || wanted.Length > 35)
        {
            return null;
        }

        var normalised = wanted.Trim().Replace('_', '-');
        foreach (var language in available)
        {
            if (string.Equals(language, normalised, StringComparison.OrdinalIgnoreCase))
            {
                return language;
            }
        }

        var primary = Primary(normalised);
        foreach (var language in available)
        {
            if (string.Equals(language, primary, StringComparison.OrdinalIgnoreCase))
            {
                return language;
            }
        }

        return null;
    }

    /// <summary>The primary subtag of a language tag, lower case: <c>de-CH</c> → <c>de</c>.</summary>
    public static string Primary(string language)
    {
        var end = language.AsSpan().IndexOfAny('-', '_');
        return (end < 0 ? language : language[..end]).ToLowerInvariant();
    }

    /// <summary>The browser's most wanted language that is available (by quality, then order); null when none is.</summary>
    public static string? Accepted(IReadOnlyList<string> available, StringValues header)
    {
        if (StringValues.IsNullOrEmpty(header) || !StringWithQualityHeaderValue.TryParseList(header, out var parsed))
        {
            return null;
        }

        string? best = null;
        var bestQuality = 0.0;
        foreach (var entry in parsed)
        {
            var quality = entry.Quality ?? 1.0;
            if (quality > bestQuality && Match(available, entry.Value.Value) is { } match)
            {
                best = match;
                bestQuality = quality;
            }
        }

        return best;
    }
}
