using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using OpenCem.Value.Fits;
using OpenCem.Value.Lifetime;
using OpenCem.Value.Transactions;

namespace OpenCem.Tests.Value;

public sealed class ClvApiTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task PostTransactions_BadItems_NamesEachFieldAndStoresNothing(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);

        var response = await server.PostJsonAsync("/api/v1/transactions",
            """[{"email":"a@example.com","occurredAt":"2024-02-01","amount":10},{"email":"a@example.com","occurredAt":"gestern","amount":"x"},{"occurredAt":"2024-02-01","amount":1}]""",
            server.Admin);
        var broken = await server.PostJsonAsync("/api/v1/transactions", "[{", server.Admin);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("[1].occurredAt", text, StringComparison.Ordinal);
        Assert.Contains("[1].amount", text, StringComparison.Ordinal);
        Assert.Contains("[2].customerId", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("\"field\":\"body\"", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(server, "SELECT count(*) FROM transactions"));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task PostTransactions_NdjsonWithIds_StoresEachIdOnceAndRejectsUnknownProfiles(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        const string Body = """
            {"customerNumber":"C-1","occurredAt":"2024-02-01T10:00:00Z","amount":10,"transactionId":"T-1"}
            {"customerNumber":"C-1","occurredAt":"2024-02-05","amount":12.5,"transactionId":"T-2"}
            {"customerId":999999,"occurredAt":"2024-02-05","amount":3}
            """;

        var first = await Post(server, Body);
        var second = await Post(server, Body);

        Assert.Equal((3L, 2L, 0L, 1L, 1), (first.Read, first.Stored, first.Duplicates, first.Rejected, first.ProfilesCreated));
        Assert.Contains("customerId 999999 is not a profile", Assert.Single(first.Rejections).Reason, StringComparison.Ordinal);
        Assert.Equal((0L, 2L, 0), (second.Stored, second.Duplicates, second.ProfilesCreated));
        Assert.Equal(1, await CountAsync(server, "SELECT count(DISTINCT customer_id) FROM transactions"));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Fit_RespondAsync_Returns202AndTheFitFinishesInTheBackground(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await PostSimulatedAsync(server, 400);
        // A tracked order with revenue counts as a purchase too.
        var tracked = await server.PostJsonAsync("/v1/track", """{"userId":"buyer-1","event":"Order Completed","timestamp":"1970-03-01T10:00:00Z","properties":{"revenue":42}}""");
        Assert.Equal(HttpStatusCode.OK, tracked.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/analytics/clv/fit")
        {
            Content = new StringContent("""{"calibrationEnd":"1970-07-02","timeUnit":"week","horizon":52,"discountRate":0.002}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Prefer", "respond-async");
        var accepted = await server.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var location = accepted.Headers.Location!.ToString();
        Assert.StartsWith("/api/v1/analytics/clv/fits/", location, StringComparison.Ordinal);
        ClvFitView? fit = null;
        for (var i = 0; i < 600 && fit?.Status is not ("done" or "failed"); i++)
        {
            await Task.Delay(100);
            fit = await server.Admin.GetFromJsonAsync<ClvFitView>(location, Json);
        }

        Assert.Equal("done", fit!.Status);
        Assert.Equal(1, fit.Progress);
        var result = fit.Result!;
        Assert.Equal(401, result.N);
        Assert.Equal(401, result.CustomersValued);
        Assert.True(result.CustomerEquity > 0 && result.Bgnbd.R > 0 && result.GammaGamma.Q > 1);
        Assert.Equal(26, result.Holdout.Count);
        Assert.Equal(401, await CountAsync(server, "SELECT count(*) FROM customer_values WHERE clv > 0 AND p_alive > 0 AND p_alive <= 1"));
        var latest = await server.Admin.GetFromJsonAsync<ClvFitView>("/api/v1/analytics/clv/fits/latest", Json);
        Assert.Equal(fit.Id, latest!.Id);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Fit_TooLittleDataOrBadFields_Returns422NamingTheField(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await PostSimulatedAsync(server, 15);

        var tooLittle = await server.PostJsonAsync("/api/v1/analytics/clv/fit", """{"calibrationEnd":"1970-07-02"}""", server.Admin);
        var noHoldout = await server.PostJsonAsync("/api/v1/analytics/clv/fit", """{"calibrationEnd":"2030-01-01"}""", server.Admin);
        var bad = await server.PostJsonAsync("/api/v1/analytics/clv/fit", """{"calibrationEnd":"1.7.1970","timeUnit":"year","horizon":0,"discountRate":1.5}""", server.Admin);
        var missing = await server.Admin.GetAsync("/api/v1/analytics/clv/fits/latest");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLittle.StatusCode);
        var tooLittleText = await tooLittle.Content.ReadAsStringAsync();
        Assert.Contains("\"field\":\"calibrationEnd\"", tooLittleText, StringComparison.Ordinal);
        Assert.Contains("Too little data", tooLittleText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noHoldout.StatusCode);
        Assert.Contains("no holdout period", await noHoldout.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var badText = await bad.Content.ReadAsStringAsync();
        foreach (var field in new[] { "calibrationEnd", "timeUnit", "horizon", "discountRate" })
        {
            Assert.Contains($"\"{field}\"", badText, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(2, await CountAsync(server, "SELECT count(*) FROM clv_fits WHERE status = 'failed'"));
    }

    /// <summary>Customers drawn from a BG/NBD process over 1970 (a year from the epoch), posted as NDJSON.</summary>
    private static async Task PostSimulatedAsync(TestServer server, int customers)
    {
        var purchases = BgNbdSimulation.Purchases(
            new BgNbdParameters(0.8, 4, 0.5, 3), new GammaGammaParameters(5, 4, 20), customers, 1, 0, 84, 364, 7, seed: 11);
        var body = string.Join('\n', purchases.Select(p => string.Create(CultureInfo.InvariantCulture,
            $$"""{"customerNumber":"S-{{p.CustomerId}}","occurredAt":"{{DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + p.Day):yyyy-MM-dd}}","amount":{{p.Amount}}}""")));
        var result = await Post(server, body);
        Assert.Equal(0, result.Rejected);
    }

    private static async Task<TransactionImportResult> Post(TestServer server, string body)
    {
        var response = await server.Admin.PostAsync("/api/v1/transactions", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<TransactionImportResult>(Json))!;
    }

    private static async Task<long> CountAsync(TestServer server, string sql)
    {
        await using var database = new Database(server.Target);
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
