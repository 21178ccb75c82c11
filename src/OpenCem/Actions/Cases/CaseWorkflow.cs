namespace OpenCem.Actions.Cases;

/// <summary>The statuses of a case, in the order a case usually moves through them.</summary>
public static class CaseStatuses
{
    public const string New = "new";
    public const string Assigned = "assigned";
    public const string InProgress = "in_progress";
    public const string WaitingForCustomer = "waiting_for_customer";
    public const string Resolved = "resolved";
    public const string Closed = "closed";

    public static readonly IReadOnlyList<string> All = [New, Assigned, InProgress, WaitingForCustomer, Resolved, Closed];

    /// <summary>Statuses whose SLA clock runs (resolved and closed cases have nothing left to be late for).</summary>
    public static bool IsOpen(string status) => status is not (Resolved or Closed);

    /// <summary>Statuses that mean someone has worked on the case with the customer: entering one is the first response.</summary>
    public static bool CountsAsResponse(string status) => status is InProgress or WaitingForCustomer or Resolved;
}

/// <summary>
/// The transition table of the case life cycle. Pure. A closed case is final; a resolved one can be reopened (back
/// to in progress) when the customer comes back before it is closed.
/// </summary>
public static class CaseWorkflow
{
    private static readonly Dictionary<string, string[]> Next = new(StringComparer.Ordinal)
    {
        [CaseStatuses.New] = [CaseStatuses.Assigned, CaseStatuses.InProgress, CaseStatuses.Closed],
        [CaseStatuses.Assigned] = [CaseStatuses.InProgress, CaseStatuses.WaitingForCustomer, CaseStatuses.Resolved, CaseStatuses.New],
        [CaseStatuses.InProgress] = [CaseStatuses.WaitingForCustomer, CaseStatuses.Resolved, CaseStatuses.Assigned],
        [CaseStatuses.WaitingForCustomer] = [CaseStatuses.InProgress, CaseStatuses.Resolved],
        [CaseStatuses.Resolved] = [CaseStatuses.Closed, CaseStatuses.InProgress],
        [CaseStatuses.Closed] = [],
    };

    /// <summary>The statuses a case in <paramref name="from"/> may move to (none for an unknown status).</summary>
    public static IReadOnlyList<string> AllowedFrom(string from) => Next.TryGetValue(from, out var to) ? to : [];

    public static bool IsAllowed(string from, string to) => AllowedFrom(from).Contains(to, StringComparer.Ordinal);

    /// <summary>A resolved case going back to work is a reopening; the audit trail says so.</summary>
    public static bool IsReopen(string from, string to) => from == CaseStatuses.Resolved && to == CaseStatuses.InProgress;
}

/// <summary>What the agent records when a case closes, and what the data later shows (<see cref="RecoveryJudge"/>).</summary>
public static class CaseOutcomes
{
    public const string Recovered = "recovered";
    public const string NotRecovered = "not_recovered";
    public const string Unknown = "unknown";

    public static readonly IReadOnlyList<string> All = [Recovered, NotRecovered, Unknown];

    /// <summary>The measured recovery when neither a score nor a cancellation came within the window.</summary>
    public const string Unmeasured = "unmeasured";
}
