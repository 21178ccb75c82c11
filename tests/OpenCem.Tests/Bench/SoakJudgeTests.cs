using OpenCem.SoakBench;

namespace OpenCem.Tests.Bench;

public class SoakJudgeTests
{
    private static readonly string[] Kinds = ["tracking", "page"];

    /// <summary>Minute rows 1..minutes with the p99s and RSS the functions give per minute.</summary>
    private static List<JudgedMinute> Rows(int minutes, Func<int, double> trackingP99, Func<int, double> rss, Func<int, double>? pageP99 = null) =>
        Enumerable.Range(1, minutes)
            .Select(m => new JudgedMinute(m, new Dictionary<string, double> { ["tracking"] = trackingP99(m), ["page"] = pageP99?.Invoke(m) ?? 120 + (m % 3) * 10 }, rss(m)))
            .ToList();

    private static Verdict Find(List<Verdict> verdicts, string criterion) => verdicts.Single(v => v.Criterion == criterion);

    [Fact]
    public void The_window_is_the_last_two_thirds_and_its_ends_are_quarters()
    {
        Assert.Equal((20, 40), SoakJudge.Window(60));
        Assert.Equal((2, 3), SoakJudge.Window(5));
        Assert.Equal(10, SoakJudge.Quarter(40));
        Assert.Equal(1, SoakJudge.Quarter(3));
    }

    [Fact]
    public void A_steady_run_with_noise_and_warm_up_growth_passes()
    {
        // Memory climbs 10 MiB a minute during the first third (warm-up), then wobbles ±8 MiB around 600 MiB.
        var rows = Rows(60, m => 40 + (m * 37 % 11), m => m <= 20 ? 400 + m * 10 : 600 + (m * 13 % 17) - 8);
        var verdicts = SoakJudge.Judge(rows, errors: 0, Kinds);
        Assert.All(verdicts, v => Assert.True(v.Passed, $"{v.Criterion}: {v.Detail}"));
        Assert.Equal(["errors", "p99 stable: tracking", "p99 stable: page", "memory flat"], verdicts.Select(v => v.Criterion));
    }

    [Fact]
    public void Errors_fail_the_run()
    {
        var verdicts = SoakJudge.Judge(Rows(60, _ => 40, _ => 600), errors: 3, Kinds);
        Assert.False(Find(verdicts, "errors").Passed);
        Assert.True(Find(verdicts, "memory flat").Passed);
    }

    [Fact]
    public void A_p99_that_climbs_fails_for_its_kind_only()
    {
        // Tracking p99 grows from 40 ms to about 100 ms over the window; pages stay put.
        var verdicts = SoakJudge.Judge(Rows(60, m => m <= 20 ? 40 : 40 + (m - 20) * 1.5, _ => 600), errors: 0, Kinds);
        Assert.False(Find(verdicts, "p99 stable: tracking").Passed);
        Assert.True(Find(verdicts, "p99 stable: page").Passed);
    }

    [Fact]
    public void A_p99_growth_of_a_few_milliseconds_is_noise()
    {
        var verdicts = SoakJudge.Judge(Rows(60, m => m <= 40 ? 2 : 4.5, _ => 600), errors: 0, Kinds);
        Assert.True(Find(verdicts, "p99 stable: tracking").Passed);
    }

    [Fact]
    public void Memory_that_keeps_growing_fails_by_slope_even_within_five_percent()
    {
        // 1.2 MiB a minute on 2 GiB: 2.4 % over the window, under the 5 % bound, but the slope is over 1 MiB/min.
        var verdicts = SoakJudge.Judge(Rows(60, _ => 40, m => 2048 + m * 1.2), errors: 0, Kinds);
        var memory = Find(verdicts, "memory flat");
        Assert.False(memory.Passed);
        Assert.Contains("+1.20 MiB/min", memory.Detail);
    }

    [Fact]
    public void A_step_up_in_memory_fails_by_the_medians()
    {
        // Flat, then 10 % more for the last quarter of the window.
        var verdicts = SoakJudge.Judge(Rows(60, _ => 40, m => m > 50 ? 660 : 600), errors: 0, Kinds);
        Assert.False(Find(verdicts, "memory flat").Passed);
    }

    [Fact]
    public void Too_short_a_run_is_not_judged_a_pass()
    {
        var verdicts = SoakJudge.Judge(Rows(2, _ => 40, _ => 600), errors: 0, Kinds);
        Assert.False(Find(verdicts, "memory flat").Passed);
        Assert.False(Find(verdicts, "p99 stable").Passed);
    }

    [Fact]
    public void Slope_and_median_are_the_textbook_ones()
    {
        Assert.Equal(2.0, SoakJudge.Slope([1, 2, 3, 4], [3, 5, 7, 9]), 10);
        Assert.Equal(0.0, SoakJudge.Slope([5, 5], [1, 9]));
        Assert.Equal(2.5, SoakJudge.Median([4, 1, 3, 2]));
        Assert.Equal(3.0, SoakJudge.Median([5, 3, 1]));
        Assert.True(double.IsNaN(SoakJudge.Median([])));
    }
}
