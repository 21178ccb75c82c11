using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Customers;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Customers;

/// <summary>Identity resolution through the service, on both databases.</summary>
public sealed class IdentityServiceTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Records_from_three_sources_become_one_profile_and_conflicting_customer_numbers_stay_apart(DatabaseKind kind)
    {
        await using var fixture = await Fixture.CreateAsync(kind);
        var outcome = await fixture.UpsertAsync(
            ("crm", """{"id":"CRM-1","customerNumber":"C-1","email":"Anna.Mueller@Example.com","name":"Anna Müller","plan":"Basic","updatedAt":"2025-01-01T00:00:00Z"}"""),
            ("billing", """{"id":"B-1","customerNumber":" C-1 ","phone":"030 1234567","plan":"Premium","updatedAt":"2025-06-01T00:00:00Z"}"""),
            ("webshop", """{"id":"W-1","email":"anna.mueller@example.com ","phone":"+49 30 1234567","identifiers":{"userId":"u-1"}}"""),
            ("crm", """{"id":"CRM-2","customerNumber":"C-2","email":"family@example.com","name":"Bob Müller"}"""),
            ("crm", """{"id":"CRM-3","customerNumber":"C-3","email":"family@example.com","name":"Carla Müller"}"""));

        Assert.Equal(5, outcome.Created);
        Assert.Empty(outcome.Rejections);
        var anna = await fixture.CustomerOfAsync("crm", "CRM-1");
        Assert.Equal(anna, await fixture.CustomerOfAsync("billing", "B-1"));
        Assert.Equal(anna, await fixture.CustomerOfAsync("webshop", "W-1"));
        Assert.NotEqual(await fixture.CustomerOfAsync("crm", "CRM-2"), await fixture.CustomerOfAsync("crm", "CRM-3"));
        Assert.Equal(3, await fixture.CountAsync("SELECT count(*) FROM customers"));

        // Source priority is not configured: the most recent record wins the plan.
        var traits = JsonNode.Parse(await fixture.ScalarAsync<string>("SELECT traits FROM customers WHERE id = @id", new { id = anna }))!;
        Assert.Equal("Premium", (string?)traits["plan"]);
        Assert.Equal("Anna Müller", (string?)traits["name"]);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_later_record_bridging_two_profiles_merges_them_and_reruns_change_nothing(DatabaseKind kind)
    {
        await using var fixture = await Fixture.CreateAsync(kind);
        await fixture.UpsertAsync(
            ("crm", """{"id":"CRM-1","customerNumber":"C-1","email":"a@example.com"}"""),
            ("webshop", """{"id":"W-1","phone":"+41 44 123 45 67"}"""));
        var first = await fixture.CustomerOfAsync("crm", "CRM-1");
        var second = await fixture.CustomerOfAsync("webshop", "W-1");
        Assert.NotEqual(first, second);

        var bridge = await fixture.UpsertAsync(("billing", """{"id":"B-1","email":"A@example.com","phone":"0041441234567"}"""));
        Assert.Equal(1, bridge.ProfilesMerged);
        Assert.Equal(first, await fixture.CustomerOfAsync("webshop", "W-1"));
        Assert.Equal(first, await fixture.CustomerOfAsync("billing", "B-1"));
        Assert.Equal(second, await fixture.ScalarAsync<long>("SELECT old_customer_id FROM customer_redirects"));

        var again = await fixture.UpsertAsync(("billing", """{"id":"B-1","email":"A@example.com","phone":"0041441234567"}"""));
        Assert.Equal(1, again.Unchanged);

        var rebuilt = await fixture.Service.RebuildAsync(fixture.Workspace);
        Assert.Equal(0, rebuilt.ProfilesCreated);
        Assert.Equal(first, await fixture.CustomerOfAsync("webshop", "W-1"));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM customers"));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task An_identifier_on_too_many_records_links_nothing(DatabaseKind kind)
    {
        await using var fixture = await Fixture.CreateAsync(kind);
        var records = Enumerable.Range(1, 12).Select(i => ("webshop", $$"""{"id":"W-{{i}}","email":"shop@example.com"}""")).ToArray();
        await fixture.UpsertAsync(records[..10]);
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM customers"));

        // The 11th record makes the address shared: the ten split apart again.
        await fixture.UpsertAsync(records[10..]);
        Assert.Equal(12, await fixture.CountAsync("SELECT count(*) FROM customers"));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_split_and_an_erasure_made_by_another_process_hold_for_an_upsert_that_knew_the_workspace_without_any(DatabaseKind kind)
    {
        await using var fixture = await Fixture.CreateAsync(kind);
        await fixture.UpsertAsync(
            ("crm", """{"id":"CRM-1","customerNumber":"C-1","email":"a@example.com"}"""),
            ("webshop", """{"id":"W-1","email":"a@example.com"}"""));
        var anna = await fixture.CustomerOfAsync("crm", "CRM-1");
        Assert.Equal(anna, await fixture.CustomerOfAsync("webshop", "W-1"));

        // Another process (its own service, so none of this one's cached knowledge) splits the web shop record off.
        var other = new ProfileChanges(new IdentityService(fixture.Database, TimeProvider.System));
        var split = await other.SplitAsync(fixture.Workspace, anna, [new RecordReference("webshop", "W-1")]);
        Assert.NotNull(split);

        // A new identifier on the web shop record re-resolves it here: the split stays, though this service had seen no splits before.
        await fixture.UpsertAsync(("webshop", """{"id":"W-1","email":"a@example.com","phone":"+41 44 123 45 67"}"""));
        Assert.NotEqual(await fixture.CustomerOfAsync("crm", "CRM-1"), await fixture.CustomerOfAsync("webshop", "W-1"));

        // The other process erases the crm person: a later record with her e-mail is refused here too.
        Assert.NotNull(await other.EraseAsync(fixture.Workspace, await fixture.CustomerOfAsync("crm", "CRM-1")));
        var refused = await fixture.UpsertAsync(("billing", """{"id":"B-9","email":"A@example.com"}"""));
        Assert.Equal("email belongs to a person erased on request", Assert.Single(refused.Rejections).Reason);
    }

    internal sealed class Fixture : IAsyncDisposable
    {
        private Fixture(Database database, long workspace)
        {
            Database = database;
            Workspace = workspace;
            Service = new IdentityService(database, TimeProvider.System);
        }

        public Database Database { get; }

        public long Workspace { get; }

        public IdentityService Service { get; }

        public static async Task<Fixture> CreateAsync(DatabaseKind kind)
        {
            var database = new Database(await TestDatabases.CreateAsync(kind));
            await SchemaMigrator.MigrateAsync(database);
            var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
            return new Fixture(database, workspace.Id);
        }

        public async Task<ResolveOutcome> UpsertAsync(params (string Source, string Json)[] records)
        {
            var reader = new SourceRecordReader(await Service.GetSettingsAsync(Workspace));
            var incoming = records.Select((r, i) =>
            {
                var (record, error) = reader.Read(r.Source, JsonNode.Parse(r.Json)!.AsObject());
                Assert.Null(error);
                return new IncomingRecord(record!, i + 1);
            }).ToList();
            return await Service.UpsertAsync(Workspace, incoming);
        }

        public Task<long> CustomerOfAsync(string source, string key) =>
            ScalarAsync<long>("SELECT customer_id FROM source_records WHERE source = @source AND record_key = @key", new { source, key });

        public Task<long> CountAsync(string sql) => ScalarAsync<long>(sql);

        public async Task<T> ScalarAsync<T>(string sql, object? args = null)
        {
            await using var connection = await Database.OpenAsync();
            return await connection.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("no row");
        }

        public ValueTask DisposeAsync() => Database.DisposeAsync();
    }
}
