using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Cli;

public sealed partial class CliTests
{
    public static IEnumerable<object[]> Kinds => TestDatabases.Kinds;

    [GeneratedRegex("ocm_(admin|write)_[0-9A-Za-z]+")]
    private static partial Regex KeyPattern();

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Keys_CreateListRevoke_WorkAgainstTheDatabase(DatabaseKind kind)
    {
        var target = await TestDatabases.CreateAsync(kind);
        var db = kind == DatabaseKind.Sqlite ? target.Display : target.ConnectionString;

        var created = await CliProcess.RunAsync("keys", "create", "--name", "web-shop", "--kind", "write", "--db", db);
        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Matches("^ocm_write_[0-9A-Za-z]{33}$", created.Output.Trim());

        var listed = await CliProcess.RunAsync("keys", "list", "--db", db);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("web-shop", listed.Output);
        Assert.DoesNotContain(created.Output.Trim(), listed.Output);

        var revoked = await CliProcess.RunAsync("keys", "revoke", "web-shop", "--db", db);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Contains("revoked", (await CliProcess.RunAsync("keys", "list", "--db", db)).Output);
        var again = await CliProcess.RunAsync("keys", "revoke", "web-shop", "--db", db);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("No active key", again.Error);
    }

    [Fact]
    public async Task Keys_WithoutDb_UseOpencemDbVariable()
    {
        var db = Path.Combine(Path.GetTempPath(), $"opencem-env-{Guid.NewGuid():N}.db");
        try
        {
            var environment = new Dictionary<string, string> { ["OPENCEM_DB"] = db };
            var created = await CliProcess.RunAsync(environment, "keys", "create", "--name", "from-env", "--kind", "admin");
            Assert.True(created.ExitCode == 0, created.Error);
            Assert.True(File.Exists(db));
            Assert.Contains("from-env", (await CliProcess.RunAsync(environment, "keys", "list")).Output);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(db)!, Path.GetFileName(db) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task Keys_Create_WithBadKind_ExitsNonZeroWithMessage()
    {
        var db = Path.Combine(Path.GetTempPath(), $"opencem-cli-{Guid.NewGuid():N}.db");
        var result = await CliProcess.RunAsync("keys", "create", "--name", "x", "--kind", "root", "--db", db);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("root", result.Error);
        Assert.False(File.Exists(db));
    }

    [Fact]
    public async Task Serve_UnreachablePostgres_ExitsNonZeroWithMessage()
    {
        var result = await CliProcess.RunAsync("serve", "--db", $"Host=127.0.0.1;Port={CliProcess.FreePort()};Username=x;Timeout=2");
        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("opencem:", result.Error.Trim());
    }

    [Fact]
    public async Task Help_IsAvailableOnEveryVerb()
    {
        foreach (var verb in new[] { new[] { "--help" }, ["serve", "--help"], ["demo", "--help"], ["keys", "--help"], ["keys", "create", "--help"], ["keys", "list", "--help"], ["keys", "revoke", "--help"], ["import", "--help"], ["import", "customers", "--help"], ["identity", "--help"], ["identity", "rebuild", "--help"] })
        {
            var result = await CliProcess.RunAsync(verb);
            Assert.True(result.ExitCode == 0, string.Join(' ', verb) + ": " + result.Error);
            Assert.Contains("Usage:", result.Output);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Serve_AcknowledgedEvents_SurviveKill9(DatabaseKind kind)
    {
        var target = await TestDatabases.CreateAsync(kind);
        var db = kind == DatabaseKind.Sqlite ? target.Display : target.ConnectionString;
        var port = CliProcess.FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var acknowledged = new List<string>();
        string adminKey;

        using (var server = CliProcess.Start("serve", "--db", db, "--urls", address.ToString().TrimEnd('/')))
        {
            await server.WaitUntilHealthyAsync(address, TimeSpan.FromSeconds(60));
            adminKey = KeyPattern().Match(server.Output).Value;
            Assert.StartsWith("ocm_admin_", adminKey);

            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 6).Select(sender => Task.Run(async () =>
            {
                using var client = new HttpClient { BaseAddress = address };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(adminKey + ":")));
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    var ids = Enumerable.Range(0, 100).Select(i => $"k-{sender}-{batch}-{i}").ToList();
                    var body = "{\"batch\":[" + string.Join(",", ids.Select(id => $$"""{"type":"track","userId":"u{{id.GetHashCode() % 50}}","event":"Crash Test","messageId":"{{id}}"}""")) + "]}";
                    try
                    {
                        var response = await client.PostAsync("/v1/batch", new StringContent(body, Encoding.UTF8, "application/json"));
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            lock (acknowledged)
                            {
                                acknowledged.AddRange(ids);
                            }
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // The server is gone.
                    }
                }
            })).ToList();

            await Task.Delay(1500);
            server.KillHard();
            stop.Cancel();
            await Task.WhenAll(senders);
        }

        Assert.True(acknowledged.Count >= 500, $"only {acknowledged.Count} events were acknowledged before the kill");
        await using var database = new Database(target);
        await using var connection = await database.OpenAsync();
        var stored = (await connection.QueryAsync<string>("SELECT message_id FROM interactions")).ToHashSet();
        var lost = acknowledged.Where(id => !stored.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged events were lost, e.g. {lost.FirstOrDefault()}");

        // A restarted server on the same database sees the same, consistent counts.
        var port2 = CliProcess.FreePort();
        var address2 = new Uri($"http://127.0.0.1:{port2}");
        using var restarted = CliProcess.Start("serve", "--db", db, "--urls", address2.ToString().TrimEnd('/'));
        await restarted.WaitUntilHealthyAsync(address2, TimeSpan.FromSeconds(60));
        using var admin = new HttpClient { BaseAddress = address2 };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        var stats = await admin.GetFromJsonAsync<JsonElement>("/api/v1/stats");
        Assert.Equal(stored.Count, stats.GetProperty("interactions").GetInt64());

        // Retries after the restart of messages stored before the crash are recognised as duplicates.
        using var tracking = new HttpClient { BaseAddress = address2 };
        tracking.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(adminKey + ":")));
        var retried = acknowledged.Take(100).Select(id => $$"""{"type":"track","userId":"u1","event":"Crash Test","messageId":"{{id}}"}""");
        var retry = await tracking.PostAsync("/v1/batch", new StringContent("{\"batch\":[" + string.Join(",", retried) + "]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var after = await admin.GetFromJsonAsync<JsonElement>("/api/v1/stats");
        Assert.Equal(stored.Count, after.GetProperty("interactions").GetInt64());
    }
}
