namespace OpenCem.Demo;

/// <summary>
/// One fault repair as the customer lived it (times in ticks). <see cref="ResolvedEvent"/> and
/// <see cref="VisitEvent"/> are the events' sequence numbers in the simulator, or -1 when outside the window.
/// </summary>
/// <param name="Ease">The mean effort (1–7, 7 = very easy) of the repair's steps.</param>
/// <param name="SocialAt">When the customer complained about the fault on social media, or 0.</param>
internal readonly record struct FaultEpisode(
    int Number,
    string Category,
    long ReportedAt,
    long ResolvedAt,
    double Ease,
    double ReportEffort,
    double? VisitEffort,
    bool MissedAppointment,
    double ResolvedEffort,
    long SocialAt,
    string? Platform,
    int ResolvedEvent,
    int VisitEvent)
{
    /// <summary>How many days the customer waited from the report to the resolution, rounded up.</summary>
    public int DaysWaited => (int)Math.Ceiling((ResolvedAt - ReportedAt) / (double)TimeSpan.TicksPerDay);
}

/// <summary>A billing query (hotline or chat) or a call to the setup help hotline.</summary>
/// <param name="Touchpoint">The touchpoint key: billing-hotline, billing-chat or setup-hotline.</param>
/// <param name="Topic">The billing topic, or the router setup step that failed.</param>
internal readonly record struct ContactEpisode(string Touchpoint, long At, double Effort, bool Solved, string Topic, int Event);

/// <summary>A contract that ended inside the window, with the reason given when the customer asked to cancel.</summary>
internal readonly record struct CancellationEpisode(long RequestedAt, long CancelledAt, string Reason, int Event);
