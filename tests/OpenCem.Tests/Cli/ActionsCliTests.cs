using Dapper;
using OpenCem.Actions.Cases;
using OpenCem.Actions.Rules;
using OpenCem.Actions.Webhooks;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Cli;

public sealed class ActionsCliTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Cases_ListShowTransition_RefusedTransitionExitsNonZero(DatabaseKind kind)
    {
        var (db, database, workspaceId) = await SeedAsync(kind);
        await using var owned = database;
        long id;
        await using (var connection = await database.OpenAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            id = (await CaseOpener.OpenAsync(connection, transaction, new CaseOpening(workspaceId, "Router keeps dropping"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).Id;
            await transaction.CommitAsync();
        }

        var list = await CliProcess.RunAsync("cases", "list", "--db", db);
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Contains("Router keeps dropping", list.Output);

        var moved = await CliProcess.RunAsync("cases", "transition", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "in_progress", "--note", "called back", "--db", db);
        Assert.True(moved.ExitCode == 0, moved.Error);
        Assert.Contains("in_progress", moved.Output);

        var show = await CliProcess.RunAsync("cases", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", db);
        Assert.Contains("status: new → in_progress", show.Output);
        Assert.Contains("called back", show.Output);

        var refused = await CliProcess.RunAsync("cases", "transition", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "closed", "--db", db);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("allowed: waiting_for_customer, resolved, assigned", refused.Error);
        var missing = await CliProcess.RunAsync("cases", "show", "999999", "--db", db);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("No case has the id 999999", missing.Error);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Rules_ListDisableEnableDryRun(DatabaseKind kind)
    {
        var (db, database, workspaceId) = await SeedAsync(kind);
        await using var owned = database;
        var rule = await new RuleStore(database, TimeProvider.System).CreateAsync(workspaceId, new RuleDefinition(
            "Detractor follow-up", true, "response.submitted", null, "response.nps <= 6",
            [new RuleAction(RuleActionTypes.Tag, new System.Text.Json.Nodes.JsonObject { ["tag"] = "detractor" })], null));
        var id = rule.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Contains("on       response.submitted", (await CliProcess.RunAsync("rules", "list", "--db", db)).Output);
        Assert.Equal(0, (await CliProcess.RunAsync("rules", "disable", id, "--db", db)).ExitCode);
        Assert.Contains("off      response.submitted", (await CliProcess.RunAsync("rules", "list", "--db", db)).Output);
        Assert.Equal(0, (await CliProcess.RunAsync("rules", "enable", id, "--db", db)).ExitCode);
        Assert.False((await new RuleStore(database, TimeProvider.System).GetAsync(workspaceId, rule.Id))!.PausedAt.HasValue);

        var dryRun = await CliProcess.RunAsync("rules", "dry-run", id, "--from", "2026-01-01", "--to", "2026-01-08", "--db", db);
        Assert.True(dryRun.ExitCode == 0, dryRun.Error);
        Assert.Contains("would have fired 0 times", dryRun.Output);
        var badTime = await CliProcess.RunAsync("rules", "dry-run", id, "--from", "yesterday", "--db", db);
        Assert.Equal(1, badTime.ExitCode);
        Assert.Contains("--from must be a date", badTime.Error);
        Assert.Equal(1, (await CliProcess.RunAsync("rules", "enable", "424242", "--db", db)).ExitCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Webhooks_ListDeliveriesRedeliverTheDeadLetter(DatabaseKind kind)
    {
        var (db, database, workspaceId) = await SeedAsync(kind);
        await using var owned = database;
        var (webhook, _) = await new WebhookStore(database, TimeProvider.System).CreateAsync(workspaceId, "https://receiver.example/hook", null, ["case.*"]);
        long deliveryId;
        await using (var connection = await database.OpenAsync())
        {
            var eventId = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO events (workspace_id, type, payload, occurred_at, created_at) VALUES (@workspaceId, 'case.opened', '{}', 1, 1) RETURNING id", new { workspaceId });
            deliveryId = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO webhook_deliveries (workspace_id, webhook_id, event_id, event_type, message_id, status, attempts, next_attempt_at, created_at, last_error)
                VALUES (@workspaceId, @webhookId, @eventId, 'case.opened', 'msg_1', 'dead', 5, 0, 1, 'the receiver answered 500') RETURNING id
                """,
                new { workspaceId, webhookId = webhook.Id, eventId });
        }

        Assert.Contains("https://receiver.example/hook", (await CliProcess.RunAsync("webhooks", "list", "--db", db)).Output);
        var dead = await CliProcess.RunAsync("webhooks", "deliveries", webhook.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--status", "dead", "--db", db);
        Assert.True(dead.ExitCode == 0, dead.Error);
        Assert.Contains("the receiver answered 500", dead.Output);
        var redeliver = await CliProcess.RunAsync("webhooks", "redeliver", deliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", db);
        Assert.True(redeliver.ExitCode == 0, redeliver.Error);
        Assert.DoesNotContain("the receiver answered 500",
            (await CliProcess.RunAsync("webhooks", "deliveries", webhook.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--status", "dead", "--db", db)).Output);
        Assert.Equal(1, (await CliProcess.RunAsync("webhooks", "redeliver", "999999", "--db", db)).ExitCode);
        var badStatus = await CliProcess.RunAsync("webhooks", "deliveries", "1", "--status", "lost", "--db", db);
        Assert.NotEqual(0, badStatus.ExitCode);
    }

    [Fact]
    public async Task Help_IsAvailableOnTheClosedLoopVerbs()
    {
        foreach (var verb in new[] { "cases", "rules", "webhooks" })
        {
            var result = await CliProcess.RunAsync(verb, "--help");
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("list", result.Output);
        }
    }

    private static async Task<(string Db, Database Database, long WorkspaceId)> SeedAsync(DatabaseKind kind)
    {
        var target = await TestDatabases.CreateAsync(kind);
        var database = new Database(target);
        await SchemaMigrator.MigrateAsync(database);
        var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
        return (kind == DatabaseKind.Sqlite ? target.Display : target.ConnectionString, database, workspace.Id);
    }
}
