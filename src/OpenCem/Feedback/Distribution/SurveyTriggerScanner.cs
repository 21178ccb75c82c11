using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Surveys;
using OpenCem.Interactions;
using OpenCem.Storage;

namespace OpenCem.Feedback.Distribution;

/// <summary>
/// Turns interactions into invitations by the surveys' triggers. Every
/// <see cref="DistributionOptions.TriggerScanInterval"/> it reads, per workspace with triggers, the interactions after
/// its cursor at the watched touchpoints (in batches, in id order), keeps those that match a trigger (event, journey
/// stage, outcome) and fall in its sample, and invites each one's customer through <see cref="InvitationStore"/>, so
/// the contact rules apply and every suppression is stored with its reason. The invitation names the interaction and
/// touchpoint and is due at <c>occurred_at + delayMinutes</c>. A workspace's cursor starts at the newest interaction
/// when its first trigger appears (history is not surveyed) and is dropped when its last trigger goes. Interactions that
/// already have an invitation for the survey are skipped, so replaying a batch after a crash invites nobody twice.
/// Without any trigger a pass reads the survey settings and nothing else.
/// </summary>
public sealed partial class SurveyTriggerScanner(
    Database database,
    TriggerFeed feed,
    DistributionSurveys distribution,
    SurveyStore surveys,
    InvitationStore invitations,
    CatalogueCache catalogue,
    DistributionOptions options,
    TimeProvider time,
    ILogger<SurveyTriggerScanner> logger) : BackgroundService
{
    private static readonly TimeSpan PostgresSettle = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly CommitHorizon _horizon = new();

    private TimeSpan Settle => options.TriggerSettle ?? (database.Kind == DatabaseKind.Postgres ? PostgresSettle : TimeSpan.Zero);

    /// <summary>One pass over all workspaces; returns how many invitations (suppressed ones included) it made.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            if (!await feed.TryLockAsync(connection, cancellationToken))
            {
                return 0;
            }

            try
            {
                return await ScanAsync(connection, cancellationToken);
            }
            finally
            {
                await feed.UnlockAsync(connection);
            }
        }
        finally
        {
            _pass.Release();
        }
    }

    public override void Dispose()
    {
        _pass.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.TriggerScanInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (await RunOnceAsync(stoppingToken) is > 0 and var created)
                {
                    LogCreated(created);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(exception);
            }
        }
    }

    private async Task<int> ScanAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var triggered = (await distribution.ListAsync(cancellationToken))
            .Where(s => !s.Settings.Closed && s.Settings.Triggers.Count > 0)
            .GroupBy(s => s.WorkspaceId)
            .ToDictionary(g => g.Key, g => g.ToList());
        var cursors = await feed.CursorsAsync(connection, cancellationToken);
        foreach (var workspaceId in cursors.Keys.Where(w => !triggered.ContainsKey(w)))
        {
            await feed.DeleteCursorAsync(connection, workspaceId, cancellationToken);
        }

        if (triggered.Count == 0)
        {
            _horizon.Reset();
            return 0;
        }

        var newest = await feed.MaxInteractionIdAsync(connection, cancellationToken);
        var settled = _horizon.Observe(time.GetUtcNow(), newest, Settle);
        var created = 0;
        foreach (var (workspaceId, workspaceSurveys) in triggered)
        {
            if (!cursors.TryGetValue(workspaceId, out var cursor))
            {
                await feed.SaveCursorAsync(connection, workspaceId, newest, cancellationToken);
            }
            else if (cursor < settled)
            {
                created += await ScanWorkspaceAsync(connection, workspaceId, workspaceSurveys, cursor, settled, cancellationToken);
            }
        }

        return created;
    }

    private async Task<int> ScanWorkspaceAsync(
        DbConnection connection, long workspaceId, List<SurveyDistribution> workspaceSurveys, long cursor, long upTo, CancellationToken cancellationToken)
    {
        await catalogue.RefreshAsync([workspaceId], cancellationToken);
        var resolver = catalogue.Get(workspaceId);
        var triggers = workspaceSurveys
            .SelectMany(s => s.Settings.Triggers.Select(t => (Survey: s, Trigger: t, Touchpoint: resolver.Find(t.Touchpoint))))
            .Where(t => t.Touchpoint is not null)
            .Select(t => (t.Survey, t.Trigger, TouchpointId: t.Touchpoint!.Id))
            .ToList();
        var touchpoints = triggers.Select(t => t.TouchpointId).Distinct().ToArray();
        var created = 0;
        while (touchpoints.Length > 0 && !cancellationToken.IsCancellationRequested)
        {
            var batch = await feed.ReadAsync(connection, workspaceId, cursor, upTo, touchpoints, options.BatchSize, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var invited = await feed.InvitedAsync(connection, workspaceId, batch.Select(i => i.Id).ToArray(), cancellationToken);
            foreach (var interaction in batch)
            {
                foreach (var (survey, trigger, touchpointId) in triggers)
                {
                    if (SurveyTriggers.Matches(trigger, touchpointId, interaction) && SurveyTriggers.Sampled(interaction.Id, survey.Id, trigger.SamplingRate)
                        && invited.Add((survey.Id, interaction.Id)) && await InviteAsync(survey, trigger, interaction, cancellationToken))
                    {
                        created++;
                    }
                }
            }

            cursor = batch[^1].Id;
            if (batch.Count < options.BatchSize)
            {
                break;
            }

            await feed.SaveCursorAsync(connection, workspaceId, cursor, cancellationToken);
        }

        // Everything up to the horizon was read (or nothing at a watched touchpoint is in the range).
        if (!cancellationToken.IsCancellationRequested)
        {
            await feed.SaveCursorAsync(connection, workspaceId, upTo, cancellationToken);
        }

        return created;
    }

    private async Task<bool> InviteAsync(SurveyDistribution survey, SurveyTrigger trigger, TriggeredInteraction interaction, CancellationToken cancellationToken)
    {
        var occurred = DateTimeOffset.FromUnixTimeMilliseconds(interaction.OccurredAt);
        // An interaction that arrives long after it happened (a late import) is not worth asking about any more.
        if (occurred < time.GetUtcNow().AddDays(-survey.Settings.ExpiresAfterDays)
            || await surveys.GetAsync(survey.WorkspaceId, survey.Id, cancellationToken) is not { Settings.Closed: false } stored)
        {
            return false;
        }

        var request = new InvitationRequest(
            trigger.Channel, Language: null, interaction.Id, interaction.TouchpointId, occurred.AddMinutes(trigger.DelayMinutes));
        await invitations.CreateAsync(stored, request, [new InvitationTarget(new Respondent(interaction.CustomerId, []))], cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey triggers: {Count} invitations made from new interactions")]
    private partial void LogCreated(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A survey trigger scan failed; retrying at the next interval")]
    private partial void LogPassFailed(Exception exception);
}
