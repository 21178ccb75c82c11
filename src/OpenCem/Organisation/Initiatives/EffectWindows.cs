using System.Text.Json.Serialization;

namespace OpenCem.Organisation.Initiatives;

/// <summary>A window of whole UTC days: <see cref="From"/> inclusive, <see cref="To"/> exclusive.</summary>
public sealed record EffectWindow(DateTimeOffset From, DateTimeOffset To)
{
    [JsonIgnore]
    public bool IsEmpty => To <= From;
}

/// <summary>
/// The before and after windows of an initiative's effect. Pure. Before: the <c>beforeDays</c> whole days before the
/// day realisation started. After: from that day plus <c>lagDays</c> (the change needs time to reach customers) to
/// the end of today — or, once the initiative is in standardisation, to 90 days after that began; a stopped
/// initiative is followed up to the day it stopped. Rollups count whole UTC days, so the windows do too.
/// </summary>
public static class EffectWindows
{
    public const int DefaultBeforeDays = 90;
    public const int DefaultLagDays = 30;
    public const int FollowUpDays = 90;

    /// <summary>The windows, or null when the initiative never entered realisation (nothing to measure yet).</summary>
    public static (EffectWindow Before, EffectWindow After)? For(IReadOnlyList<PhaseChange> history, DateTimeOffset now, int beforeDays, int lagDays)
    {
        if (history.FirstOrDefault(h => h.To == InitiativePhases.Realisation) is not { } realisation)
        {
            return null;
        }

        var start = Day(realisation.At);
        var end = Day(now).AddDays(1);
        if (history.FirstOrDefault(h => h.To == InitiativePhases.Standardisation) is { } standardisation)
        {
            end = Min(end, Day(standardisation.At).AddDays(FollowUpDays));
        }
        else if (history.FirstOrDefault(h => h.To == InitiativePhases.Stopped) is { } stopped)
        {
            end = Min(end, Day(stopped.At).AddDays(1));
        }

        return (new EffectWindow(start.AddDays(-beforeDays), start), new EffectWindow(start.AddDays(lagDays), end));
    }

    /// <summary>The before window of a realisation starting at <paramref name="realisationAt"/>: what a baseline is measured over.</summary>
    public static EffectWindow Before(DateTimeOffset realisationAt, int beforeDays)
    {
        var start = Day(realisationAt);
        return new EffectWindow(start.AddDays(-beforeDays), start);
    }

    public static DateTimeOffset Day(DateTimeOffset at) => new(at.UtcDateTime.Date, TimeSpan.Zero);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

/// <summary>One entry of an initiative's phase history.</summary>
public sealed record PhaseChange(string? From, string To, DateTimeOffset At, string By, string? Note);
