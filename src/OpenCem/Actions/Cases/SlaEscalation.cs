using System.Text.Json;

namespace OpenCem.Actions.Cases;

/// <summary>
/// A level of escalation after an SLA breach (the breach itself is level 1): <paramref name="AfterMinutes"/> working
/// minutes after the missed due time, notify <paramref name="Notify"/> (e-mail addresses) and, when
/// <paramref name="RaisePriority"/>, raise the case's priority one step.
/// </summary>
public sealed record SlaEscalation(int AfterMinutes, IReadOnlyList<string>? Notify = null, bool RaisePriority = false)
{
    public const int MaxLevels = 10;
    public const int MaxRecipients = 10;

    /// <summary>Null when the levels may be saved, else the field (<c>escalations[i].…</c>) and why not.</summary>
    public static (string Field, string Problem)? Check(IReadOnlyList<SlaEscalation>? levels)
    {
        if (levels is null)
        {
            return null;
        }

        if (levels.Count > MaxLevels)
        {
            return ("escalations", $"must hold at most {MaxLevels} levels.");
        }

        for (var i = 0; i < levels.Count; i++)
        {
            var level = levels[i];
            if (level is null)
            {
                return ($"escalations[{i}]", "must be an object {afterMinutes, notify?, raisePriority?}.");
            }

            if (level.AfterMinutes <= 0 || (i > 0 && level.AfterMinutes <= levels[i - 1].AfterMinutes))
            {
                return ($"escalations[{i}].afterMinutes", "must be a positive number of working minutes after the missed due time, larger than the level before.");
            }

            var notify = level.Notify ?? [];
            if (notify.Count > MaxRecipients || notify.Any(a => a is null || a.Length > 320 || !IsAddress(a)))
            {
                return ($"escalations[{i}].notify", $"must be up to {MaxRecipients} e-mail addresses.");
            }
        }

        return null;
    }

    private static bool IsAddress(string address) =>
        address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < address.Length - 1 && !address.Any(char.IsWhiteSpace);
}

/// <summary>One planned escalation of a breached case: its level, when it is due (epoch ms), whom to notify, whether it raises the priority.</summary>
public sealed record EscalationStep(int Level, long At, IReadOnlyList<string> Notify, bool RaisePriority);

/// <summary>
/// A breached case's remaining escalations, fixed at the breach so a later change of the policy, the priority or the
/// team does not move levels already promised. Pure.
/// </summary>
public static class EscalationPlan
{
    /// <summary>The levels after <paramref name="breachLevel"/>, counted in the calendar's working time from <paramref name="missedDueAt"/>.</summary>
    public static IReadOnlyList<EscalationStep> For(IReadOnlyList<SlaEscalation>? levels, BusinessCalendar calendar, long missedDueAt, int breachLevel) =>
        (levels ?? []).Select((level, i) => new EscalationStep(
            breachLevel + i + 1,
            calendar.AddBusinessTime(DateTimeOffset.FromUnixTimeMilliseconds(missedDueAt), TimeSpan.FromMinutes(level.AfterMinutes)).ToUnixTimeMilliseconds(),
            level.Notify ?? [],
            level.RaisePriority)).ToList();

    /// <summary>The step after <paramref name="level"/>, if any.</summary>
    public static EscalationStep? After(IReadOnlyList<EscalationStep> plan, int level) => plan.FirstOrDefault(s => s.Level > level);

    public static string Write(IReadOnlyList<EscalationStep> plan) => JsonSerializer.Serialize(plan, JsonSerializerOptions.Web);

    public static IReadOnlyList<EscalationStep> Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<EscalationStep>>(json, JsonSerializerOptions.Web) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
