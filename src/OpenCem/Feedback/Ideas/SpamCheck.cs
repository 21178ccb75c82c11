using System.Text.RegularExpressions;

namespace OpenCem.Feedback.Ideas;

/// <summary>What the spam checks know about the author's recent posts.</summary>
public sealed record AuthorHistory(IReadOnlyList<string> RecentTexts, int PostsInBurstWindow);

/// <summary>
/// The spam checks, pure: a post is held for moderation (not refused) when it carries links, repeats a recent text of
/// its author, shouts in capitals, names a blocked word, or comes in a burst. Held posts wait for a staff decision,
/// so a false alarm costs a delay, not the customer's idea.
/// </summary>
public static partial class SpamCheck
{
    /// <summary>How far back the burst check counts posts, and how many are still a normal pace.</summary>
    public static readonly TimeSpan BurstWindow = TimeSpan.FromMinutes(10);

    public const int BurstLimit = 3;

    /// <summary>Words that hold a post whatever else it says (the usual spam vocabulary, English and German).</summary>
    public static readonly IReadOnlyList<string> DefaultBlocklist =
        ["viagra", "casino", "crypto", "bitcoin", "lottery", "loan offer", "click here", "free money", "gewinnspiel", "kredit ohne", "jetzt klicken"];

    public static IReadOnlyList<string> Reasons(string text, AuthorHistory history, IReadOnlyList<string>? blocklist = null)
    {
        var reasons = new List<string>();
        if (LinkPattern().IsMatch(text))
        {
            reasons.Add("links");
        }

        var normalised = Normalise(text);
        if (normalised.Length > 0 && history.RecentTexts.Any(t => Normalise(t) == normalised))
        {
            reasons.Add("repeated");
        }

        if (Shouting(text))
        {
            reasons.Add("all-caps");
        }

        var lower = text.ToLowerInvariant();
        foreach (var word in blocklist ?? DefaultBlocklist)
        {
            if (lower.Contains(word, StringComparison.Ordinal))
            {
                reasons.Add("blocklist: " + word);
                break;
            }
        }

        if (history.PostsInBurstWindow >= BurstLimit)
        {
            reasons.Add("burst");
        }

        return reasons;
    }

    /// <summary>Mostly capitals over at least 12 letters: one acronym ("DSL") is not shouting.</summary>
    public static bool Shouting(string text)
    {
        int letters = 0, upper = 0;
        foreach (var c in text)
        {
            if (char.IsLetter(c))
            {
                letters++;
                if (char.IsUpper(c))
                {
                    upper++;
                }
            }
        }

        return letters >= 12 && upper >= letters * 0.7;
    }

    private static string Normalise(string text) => WhiteSpace().Replace(text.Trim().ToLowerInvariant(), " ");

    [GeneratedRegex(@"(https?://|www\.|\b[a-z0-9-]+\.(com|net|org|de|ru|info|biz|io|xyz)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
