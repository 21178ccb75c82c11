using OpenCem.Operations.Partitions;

namespace OpenCem.Tests.Partitions;

public sealed class MonthlyPartitionsTests
{
    [Fact]
    public void A_month_runs_from_its_first_millisecond_to_the_next_months_and_is_named_after_it()
    {
        var december = MonthlyPartitions.For(new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.FromHours(-5)));
        // 23:59 on 31 December in New York is already January in UTC.
        Assert.Equal("interactions_2027_01", december.Table);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), december.From);
        Assert.Equal(new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), december.To);
    }

    [Fact]
    public void The_wanted_months_are_this_one_and_those_ahead_without_gaps_across_the_year()
    {
        var wanted = MonthlyPartitions.Wanted(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero), 3);
        Assert.Equal(["interactions_2026_11", "interactions_2026_12", "interactions_2027_01", "interactions_2027_02"], wanted.Select(m => m.Table));
        Assert.All(wanted.Zip(wanted.Skip(1)), pair => Assert.Equal(pair.First.To, pair.Second.From));
        Assert.Equal("interactions_before_2026_11", MonthlyPartitions.History(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero)));
        Assert.Throws<ArgumentOutOfRangeException>(() => MonthlyPartitions.Wanted(DateTimeOffset.UnixEpoch, -1));
    }
}
