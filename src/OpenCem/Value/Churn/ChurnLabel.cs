using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenCem.Value.Churn;

/// <summary>
/// What counts as churn: a trait value (<c>trait:NAME=VALUE</c>, e.g. a "Churn" column of Yes/No) or an event within a
/// window (<c>event:EVENT_NAME within DAYS</c>: with T0 = the last event time − DAYS, churned means the event in
/// (T0, T0 + DAYS]; features come only from before T0; customers who had the event before T0 are left out).
/// </summary>
public sealed partial record ChurnLabel(string Text, string? Trait, string? TraitValue, string? Event, int Days)
{
    public bool IsTrait => Trait is not null;

    [GeneratedRegex(@"^trait:(?<name>[^=]+)=(?<value>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex TraitPattern();

    [GeneratedRegex(@"^event:(?<name>.+?)\s+within\s+(?<days>\d{1,5})$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex EventPattern();

    /// <summary>Reads a label, or says why it cannot.</summary>
    public static (ChurnLabel? Label, string? Error) Parse(string? text)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return (null, "label is required: \"trait:NAME=VALUE\" or \"event:EVENT_NAME within DAYS\".");
        }

        if (TraitPattern().Match(text) is { Success: true } trait)
        {
            var name = trait.Groups["name"].Value.Trim();
            return name.Length == 0
                ? (null, "The trait name of the label is empty.")
                : (new ChurnLabel(text, name, trait.Groups["value"].Value.Trim(), null, 0), null);
        }

        if (EventPattern().Match(text) is { Success: true } ev)
        {
            var days = int.Parse(ev.Groups["days"].Value, CultureInfo.InvariantCulture);
            return days is < 1 or > 3650
                ? (null, "The label's window must be 1 to 3650 days.")
                : (new ChurnLabel(text, null, null, ev.Groups["name"].Value.Trim(), days), null);
        }

        return (null, $"\"{text}\" is not a churn label; use \"trait:NAME=VALUE\" or \"event:EVENT_NAME within DAYS\".");
    }

    /// <summary>Whether a trait's text is the churned value (case-insensitive, so Yes/yes/YES agree).</summary>
    public bool Matches(string? traitText) => traitText is not null && string.Equals(traitText.Trim(), TraitValue, StringComparison.OrdinalIgnoreCase);
}
