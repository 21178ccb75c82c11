namespace OpenCem.Organisation.Initiatives;

/// <summary>
/// The transformation phases of an improvement initiative and the one transition table between them. Pure. An
/// initiative moves forward one phase at a time; it can be stopped from any phase that is not final.
/// </summary>
public static class InitiativePhases
{
    public const string Strategy = "strategy";
    public const string SolutionDesign = "solution-design";
    public const string Realisation = "realisation";
    public const string Standardisation = "standardisation";
    public const string Completed = "completed";
    public const string Stopped = "stopped";

    public static readonly IReadOnlyList<string> All = [Strategy, SolutionDesign, Realisation, Standardisation, Completed, Stopped];

    private static readonly Dictionary<string, string[]> Next = new(StringComparer.Ordinal)
    {
        [Strategy] = [SolutionDesign, Stopped],
        [SolutionDesign] = [Realisation, Stopped],
        [Realisation] = [Standardisation, Stopped],
        [Standardisation] = [Completed, Stopped],
        [Completed] = [],
        [Stopped] = [],
    };

    /// <summary>The phases an initiative in <paramref name="from"/> may move to (none for a final or unknown phase).</summary>
    public static IReadOnlyList<string> AllowedFrom(string from) => Next.TryGetValue(from, out var to) ? to : [];

    public static bool IsAllowed(string from, string to) => AllowedFrom(from).Contains(to, StringComparer.Ordinal);

    public static bool IsKnown(string phase) => Next.ContainsKey(phase);
}

/// <summary>The ten core elements of the Customer Care Concept Index (PRODUCT.md), as the keys an initiative names.</summary>
public static class CareConceptElements
{
    /// <summary>The keys of the assessment catalogue, so an initiative and an assessment name an element alike.</summary>
    public static readonly IReadOnlyList<string> All = [.. Maturity.MaturityCatalogue.Default.Elements.Select(e => e.Key)];
}
