namespace OpenCem.Actions.Webhooks;

/// <summary>When a failed delivery is tried again, pure: the configured wait for the attempt, scaled by jitter.</summary>
public static class RetrySchedule
{
    /// <summary>
    /// The wait after the <paramref name="attempts"/>-th failed attempt (1 = the first), or null when the delivery is dead.
    /// <paramref name="random"/> in [0, 1) picks the jitter.
    /// </summary>
    public static TimeSpan? NextWait(IReadOnlyList<TimeSpan> schedule, double jitter, int attempts, double random)
    {
        if (attempts < 1 || attempts > schedule.Count)
        {
            return null;
        }

        var factor = 1 + (jitter * ((2 * random) - 1));
        return TimeSpan.FromTicks((long)(schedule[attempts - 1].Ticks * factor));
    }
}
