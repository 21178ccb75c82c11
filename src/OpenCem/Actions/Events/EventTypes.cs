namespace OpenCem.Actions.Events;

/// <summary>The names of the events OpenCem emits; webhook subscriptions and rule triggers name them.</summary>
public static class EventTypes
{
    public const string ResponseSubmitted = "response.submitted";
    public const string SignalReceived = "signal.received";
    public const string CaseOpened = "case.opened";
    public const string CaseUpdated = "case.updated";
    public const string CaseSlaBreached = "case.sla_breached";

    /// <summary>A case reached an escalation level: 1 at its SLA breach, 2, 3, … as its SLA policy's escalations come due.</summary>
    public const string CaseEscalated = "case.escalated";
    public const string RuleFired = "rule.fired";
    public const string HelpOffered = "help.offered";

    /// <summary>A customer idea moved to done (Feedback/Ideas): its voters and author were told.</summary>
    public const string IdeaShipped = "idea.shipped";

    /// <summary>Interactions are not copied into the outbox (the interactions table is their log); rules read them by cursor.</summary>
    public const string InteractionRecorded = "interaction.recorded";

    public static readonly IReadOnlyList<string> All =
        [ResponseSubmitted, SignalReceived, InteractionRecorded, CaseOpened, CaseUpdated, CaseSlaBreached, CaseEscalated, RuleFired, HelpOffered, IdeaShipped];
}
