using Microsoft.Extensions.Configuration;
using OpenCem.Feedback.Distribution;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Tests.Feedback;

public sealed class DeliveryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DistributionOptions Options = new();

    private static ClaimedInvitation Claimed(int attempts = 1, int reminders = 0, long? sentAt = null, string? address = "anna@example.com") =>
        new() { Id = 7, WorkspaceId = 1, SurveyId = 3, CustomerId = 11, Address = address, Attempts = attempts, Reminders = reminders, SentAt = sentAt };

    private static StoredSurvey Survey(SurveySettings settings) =>
        new(3, 1, "NPS", "{}", SurveyDefinitionParser.Parse(SurveyFixtures.Nps), settings, 1, Now, Now);

    [Fact]
    public void AfterSending_Accepted_SentWithTheFirstReminderDue()
    {
        var update = DeliveryPolicy.AfterSending(Claimed(), new MailOutcome(7, true, null), new ReminderPolicy(3, 1), reminder: false, Options, Now, cancelled: false);

        Assert.Equal(new OutboxUpdate(7, OutboxChange.Sent, Now.AddDays(3).ToUnixTimeMilliseconds()), update);
    }

    [Fact]
    public void AfterSending_LastReminder_NoneScheduled()
    {
        var update = DeliveryPolicy.AfterSending(Claimed(reminders: 1), new MailOutcome(7, true, null), new ReminderPolicy(3, 2), reminder: true, Options, Now, cancelled: false);

        Assert.Equal(new OutboxUpdate(7, OutboxChange.Reminded, null), update);
    }

    [Theory]
    [InlineData(1, 60)]
    [InlineData(2, 120)]
    [InlineData(4, 480)]
    public void AfterSending_TransientFailure_RetriesWithDoublingWait(int attempts, int waitSeconds)
    {
        var update = DeliveryPolicy.AfterSending(Claimed(attempts), new MailOutcome(7, false, "421 busy"), new ReminderPolicy(), reminder: false, Options, Now, cancelled: false);

        Assert.Equal(new OutboxUpdate(7, OutboxChange.Retry, Now.AddSeconds(waitSeconds).ToUnixTimeMilliseconds(), "421 busy"), update);
    }

    [Fact]
    public void AfterSending_LastAttempt_Failed()
    {
        var update = DeliveryPolicy.AfterSending(Claimed(Options.MaxAttempts), new MailOutcome(7, false, "421 busy"), new ReminderPolicy(), reminder: false, Options, Now, cancelled: false);

        Assert.Equal(OutboxChange.Failed, update.Change);
        Assert.Equal("421 busy (gave up after 5 tries)", update.Error);
    }

    [Fact]
    public void AfterSending_PermanentRefusal_FailedAtOnce()
    {
        var update = DeliveryPolicy.AfterSending(Claimed(1), new MailOutcome(7, false, "550 unknown", Permanent: true), new ReminderPolicy(), reminder: false, Options, Now, cancelled: false);

        Assert.Equal(new OutboxUpdate(7, OutboxChange.Failed, null, "550 unknown"), update);
    }

    [Fact]
    public void AfterSending_ReminderRefused_RemindersStopButTheInvitationStands()
    {
        var update = DeliveryPolicy.AfterSending(Claimed(1), new MailOutcome(7, false, "550 unknown", Permanent: true), new ReminderPolicy(), reminder: true, Options, Now, cancelled: false);

        Assert.Equal(new OutboxUpdate(7, OutboxChange.StopReminders, null, "reminder 1: 550 unknown"), update);
    }

    [Fact]
    public void AfterSending_Cancelled_ReleasedWithoutCountingTheTry()
    {
        var update = DeliveryPolicy.AfterSending(Claimed(3), new MailOutcome(7, false, "cancelled"), new ReminderPolicy(), reminder: false, Options, Now, cancelled: true);

        Assert.Equal(new OutboxUpdate(7, OutboxChange.Release, Now.ToUnixTimeMilliseconds()), update);
    }

    [Fact]
    public void RetryWait_IsCappedAtSixHours() =>
        Assert.Equal(TimeSpan.FromHours(6), DeliveryPolicy.RetryWait(30, TimeSpan.FromMinutes(1)));

    [Fact]
    public void BeforeSending_ClosedOrDeletedSurvey_Withdrawn()
    {
        Assert.Equal(OutboxChange.Withdraw, DeliveryPolicy.BeforeSending(Claimed(), Survey(new SurveySettings { Closed = true }), false, Now)?.Change);
        Assert.Equal(OutboxChange.Withdraw, DeliveryPolicy.BeforeSending(Claimed(), null, false, Now)?.Change);
        Assert.Equal(OutboxChange.StopReminders, DeliveryPolicy.BeforeSending(Claimed(), null, true, Now)?.Change);
        Assert.Null(DeliveryPolicy.BeforeSending(Claimed(), Survey(SurveySettings.Default), false, Now));
    }

    [Fact]
    public void BeforeSending_ReminderLimitLoweredSinceScheduled_Stopped()
    {
        var survey = Survey(new SurveySettings { Reminders = new ReminderPolicy(3, 1) });
        var update = DeliveryPolicy.BeforeSending(Claimed(reminders: 1, sentAt: Now.AddDays(-9).ToUnixTimeMilliseconds()), survey, true, Now);

        Assert.Equal(new OutboxUpdate(7, OutboxChange.StopReminders), update);
    }

    [Fact]
    public void BeforeSending_ReminderWaitLengthenedSinceScheduled_Rescheduled()
    {
        var sent = Now.AddDays(-3);
        var survey = Survey(new SurveySettings { Reminders = new ReminderPolicy(5, 1) });
        var update = DeliveryPolicy.BeforeSending(Claimed(sentAt: sent.ToUnixTimeMilliseconds()), survey, true, Now);

        Assert.Equal(new OutboxUpdate(7, OutboxChange.RescheduleReminder, sent.AddDays(5).ToUnixTimeMilliseconds()), update);
    }

    [Fact]
    public void Options_FromConfiguration_ReadsTheSurveysSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Surveys:DispatchIntervalSeconds"] = "0.5",
            ["Surveys:MaxSendAttempts"] = "3",
            ["Surveys:TriggerSettleSeconds"] = "0",
        }).Build();

        var options = DistributionOptions.FromConfiguration(configuration);

        Assert.Equal(TimeSpan.FromMilliseconds(500), options.DispatchInterval);
        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal(TimeSpan.Zero, options.TriggerSettle);
        Assert.Equal(TimeSpan.FromSeconds(5), options.TriggerScanInterval);
        Assert.Equal(100, options.BatchSize);
    }

    [Theory]
    [InlineData("DispatchIntervalSeconds", "0")]
    [InlineData("DispatchIntervalSeconds", "soon")]
    [InlineData("MaxSendAttempts", "0")]
    [InlineData("DispatchBatchSize", "5000")]
    public void Options_FromConfiguration_InvalidValue_ThrowsNamingKey(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"Surveys:{key}"] = value }).Build();

        var exception = Assert.Throws<InvalidOperationException>(() => DistributionOptions.FromConfiguration(configuration));
        Assert.Contains($"Surveys:{key}", exception.Message, StringComparison.Ordinal);
    }
}
