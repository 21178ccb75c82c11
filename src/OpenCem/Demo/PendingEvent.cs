using OpenCem.Interactions;

namespace OpenCem.Demo;

/// <summary>One event of the customer being simulated, before it is sorted and given its message id.</summary>
internal struct PendingEvent
{
    public long Ticks;
    public int Sequence;
    public TrackingCallType Type;
    public string? Name;
    public InteractionOutcome? Outcome;
    public double? Effort;
    public double? Revenue;
    public double? Cost;
    public string? Properties;
    public string? Context;
    public string? Traits;
    public string? Channel;

    public static int Compare(PendingEvent a, PendingEvent b) =>
        a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Sequence.CompareTo(b.Sequence);
}
