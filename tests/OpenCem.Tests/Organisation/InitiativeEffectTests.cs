using OpenCem.Analytics.Statistics;
using OpenCem.Organisation.Initiatives;

namespace OpenCem.Tests.Organisation;

/// <summary>The effect statistics on hand-computed cases.</summary>
public sealed class InitiativeEffectTests
{
    private static InitiativeKpi Kpi(string kind = KpiKinds.Nps, string direction = KpiDirections.Increase, double? target = null, string? measure = null) =>
        new(1, kind, measure, null, null, ["shop"], null, direction, target, null, null);

    [Fact]
    public void Change_Nps_UsesProductSeAndIsSignificantJustAboveTheBound()
    {
        // Before: 40 promoters and 20 detractors of 100: NPS 20, SE = 100·sqrt((.4 + .2 − .04)/100) = 7.4833.
        var before = EffectSample.Nps(100, 40, 20);
        Assert.Equal(20, before.Value, 9);
        Assert.Equal(7.4833, before.StandardError!.Value, 4);

        // After 55/15: NPS 40, SE = 100·sqrt((.70 − .16)/100) = 7.3485; Δ 20 < 1.96·sqrt(56 + 54) = 20.556: not significant.
        var after = EffectSample.Nps(100, 55, 15);
        Assert.Equal(7.3485, after.StandardError!.Value, 4);
        var change = EffectMath.Change(before, after, KpiMeasure.Nps)!;
        Assert.Equal(20, change.Value, 9);
        Assert.Equal(Math.Sqrt(110), change.StandardError, 9);
        Assert.Equal(20 - (StudentT.NormalZ975 * Math.Sqrt(110)), change.Low, 9);
        Assert.Equal(-0.556, change.Low, 3);
        Assert.False(change.Significant);

        // After 56/15: NPS 41, SE² = 10⁴·(.71 − .1681)/100 = 54.19; Δ 21 > 1.96·sqrt(110.19) = 20.574: significant.
        var better = EffectMath.Change(before, EffectSample.Nps(100, 56, 15), KpiMeasure.Nps)!;
        Assert.Equal(21, better.Value, 9);
        Assert.Equal(Math.Sqrt(110.19), better.StandardError, 9);
        Assert.True(better.Significant);
    }

    [Fact]
    public void Change_Share_UsesTheTwoProportionSe()
    {
        // 40 % of 100 (SE 4.899) to 55 % of 100 (SE 4.975): Δ 15, SE sqrt(24 + 24.75) = 6.982, 1.96·SE = 13.685.
        var change = EffectMath.Change(EffectSample.Share(100, 40), EffectSample.Share(100, 55), KpiMeasure.Share)!;
        Assert.Equal(15, change.Value, 9);
        Assert.Equal(Math.Sqrt(48.75), change.StandardError, 9);
        Assert.Equal(1.315, change.Low, 3);
        Assert.Equal(28.685, change.High, 3);
        Assert.True(change.Significant);
    }

    [Fact]
    public void Change_Mean_UsesWelchSeAndDegreesOfFreedom()
    {
        // Before 1..5: mean 3, s² 2.5, SE² 0.5. After 3, 5, 7: mean 5, s² 4, SE² 4/3.
        var before = EffectSample.Mean(5, 15, 55);
        var after = EffectSample.Mean(3, 15, 83);
        Assert.Equal(Math.Sqrt(0.5), before.StandardError!.Value, 9);
        Assert.Equal(Math.Sqrt(4.0 / 3), after.StandardError!.Value, 9);

        // df = (0.5 + 1.3333)² / (0.25/4 + 1.7778/2) = 3.3611 / 0.9514 = 3.5328.
        var df = EffectMath.WelchDegreesOfFreedom(before, after);
        Assert.Equal(3.5328, df, 3);
        var change = EffectMath.Change(before, after, KpiMeasure.Mean)!;
        Assert.Equal(2, change.Value, 9);
        Assert.Equal(Math.Sqrt(0.5 + (4.0 / 3)), change.StandardError, 9);
        var t = StudentT.Critical(0.95, df);
        Assert.InRange(t, 2.776, 3.182); // between t(4) and t(3)
        Assert.Equal(2 + (t * change.StandardError), change.High, 9);
        Assert.False(change.Significant);
    }

    [Fact]
    public void DifferenceInDifferences_CombinesTheFourStandardErrors()
    {
        // Treated 20 → 41 (SE² 56 and 54.19); comparison 400 answers each: 40/20 % → NPS 20 (SE² 14), 45/20 % → NPS 25 (SE² 14.6875).
        var did = EffectMath.DifferenceInDifferences(
            EffectSample.Nps(100, 40, 20), EffectSample.Nps(100, 56, 15), EffectSample.Nps(400, 160, 80), EffectSample.Nps(400, 180, 80))!;
        Assert.Equal(16, did.Value, 9);
        Assert.Equal(Math.Sqrt(56 + 54.19 + 14 + 14.6875), did.StandardError, 9);
        Assert.False(did.Significant); // 16 < 1.96 · 11.785 = 23.10
        Assert.Null(EffectMath.DifferenceInDifferences(EffectSample.Nps(100, 40, 20), EffectSample.Nps(100, 56, 15), null, EffectSample.Nps(400, 180, 80)));
    }

    [Fact]
    public void Judge_DecidesOnTheDifferenceInDifferencesWhenTheComparisonHasEnoughData()
    {
        var before = EffectSample.Share(100, 40);
        var after = EffectSample.Share(100, 55);
        var change = EffectMath.Change(before, after, KpiMeasure.Share);

        // Everything rose alike: the before/after change is significant, the difference-in-differences is not.
        var cb = EffectSample.Share(1000, 400);
        var ca = EffectSample.Share(1000, 550);
        var did = EffectMath.DifferenceInDifferences(before, after, cb, ca);
        Assert.Equal((EffectVerdicts.NoSignificantChange, EffectVerdicts.DidBasis), EffectVerdicts.Judge(KpiDirections.Increase, 30, before, after, change, cb, ca, did));

        // The comparison stayed: improved, on the difference-in-differences.
        var flat = EffectSample.Share(1000, 400);
        var didFlat = EffectMath.DifferenceInDifferences(before, after, cb, flat);
        Assert.Equal((EffectVerdicts.Improved, EffectVerdicts.DidBasis), EffectVerdicts.Judge(KpiDirections.Increase, 30, before, after, change, cb, flat, didFlat));

        // A comparison below the minimum n is not used: the before/after change decides; lower was the goal, so worse.
        var few = EffectSample.Share(10, 4);
        var didFew = EffectMath.DifferenceInDifferences(before, after, few, few);
        Assert.Equal((EffectVerdicts.Worsened, EffectVerdicts.BeforeAfter), EffectVerdicts.Judge(KpiDirections.Decrease, 30, before, after, change, few, few, didFew));

        // Too few answers in a window of the KPI itself.
        Assert.Equal(EffectVerdicts.TooLittleData, EffectVerdicts.Judge(KpiDirections.Increase, 101, before, after, change, cb, flat, didFlat).Verdict);
        Assert.Equal(EffectVerdicts.TooLittleData, EffectVerdicts.Judge(KpiDirections.Increase, 30, before, null, null, null, null, null).Verdict);
    }

    [Fact]
    public void Evaluate_ReportsRoundedValuesIntervalsTargetAndVerdict()
    {
        var readings = new KpiReadings(EffectSample.Share(100, 40), EffectSample.Share(100, 55), EffectSample.Share(1000, 400), EffectSample.Share(1000, 400), null);
        var effect = KpiEffect.Evaluate(Kpi(KpiKinds.Csat, target: 50), readings, 30);
        Assert.Equal(EffectVerdicts.Improved, effect.Verdict);
        Assert.True(effect.TargetMet);
        Assert.Equal(new EffectValue(100, 40, 30.4, 49.6), effect.Before); // 40 ± 1.96 · 4.899
        Assert.Equal(15, effect.Difference!.Value);
        Assert.Equal(15, effect.DifferenceInDifferences!.Value);
        Assert.Equal(1.32, effect.Difference.Low); // 15 − 1.96 · 6.982 = 1.3154

        var missing = KpiEffect.Evaluate(Kpi(target: 50), new KpiReadings(EffectSample.Nps(12, 6, 2), null, null, null, null), 30);
        Assert.Equal(EffectVerdicts.TooLittleData, missing.Verdict);
        Assert.Null(missing.TargetMet);
        Assert.Contains("before: 12, after: 0", missing.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_BeforeRealisationAndAfterTheLag_EndingWithTheFollowUpOfStandardisation()
    {
        var at = (int month, int day, int hour) => new DateTimeOffset(2026, month, day, hour, 0, 0, TimeSpan.Zero);
        List<PhaseChange> history =
        [
            new(null, InitiativePhases.Strategy, at(1, 1, 9), "a", null),
            new(InitiativePhases.Strategy, InitiativePhases.SolutionDesign, at(2, 1, 9), "a", null),
        ];
        Assert.Null(EffectWindows.For(history, at(3, 1, 0), 90, 30));

        history.Add(new(InitiativePhases.SolutionDesign, InitiativePhases.Realisation, at(3, 15, 10), "a", null));
        var (before, after) = EffectWindows.For(history, at(5, 20, 17), 90, 30)!.Value;
        Assert.Equal(new EffectWindow(at(3, 15, 0).AddDays(-90), at(3, 15, 0)), before);
        Assert.Equal(new DateTimeOffset(2025, 12, 15, 0, 0, 0, TimeSpan.Zero), before.From);
        Assert.Equal(new EffectWindow(at(4, 14, 0), at(5, 21, 0)), after); // the lag, then up to the end of today

        var early = EffectWindows.For(history, at(4, 1, 0), 90, 30)!.Value.After;
        Assert.True(early.IsEmpty);

        history.Add(new(InitiativePhases.Realisation, InitiativePhases.Standardisation, at(6, 1, 8), "a", null));
        Assert.Equal(at(8, 30, 0), EffectWindows.For(history, at(11, 1, 0), 90, 30)!.Value.After.To); // 90 days after 1 June
        Assert.Equal(at(7, 2, 0), EffectWindows.For(history, at(7, 1, 12), 90, 30)!.Value.After.To);
    }
}
