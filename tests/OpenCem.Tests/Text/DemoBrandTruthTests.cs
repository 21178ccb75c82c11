using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OpenCem.Tests.Text;

/// <summary>The demo arrives with its brand values and tagged comments; the brand gap finds the planted truth 16.</summary>
[Collection(DemoDatabases.LargeCollection)]
public sealed class DemoBrandTruthTests(ITestOutputHelper output)
{
    private static readonly DemoOptions Options = DemoDatabases.Large;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Demo_SimpleIsConfirmed_ReliableIsContradicted_AndEveryModuleIsSpokenTo(DatabaseKind kind)
    {
        _ = DemoTruths.NetworkFaultsContradictReliable;
        var target = (await DemoDatabases.CopyAsync(kind, Options)).Target;
        await using (var database = new Database(target))
        {
            await using var connection = await database.OpenAsync();
            // Every analysed item is in the experience tables, and the rollup's totals are the items'.
            var analysed = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM text_analyses");
            Assert.Equal(analysed, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM text_experiences"));
            Assert.Equal(analysed, await connection.ExecuteScalarAsync<long>("SELECT coalesce(sum(items), 0) FROM text_experience_daily WHERE module = ''"));
        }

        await using var server = await TestServer.StartAsync(kind, target);
        var gap = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/brand/gap?period=quarter");
        var values = gap.GetProperty("values").EnumerateArray().ToDictionary(v => v.GetProperty("key").GetString()!);
        foreach (var (key, value) in values)
        {
            output.WriteLine($"{key}: +{value.GetProperty("confirm")} -{value.GetProperty("contradict")} perception {value.GetProperty("perception")} gap {value.GetProperty("gap")}");
        }

        Assert.Equal(["simple", "reliable", "fair-price"], values.Keys);
        var simple = values["simple"];
        var reliable = values["reliable"];
        Assert.True(simple.GetProperty("perception").GetDouble() > 0.5);
        Assert.True(reliable.GetProperty("perception").GetDouble() < 0);
        // The share confirming "reliable" is below one half with 95 % confidence, "simple"'s above.
        Assert.True(reliable.GetProperty("confirming").GetProperty("high").GetDouble() < 0.5);
        Assert.True(simple.GetProperty("confirming").GetProperty("low").GetDouble() > 0.5);
        Assert.True(reliable.GetProperty("gap").GetDouble() > simple.GetProperty("gap").GetDouble() + 0.5);
        Assert.True(reliable.GetProperty("trend").GetArrayLength() >= 4);
        Assert.Contains(gap.GetProperty("terms").EnumerateArray(), t => t.GetProperty("term").GetString() == "unreliable");

        var balance = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/text/experiential?by=none");
        var modules = Assert.Single(balance.GetProperty("groups").EnumerateArray()).GetProperty("modules").EnumerateArray().ToList();
        foreach (var module in modules)
        {
            output.WriteLine($"{module.GetProperty("module")}: {module.GetProperty("count")} ({module.GetProperty("share")})");
            Assert.True(module.GetProperty("count").GetInt64() > 0, module.ToString());
        }

        var byTouchpoint = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/text/experiential?by=touchpoint");
        Assert.True(byTouchpoint.GetProperty("groups").GetArrayLength() >= 5);
    }
}
