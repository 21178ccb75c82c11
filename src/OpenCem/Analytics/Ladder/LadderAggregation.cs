namespace OpenCem.Analytics.Ladder;

/// <summary>A customer's standing in one month: the NPS rung from that month's latest answer (and its time), the behavioural rung at the month's end.</summary>
public readonly record struct MonthState(string NpsRung, long NpsAt, string Rung);

/// <summary>One cell of the counts: in a period (and group), on one ladder, customers who moved from a rung (in the period before) to a rung.</summary>
public readonly record struct LadderMove(long Period, string Group, string Ladder, string From, string To);

/// <summary>
/// Counts customers per period on each rung and their moves from the period before, pure. A period's NPS rung is the
/// latest NPS answer in any of its months; its behavioural rung is the one at the end of its last month (or of the last
/// month computed, for the current period). A customer with no state in a period is <c>unrated</c> there; moves from
/// unrated to unrated are not counted.
/// </summary>
public static class LadderAggregation
{
    public const string NpsLadder = "nps";
    public const string BehaviourLadder = "behaviour";

    public static Dictionary<LadderMove, long> Count(
        IEnumerable<(string Group, IReadOnlyDictionary<long, MonthState> Months)> customers, string interval, long lastMonth)
    {
        var counts = new Dictionary<LadderMove, long>();
        foreach (var (group, months) in customers)
        {
            if (months.Count == 0)
            {
                continue;
            }

            var periods = new SortedDictionary<long, (string Nps, long NpsAt, string Rung)>();
            foreach (var (month, state) in months)
            {
                var period = LadderPeriods.Start(interval, month);
                var current = periods.GetValueOrDefault(period, (Rungs.Unrated, 0, Rungs.Unrated));
                if (state.NpsRung != Rungs.Unrated && state.NpsAt >= current.NpsAt)
                {
                    current = (state.NpsRung, state.NpsAt, current.Rung);
                }

                var final = Math.Min(LadderPeriods.Previous("month", LadderPeriods.Next(interval, period)), lastMonth);
                if (month == final)
                {
                    current = (current.Nps, current.NpsAt, state.Rung);
                }

                periods[period] = current;
            }

            var first = periods.Keys.First();
            var end = LadderPeriods.Next(interval, LadderPeriods.Start(interval, lastMonth));
            var previous = (Nps: Rungs.Unrated, NpsAt: 0L, Rung: Rungs.Unrated);
            for (var period = first; period < end; period = LadderPeriods.Next(interval, period))
            {
                var state = periods.GetValueOrDefault(period, (Rungs.Unrated, 0, Rungs.Unrated));
                Add(counts, new LadderMove(period, group, NpsLadder, previous.Nps, state.Nps));
                Add(counts, new LadderMove(period, group, BehaviourLadder, previous.Rung, state.Rung));
                if (state.Nps == Rungs.Unrated && state.Rung == Rungs.Unrated && !periods.Keys.Any(p => p > period))
                {
                    // Gone from both ladders for good: one move to unrated is counted, then nothing.
                    break;
                }

                previous = state;
            }
        }

        return counts;
    }

    private static void Add(Dictionary<LadderMove, long> counts, LadderMove move)
    {
        if (move.From != Rungs.Unrated || move.To != Rungs.Unrated)
        {
            counts[move] = counts.GetValueOrDefault(move) + 1;
        }
    }
}
