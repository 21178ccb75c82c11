namespace OpenCem.Customers;

/// <summary>The stages of a customer relationship, derived from data.</summary>
public static class LifecycleStage
{
    public const string Prospect = "prospect";
    public const string New = "new";
    public const string Active = "active";
    public const string AtRisk = "at risk";
    public const string Former = "former";
    public const string WonBack = "won back";
}

/// <summary>The facts about a customer's history that decide their life-cycle stage.</summary>
public sealed record LifecycleFacts(
    DateTimeOffset? FirstPurchase,
    DateTimeOffset? LastPurchase,
    DateTimeOffset? LastActivity,
    DateTimeOffset? LastCancellation,
    DateTimeOffset? FirstPurchaseAfterCancellation);

/// <summary>
/// Derives the life-cycle stage, in this order: no purchase ever → prospect; a cancellation after the last
/// purchase, or no interaction for <see cref="LifecycleRules.FormerAfterDays"/> → former; a purchase after a
/// cancellation within <see cref="LifecycleRules.WonBackForDays"/> → won back; a first purchase within
/// <see cref="LifecycleRules.NewForDays"/> → new; no interaction for <see cref="LifecycleRules.AtRiskAfterDays"/>
/// → at risk; otherwise active. Pure.
/// </summary>
public static class LifecycleDerivation
{
    public static string Derive(LifecycleFacts facts, LifecycleRules rules, DateTimeOffset now)
    {
        if (facts.FirstPurchase is not { } first || facts.LastPurchase is not { } last)
        {
            return LifecycleStage.Prospect;
        }

        if (facts.LastCancellation is { } cancelled && cancelled >= last)
        {
            return LifecycleStage.Former;
        }

        var lastActivity = facts.LastActivity is { } activity && activity > last ? activity : last;
        var idle = now - lastActivity;
        if (idle > TimeSpan.FromDays(rules.FormerAfterDays))
        {
            return LifecycleStage.Former;
        }

        if (facts.FirstPurchaseAfterCancellation is { } returned && now - returned <= TimeSpan.FromDays(rules.WonBackForDays))
        {
            return LifecycleStage.WonBack;
        }

        if (now - first <= TimeSpan.FromDays(rules.NewForDays))
        {
            return LifecycleStage.New;
        }

        return idle > TimeSpan.FromDays(rules.AtRiskAfterDays) ? LifecycleStage.AtRisk : LifecycleStage.Active;
    }
}
