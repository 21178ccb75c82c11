namespace OpenCem.Organisation.Initiatives;

/// <summary>Measures an initiative's KPIs over its windows, and captures baselines (when realisation begins, or on demand).</summary>
public sealed class InitiativeEffects(InitiativeStore store, KpiMeasurer measurer, TimeProvider time)
{
    public async Task<InitiativeEffect?> MeasureAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        if (await store.GetAsync(workspaceId, id, cancellationToken) is not { } initiative)
        {
            return null;
        }

        var minimumN = await measurer.MinimumNAsync(workspaceId, cancellationToken);
        var windows = EffectWindows.For(initiative.History, time.GetUtcNow(), initiative.BeforeDays, initiative.LagDays);
        var effects = new List<KpiEffect>();
        foreach (var kpi in initiative.Kpis)
        {
            if (windows is not { } w)
            {
                effects.Add(KpiEffect.Evaluate(kpi, new KpiReadings(null, null, null, null, null), minimumN, "not measurable yet: the initiative has not entered realisation."));
                continue;
            }

            var readings = await measurer.ReadAsync(workspaceId, kpi, w.Before, w.After, cancellationToken);
            var note = w.After.IsEmpty ? $"not measurable yet: the after window begins on {w.After.From:yyyy-MM-dd}." : null;
            effects.Add(KpiEffect.Evaluate(kpi, readings, minimumN, note));
        }

        var realisation = initiative.History.FirstOrDefault(h => h.To == InitiativePhases.Realisation)?.At;
        return new InitiativeEffect(initiative.Id, initiative.Name, initiative.Phase, realisation, windows?.Before, windows?.After, minimumN, effects);
    }

    /// <summary>
    /// Stores each KPI's value over the before window as its baseline: the window before realisation began, or, for an
    /// initiative not yet in realisation, the window ending today.
    /// </summary>
    public async Task<InitiativeView?> CaptureBaselinesAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        if (await store.GetAsync(workspaceId, id, cancellationToken) is not { } initiative)
        {
            return null;
        }

        var realisation = initiative.History.FirstOrDefault(h => h.To == InitiativePhases.Realisation)?.At;
        var window = EffectWindows.Before(realisation ?? EffectWindows.Day(time.GetUtcNow()).AddDays(1), initiative.BeforeDays);
        foreach (var kpi in initiative.Kpis)
        {
            var readings = await measurer.ReadAsync(workspaceId, kpi, window, new EffectWindow(window.To, window.To), cancellationToken);
            await store.SetBaselineAsync(workspaceId, kpi.Id, readings.Before, window, cancellationToken);
        }

        return await store.GetAsync(workspaceId, id, cancellationToken);
    }
}
