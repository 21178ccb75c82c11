using OpenCem.Organisation.Initiatives;
using OpenCem.Organisation.Maturity;
using OpenCem.Organisation.Pulse;
using OpenCem.Organisation.Targets;

namespace OpenCem.Dashboard.ServiceOrganisation;

/// <summary>
/// What the Organisation page shows: the four strategic targets, the latest Customer Care Concept Index assessment
/// against the one before it, and every initiative with its measured effect.
/// </summary>
public sealed record OrganisationData(
    TargetsView Targets, IReadOnlyList<AssessmentSummary> Assessments, AssessmentIndexView? Latest, IReadOnlyList<InitiativeRow> Initiatives);

/// <summary>An initiative in the page's list with its measured effect.</summary>
public sealed record InitiativeRow(InitiativeSummary Initiative, InitiativeEffect? Effect);

/// <summary>
/// Reads the Organisation pages through the same services as <c>/api/v1/organisation/targets</c>,
/// <c>/api/v1/assessments/{id}/index</c> and <c>/api/v1/initiatives/{id}/effect</c>. The whole overview is
/// remembered per workspace for <see cref="Lifetime"/> (targets, indicators and effects each cost several queries
/// over the rollups, and the figures move by the quarter); a phase moved from the page forgets it at once.
/// </summary>
public sealed class OrganisationReport(
    StrategicTargets targets, AssessmentStore assessments, AssessmentIndex index, InitiativeStore initiatives, InitiativeEffects effects, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly Lock _gate = new();
    private readonly Dictionary<long, (DateTimeOffset ReadAt, Task<OrganisationData> Data)> _overviews = [];

    public Task<OrganisationData> OverviewAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            // A failed or cancelled read is not kept: the next request reads again.
            if (_overviews.TryGetValue(workspaceId, out var entry) && now - entry.ReadAt < Lifetime && !entry.Data.IsFaulted && !entry.Data.IsCanceled)
            {
                return entry.Data.WaitAsync(cancellationToken);
            }

            // Not tied to one request's cancellation: a closed tab must not fail the read other requests wait on.
            var read = ReadOverviewAsync(workspaceId, CancellationToken.None);
            _overviews[workspaceId] = (now, read);
            return read.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Forgets the remembered overview (after a change made from the page).</summary>
    public void Forget(long workspaceId)
    {
        lock (_gate)
        {
            _overviews.Remove(workspaceId);
        }
    }

    public Task<AssessmentIndexView?> AssessmentAsync(long workspaceId, long id, long? compareTo, CancellationToken cancellationToken = default) =>
        index.ReadAsync(workspaceId, id, compareTo, cancellationToken);

    /// <summary>The assessment dated before <paramref name="id"/>'s, to compare with (null for the first).</summary>
    public async Task<long?> PreviousAssessmentAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        var list = await assessments.ListAsync(workspaceId, cancellationToken);
        return list.FirstOrDefault(a => a.Id == id) is { } current ? Previous(list, current)?.Id : null;
    }

    public async Task<(InitiativeView Initiative, InitiativeEffect? Effect)?> InitiativeAsync(long workspaceId, long id, CancellationToken cancellationToken = default) =>
        await initiatives.GetAsync(workspaceId, id, cancellationToken) is { } view
            ? (view, await effects.MeasureAsync(workspaceId, id, cancellationToken))
            : null;

    /// <summary>Moves an initiative as <c>POST /api/v1/initiatives/{id}/transitions</c> does (entering realisation captures the baselines).</summary>
    public async Task<InitiativeChange> MoveAsync(long workspaceId, long id, string to, string actor, string? note, CancellationToken cancellationToken = default)
    {
        var result = await initiatives.TransitionAsync(workspaceId, id, to, actor, note, null, cancellationToken);
        if (result.Status == 200 && to == InitiativePhases.Realisation)
        {
            result = result with { Initiative = await effects.CaptureBaselinesAsync(workspaceId, id, cancellationToken) };
        }

        Forget(workspaceId);
        return result;
    }

    private async Task<OrganisationData> ReadOverviewAsync(long workspaceId, CancellationToken cancellationToken)
    {
        var view = await targets.GetAsync(workspaceId, PulseLevel.Quarter, null, null, cancellationToken);
        var list = await assessments.ListAsync(workspaceId, cancellationToken);
        AssessmentIndexView? latest = null;
        if (list.OrderByDescending(a => a.AssessedAt).ThenByDescending(a => a.Id).FirstOrDefault() is { } newest)
        {
            latest = await index.ReadAsync(workspaceId, newest.Id, Previous(list, newest)?.Id, cancellationToken);
        }

        var rows = new List<InitiativeRow>();
        foreach (var initiative in await initiatives.ListAsync(workspaceId, null, cancellationToken))
        {
            rows.Add(new InitiativeRow(initiative, await effects.MeasureAsync(workspaceId, initiative.Id, cancellationToken)));
        }

        return new OrganisationData(view, list, latest, rows);
    }

    private static AssessmentSummary? Previous(IReadOnlyList<AssessmentSummary> list, AssessmentSummary current) =>
        list.Where(a => a.Id != current.Id && (a.AssessedAt < current.AssessedAt || (a.AssessedAt == current.AssessedAt && a.Id < current.Id)))
            .OrderByDescending(a => a.AssessedAt).ThenByDescending(a => a.Id).FirstOrDefault();
}
