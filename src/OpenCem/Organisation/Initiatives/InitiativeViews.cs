using System.Text.Json.Serialization;

namespace OpenCem.Organisation.Initiatives;

/// <summary>An initiative in the list.</summary>
public sealed record InitiativeSummary(
    long Id, string Name, string? Owner, string? Element, string Phase, DateTimeOffset PhaseSince, int Kpis, int Packages, DateTimeOffset UpdatedAt);

/// <summary>One initiative with its phases (when each started and ended), phase history, work packages and KPIs.</summary>
public sealed record InitiativeView(
    long Id, string Name, string? Description, string? Owner, string? Element, string Phase, DateTimeOffset PhaseSince,
    IReadOnlyList<string> AllowedTransitions, int BeforeDays, int LagDays, IReadOnlyList<PhasePeriod> Phases, IReadOnlyList<PhaseChange> History,
    IReadOnlyList<WorkPackage> Packages, IReadOnlyList<InitiativeKpi> Kpis, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    [JsonIgnore]
    public InitiativeDraft Draft => new(Name, Description, Owner, Element, BeforeDays, LagDays);

    /// <summary>Each phase entered, from the history: started when entered, ended when the next one was.</summary>
    public static IReadOnlyList<PhasePeriod> PeriodsOf(IReadOnlyList<PhaseChange> history) =>
        [.. history.Select((h, i) => new PhasePeriod(h.To, h.At, i + 1 < history.Count ? history[i + 1].At : null))];
}

public sealed record PhasePeriod(string Phase, DateTimeOffset StartedAt, DateTimeOffset? EndedAt);

public sealed record WorkPackage(long Id, string Name, string Status, DateOnly? Due, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>What a change asked of the store came to: 200 with the initiative, or a status with the field at fault (and the allowed phases for 409).</summary>
public sealed record InitiativeChange(int Status, InitiativeView? Initiative = null, string? Field = null, string? Message = null, IReadOnlyList<string>? Allowed = null)
{
    public static InitiativeChange NotFound => new(404, Field: "id", Message: "No initiative has this id.");
}
