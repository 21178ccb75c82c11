using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Cli;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using OpenCem.Value.Fits;
using OpenCem.Value.Lifetime;

namespace OpenCem.Tests.Value;

/// <summary>
/// The paper, reproduced as a user would: the raw CDNOW log through <c>opencem import transactions</c>, then
/// <c>POST /api/v1/analytics/clv/fit</c>, on both databases.
/// </summary>
public sealed class CdnowReproductionTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ImportAndFit_RawCdnowLog_ReproducesThePublishedEstimates(DatabaseKind kind)
    {
        var target = await TestDatabases.CreateAsync(kind);
        var db = kind == DatabaseKind.Sqlite ? target.Display : target.ConnectionString;
        string[] import = ["import", "transactions", Cdnow.LogPath, "--customer", "2", "--date", "3", "--amount", "5", "--date-format", "yyyyMMdd", "--delimiter", "whitespace", "--db", db];

        var first = await CliProcess.RunAsync(import);
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("Read 6,919 purchases from CDNOW_sample.txt", first.Output);
        Assert.Contains("6,919 stored, 0 already stored, 0 rejected; 2,357 new customer profiles", first.Output);
        var again = await CliProcess.RunAsync(import);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("0 stored, 6,919 already stored, 0 rejected; 0 new customer profiles", again.Output);

        await using var server = await TestServer.StartAsync(kind, target);
        var response = await server.PostJsonAsync("/api/v1/analytics/clv/fit", """{"calibrationEnd":"1997-09-30","timeUnit":"week","horizon":39,"discountRate":0}""", server.Admin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        foreach (var field in new[] { "n", "bgnbd", "gammaGamma", "logLikelihood", "customerEquity", "holdout" })
        {
            Assert.True(root.TryGetProperty(field, out _), field);
        }

        var result = root.Deserialize<ClvFitResultView>(Json)!;
        Assert.Equal(2357, result.N);
        var bgnbd = new BgNbdParameters(result.Bgnbd.R, result.Bgnbd.Alpha, result.Bgnbd.A, result.Bgnbd.B);
        Cdnow.AssertPublished(bgnbd, new GammaGammaParameters(result.GammaGamma.P, result.GammaGamma.Q, result.GammaGamma.Gamma));
        Assert.Equal(1.226, BgNbd.ExpectedPurchases(bgnbd, 2, 30.43, 38.86, 39), 0.0005);
        Cdnow.AssertHoldout(new ClvModel(result.N, result.RepeatCustomers, result.DistinctTuples, bgnbd, new GammaGammaParameters(1, 2, 1), result.LogLikelihood, result.Holdout, result.Calibration));
        Assert.Equal("1998-06-30", result.AsOf);
        Assert.True(result.CustomerEquity > 0);
        var holdout = root.GetProperty("holdout")[0];
        Assert.True(holdout.TryGetProperty("period", out _) && holdout.TryGetProperty("predicted", out _) && holdout.TryGetProperty("actual", out _));

        await using var database = new Database(target);
        await using var connection = await database.OpenAsync();
        var (rows, fits, equity) = await connection.QuerySingleAsync<(long, long, double)>(
            "SELECT count(*), count(DISTINCT clv_fit_id), sum(clv) FROM customer_values WHERE clv_fit_id = @id", new { id = result.FitId });
        Assert.Equal((2357L, 1L), (rows, fits));
        Assert.Equal(result.CustomerEquity, equity, 1e-6 * equity);
        var latest = await server.Admin.GetFromJsonAsync<ClvFitView>("/api/v1/analytics/clv/fits/latest", Json);
        Assert.Equal(result.FitId, latest!.Id);
        Assert.Equal("done", latest.Status);
    }
}
