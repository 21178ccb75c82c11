using OpenCem.Feedback.Surveys;

namespace OpenCem.Feedback.Distribution;

/// <summary>An interaction at a touchpoint some survey's trigger watches, as the trigger scanner reads it.</summary>
public sealed class TriggeredInteraction
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public long TouchpointId { get; set; }

    public string? Event { get; set; }

    public string? Stage { get; set; }

    public string? Outcome { get; set; }

    public long OccurredAt { get; set; }
}

/// <summary>
/// Which interactions a survey's trigger asks about, pure. The touchpoint must match (by id, resolved from the
/// trigger's key), and the event name, journey stage and outcome when the trigger names them (case-insensitive).
/// Sampling is deterministic: a hash of the interaction and the survey decides, so scanning the same interactions
/// again draws the same sample, and two surveys at one touchpoint draw independently.
/// </summary>
public static class SurveyTriggers
{
    public static bool Matches(SurveyTrigger trigger, long touchpointId, TriggeredInteraction interaction) =>
        interaction.TouchpointId == touchpointId
        && Same(trigger.Event, interaction.Event)
        && Same(trigger.Stage, interaction.Stage)
        && Same(trigger.Outcome, interaction.Outcome);

    /// <summary>Whether the interaction is in the sample of <paramref name="rate"/> (0 to 1) for the survey.</summary>
    public static bool Sampled(long interactionId, long surveyId, double rate) => rate >= 1 || Draw(interactionId, surveyId) < rate;

    /// <summary>A number in [0, 1), uniform over interactions, the same on every run and machine.</summary>
    public static double Draw(long interactionId, long surveyId)
    {
        var mixed = Mix(Mix(unchecked((ulong)interactionId)) ^ unchecked((ulong)surveyId));
        return (mixed >> 11) * (1.0 / (1UL << 53));
    }

    private static bool Same(string? wanted, string? actual) =>
        string.IsNullOrEmpty(wanted) || string.Equals(wanted, actual, StringComparison.OrdinalIgnoreCase);

    /// <summary>SplitMix64's finaliser: every input bit affects every output bit.</summary>
    private static ulong Mix(ulong value)
    {
        unchecked
        {
            var z = value + 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
