using OpenCem.Customers.Personas;

namespace OpenCem.Tests.Customers.Personas;

/// <summary>The pure parts of personas: the adjusted Rand index on hand-computed cases, clustering and naming.</summary>
public sealed class PersonaDomainTests
{
    [Fact]
    public void AdjustedRandIndex_HandComputedCase_MatchesTheFormula()
    {
        // Contingency [[2,1],[0,2]]: index = 1 + 1 = 2; row pairs 3 + 1 = 4; column pairs 1 + 3 = 4; all pairs 10.
        // Expected = 4·4/10 = 1.6, max = 4; ARI = (2 − 1.6)/(4 − 1.6) = 1/6.
        Assert.Equal(1 / 6.0, AdjustedRandIndex.Of([0, 0, 0, 1, 1], [0, 0, 1, 1, 1]), 10);
    }

    [Fact]
    public void AdjustedRandIndex_RenamedLabels_IsOne()
    {
        Assert.Equal(1, AdjustedRandIndex.Of([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9]), 10);
    }

    [Fact]
    public void AdjustedRandIndex_DifferentLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => AdjustedRandIndex.Of([0, 1], [0]));
    }

    [Fact]
    public void Run_ThreeSeparatedGroups_FindsThemNumberedBySizeAndRepeatsExactly()
    {
        var table = Table(40, 30, 20);
        var first = new PersonaClustering(7).Run(table, 3);
        var second = new PersonaClustering(7).Run(table, 3);
        Assert.Equal([40L, 30, 20], first.Sizes);
        Assert.Equal(first.Assignment, second.Assignment);
        Assert.Equal(1, AdjustedRandIndex.Of(Truth(40, 30, 20), first.Assignment), 10);
    }

    [Fact]
    public void Run_WithoutK_ChoosesTheSeparatedGroupsBySilhouette()
    {
        var clusters = new PersonaClustering(3).Run(Table(40, 30, 20), null);
        Assert.Equal(3, clusters.K);
        Assert.Equal(Enumerable.Range(PersonaClustering.MinK, PersonaClustering.MaxK - PersonaClustering.MinK + 1), clusters.Candidates.Select(c => c.K));
        Assert.True(clusters.Silhouette > 0.5);
    }

    [Fact]
    public void Generate_SeparatingFeatures_NameChannelValueAndTenureInBothLanguages()
    {
        IReadOnlyList<FeatureContrast> app = [new("appShare", 0.9, 0.4, 2), new("value", 900, 400, 1.2), new("tenureYears", 0.5, 3, -0.9)];
        IReadOnlyList<FeatureContrast> phone = [new("phoneShare", 0.6, 0.1, 1.5), new("value", 300, 400, -0.1), new("tenureYears", 9, 3, 1.4), new("nps", 8, 7, 0.5)];
        var names = PersonaNames.Generate([app, phone]);
        Assert.Equal("App-first, high value, new customers", names[0].En);
        Assert.Equal("App-orientiert, hoher Wert, Neukunden", names[0].De);
        Assert.Equal("Phone-first, long-standing customers, promoters", names[1].En);
    }

    [Fact]
    public void Generate_EqualContrasts_StillUniqueNames()
    {
        IReadOnlyList<FeatureContrast> same = [new("appShare", 0.9, 0.4, 2)];
        var names = PersonaNames.Generate([same, same]);
        Assert.NotEqual(names[0].En, names[1].En);
    }

    private static int[] Truth(params int[] sizes) => sizes.SelectMany((n, g) => Enumerable.Repeat(g, n)).ToArray();

    /// <summary>Groups of customers around three far-apart points of app share, value and tenure, with a little jitter.</summary>
    private static PersonaFeatureTable Table(params int[] sizes)
    {
        var features = PersonaFeatures.For([]);
        var n = sizes.Sum();
        var table = new PersonaFeatureTable(features, Enumerable.Range(1, n).Select(i => (long)i).ToArray());
        var rng = new Random(1);
        var row = 0;
        (float App, float Value, float Tenure)[] centres = [(0.9f, 300, 1), (0.1f, 1200, 8), (0.4f, 100, 3)];
        for (var g = 0; g < sizes.Length; g++)
        {
            for (var i = 0; i < sizes[g]; i++, row++)
            {
                table[row, 0] = centres[g].App + (float)(rng.NextDouble() * 0.05);
                table[row, 7] = centres[g].Value * (1 + (float)(rng.NextDouble() * 0.05));
                table[row, 8] = centres[g].Tenure + (float)(rng.NextDouble() * 0.2);
            }
        }

        return table;
    }
}
