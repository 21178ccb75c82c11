using OpenCem.Organisation.Pulse;

namespace OpenCem.Tests.Organisation;

/// <summary>The remembered anonymity policy answers exactly as the policy does, and answers anew when the answers change.</summary>
public sealed class ShownMemoTests
{
    private static readonly long Now = new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly long March = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void Shown_SameAnswers_EqualsThePolicy_AndIsRemembered()
    {
        var cube = Cube(("a", 6), ("b", 7), ("c", 2));
        var expected = AnonymityPolicy.Shown(cube.Lattice("enps"), 5);

        var first = cube.Shown("enps", 5);
        var again = Cube(("a", 6), ("b", 7), ("c", 2)).Shown("enps", 5);

        Assert.Equal(expected.OrderBy(g => g.Period).ThenBy(g => g.Values), first.OrderBy(g => g.Period).ThenBy(g => g.Values));
        Assert.Same(first, again);
    }

    [Fact]
    public void Shown_NewAnswersInASmallTeam_AreSeenAtOnce()
    {
        var before = Cube(("a", 6), ("b", 7), ("c", 2));
        var after = Cube(("a", 6), ("b", 7), ("c", 5));
        var teamC = before.Values[0].ToList().IndexOf("c") + 1;
        var quarter = before.Periods.Select((p, i) => (p, i)).Single(x => x.p.Level == PulseLevel.Quarter).i;
        var group = new PulseGroup(quarter, 0).With(0, teamC);

        Assert.DoesNotContain(group, before.Shown("enps", 5));
        Assert.Contains(group, after.Shown("enps", 5));
        Assert.Equal(AnonymityPolicy.Shown(after.Lattice("enps"), 5).Count, after.Shown("enps", 5).Count);
    }

    [Fact]
    public void Shown_AnotherMinimum_IsAnotherAnswer()
    {
        var cube = Cube(("a", 6), ("b", 7), ("c", 8));
        Assert.NotEmpty(cube.Shown("enps", 5));
        Assert.Empty(cube.Shown("enps", 30));
    }

    private static PulseCube Cube(params (string Team, long N)[] teams) => PulseCube.Build(
        ["team"], [["a", "b", "c"]],
        teams.Select(t => new PulseRollupRow("enps", March, new Dictionary<string, string> { ["answer.team"] = t.Team }, 9, t.N, 9.0 * t.N, 81.0 * t.N)),
        Now);
}
