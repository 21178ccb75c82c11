using System.Text.Json;
using OpenCem.Demo;
using OpenCem.Interactions;

namespace OpenCem.Tests.Demo;

public sealed class DemoGeneratorTests
{
    private static readonly DemoOptions Small = new(Customers: 500, Seed: 7, AsOf: DemoSample.AsOf);

    [Fact]
    public void The_same_options_give_the_same_stream()
    {
        var first = DemoCompany.Generate(Small).ToList();
        var second = DemoCompany.Generate(Small with { }).ToList();
        Assert.Equal(first.Count, second.Count);
        Assert.Equal(first, second);
    }

    [Fact]
    public void A_different_seed_gives_a_different_stream()
    {
        var first = DemoCompany.Generate(Small).Take(5000).ToList();
        var other = DemoCompany.Generate(Small with { Seed = 8 }).Take(5000).ToList();
        Assert.NotEqual(first.Select(e => (e.EventName, e.Timestamp)), other.Select(e => (e.EventName, e.Timestamp)));
        Assert.NotEqual(first[0].TraitsJson, other[0].TraitsJson);
        Assert.StartsWith("demo-8-0-", other[0].MessageId, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_ids_are_unique()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        Assert.All(DemoSample.Events, e => Assert.True(ids.Add(e.MessageId), e.MessageId));
        Assert.Equal("demo-42-0-0", DemoSample.Events[0].MessageId);
    }

    [Fact]
    public void Events_lie_in_the_two_years_before_as_of_and_each_customer_is_in_time_order()
    {
        var start = DemoSample.AsOf.AddYears(-2);
        foreach (var events in DemoSample.ByCustomer())
        {
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                Assert.InRange(e.Timestamp, start, DemoSample.AsOf.AddTicks(-1));
                Assert.Equal(e.Timestamp, e.ReceivedAt);
                Assert.Equal(TimeSpan.Zero, e.Timestamp.Offset);
                if (i > 0)
                {
                    Assert.True(events[i - 1].Timestamp <= e.Timestamp, e.MessageId);
                }
            }
        }
    }

    [Fact]
    public void Each_customer_starts_with_an_identify_carrying_the_full_traits()
    {
        var customers = 0;
        foreach (var events in DemoSample.ByCustomer())
        {
            var first = events[0];
            Assert.Equal(TrackingCallType.Identify, first.Type);
            Assert.Equal(DemoCompany.UserId(customers), first.UserId);
            Assert.Matches("^cust-[0-9]{6}$", first.UserId!);
            using var traits = JsonDocument.Parse(first.TraitsJson!);
            var root = traits.RootElement;
            foreach (var name in new[] { "name", "email", "phone", "region", "lineOfBusiness", "customerSince", "lifecycleStage" })
            {
                Assert.Equal(JsonValueKind.String, root.GetProperty(name).ValueKind);
            }

            Assert.Contains(root.GetProperty("plan").GetString(), new[] { "mobile", "broadband", "tv", "bundle" });
            Assert.Contains(root.GetProperty("language").GetString(), new[] { "en", "de" });
            Assert.InRange(root.GetProperty("monthlyFee").GetDouble(), 10, 120);
            Assert.All(events.Skip(1), e => Assert.Equal(first.UserId, e.UserId));
            customers++;
        }

        Assert.Equal(DemoSample.Options.Customers, customers);
    }

    [Fact]
    public void All_json_is_well_formed_and_values_are_in_range()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in DemoSample.Events)
        {
            foreach (var json in new[] { e.PropertiesJson, e.ContextJson, e.TraitsJson })
            {
                if (json is not null && seen.Add(json))
                {
                    using var document = JsonDocument.Parse(json);
                    Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
                }
            }

            if (e.Effort is { } effort)
            {
                Assert.InRange(effort, 1, 7);
            }

            Assert.True(e.Revenue is null or > 0);
            Assert.True(e.Cost is null or > 0);
            Assert.InRange(e.SizeInBytes, 100, 4000);
        }

        Assert.All(
            DemoSample.Events.Where(e => e.EventName == DemoEvents.RouterSetupAttempted),
            e => Assert.True(e.Outcome is InteractionOutcome.Success or InteractionOutcome.Failure));
        Assert.All(DemoSample.Events.Where(e => e.EventName == DemoEvents.ContractRenewed), e => Assert.NotNull(e.Revenue));
        Assert.All(DemoSample.Events.Where(e => e.EventName == DemoEvents.TechnicianVisitCompleted), e => Assert.NotNull(e.Cost));
    }

    [Fact]
    public void Customers_have_about_fifty_interactions_on_average()
    {
        var average = DemoSample.Events.Count / (double)DemoSample.Options.Customers;
        Assert.InRange(average, 35, 70);
    }

    [Fact]
    public void Generation_is_lazy()
    {
        // Timings belong in bench/; this only proves the stream is lazy and sized as documented.
        var huge = DemoCompany.Generate(new DemoOptions(Customers: int.MaxValue, AsOf: DemoSample.AsOf)).Take(100).ToList();
        Assert.Equal(100, huge.Count);

        var count = DemoCompany.Generate(new DemoOptions(Customers: 2000, Seed: 3, AsOf: DemoSample.AsOf)).Count();
        Assert.InRange(count, 70_000, 140_000);
    }

    [Fact]
    public void The_default_as_of_is_today_at_midnight_utc()
    {
        var events = DemoCompany.Generate(new DemoOptions(Customers: 20)).ToList();
        Assert.All(events, e => Assert.True(e.Timestamp < DateTimeOffset.UtcNow));
        Assert.Contains(events, e => e.Timestamp > DateTimeOffset.UtcNow.AddDays(-40));
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoCompany.Generate(new DemoOptions(Customers: -1)));
    }

    [Fact]
    public void Profiles_agree_with_the_events()
    {
        foreach (var events in DemoSample.ByCustomer().Take(300))
        {
            var index = DemoSample.CustomerIndex(events[0].UserId!);
            var profile = DemoCompany.Profile(DemoSample.Options, index);
            Assert.Equal(events[0].UserId, profile.UserId);
            Assert.Equal(DemoSample.Cancelled(events), profile.Cancelled);
            Assert.Equal(DemoSample.RepeatedlyFailedSetup(events), profile.FrustratedSelfService);
            Assert.InRange(profile.LatentLoyalty, 0, 10);
            Assert.Equal(profile.LatentLoyalty, DemoCompany.LatentLoyalty(DemoSample.Options, index));
            using var traits = JsonDocument.Parse(events[0].TraitsJson!);
            Assert.Equal(profile.Email, traits.RootElement.GetProperty("email").GetString());
        }
    }

    [Fact]
    public void Json_strings_are_escaped()
    {
        var text = "O'Brien \"Quote\" back\\slash\nnew\u0001line Müller";
        using var document = JsonDocument.Parse(DemoJson.Quote(text));
        Assert.Equal(text, document.RootElement.GetString());
        Assert.Equal("\"plain\"", DemoJson.Quote("plain"));
    }
}
