namespace OpenCem.Text.Experience;

/// <summary>
/// The five dimensions of experience a comment can speak to (Schmitt's strategic experiential modules): what was
/// sensed, felt, thought, done and related to.
/// </summary>
public static class ExperienceModules
{
    public const string Sense = "sense";
    public const string Feel = "feel";
    public const string Think = "think";
    public const string Act = "act";
    public const string Relate = "relate";

    public static readonly IReadOnlyList<string> All = [Sense, Feel, Think, Act, Relate];

    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Names = new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        [Sense] = new Dictionary<string, string> { ["en"] = "Sense", ["de"] = "Sinne" },
        [Feel] = new Dictionary<string, string> { ["en"] = "Feel", ["de"] = "Gefühl" },
        [Think] = new Dictionary<string, string> { ["en"] = "Think", ["de"] = "Denken" },
        [Act] = new Dictionary<string, string> { ["en"] = "Act", ["de"] = "Handeln" },
        [Relate] = new Dictionary<string, string> { ["en"] = "Relate", ["de"] = "Beziehung" },
    };
}

/// <summary>A module a text speaks to, with the words that show it: <c>Evidence</c> is <c>text[Start..Start+Length]</c> of the analysed text.</summary>
public sealed record ExperienceTag(string Module, string Evidence, int Start, int Length);

/// <summary>
/// A word customers use to describe the company or its service ("reliable", "umständlich"), by its canonical term;
/// <c>Negated</c> when it is denied ("not reliable"), which says the opposite.
/// </summary>
public sealed record DescriptorMention(string Term, bool Negated);
