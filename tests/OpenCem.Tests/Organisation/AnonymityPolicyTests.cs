using OpenCem.Organisation.Pulse;

namespace OpenCem.Tests.Organisation;

/// <summary><see cref="AnonymityPolicy"/> on hand-made cases, and against <see cref="AnonymityAttack"/> on many random staffs.</summary>
public sealed class AnonymityPolicyTests
{
    private static readonly int[] OnePeriod = [-1];

    [Fact]
    public void Shown_GroupBelowMinimum_IsSuppressed()
    {
        var lattice = Lattice(OnePeriod, 1, (0, [1], 3), (0, [2], 9));
        var shown = AnonymityPolicy.Shown(lattice, 5);
        Assert.DoesNotContain(Group(0, 1), shown);
    }

    [Fact]
    public void Shown_TeamOfSixBesideTwo_HidesTheSixBecauseAllMinusSixIsTwo()
    {
        // All 8 shown; team 1 (6) would leave team 2 (2) as the difference: both go, the whole stays.
        var shown = AnonymityPolicy.Shown(Lattice(OnePeriod, 1, (0, [1], 6), (0, [2], 2)), 5);
        Assert.Equal([Group(0, 0)], shown);
    }

    [Fact]
    public void Shown_OneSmallSibling_TakesTheSmallestShownSiblingAlong()
    {
        // Teams 6, 7 and 2 (15): team 3 is small; without complementary suppression 15 − 6 − 7 = 2.
        var shown = AnonymityPolicy.Shown(Lattice(OnePeriod, 1, (0, [1], 6), (0, [2], 7), (0, [3], 2)), 5);
        Assert.Contains(Group(0, 0), shown);
        Assert.Contains(Group(0, 2), shown);
        Assert.DoesNotContain(Group(0, 1), shown);
        Assert.DoesNotContain(Group(0, 3), shown);
    }

    [Fact]
    public void Shown_LargeGroups_AreAllShown()
    {
        var shown = AnonymityPolicy.Shown(Lattice(OnePeriod, 1, (0, [1], 10), (0, [2], 12)), 5);
        Assert.Equal(3, shown.Count);
    }

    [Fact]
    public void Shown_PersonAloneInALocation_CannotBeSubtractedFromTheTeam()
    {
        // Team 1: six people, five in location 1 and one alone in location 2; team 2: ten and five.
        var lattice = Lattice(OnePeriod, 2, (0, [1, 1], 5), (0, [1, 2], 1), (0, [2, 1], 10), (0, [2, 2], 5));
        var shown = AnonymityPolicy.Shown(lattice, 5);
        Assert.False(shown.Contains(Group(0, 1, 0)) && shown.Contains(Group(0, 1, 1)), "team 1 and team 1 in location 1 differ by one");
        Assert.Null(Attack(lattice, shown, OnePeriod, [2, 2], 5));
    }

    [Fact]
    public void Shown_SmallQuarterOfAYear_CannotBeSubtractedFromTheYear()
    {
        // A year (period 0) of four quarters: 8, 9, 2 and 7 answers.
        int[] periods = [-1, 0, 0, 0, 0];
        var lattice = Lattice(periods, 1, (1, [1], 8), (2, [1], 9), (3, [1], 2), (4, [1], 7));
        var shown = AnonymityPolicy.Shown(lattice, 5);
        Assert.DoesNotContain(new PulseGroup(3, 0), shown);
        Assert.Null(Attack(lattice, shown, periods, [1], 5));
    }

    [Fact]
    public void Shown_EveryoneTooFew_NothingShown()
    {
        Assert.Empty(AnonymityPolicy.Shown(Lattice(OnePeriod, 2, (0, [1, 1], 2), (0, [2, 2], 2)), 5));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 5)]
    [InlineData(3, 3)]
    public void Effective_NeverBelowThree(int configured, int minimum)
    {
        Assert.Equal(Math.Max(AnonymityPolicy.Floor, configured), AnonymityPolicy.Effective(configured));
        Assert.Equal(AnonymityPolicy.DefaultMinimum, AnonymityPolicy.Effective(null));
        Assert.True(AnonymityPolicy.Effective(minimum) >= AnonymityPolicy.Floor);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Shown_RandomStaffs_NoSmallGroupCanBeIsolated(int minimum)
    {
        // Two complete years of four quarters each and a quarter of a year not yet complete, three attributes.
        int[] periods = [-1, -1, 0, 0, 0, 0, 1, 1, 1, 1, -1];
        int[] values = [3, 3, 2];
        var random = new Random(20261124 + minimum);
        var isolated = new List<string>();
        var shownSomething = 0;
        for (var trial = 0; trial < 60; trial++)
        {
            var lattice = new PulseLattice(periods, values.Length);
            for (var quarter = 2; quarter < periods.Length; quarter++)
            {
                var people = random.Next(4, 30);
                for (var i = 0; i < people; i++)
                {
                    lattice.Add(quarter, [Skewed(random, values[0]), Skewed(random, values[1]), Skewed(random, values[2])], 1);
                }
            }

            var shown = AnonymityPolicy.Shown(lattice, minimum);
            shownSomething += shown.Count > 0 ? 1 : 0;
            if (Attack(lattice, shown, periods, values, minimum) is { } found)
            {
                isolated.Add($"trial {trial}: {found}");
            }
        }

        Assert.Empty(isolated);
        Assert.True(shownSomething > 40, $"only {shownSomething} of 60 staffs showed anything");
    }

    private static int Skewed(Random random, int values) => Math.Min(values, 1 + (int)(values * random.NextDouble() * random.NextDouble() * 1.6));

    private static string? Attack(PulseLattice lattice, HashSet<PulseGroup> shown, int[] periods, int[] values, int minimum) =>
        AnonymityAttack.Isolate(shown.ToDictionary(g => g, lattice.Count), periods, values, minimum);

    private static PulseGroup Group(int period, params int[] values) => new(period, PulseGroup.Pack(values));

    private static PulseLattice Lattice(int[] periods, int attributes, params (int Period, int[] Values, long N)[] cells)
    {
        var lattice = new PulseLattice(periods, attributes);
        foreach (var (period, values, n) in cells)
        {
            lattice.Add(period, values, n);
        }

        return lattice;
    }
}
