namespace OpenCem.Analytics.Ladder;

/// <summary>Customers who moved from a rung in the period before to a rung in this one (<c>unrated</c>: not on the ladder).</summary>
public sealed record LadderMoveView(string From, string To, long Customers);

/// <summary>One period (and group): customers per rung of the NPS ladder and of the behavioural ladder, and the moves into this period.</summary>
public sealed record LadderPeriodView(
    string Period, DateTimeOffset Start, string? Group,
    IReadOnlyDictionary<string, long> Nps, long NpsN, IReadOnlyDictionary<string, long> Ladder, long LadderN,
    IReadOnlyList<LadderMoveView> NpsMoves, IReadOnlyList<LadderMoveView> LadderMoves);

/// <summary>The answer of <c>GET /api/v1/analytics/ladder</c>.</summary>
public sealed record LadderView(string Interval, string? By, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<LadderPeriodView> Periods);

/// <summary>Turns move counts into the answer, pure.</summary>
public static class LadderReport
{
    public static LadderView Create(IReadOnlyDictionary<LadderMove, long> counts, string interval, string? by, DateTimeOffset? from, DateTimeOffset? to)
    {
        var fromMs = from is { } f ? LadderPeriods.Start(interval, f.ToUnixTimeMilliseconds()) : long.MinValue;
        var toMs = to?.ToUnixTimeMilliseconds() ?? long.MaxValue;
        var periods = counts
            .Where(c => c.Key.Period >= fromMs && c.Key.Period < toMs)
            .GroupBy(c => (c.Key.Period, c.Key.Group))
            .OrderBy(g => g.Key.Period).ThenBy(g => g.Key.Group, StringComparer.Ordinal)
            .Select(g => Period(g.Key.Period, g.Key.Group, g.ToList(), interval, by))
            .ToList();
        return new LadderView(interval, by, from, to, periods);
    }

    private static LadderPeriodView Period(long period, string group, List<KeyValuePair<LadderMove, long>> moves, string interval, string? by)
    {
        var nps = Tally(moves, LadderAggregation.NpsLadder, Rungs.Nps);
        var ladder = Tally(moves, LadderAggregation.BehaviourLadder, Rungs.Behaviour);
        return new LadderPeriodView(
            LadderPeriods.Label(interval, period), DateTimeOffset.FromUnixTimeMilliseconds(period), by is null ? null : group,
            nps, nps.Values.Sum(), ladder, ladder.Values.Sum(), Moves(moves, LadderAggregation.NpsLadder), Moves(moves, LadderAggregation.BehaviourLadder));
    }

    private static Dictionary<string, long> Tally(List<KeyValuePair<LadderMove, long>> moves, string ladder, IReadOnlyList<string> rungs) =>
        rungs.ToDictionary(r => r, r => moves.Where(m => m.Key.Ladder == ladder && m.Key.To == r).Sum(m => m.Value));

    private static List<LadderMoveView> Moves(List<KeyValuePair<LadderMove, long>> moves, string ladder) =>
        moves.Where(m => m.Key.Ladder == ladder)
            .OrderBy(m => m.Key.From, StringComparer.Ordinal).ThenBy(m => m.Key.To, StringComparer.Ordinal)
            .Select(m => new LadderMoveView(m.Key.From, m.Key.To, m.Value))
            .ToList();
}
