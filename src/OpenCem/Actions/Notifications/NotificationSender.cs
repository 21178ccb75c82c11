using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using MimeKit;
using OpenCem.Feedback.Distribution;
using OpenCem.Hosting;
using OpenCem.Storage;

namespace OpenCem.Actions.Notifications;

/// <summary>
/// Sends the queued notification e-mails over the configured SMTP server (the one survey invitations use), a batch per
/// connection, every few seconds; a refused or failed mail is retried later (see <see cref="NotificationQueue"/>).
/// </summary>
public sealed partial class NotificationSender(Database database, SmtpOptions smtp, TimeProvider time, ILogger<NotificationSender> logger) : PassWorker
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>Sends what is due; returns how many were accepted by the server.</summary>
    public Task<int> RunOnceAsync(CancellationToken cancellationToken = default) => ExclusiveAsync(() => SendDueAsync(cancellationToken), cancellationToken);

    protected override Task ScheduledPassAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    protected override Task WaitForNextPassAsync(CancellationToken cancellationToken) => Task.Delay(Interval, time, cancellationToken);

    protected override void PassFailed(Exception exception) => LogPassFailed(exception);

    private async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var due = await NotificationQueue.ClaimAsync(database, 50, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var sent = 0;
        using var client = new SmtpClient();
        string? connectionError = null;
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.SocketOptions, cancellationToken);
            if (!string.IsNullOrEmpty(smtp.UserName))
            {
                await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            connectionError = $"The SMTP server {smtp.Host}:{smtp.Port} could not be used: {exception.Message}";
        }

        foreach (var notification in due)
        {
            var error = connectionError;
            if (error is null)
            {
                try
                {
                    var message = new MimeMessage();
                    message.From.Add(smtp.Sender);
                    message.To.Add(MailboxAddress.Parse(notification.Recipient));
                    message.Subject = notification.Subject;
                    message.Body = new TextPart("plain") { Text = notification.Body };
                    await client.SendAsync(message, cancellationToken);
                    sent++;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    error = exception.Message;
                }
            }

            await NotificationQueue.CompleteAsync(database, notification, error, time.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None);
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }

        return sent;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending rule notifications failed; retrying at the next interval")]
    private partial void LogPassFailed(Exception exception);
}
