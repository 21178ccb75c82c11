namespace OpenCem.Organisation.Initiatives;

/// <summary>What the data says about a KPI's change.</summary>
public static class EffectVerdicts
{
    public const string Improved = "improved";
    public const string Worsened = "worsened";
    public const string NoSignificantChange = "no-significant-change";
    public const string TooLittleData = "too-little-data";

    /// <summary>
    /// The verdict on a KPI: too little data when a window of the KPI has fewer than <paramref name="minimumN"/>
    /// answers (or cases); otherwise the difference-in-differences decides when the comparison has enough in both windows,
    /// else the plain before/after change; significant in the KPI's direction is improved, against it worsened. Pure.
    /// </summary>
    public static (string Verdict, string Basis) Judge(
        string direction, long minimumN, EffectSample? before, EffectSample? after, EffectDifference? change,
        EffectSample? comparisonBefore, EffectSample? comparisonAfter, EffectDifference? differenceInDifferences)
    {
        if (before is null || after is null || before.N < minimumN || after.N < minimumN || change is null)
        {
            return (TooLittleData, BeforeAfter);
        }

        var compared = differenceInDifferences is not null && comparisonBefore!.N >= minimumN && comparisonAfter!.N >= minimumN;
        var test = compared ? differenceInDifferences! : change;
        if (!test.Significant)
        {
            return (NoSignificantChange, compared ? DidBasis : BeforeAfter);
        }

        var better = direction == KpiDirections.Decrease ? test.Value < 0 : test.Value > 0;
        return (better ? Improved : Worsened, compared ? DidBasis : BeforeAfter);
    }

    public const string BeforeAfter = "before-after";
    public const string DidBasis = "difference-in-differences";
}
