namespace OpenCem.Actions.Cases;

/// <summary>A score the customer gave (NPS 0–10) and when.</summary>
public readonly record struct LaterScore(long ResponseId, long At, int Nps);

/// <summary>
/// Whether closing the loop worked for one customer, from what the customer did after the case opened. Pure.
/// The customer's first NPS answer after the case opened (not the response that opened it), up to
/// <see cref="Window"/> (half a year: a relationship survey twice a year reaches every customer once) after the case closed, decides: 7 or more is recovered (the detractor became passive or
/// promoter), 0–6 is not. A cancellation in that time before any such answer is not recovered. With neither once the
/// window has passed the case is unmeasured; before that the verdict is pending (null).
/// </summary>
public static class RecoveryJudge
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(180);

    public const int RecoveredFrom = 7;

    public static string? Judge(long openedAt, long closedAt, long? triggerResponseId, IEnumerable<LaterScore> scores, long? cancelledAt, long now)
    {
        var until = closedAt + (long)Window.TotalMilliseconds;
        LaterScore? next = scores
            .Where(s => s.At > openedAt && s.At <= until && s.ResponseId != triggerResponseId)
            .OrderBy(s => s.At).ThenBy(s => s.ResponseId)
            .Cast<LaterScore?>().FirstOrDefault();
        var cancelled = cancelledAt is { } c && c > openedAt && c <= until;
        if (cancelled && (next is null || cancelledAt < next.Value.At))
        {
            return CaseOutcomes.NotRecovered;
        }

        if (next is { } score)
        {
            return score.Nps >= RecoveredFrom ? CaseOutcomes.Recovered : CaseOutcomes.NotRecovered;
        }

        return now > until ? CaseOutcomes.Unmeasured : null;
    }
}
