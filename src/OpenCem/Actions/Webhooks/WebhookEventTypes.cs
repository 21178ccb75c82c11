using OpenCem.Actions.Events;

namespace OpenCem.Actions.Webhooks;

/// <summary>
/// Which events a subscription names, pure: exact event types, a prefix pattern such as <c>case.*</c>, or <c>*</c> for all.
/// </summary>
public static class WebhookEventTypes
{
    public const string All = "*";

    /// <summary>Null when <paramref name="pattern"/> is a known event type or a pattern that matches at least one; else why not.</summary>
    public static string? Check(string pattern)
    {
        if (pattern == All || EventTypes.All.Contains(pattern))
        {
            return null;
        }

        if (pattern.EndsWith(".*", StringComparison.Ordinal) && EventTypes.All.Any(t => Matches(pattern, t)))
        {
            return null;
        }

        return $"\"{pattern}\" is not an event type; use one of {string.Join(", ", EventTypes.All)}, a prefix pattern such as case.*, or *.";
    }

    public static bool Matches(string pattern, string type) =>
        pattern == All || pattern == type
        || (pattern.EndsWith(".*", StringComparison.Ordinal) && type.StartsWith(pattern[..^1], StringComparison.Ordinal));

    public static bool MatchesAny(IEnumerable<string> patterns, string type) => patterns.Any(p => Matches(p, type));
}
