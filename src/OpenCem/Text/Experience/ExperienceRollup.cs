using OpenCem.Text.Pipeline;

namespace OpenCem.Text.Experience;

/// <summary>A row key of <c>text_experience_daily</c>; the module "" holds all analysed items of the slice.</summary>
public readonly record struct ModuleKey(long Day, string Kind, long SurveyId, long TouchpointId, string Module);

/// <summary>A row key of <c>text_descriptor_daily</c>.</summary>
public readonly record struct TermKey(long Day, string Kind, long SurveyId, long TouchpointId, string Term);

/// <summary>What one stored item counts in the experience rollups (pure); read back from <c>text_experiences</c> to count it out.</summary>
public sealed record ExperienceFacts(
    string Kind, long Day, long SurveyId, long TouchpointId, double Sentiment, IReadOnlyList<ExperienceTag> Modules, IReadOnlyList<DescriptorMention> Descriptors)
{
    public long ItemId { get; init; }

    public static ExperienceFacts Of(string kind, AnalysedItem item) => new(
        kind, item.Day, item.SurveyId, item.TouchpointId, item.Analysis.Sentiment.Score, item.Analysis.Experiences, item.Analysis.Descriptors)
    { ItemId = item.ItemId };
}

/// <summary>
/// Changes to the module and descriptor rollups, gathered per batch: an item counts once under "" and once under each
/// module it speaks to (with its sentiment), and once per descriptive term, as affirmed or as negated.
/// </summary>
public sealed class ExperienceRollup
{
    public Dictionary<ModuleKey, (long Items, double SentimentSum)> Modules { get; } = [];

    public Dictionary<TermKey, (long Affirmed, long Negated)> Terms { get; } = [];

    public void Add(ExperienceFacts facts, int sign)
    {
        AddModule(new ModuleKey(facts.Day, facts.Kind, facts.SurveyId, facts.TouchpointId, ""), facts.Sentiment, sign);
        foreach (var module in facts.Modules.Select(m => m.Module).Distinct())
        {
            AddModule(new ModuleKey(facts.Day, facts.Kind, facts.SurveyId, facts.TouchpointId, module), facts.Sentiment, sign);
        }

        foreach (var descriptor in facts.Descriptors.Distinct())
        {
            var key = new TermKey(facts.Day, facts.Kind, facts.SurveyId, facts.TouchpointId, descriptor.Term);
            var (affirmed, negated) = Terms.GetValueOrDefault(key);
            Terms[key] = descriptor.Negated ? (affirmed, negated + sign) : (affirmed + sign, negated);
        }
    }

    private void AddModule(ModuleKey key, double sentiment, int sign)
    {
        var (items, sum) = Modules.GetValueOrDefault(key);
        Modules[key] = (items + sign, sum + sign * sentiment);
    }
}
