using OpenCem.Organisation.Initiatives;
using OpenCem.Storage;
using Truth = OpenCem.Demo.DemoTruths;

namespace OpenCem.Demo;

/// <summary>
/// The demo company's improvement initiatives (truth 14): one that worked (a callback instead of the billing hotline's
/// queue, whose effect <see cref="CustomerVoice"/> plants in the support survey's CES at that touchpoint), one that did
/// not (co-browsing in the billing chat: nothing changes there), and one still in solution design (confirmed technician
/// appointments, aimed at truth 12's moment of pain). Recorded through the initiative store as a user would, with the
/// phase moves backdated and the baselines captured when realisation began.
/// </summary>
public static class DemoInitiatives
{
    public const string HotlineCallback = "Callback instead of the hotline queue";
    public const string ChatCoBrowsing = "Co-browsing in the billing chat";
    public const string ConfirmedAppointments = "Confirmed technician appointments";

    /// <summary>The touchpoint whose callers get the callback.</summary>
    public const string CallbackTouchpoint = "billing-hotline";

    /// <summary>The first contact with a callback: 12 months before the end of the demo's window.</summary>
    public static long CallbackSince(long endTicks) =>
        new DateTimeOffset(endTicks, TimeSpan.Zero).AddMonths(-Truth.CallbackMonthsBeforeEnd).UtcTicks;

    public static async Task LoadAsync(Database database, long workspaceId, DemoOptions options, CancellationToken cancellationToken)
    {
        var asOf = options.ResolveAsOf();
        var time = new FixedTime(asOf);
        var store = new InitiativeStore(database, time);
        var effects = new InitiativeEffects(store, KpiMeasurer.Create(database, time), time);
        DateTimeOffset Months(int months) => asOf.AddMonths(-months);

        // Support-survey answers are few per touchpoint: a 180-day before window gives the baseline enough of them.
        await AddAsync(
            store, effects, workspaceId,
            new InitiativeDraft(
                HotlineCallback,
                "Billing-hotline callers choose a callback slot instead of waiting in the queue; call-centre staff plan their day around the callbacks.",
                "Call centre lead", "channels-interaction", BeforeDays: 180, LagDays: EffectWindows.DefaultLagDays),
            [Kpi(KpiKinds.Ces, [CallbackTouchpoint], target: 5)],
            [new("Callback design with the telephony vendor", "done", Date(Months(14))), new("Callback slots in the hotline menu", "done", Date(Months(12))),
             new("Workforce planning around callbacks", "done", Date(Months(8)))],
            [(InitiativePhases.Strategy, Months(18)), (InitiativePhases.SolutionDesign, Months(15)), (InitiativePhases.Realisation, Months(Truth.CallbackMonthsBeforeEnd)),
             (InitiativePhases.Standardisation, Months(4))],
            cancellationToken);
        await AddAsync(
            store, effects, workspaceId,
            new InitiativeDraft(
                ChatCoBrowsing,
                "Billing chat agents see the customer's bill on screen with them, so questions about the bill take less effort.",
                "Customer care lead", "channels-interaction", BeforeDays: 180, LagDays: EffectWindows.DefaultLagDays),
            [Kpi(KpiKinds.Ces, ["billing-chat"], target: 5.5, comparison: ["setup-hotline", "fault-resolution", DemoSurveys.TechnicianTouchpoint])],
            [new("Co-browsing tool in the chat", "done", Date(Months(10))), new("Agent training", "done", Date(Months(9)))],
            [(InitiativePhases.Strategy, Months(16)), (InitiativePhases.SolutionDesign, Months(13)), (InitiativePhases.Realisation, Months(10)),
             (InitiativePhases.Standardisation, Months(5)), (InitiativePhases.Completed, Months(2))],
            cancellationToken);
        await AddAsync(
            store, effects, workspaceId,
            new InitiativeDraft(
                ConfirmedAppointments,
                "Technicians get fixed time slots and every appointment is confirmed by text message the day before, with a link to move it: "
                + "fewer missed appointments, and customers know when to be home.",
                "Field service lead", "service-processes", EffectWindows.DefaultBeforeDays, EffectWindows.DefaultLagDays),
            [Kpi(KpiKinds.Csat, [DemoSurveys.TechnicianTouchpoint], target: 3, measure: KpiKinds.CsatMean),
             new InitiativeKpi(0, KpiKinds.Enps, null, null, null, [], "field-service", KpiDirections.Increase, 40, null, null)],
            [new("Time slots in the technician route planning", "in-progress", Date(asOf.AddMonths(1))), new("Confirmation text the day before", "planned", Date(asOf.AddMonths(3)))],
            [(InitiativePhases.Strategy, Months(3)), (InitiativePhases.SolutionDesign, Months(1))],
            cancellationToken);
    }

    private static InitiativeKpi Kpi(string kind, string[] touchpoints, double target, string? measure = null, string[]? comparison = null) =>
        new(0, kind, measure, null, null, touchpoints, null, KpiDirections.Increase, target, comparison, null);

    private static DateOnly Date(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static async Task AddAsync(
        InitiativeStore store, InitiativeEffects effects, long workspaceId, InitiativeDraft draft, IReadOnlyList<InitiativeKpi> kpis, IReadOnlyList<PackageDraft> packages,
        IReadOnlyList<(string Phase, DateTimeOffset At)> phases, CancellationToken cancellationToken)
    {
        const string By = "demo";
        var created = await store.CreateAsync(workspaceId, draft, kpis, packages, By, phases[0].At, cancellationToken);
        foreach (var (phase, at) in phases.Skip(1))
        {
            var moved = await store.TransitionAsync(workspaceId, created.Id, phase, By, null, at, cancellationToken);
            if (moved.Status != 200)
            {
                throw new InvalidOperationException($"Demo initiative {draft.Name}: {moved.Message}");
            }

            if (phase == InitiativePhases.Realisation)
            {
                await effects.CaptureBaselinesAsync(workspaceId, created.Id, cancellationToken);
            }
        }
    }

    /// <summary>The demo's clock stands at its end, so its history is recorded as of then.</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
