using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace OpenCem.Feedback.Distribution;

/// <summary>
/// What became of one invitation mail: accepted by the SMTP server, or not and why. <paramref name="Permanent"/> says
/// that trying again cannot help (the server refused the recipient or the message with a 5xx reply, or the mail
/// cannot be composed); other failures (server unreachable, login refused, 4xx replies, a lost connection) are worth
/// another try later.
/// </summary>
public sealed record MailOutcome(long InvitationId, bool Sent, string? Error, bool Permanent = false);

/// <summary>
/// Sends a batch of invitation mails over one SMTP connection (connect, authenticate when a user name is configured,
/// send each, quit), so a batch of hundreds costs one TLS handshake and one login. Failures are reported per mail,
/// never thrown: a recipient the server refuses fails only its own mail; a server that cannot be reached or refuses
/// the login fails them all with the reason. There are no retries here: the caller keeps failed invitations pending
/// and hands them to a later batch.
/// </summary>
public sealed partial class SurveyMailer(SmtpOptions options, ILogger<SurveyMailer>? logger = null)
{
    private readonly ILogger log = logger ?? NullLogger<SurveyMailer>.Instance;

    /// <summary>
    /// Sends <paramref name="mails"/> and returns one outcome per mail, in the same order. "Sent" means the server
    /// accepted the message for delivery, not that it reached the inbox. On cancellation the mails not yet accepted
    /// are returned as not sent (the ones already accepted stay sent, so the caller does not send them twice).
    /// </summary>
    public async Task<IReadOnlyList<MailOutcome>> SendAsync(IReadOnlyList<InvitationMail> mails, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mails);
        var outcomes = new MailOutcome?[mails.Count];
        var messages = new MimeMessage?[mails.Count];
        MailboxAddress sender;
        try
        {
            sender = options.Sender;
        }
        catch (ParseException exception)
        {
            return FailRemaining(mails, outcomes, 0, $"The sender address '{options.From}' is invalid: {exception.Message}");
        }

        for (var i = 0; i < mails.Count; i++)
        {
            try
            {
                messages[i] = InvitationMailComposer.Compose(mails[i], sender);
            }
            catch (Exception exception) when (exception is ParseException or ArgumentException)
            {
                outcomes[i] = Failed(mails[i], $"The invitation cannot be composed: {exception.Message}", permanent: true);
            }
        }

        if (Array.TrueForAll(outcomes, outcome => outcome is not null))
        {
            return Complete(outcomes);
        }

        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(options.Host, options.Port, options.SocketOptions, ct);
            if (!string.IsNullOrEmpty(options.UserName))
            {
                await client.AuthenticateAsync(options.UserName, options.Password ?? "", ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return FailRemaining(mails, outcomes, 0, "Sending was cancelled before the mail was handed over.");
        }
        catch (Exception exception)
        {
            LogConnectionFailed(log, options.Host, options.Port, exception);
            return FailRemaining(mails, outcomes, 0,
                $"The SMTP server {options.Host}:{options.Port} could not be used: {Describe(exception)}");
        }

        for (var i = 0; i < mails.Count; i++)
        {
            if (messages[i] is not { } message)
            {
                continue;
            }

            try
            {
                await client.SendAsync(message, ct);
                outcomes[i] = new MailOutcome(mails[i].InvitationId, Sent: true, Error: null);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return FailRemaining(mails, outcomes, i, "Sending was cancelled before the mail was handed over.");
            }
            catch (Exception exception)
            {
                LogMailFailed(log, mails[i].InvitationId, exception);
                outcomes[i] = Failed(mails[i], Describe(exception), IsPermanent(exception));
                if (!client.IsConnected)
                {
                    // The connection is gone (MailKit disconnects on I/O and protocol errors); the rest cannot be sent.
                    return FailRemaining(mails, outcomes, i + 1, $"The connection to the SMTP server was lost: {Describe(exception)}");
                }
            }
        }

        try
        {
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (Exception exception)
        {
            // Every message was already accepted or refused; a failed or cancelled QUIT changes none of the outcomes.
            LogDisconnectFailed(log, exception);
        }

        return Complete(outcomes);
    }

    private static MailOutcome[] FailRemaining(IReadOnlyList<InvitationMail> mails, MailOutcome?[] outcomes, int from, string error)
    {
        for (var i = from; i < mails.Count; i++)
        {
            outcomes[i] ??= Failed(mails[i], error);
        }

        return Complete(outcomes);
    }

    private static MailOutcome[] Complete(MailOutcome?[] outcomes) =>
        Array.ConvertAll(outcomes, outcome => outcome ?? throw new InvalidOperationException("A mail was left without an outcome."));

    private static MailOutcome Failed(InvitationMail mail, string error, bool permanent = false) => new(mail.InvitationId, Sent: false, error, permanent);

    /// <summary>A 5xx reply to this recipient or this message; a refused sender or a 4xx reply may pass later.</summary>
    private static bool IsPermanent(Exception exception) =>
        exception is SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted } command
        && (int)command.StatusCode >= 500;

    private static string Describe(Exception exception) => exception switch
    {
        SmtpCommandException command => $"{(int)command.StatusCode} {command.Message}",
        _ => exception.Message,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot send invitations through the SMTP server {Host}:{Port}")]
    private static partial void LogConnectionFailed(ILogger logger, string host, int port, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The invitation {InvitationId} was not accepted by the SMTP server")]
    private static partial void LogMailFailed(ILogger logger, long invitationId, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing the SMTP connection failed after the batch was sent")]
    private static partial void LogDisconnectFailed(ILogger logger, Exception exception);
}
