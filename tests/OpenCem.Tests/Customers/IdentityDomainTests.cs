using System.Text.Json.Nodes;
using OpenCem.Customers;

namespace OpenCem.Tests.Customers;

/// <summary>The pure parts of identity resolution: normalisation, the graph and its guards, plans, survivorship, life cycle.</summary>
public sealed class IdentityDomainTests
{
    private static readonly IdentitySettings Settings = new();
    private static readonly IdentifierNormaliser Normaliser = new(Settings);

    [Theory]
    [InlineData(" Anna.Mueller@Example.COM ", "anna.mueller@example.com")]
    [InlineData("anna.mueller+shop@gmail.com", "annamueller@gmail.com")]
    [InlineData("Anna.Mueller@googlemail.com", "annamueller@gmail.com")]
    [InlineData("anna+news@outlook.com", "anna@outlook.com")]
    [InlineData("anna+news@example.com", "anna+news@example.com")]
    [InlineData("a.b@example.com", "a.b@example.com")]
    public void Emails_are_normalised_with_provider_rules(string raw, string expected) =>
        Assert.Equal(expected, Normaliser.Normalise(IdentifierKinds.Email, raw).Value);

    [Theory]
    [InlineData("030 1234567", "+49301234567")]
    [InlineData("+49 (0)30 123 4567", "+49301234567")]
    [InlineData("0049 30 1234567", "+49301234567")]
    [InlineData("0151-23456789", "+4915123456789")]
    [InlineData("+43 1 5551234", "+4315551234")]
    [InlineData("+41 44 123 45 67", "+41441234567")]
    public void Phones_become_e164_with_the_default_region(string raw, string expected) =>
        Assert.Equal(expected, Normaliser.Normalise(IdentifierKinds.Phone, raw).Value);

    [Theory]
    [InlineData(IdentifierKinds.Email, "no-at-sign")]
    [InlineData(IdentifierKinds.Email, "two@@example.com")]
    [InlineData(IdentifierKinds.Email, "a b@example.com")]
    [InlineData(IdentifierKinds.Email, "a@localhost")]
    [InlineData(IdentifierKinds.Phone, "12")]
    [InlineData(IdentifierKinds.Phone, "call me")]
    public void Malformed_identifiers_are_refused_with_a_reason(string type, string raw)
    {
        var (value, error) = Normaliser.Normalise(type, raw);
        Assert.Null(value);
        Assert.Contains(raw.Trim(), error);
    }

    [Fact]
    public void The_default_region_decides_numbers_without_country_code()
    {
        var swiss = new IdentifierNormaliser(new IdentitySettings { DefaultRegion = "CH" });
        Assert.Equal("+41441234567", swiss.Normalise(IdentifierKinds.Phone, "044 123 45 67").Value);
        Assert.Equal("C-1", Normaliser.Normalise(IdentifierKinds.CustomerNumber, "  C-1 ").Value);
    }

    [Fact]
    public void Linking_is_transitive_and_the_same_input_gives_the_same_profiles()
    {
        var resolution = Resolve(
            ("crm", [Email("a@x.de")]),
            ("billing", [Email("a@x.de"), Phone("+491")]),
            ("shop", [Phone("+491")]),
            ("shop", [Email("other@x.de")]));
        Assert.Equal([0, 0, 0, 3], resolution.ProfileOf);
        Assert.Equal(2, resolution.Links.Count);
    }

    [Fact]
    public void An_identifier_on_too_many_records_is_shared_and_links_nothing()
    {
        var records = Enumerable.Range(0, 11).Select(_ => ("shop", new[] { Email("counter@shop.de") })).ToArray();
        var resolution = Resolve(records);
        Assert.Equal(Enumerable.Range(0, 11), resolution.ProfileOf);
        Assert.Equal(11, Assert.Single(resolution.Shared).Records);

        // The same ten records without the eleventh are one profile: the limit is inclusive.
        Assert.All(Resolve(records[..10]).ProfileOf, p => Assert.Equal(0, p));
    }

    [Fact]
    public void Different_customer_numbers_of_one_source_never_meet_whatever_else_links_them()
    {
        var resolution = Resolve(
            ("crm", [Number("C-1"), Email("family@x.de")]),
            ("crm", [Number("C-2"), Email("family@x.de")]),
            ("billing", [Number("C-9"), Email("family@x.de")]));
        Assert.NotEqual(resolution.ProfileOf[0], resolution.ProfileOf[1]);
        Assert.Contains(resolution.Blocked, b => b.Reason == IdentityGraph.UniqueConflictReason);
        // Another source's number is not compared: billing joins the first family member.
        Assert.Equal(resolution.ProfileOf[0], resolution.ProfileOf[2]);
    }

    [Fact]
    public void Records_split_apart_stay_apart_but_others_still_link()
    {
        var sources = new[] { "crm", "crm", "shop" };
        IReadOnlyList<IReadOnlyList<Identifier>> identifiers = [[Email("a@x.de")], [Email("a@x.de"), Phone("+492")], [Phone("+492")]];
        var resolution = IdentityGraph.Resolve(sources, identifiers, Settings, [(0, 1)]);
        Assert.NotEqual(resolution.ProfileOf[0], resolution.ProfileOf[1]);
        Assert.Equal(resolution.ProfileOf[1], resolution.ProfileOf[2]);
        Assert.Contains(resolution.Blocked, b => b.Reason == IdentityGraph.SplitReason);
    }

    [Fact]
    public void Plans_keep_the_smallest_existing_id_merge_the_rest_away_and_move_tracking_identities()
    {
        var user = new Identifier(IdentifierKinds.UserId, "u-1");
        var anonymous = new Identifier(IdentifierKinds.AnonymousId, "a-1");
        var plan = ResolutionPlan.Make(
            [
                new PlanRecord(1, "crm", "CRM-1", 50, [Email("a@x.de")]),
                new PlanRecord(null, "tracking", "u-1", null, [user, anonymous, Email("a@x.de")]),
            ],
            new Dictionary<Identifier, TrackingIdentity> { [user] = new(7, 40), [anonymous] = new(8, 30) },
            [],
            Settings);
        Assert.Equal([30L], plan.Profiles);
        Assert.Equal(0, plan.MergedAway[40]);
        Assert.Equal(0, plan.MergedAway[50]);
        var moved = Assert.Single(plan.MovedIdentities);
        Assert.Equal(user, moved.Identifier);
        Assert.Empty(plan.NewIdentities);
    }

    [Fact]
    public void Survivorship_prefers_the_trusted_source_then_the_latest_and_honours_per_trait_rules()
    {
        var settings = new IdentitySettings
        {
            SourcePriority = ["crm", "billing"],
            Traits = [new TraitRule { Trait = "phone", Rule = Survivorship.MostRecent }, new TraitRule { Trait = "plan", Sources = ["billing"] }],
        };
        var (traits, origins) = Survivorship.Apply(
            [
                Candidate("tracking", "2026-05-01", """{"name":"Anni","phone":"3","plan":"web"}"""),
                Candidate("billing", "2026-03-01", """{"name":"Anna M.","phone":"2","plan":"Premium"}"""),
                Candidate("crm", "2025-01-01", """{"name":"Anna Müller","phone":"1","plan":"Basic"}"""),
            ],
            settings);
        Assert.Equal("Anna Müller", (string?)traits["name"]);
        Assert.Equal("3", (string?)traits["phone"]);
        Assert.Equal("Premium", (string?)traits["plan"]);
        Assert.Equal("billing", origins["plan"].Source);
    }

    [Theory]
    [InlineData(null, null, null, null, null, LifecycleStage.Prospect)]
    [InlineData(-30, -30, -1, null, null, LifecycleStage.New)]
    [InlineData(-400, -20, -1, null, null, LifecycleStage.Active)]
    [InlineData(-400, -200, -120, null, null, LifecycleStage.AtRisk)]
    [InlineData(-800, -500, -400, null, null, LifecycleStage.Former)]
    [InlineData(-400, -100, -5, -10, null, LifecycleStage.Former)]
    [InlineData(-400, -20, -1, -60, -20, LifecycleStage.WonBack)]
    public void Life_cycle_stages_follow_the_documented_rules(int? first, int? last, int? activity, int? cancelled, int? returned, string expected)
    {
        var now = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset? Day(int? offset) => offset is { } d ? now.AddDays(d) : null;
        var facts = new LifecycleFacts(Day(first), Day(last), Day(activity), Day(cancelled), Day(returned));
        Assert.Equal(expected, LifecycleDerivation.Derive(facts, new LifecycleRules(), now));
    }

    [Fact]
    public void Records_are_read_with_identifiers_traits_and_errors_naming_the_problem()
    {
        var reader = new SourceRecordReader(Settings);
        var (record, error) = reader.Read("crm", JsonNode.Parse("""{"id":42,"email":"A@X.de","identifiers":{"loyaltyCard":["L-1","L-2"]},"plan":"tv","updatedAt":"2026-01-02"}""")!.AsObject());
        Assert.Null(error);
        Assert.Equal("42", record!.Key);
        Assert.Equal([Email("a@x.de"), new("loyaltyCard", "L-1"), new("loyaltyCard", "L-2")], record.Identifiers);
        Assert.Equal("tv", (string?)record.Traits["plan"]);
        Assert.Equal("A@X.de", (string?)record.Traits["email"]);

        Assert.Equal("id is missing", reader.Read("crm", new JsonObject { ["email"] = "a@x.de" }).Error);
        Assert.Equal("updatedAt is not an ISO 8601 date", reader.Read("crm", new JsonObject { ["id"] = "1", ["updatedAt"] = "yesterday" }).Error);
        Assert.Equal("phone must be a string", reader.Read("crm", new JsonObject { ["id"] = "1", ["phone"] = new JsonArray(new JsonObject()) }).Error);
    }

    private static Resolution Resolve(params (string Source, Identifier[] Identifiers)[] records) =>
        IdentityGraph.Resolve(records.Select(r => r.Source).ToList(), records.Select(r => (IReadOnlyList<Identifier>)r.Identifiers).ToList(), Settings);

    private static Identifier Email(string value) => new(IdentifierKinds.Email, value);

    private static Identifier Phone(string value) => new(IdentifierKinds.Phone, value);

    private static Identifier Number(string value) => new(IdentifierKinds.CustomerNumber, value);

    private static TraitCandidate Candidate(string source, string updated, string traits) =>
        new(source, source + "-1", DateTimeOffset.Parse(updated, System.Globalization.CultureInfo.InvariantCulture), JsonNode.Parse(traits)!.AsObject());
}
