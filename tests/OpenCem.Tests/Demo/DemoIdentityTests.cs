using Dapper;
using OpenCem.Customers;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Demo;

/// <summary>Planted truth 4: the demo's three source systems and its tracking data become one profile per person.</summary>
public sealed class DemoIdentityTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Demo_sources_resolve_to_one_profile_per_person_and_life_cycle_follows_the_events(DatabaseKind kind)
    {
        var options = new DemoOptions(Customers: 600, Seed: 7);
        await using var database = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(database);
        var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
        await new DemoLoader(database, TimeProvider.System).LoadAsync(workspace.Id, options);

        Dictionary<(string Source, string Key), long> profileOf;
        await using (var connection = await database.OpenAsync())
        {
            profileOf = (await connection.QueryAsync<(string Source, string Key, long Customer)>("SELECT source, record_key, customer_id FROM source_records"))
                .ToDictionary(r => (r.Source, r.Key), r => r.Customer);
            Assert.Equal(options.Customers + DemoSources.Prospects(options), await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM customers"));
        }

        var people = DemoCompany.Profiles(options).ToList();
        foreach (var person in people)
        {
            var crm = profileOf[(DemoSources.Crm, $"CRM-{person.Index + 1}")];
            Assert.Equal(crm, profileOf[(DemoSources.Billing, $"ACC-{500_000 + person.Index}")]);
            Assert.Equal(crm, profileOf[(IdentifierKinds.TrackingSource, person.UserId)]);
            if (profileOf.TryGetValue((DemoSources.Webshop, $"shop-{person.Index + 1}"), out var shop))
            {
                Assert.Equal(crm, shop);
            }
        }

        // The family pairs share an e-mail in the CRM but stay two people.
        for (var first = 0; first + 1 < people.Count; first += DemoTruths.FamilyPairEvery)
        {
            Assert.NotEqual(profileOf[(DemoSources.Crm, $"CRM-{first + 1}")], profileOf[(DemoSources.Crm, $"CRM-{first + 2}")]);
        }

        // The life-cycle stage derived from the events agrees with what the generator did.
        var profiles = new CustomerProfiles(database, new IdentityService(database, TimeProvider.System), TimeProvider.System);
        var former = people.Where(p => !p.Active).Take(40).ToList();
        var current = people.Where(p => p.Active).Take(40).ToList();
        Assert.True(former.Count >= 20);
        foreach (var person in former)
        {
            var profile = await profiles.GetAsync(workspace.Id, profileOf[(DemoSources.Crm, $"CRM-{person.Index + 1}")]);
            Assert.Equal(LifecycleStage.Former, profile!.Lifecycle.Stage);
        }

        foreach (var person in current)
        {
            var profile = await profiles.GetAsync(workspace.Id, profileOf[(DemoSources.Crm, $"CRM-{person.Index + 1}")]);
            Assert.NotEqual(LifecycleStage.Former, profile!.Lifecycle.Stage);
            Assert.NotEqual(LifecycleStage.Prospect, profile.Lifecycle.Stage);
        }

        var prospect = await profiles.GetAsync(workspace.Id, profileOf[(DemoSources.Webshop, "shop-p1")]);
        Assert.Equal(LifecycleStage.Prospect, prospect!.Lifecycle.Stage);
    }
}
