using System.Text.Json.Nodes;

namespace OpenCem.Actions.Rules;

/// <summary>
/// A rule as written by its author: <em>when</em> <see cref="Trigger"/> happens, <em>if</em> <see cref="Condition"/>
/// (a JavaScript expression over <see cref="RuleVocabulary"/>) holds, <em>then</em> run <see cref="Actions"/>, at most
/// once per customer within <see cref="CooldownMinutes"/> — or once in all, when <see cref="CooldownScope"/> is
/// <see cref="RuleCooldownScopes.Rule"/> (a burst alert that should not fire for every customer caught in it).
/// </summary>
public sealed record RuleDefinition(
    string Name,
    bool Enabled,
    string Trigger,
    string? Schedule,
    string? Condition,
    IReadOnlyList<RuleAction> Actions,
    int? CooldownMinutes,
    string CooldownScope = RuleCooldownScopes.Customer);

public static class RuleCooldownScopes
{
    public const string Customer = "customer";
    public const string Rule = "rule";

    public static readonly IReadOnlyList<string> All = [Customer, Rule];
}

/// <summary>One action of a rule: its <see cref="Type"/> (one of <see cref="RuleActionTypes"/>) and its settings.</summary>
public sealed record RuleAction(string Type, JsonObject Settings)
{
    public string? Text(string name) =>
        Settings[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;

    public long? Number(string name) =>
        Settings[name] is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;
}

/// <summary>A stored rule with its run-time state: consecutive failures, the last error, and when it was paused for them.</summary>
public sealed record StoredRule(
    long Id,
    long WorkspaceId,
    RuleDefinition Definition,
    long StartEventId,
    long StartInteractionId,
    int Failures,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? PausedAt,
    DateTimeOffset? LastScheduledAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Acts only when switched on and not paused for failing.</summary>
    public bool Active => Definition.Enabled && PausedAt is null;
}

public static class RuleTriggers
{
    public const string Schedule = "schedule";

    public static readonly IReadOnlyList<string> All =
    [
        Events.EventTypes.ResponseSubmitted, Events.EventTypes.InteractionRecorded, Events.EventTypes.SignalReceived,
        Events.EventTypes.CaseSlaBreached, Events.EventTypes.CaseEscalated, Schedule,
    ];
}

public static class RuleActionTypes
{
    public const string OpenCase = "openCase";
    public const string Webhook = "webhook";
    public const string Email = "email";
    public const string Tag = "tag";
    public const string Survey = "survey";
    public const string HelpOffer = "helpOffer";

    public static readonly IReadOnlyList<string> All = [OpenCase, Webhook, Email, Tag, Survey, HelpOffer];
}

/// <summary>What made a rule fire: the kind of source and its id, the key of the firing (unique per rule).</summary>
public static class RuleSources
{
    public const string Event = "event";
    public const string Interaction = "interaction";
    public const string Schedule = "schedule";
}
