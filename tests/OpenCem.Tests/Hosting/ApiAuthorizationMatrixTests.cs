using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Routing;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;
using Xunit.Abstractions;

namespace OpenCem.Tests.Hosting;

/// <summary>
/// Every route of the management API, found from the server's own endpoint table (so a new route is covered without
/// touching this test), called with no key, with a write key, with the admin key of another workspace and with this
/// workspace's admin key. Another workspace's key must never see or change this one's data.
/// </summary>
[Collection(DemoDatabases.SmallCollection)]
public sealed partial class ApiAuthorizationMatrixTests(ITestOutputHelper output)
{
    private static readonly string[] Tables = ["customers", "customer_identities", "survey_responses", "surveys", "cases", "touchpoints", "rules", "webhooks", "ideas", "interactions"];

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task EveryApiRoute_NoKeyAndWriteKeyRefused_AnotherWorkspaceSeesAndChangesNothing(DatabaseKind kind)
    {
        var target = (await DemoDatabases.CopyAsync(kind, DemoDatabases.Small)).Target;

        await using var server = await TestServer.StartAsync(kind, options => options with { Configuration = new Dictionary<string, string?> { ["Text:Worker"] = "false" } }, target);
        var database2 = server.Service<Database>();
        var (markers, before) = await MarkersAndCountsAsync(database2);
        var other = await server.Service<WorkspaceStore>().CreateAsync("other-brand", "Other brand");
        var otherKey = (await server.Service<ApiKeyStore>().CreateAsync(other.Id, "other-admin", ApiKeyKind.Admin)).Secret;

        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        using var writer = Client(server, server.WriteKey);
        using var stranger = Client(server, otherKey);
        var routes = Routes(server).ToList();
        Assert.True(routes.Count > 100, $"found only {routes.Count} API routes");
        var failures = new List<string>();
        var seenByOwner = 0;
        foreach (var (method, pattern, contentType) in routes)
        {
            var path = Parameter().Replace(pattern, "1");
            var noKey = await SendAsync(anonymous, method, path, contentType);
            if (noKey != HttpStatusCode.Unauthorized)
            {
                failures.Add($"{method} {pattern} without a key: {(int)noKey}");
            }

            var writeKey = await SendAsync(writer, method, path, contentType);
            if (writeKey is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized))
            {
                failures.Add($"{method} {pattern} with a write key: {(int)writeKey}");
            }

            var (status, body) = await SendWithBodyAsync(stranger, method, path, contentType);
            if ((int)status >= 500)
            {
                failures.Add($"{method} {pattern} with another workspace's key: {(int)status}");
            }
            else if (markers.FirstOrDefault(m => body.Contains(m, StringComparison.Ordinal)) is { } leaked)
            {
                failures.Add($"{method} {pattern} with another workspace's key shows \"{leaked}\"");
            }

            if (method == "GET")
            {
                var (owner, ownerBody) = await SendWithBodyAsync(server.Admin, method, path, contentType);
                if ((int)owner >= 500)
                {
                    failures.Add($"GET {pattern} with the admin key: {(int)owner}");
                }

                seenByOwner += markers.Any(m => ownerBody.Contains(m, StringComparison.Ordinal)) ? 1 : 0;
            }
        }

        output.WriteLine($"{routes.Count} routes; the owner's key saw its markers on {seenByOwner} GET routes");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(seenByOwner >= 8, "the markers are visible to the owner, so their absence for the stranger means something");
        Assert.Equal(before, (await MarkersAndCountsAsync(database2)).Counts);
    }

    private static HttpClient Client(TestServer server, string key)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Each route with its methods and the body type it accepts (a CSV import takes text/csv, not JSON).</summary>
    private static IEnumerable<(string Method, string Pattern, string ContentType)> Routes(TestServer server) => server.Service<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
        .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            .Select(m => (m, e.RoutePattern.RawText!, e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.FirstOrDefault() ?? "application/json")))
        .Distinct()
        .OrderBy(r => r.Item2, StringComparer.Ordinal).ThenBy(r => r.m, StringComparer.Ordinal);

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string method, string path, string contentType) =>
        (await SendWithBodyAsync(client, method, path, contentType)).Status;

    private static async Task<(HttpStatusCode Status, string Body)> SendWithBodyAsync(HttpClient client, string method, string path, string contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent(contentType.Contains("json", StringComparison.Ordinal) ? "{}" : "", Encoding.UTF8, contentType);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Strings only this workspace's data holds (a customer's e-mail, names and titles of its survey, case, touchpoint, idea, initiative), and its row counts.</summary>
    private static async Task<(string[] Markers, Dictionary<string, long> Counts)> MarkersAndCountsAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        var markers = new[]
        {
            await connection.ExecuteScalarAsync<string>("SELECT value FROM customer_identities WHERE kind = 'email' ORDER BY value LIMIT 1"),
            await connection.ExecuteScalarAsync<string>("SELECT name FROM surveys ORDER BY id LIMIT 1"),
            await connection.ExecuteScalarAsync<string>("SELECT title FROM cases ORDER BY id LIMIT 1"),
            await connection.ExecuteScalarAsync<string>("SELECT name FROM touchpoints ORDER BY id LIMIT 1"),
            await connection.ExecuteScalarAsync<string>("SELECT title FROM ideas ORDER BY id LIMIT 1"),
            await connection.ExecuteScalarAsync<string>("SELECT name FROM initiatives ORDER BY id LIMIT 1"),
        }.OfType<string>().ToArray();
        var counts = new Dictionary<string, long>();
        foreach (var table in Tables)
        {
            counts[table] = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
        }

        return (markers, counts);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
