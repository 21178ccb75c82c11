using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Value;

/// <summary>Churn training, scores and equity through the API, over a Telco-like table imported as customer records.</summary>
public sealed class ChurnApiTests
{
    private const int Customers = 2500;

    private static async Task ImportTelcoAsync(TestServer server)
    {
        foreach (var batch in ChurnTelcoTable.Generate(Customers, seed: 5).Chunk(1000))
        {
            var records = new JsonArray();
            foreach (var row in batch)
            {
                var record = new JsonObject { ["id"] = row["customerID"], ["country"] = "CH", ["churnCopy"] = row["Churn"] == "Yes" ? "left" : "stayed" };
                foreach (var (name, value) in row.Where(r => r.Key != "customerID"))
                {
                    record[name] = value;
                }

                records.Add(record);
            }

            var response = await server.PostJsonAsync("/api/v1/sources/telco/records", records.ToJsonString(), server.Admin);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static Task<HttpResponseMessage> TrainAsync(TestServer server, string label, params string[] exclude) =>
        server.Admin.PostAsJsonAsync("/api/v1/analytics/churn/train", new { label, exclude });

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Train_TelcoRecords_JudgedOnHeldOutAndEveryCustomerScored(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await ImportTelcoAsync(server);

        var response = await TrainAsync(server, "trait:Churn=Yes", "gender");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var model = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var modelId = model["modelId"]!.GetValue<long>();
        Assert.InRange(model["auc"]!.GetValue<double>(), 0.75, 0.95);
        Assert.InRange(model["cvAuc"]!.GetValue<double>(), 0.75, 0.95);
        Assert.Equal(10, model["calibration"]!.AsArray().Count);
        Assert.Equal(500, model["heldOut"]!.GetValue<int>());
        Assert.NotNull(model["baseline"]!["auc"]);
        var features = model["features"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
        Assert.Contains(features, f => f.StartsWith("Contract = ", StringComparison.Ordinal));
        Assert.DoesNotContain(features, f => f.StartsWith("Churn", StringComparison.Ordinal) || f.StartsWith("churnCopy", StringComparison.Ordinal) || f.StartsWith("gender", StringComparison.Ordinal));

        await using var database = new Database(server.Target);
        await using var connection = await database.OpenAsync();
        Assert.Equal(Customers, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM customer_values WHERE churn_model_id = @modelId AND churn_risk IS NOT NULL", new { modelId }));
        var customer = await connection.ExecuteScalarAsync<long>("SELECT customer_id FROM source_records WHERE source = 'telco' ORDER BY id LIMIT 1");
        var risk = JsonNode.Parse(await server.Admin.GetStringAsync($"/api/v1/analytics/churn/customers/{customer}"))!;
        Assert.Equal(modelId, risk["modelId"]!.GetValue<long>());
        Assert.InRange(risk["risk"]!.GetValue<double>(), 0.0, 1.0);
        var reasons = risk["reasons"]!.AsArray();
        Assert.InRange(reasons.Count, 1, 3);
        Assert.All(reasons, r => Assert.Contains(r!["direction"]!.GetValue<string>(), new[] { "raises", "lowers" }));

        // The 360 shows the risk and its reasons, and the CLV once a fit has written it.
        await connection.ExecuteAsync("UPDATE customer_values SET clv = 100 + (customer_id % 10) * 50, p_alive = 0.9");
        var ws = await connection.ExecuteScalarAsync<long>("SELECT workspace_id FROM customer_values LIMIT 1");
        await OpenCem.Value.Equity.EquityTotalsStore.RefreshAsync(connection, null, ws, 0); // as a CLV fit's writer does
        var profile = JsonNode.Parse(await server.Admin.GetStringAsync($"/api/v1/customers/{customer}"))!["prediction"]!;
        Assert.Equal(risk["risk"]!.GetValue<double>(), profile["churnRisk"]!.GetValue<double>());
        Assert.Equal(0.9, profile["probabilityAlive"]!.GetValue<double>());
        Assert.Equal(reasons.Count, profile["churnReasons"]!.AsArray().Count);

        var equity = JsonNode.Parse(await server.Admin.GetStringAsync("/api/v1/analytics/equity?by=segment&segment=trait.Contract"))!;
        var segments = equity["segments"]!.AsArray();
        Assert.Equal(["Month-to-month", "One year", "Two year"], segments.Select(s => s!["segment"]!.GetValue<string>()).Order());
        var expected = await connection.QuerySingleAsync<(double Equity, double AtRisk)>("SELECT sum(clv), sum(clv * churn_risk) FROM customer_values");
        Assert.Equal(expected.Equity, equity["customerEquity"]!.GetValue<double>(), 0.5);
        Assert.Equal(expected.AtRisk, equity["revenueAtRisk"]!.GetValue<double>(), 0.5);
        // Monthly contracts hold the most revenue at risk: their churn risk is highest.
        Assert.Equal("Month-to-month", segments[0]!["segment"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.GetAsync("/api/v1/analytics/equity?by=touchpoint")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Admin.GetAsync("/api/v1/analytics/equity?by=planet")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Admin.GetAsync("/api/v1/analytics/equity?segment=mood")).StatusCode);

        // The overview's totals are one stored row, and the cached segment report follows an erasure (a new version of the values).
        var totals = await server.Service<OpenCem.Value.Equity.EquityQuery>().TotalsAsync(ws);
        Assert.Equal(expected.Equity, totals.CustomerEquity, 0.5);
        Assert.Equal(expected.AtRisk, totals.RevenueAtRisk, 0.5);
        var erased = await connection.QueryFirstAsync<(long Customer, double Clv)>("SELECT customer_id, clv FROM customer_values WHERE clv > 0 ORDER BY clv DESC");
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.DeleteAsync($"/api/v1/customers/{erased.Customer}")).StatusCode);
        var after = JsonNode.Parse(await server.Admin.GetStringAsync("/api/v1/analytics/equity?by=segment&segment=trait.Contract"))!;
        Assert.Equal(expected.Equity - erased.Clv, after["customerEquity"]!.GetValue<double>(), 0.5);
        Assert.Equal(expected.Equity - erased.Clv, (await server.Service<OpenCem.Value.Equity.EquityQuery>().TotalsAsync(ws)).CustomerEquity, 0.5);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Train_LabelMatchingNoneOrAllOrMalformed_422(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await ImportTelcoAsync(server);
        foreach (var label in new[] { "trait:Churn=Maybe", "trait:country=CH", "event:Contract Cancelled within 90", "churn please" })
        {
            var response = await TrainAsync(server, label);
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, label + ": " + await response.Content.ReadAsStringAsync());
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.NotNull(problem["errors"]!["label"]);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await server.PostJsonAsync("/api/v1/analytics/churn/train", """{"label":"trait:Churn=Yes","exclude":"gender"}""", server.Admin)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.PostJsonAsync("/api/v1/analytics/churn/train", "[1]", server.Admin)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("/api/v1/analytics/churn/customers/999999")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Train_PreferRespondAsync_202WithStatusResource(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await ImportTelcoAsync(server);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/analytics/churn/train") { Content = JsonContent.Create(new { label = "trait:Churn=Yes" }) };
        request.Headers.Add("Prefer", "respond-async");
        var response = await server.Admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith("/api/v1/analytics/churn/models/", location, StringComparison.Ordinal);

        JsonNode status;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        do
        {
            await Task.Delay(200);
            status = JsonNode.Parse(await server.Admin.GetStringAsync(location))!;
        }
        while (status["status"]!.GetValue<string>() is not ("ready" or "invalid" or "failed") && DateTime.UtcNow < deadline);

        Assert.Equal("ready", status["status"]!.GetValue<string>());
        Assert.True(status["auc"]!.GetValue<double>() > 0.75);
        Assert.Equal(Customers, status["scored"]!.GetValue<long>());
    }
}
