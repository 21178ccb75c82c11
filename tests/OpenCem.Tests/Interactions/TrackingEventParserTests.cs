using System.Text.Json;
using OpenCem.Interactions;

namespace OpenCem.Tests.Interactions;

public sealed class TrackingEventParserTests
{
    private static readonly DateTimeOffset Received = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static (TrackingEvent? Event, TrackingRejection? Rejection) Parse(string json, TrackingCallType? type = TrackingCallType.Track, DateTimeOffset? batchSentAt = null)
    {
        using var document = JsonDocument.Parse(json);
        TrackingEventParser.TryParse(document.RootElement, type, Received, batchSentAt, out var parsed, out var rejection);
        return (parsed, rejection);
    }

    [Fact]
    public void TryParse_Track_LiftsOutcomeEffortRevenueCostAndTouchpoint()
    {
        var (e, _) = Parse("""
            {"userId":"u1","event":"Router Setup Attempted","messageId":"m1",
             "properties":{"outcome":"Failed","effort":"2","revenue":10,"cost":1.5,"touchpoint":"router-setup","channel":"App","step":3},
             "context":{"library":{"name":"analytics-node"}}}
            """);

        Assert.NotNull(e);
        Assert.Equal(InteractionOutcome.Failure, e.Outcome);
        Assert.Equal(2, e.Effort);
        Assert.Equal(10, e.Revenue);
        Assert.Equal(1.5, e.Cost);
        Assert.Equal("router-setup", e.TouchpointKey);
        Assert.Equal("app", e.Channel);
        Assert.Equal("""{"step":3}""", e.PropertiesJson);
        Assert.Contains("analytics-node", e.ContextJson);
        Assert.Equal(Received, e.Timestamp);
    }

    [Fact]
    public void TryParse_NumericUserId_IsKeptAsText()
    {
        var (e, _) = Parse("""{"userId":12345,"event":"x"}""");
        Assert.Equal("12345", e!.UserId);
        Assert.False(string.IsNullOrEmpty(e.MessageId));
    }

    [Theory]
    [InlineData("""{"event":"x"}""", "userId")]
    [InlineData("""{"userId":"","anonymousId":null,"event":"x"}""", "userId")]
    [InlineData("""{"userId":true,"event":"x"}""", "userId")]
    [InlineData("""{"userId":"u","event":""}""", "event")]
    [InlineData("""{"userId":"u","event":5}""", "event")]
    [InlineData("""{"userId":"u","event":"x","messageId":7}""", "messageId")]
    [InlineData("""{"userId":"u","event":"x","timestamp":"not a time"}""", "timestamp")]
    [InlineData("""{"userId":"u","event":"x","context":"web"}""", "context")]
    [InlineData("""{"userId":"u","event":"x","properties":{"effort":[1]}}""", "properties.effort")]
    [InlineData("""{"userId":"u","event":"x","properties":{"revenue":"ten"}}""", "properties.revenue")]
    [InlineData("""{"userId":"u","event":"x","properties":{"outcome":"maybe"}}""", "properties.outcome")]
    [InlineData("[1]", "$")]
    public void TryParse_InvalidCall_NamesTheField(string json, string field)
    {
        var (e, rejection) = Parse(json);
        Assert.Null(e);
        Assert.Equal(field, rejection!.Field);
        Assert.False(string.IsNullOrWhiteSpace(rejection.Reason));
    }

    [Fact]
    public void TryParse_BatchItemWithoutType_IsRejected()
    {
        var (_, rejection) = Parse("""{"userId":"u","event":"x"}""", type: null);
        Assert.Equal("type", rejection!.Field);
    }

    [Fact]
    public void TryParse_AliasAndGroup_NeedTheirIds()
    {
        Assert.Equal("previousId", Parse("""{"userId":"u"}""", TrackingCallType.Alias).Rejection!.Field);
        Assert.Equal("groupId", Parse("""{"userId":"u"}""", TrackingCallType.Group).Rejection!.Field);
        var alias = Parse("""{"userId":"u","previousId":"anon"}""", TrackingCallType.Alias).Event!;
        Assert.Equal("anon", alias.PreviousId);
    }

    [Fact]
    public void TryParse_Page_TakesItsNameAsEventName()
    {
        Assert.Equal("Pricing", Parse("""{"anonymousId":"a","name":"Pricing"}""", TrackingCallType.Page).Event!.EventName);
        Assert.Equal("Bills", Parse("""{"anonymousId":"a","properties":{"name":"Bills"}}""", TrackingCallType.Screen).Event!.EventName);
    }

    [Fact]
    public void TryParse_Identify_CarriesTraitsAndTheirLiftedFields()
    {
        var e = Parse("""{"userId":"u","traits":{"plan":"tv","email":"x@y.z"}}""", TrackingCallType.Identify).Event!;
        Assert.Equal("""{"plan":"tv","email":"x@y.z"}""", e.TraitsJson);
        var fromContext = Parse("""{"userId":"u","context":{"traits":{"plan":"tv"}}}""", TrackingCallType.Identify).Event!;
        Assert.Equal("""{"plan":"tv"}""", fromContext.TraitsJson);
    }

    [Fact]
    public void TryParse_SentAt_CorrectsClientClockSkew()
    {
        // The client clock is 1 hour ahead; the event happened 5 s before sending.
        var (e, _) = Parse("""{"userId":"u","event":"x","timestamp":"2026-03-01T13:00:00Z","sentAt":"2026-03-01T13:00:05Z"}""");
        Assert.Equal(Received.AddSeconds(-5), e!.Timestamp);

        var (batched, _) = Parse("""{"userId":"u","event":"x","originalTimestamp":"2026-03-01T13:00:00Z"}""", batchSentAt: DateTimeOffset.Parse("2026-03-01T13:00:05Z", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Received.AddSeconds(-5), batched!.Timestamp);

        var (noSentAt, _) = Parse("""{"userId":"u","event":"x","timestamp":"2025-12-24T18:00:00+01:00"}""");
        Assert.Equal(new DateTimeOffset(2025, 12, 24, 17, 0, 0, TimeSpan.Zero), noSentAt!.Timestamp);
    }

    [Fact]
    public void TryParse_EventOverLimit_IsRejected()
    {
        var json = "{\"userId\":\"u\",\"event\":\"x\",\"properties\":{\"blob\":\"" + new string('a', TrackingEventParser.MaxEventBytes) + "\"}}";
        Assert.Equal("$", Parse(json).Rejection!.Field);
    }
}
