using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenCem.Feedback.Invitations;
using OpenCem.Storage;

namespace OpenCem.Feedback.Distribution;

/// <summary>
/// Expires unanswered invitations after their survey's <c>ExpiresAfterDays</c>, counted from when the invitation was
/// sent (or was due to be, or was made, for a link): every <see cref="DistributionOptions.ExpiryInterval"/>, one
/// update per survey. An expired invitation gets no more mails or reminders. Runs whether or not SMTP is configured,
/// since personal links expire too; an invitation being sent at that moment is left to its dispatcher.
/// </summary>
public sealed partial class InvitationExpiry(
    Database database, DistributionSurveys surveys, DistributionOptions options, TimeProvider time, ILogger<InvitationExpiry> logger) : BackgroundService
{
    /// <summary>Expires what is due now; returns how many invitations expired.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var expired = 0;
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var survey in await surveys.ListAsync(cancellationToken))
        {
            expired += await connection.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE survey_invitations SET status = '{InvitationStatus.Expired}'
                WHERE workspace_id = @WorkspaceId AND survey_id = @Id
                  AND status IN ('{InvitationStatus.Created}', '{InvitationStatus.Pending}', '{InvitationStatus.Sent}', '{InvitationStatus.Opened}', '{InvitationStatus.Started}')
                  AND COALESCE(sent_at, send_at, created_at) < @cutoff
                """,
                new { survey.WorkspaceId, survey.Id, cutoff = now.AddDays(-survey.Settings.ExpiresAfterDays).ToUnixTimeMilliseconds() },
                cancellationToken: cancellationToken));
        }

        return expired;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.ExpiryInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (await RunOnceAsync(stoppingToken) is > 0 and var expired)
                {
                    LogExpired(expired);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} unanswered survey invitations expired")]
    private partial void LogExpired(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expiring survey invitations failed; retrying at the next interval")]
    private partial void LogPassFailed(Exception exception);
}
