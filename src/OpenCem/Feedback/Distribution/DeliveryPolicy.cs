using OpenCem.Feedback.Surveys;

namespace OpenCem.Feedback.Distribution;

/// <summary>
/// The decisions around one claimed invitation, pure: whether to send it at all, and what to record after the SMTP
/// server's answer. Retries wait <see cref="DistributionOptions.RetryAfter"/>, doubling per try (capped at six hours);
/// after <see cref="DistributionOptions.MaxAttempts"/> tries, or at once for a permanent refusal, the invitation is
/// failed (a reminder is dropped instead: the invitation itself was delivered).
/// </summary>
public static class DeliveryPolicy
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(6);

    /// <summary>Why a claimed invitation must not be sent now, as the update to record; null when it should go.</summary>
    public static OutboxUpdate? BeforeSending(ClaimedInvitation invitation, StoredSurvey? survey, bool reminder, DateTimeOffset now)
    {
        if (survey is null || survey.Settings.Closed)
        {
            var why = survey is null ? "the survey was deleted before the mail was sent" : "the survey was closed before the mail was sent";
            return reminder ? new(invitation.Id, OutboxChange.StopReminders) : new(invitation.Id, OutboxChange.Withdraw, Error: why);
        }

        if (string.IsNullOrWhiteSpace(invitation.Address))
        {
            return reminder
                ? new(invitation.Id, OutboxChange.StopReminders, Error: "no e-mail address to remind")
                : new(invitation.Id, OutboxChange.Failed, Error: "no e-mail address known for the customer");
        }

        if (!reminder)
        {
            return null;
        }

        // The settings may have changed since the reminder was scheduled: they decide now.
        var policy = survey.Settings.Reminders;
        if (invitation.Reminders >= policy.Max)
        {
            return new(invitation.Id, OutboxChange.StopReminders);
        }

        var due = ReminderDue(invitation.RemindedAt ?? invitation.SentAt ?? now.ToUnixTimeMilliseconds(), policy);
        return due > now.ToUnixTimeMilliseconds() ? new(invitation.Id, OutboxChange.RescheduleReminder, due) : null;
    }

    /// <summary>What to record once the SMTP server has answered (or sending was cancelled).</summary>
    public static OutboxUpdate AfterSending(
        ClaimedInvitation invitation, MailOutcome outcome, ReminderPolicy reminders, bool reminder, DistributionOptions options, DateTimeOffset now, bool cancelled)
    {
        var at = now.ToUnixTimeMilliseconds();
        if (outcome.Sent)
        {
            var sentReminders = invitation.Reminders + (reminder ? 1 : 0);
            long? next = sentReminders < reminders.Max ? ReminderDue(at, reminders) : null;
            return new(invitation.Id, reminder ? OutboxChange.Reminded : OutboxChange.Sent, next);
        }

        if (cancelled)
        {
            // Shutting down: the mail was never handed over, so this try does not count.
            return reminder ? new(invitation.Id, OutboxChange.RescheduleReminder, at) : new(invitation.Id, OutboxChange.Release, at);
        }

        var error = reminder ? $"reminder {invitation.Reminders + 1}: {outcome.Error}" : outcome.Error;
        if (outcome.Permanent || invitation.Attempts >= options.MaxAttempts)
        {
            var reason = outcome.Permanent ? error : $"{error} (gave up after {invitation.Attempts} tries)";
            return new(invitation.Id, reminder ? OutboxChange.StopReminders : OutboxChange.Failed, Error: reason);
        }

        var retryAt = (now + RetryWait(invitation.Attempts, options.RetryAfter)).ToUnixTimeMilliseconds();
        return new(invitation.Id, reminder ? OutboxChange.RescheduleReminder : OutboxChange.Retry, retryAt, error);
    }

    /// <summary>The wait after the <paramref name="attempts"/>-th failed try: the first wait, doubled per further try.</summary>
    public static TimeSpan RetryWait(int attempts, TimeSpan first)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var wait = first.TotalMilliseconds * factor;
        return wait >= LongestWait.TotalMilliseconds ? LongestWait : TimeSpan.FromMilliseconds(wait);
    }

    private static long ReminderDue(long since, ReminderPolicy policy) => since + (long)TimeSpan.FromDays(policy.AfterDays).TotalMilliseconds;
}
