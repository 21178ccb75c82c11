using OpenCem.Analytics.Ladder;

namespace OpenCem.Tests.Analytics.Ladder;

public sealed class LadderAggregationTests
{
    private static long Month(int year, int month) => new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static (string, IReadOnlyDictionary<long, MonthState>) Customer(params (long Month, string Nps, string Rung)[] months) =>
        ("", months.ToDictionary(m => m.Month, m => new MonthState(m.Nps, m.Nps == Rungs.Unrated ? 0 : m.Month + 1, m.Rung)));

    [Fact]
    public void Count_MonthlyRungsAndMovesIncludingLeavingTheLadder()
    {
        var counts = LadderAggregation.Count(
            [
                Customer((Month(2024, 1), Rungs.Promoter, Rungs.Satisfied), (Month(2024, 2), Rungs.Unrated, Rungs.Loyal)),
                Customer((Month(2024, 2), Rungs.Detractor, Rungs.Unsatisfied)),
            ],
            "month",
            Month(2024, 3));
        var view = LadderReport.Create(counts, "month", null, null, null);
        Assert.Equal(["2024-01", "2024-02", "2024-03"], view.Periods.Select(p => p.Period));
        Assert.Equal(1, view.Periods[0].Nps[Rungs.Promoter]);
        Assert.Equal(1, view.Periods[0].Ladder[Rungs.Satisfied]);
        Assert.Equal((0L, 1L), (view.Periods[1].Nps[Rungs.Promoter], view.Periods[1].Nps[Rungs.Detractor]));
        Assert.Equal((1L, 1L, 2L), (view.Periods[1].Ladder[Rungs.Loyal], view.Periods[1].Ladder[Rungs.Unsatisfied], view.Periods[1].LadderN));
        Assert.Contains(new LadderMoveView(Rungs.Satisfied, Rungs.Loyal, 1), view.Periods[1].LadderMoves);
        Assert.Contains(new LadderMoveView(Rungs.Unrated, Rungs.Unsatisfied, 1), view.Periods[1].LadderMoves);
        Assert.Contains(new LadderMoveView(Rungs.Promoter, Rungs.Unrated, 1), view.Periods[1].NpsMoves);
        // March: both have left the ladder.
        Assert.Equal(0, view.Periods[2].LadderN);
        Assert.Equal(2, view.Periods[2].LadderMoves.Sum(m => m.Customers));
    }

    [Fact]
    public void Count_QuarterTakesTheLatestNpsAnswerAndTheRungAtItsEnd()
    {
        var counts = LadderAggregation.Count(
            [Customer((Month(2024, 1), Rungs.Promoter, Rungs.Loyal), (Month(2024, 2), Rungs.Detractor, Rungs.Unsatisfied), (Month(2024, 3), Rungs.Unrated, Rungs.Satisfied))],
            "quarter",
            Month(2024, 3));
        var quarter = Assert.Single(LadderReport.Create(counts, "quarter", null, null, null).Periods);
        Assert.Equal("2024-Q1", quarter.Period);
        Assert.Equal(1, quarter.Nps[Rungs.Detractor]);
        Assert.Equal(1, quarter.Ladder[Rungs.Satisfied]);
    }
}
