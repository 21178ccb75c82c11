using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Feedback.Distribution;

/// <summary>What one dispatch pass did.</summary>
public sealed record DispatchCounts(int Sent, int Reminded, int Retrying, int Failed, int Withdrawn)
{
    public static DispatchCounts None { get; } = new(0, 0, 0, 0, 0);

    public DispatchCounts Add(DispatchCounts other) => new(
        Sent + other.Sent, Reminded + other.Reminded, Retrying + other.Retrying, Failed + other.Failed, Withdrawn + other.Withdrawn);
}

/// <summary>
/// Sends e-mail invitations and reminders over SMTP (runs only when SMTP is configured). Every
/// <see cref="DistributionOptions.DispatchInterval"/> it claims the due invitations in batches
/// (<see cref="InvitationOutbox"/>), composes their mails, sends each batch over one connection with
/// <see cref="SurveyMailer"/>, and records sent, retry later or failed (<see cref="DeliveryPolicy"/>); then the same
/// for due reminders. Passes in one process never overlap; several processes share the work through the claims.
/// </summary>
public sealed partial class InvitationDispatcher(
    InvitationOutbox outbox,
    InvitationMailBuilder builder,
    SurveyMailer mailer,
    SurveyStore surveys,
    DistributionOptions options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<InvitationDispatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>One pass: all due invitations, then all due reminders, batch by batch.</summary>
    public async Task<DispatchCounts> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var total = DispatchCounts.None;
            foreach (var reminder in new[] { false, true })
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var now = time.GetUtcNow();
                    var claimed = reminder
                        ? await outbox.ClaimRemindersAsync(now, options.BatchSize, cancellationToken)
                        : await outbox.ClaimInvitationsAsync(now, options.BatchSize, cancellationToken);
                    if (claimed.Count == 0)
                    {
                        break;
                    }

                    total = total.Add(await DeliverAsync(claimed, reminder, cancellationToken));
                    if (claimed.Count < options.BatchSize)
                    {
                        break;
                    }
                }
            }

            return total;
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
        // Links name the address the server listens on when no PublicUrl is configured, known once it has started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetResult()))
        {
            await started.Task;
        }

        // The first pass comes one interval after start, like every other: a test that runs passes itself
        // (RunOnceAsync) with a long interval has no background pass racing it.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.DispatchInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                var counts = await RunOnceAsync(stoppingToken);
                if (counts != DispatchCounts.None)
                {
                    LogPass(counts.Sent, counts.Reminded, counts.Retrying, counts.Failed, counts.Withdrawn);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be briefly unreachable; claims are leases, so nothing is lost by trying later.
                LogPassFailed(exception);
            }
        }
    }

    private async Task<DispatchCounts> DeliverAsync(IReadOnlyList<ClaimedInvitation> claimed, bool reminder, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var updates = new List<OutboxUpdate>(claimed.Count);
        var toSend = new List<(ClaimedInvitation Invitation, StoredSurvey Survey)>();
        foreach (var invitation in claimed)
        {
            var survey = await surveys.GetAsync(invitation.WorkspaceId, invitation.SurveyId, cancellationToken);
            if (DeliveryPolicy.BeforeSending(invitation, survey, reminder, now) is { } skip)
            {
                updates.Add(skip);
            }
            else
            {
                toSend.Add((invitation, survey!));
            }
        }

        if (toSend.Count > 0)
        {
            var mails = await builder.BuildAsync(toSend, reminder, cancellationToken);
            // Once mails are handed to the server their outcome must be recorded, so from here on only the SMTP
            // conversation is cancelled by a shutdown, not the bookkeeping.
            var outcomes = await mailer.SendAsync(mails, cancellationToken);
            var after = time.GetUtcNow();
            for (var i = 0; i < toSend.Count; i++)
            {
                var (invitation, survey) = toSend[i];
                updates.Add(DeliveryPolicy.AfterSending(
                    invitation, outcomes[i], survey.Settings.Reminders, reminder, options, after, cancellationToken.IsCancellationRequested));
            }
        }

        await outbox.RecordAsync(updates, time.GetUtcNow(), CancellationToken.None);
        return Count(updates);
    }

    private static DispatchCounts Count(List<OutboxUpdate> updates) => new(
        updates.Count(u => u.Change == OutboxChange.Sent),
        updates.Count(u => u.Change == OutboxChange.Reminded),
        updates.Count(u => u.Change is OutboxChange.Retry || (u.Change == OutboxChange.RescheduleReminder && u.Error is not null)),
        updates.Count(u => u.Change == OutboxChange.Failed || (u.Change == OutboxChange.StopReminders && u.Error is not null)),
        updates.Count(u => u.Change == OutboxChange.Withdraw));

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Survey mail: {Sent} invitations and {Reminded} reminders sent, {Retrying} to retry, {Failed} failed, {Withdrawn} withdrawn")]
    private partial void LogPass(int sent, int reminded, int retrying, int failed, int withdrawn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A survey mail dispatch pass failed; retrying at the next interval")]
    private partial void LogPassFailed(Exception exception);
}
