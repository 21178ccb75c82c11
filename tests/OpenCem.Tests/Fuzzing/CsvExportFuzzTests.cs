using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using CsvHelper;
using OpenCem.Feedback.Responses;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Fuzzing;

/// <summary>The responses CSV export with hostile comments: no cell a spreadsheet would run as a formula, and import gives the text back.</summary>
[Collection(FuzzCollection.Name)]
public sealed class CsvExportFuzzTests(FuzzServers servers)
{
    private static readonly Gen<string> Comments = Gen.Frequency(
        (2, Gen.OneOf("=HYPERLINK(\"https://evil.example\",\"Click\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "'=1+1", "''@x", "-1", "+49 30 1234567", "=")),
        (1, HostileText.Typed));

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ResponsesCsvExport_HostileComments_NeverStartAFormulaAndImportGivesThemBack(DatabaseKind kind)
    {
        var fuzz = await servers.GetAsync(kind);
        await FuzzRun.CheckAsync(Comments.Array[1, 4], nameof(ResponsesCsvExport_HostileComments_NeverStartAFormulaAndImportGivesThemBack), ci: 4, async comments =>
        {
            var ids = new Dictionary<string, string>();
            foreach (var comment in comments)
            {
                var body = new JsonObject { ["surveyId"] = fuzz.SurveyId, ["answers"] = new JsonObject { ["nps"] = 9, ["comment"] = comment } };
                var response = await fuzz.Server.PostJsonAsync("/api/v1/responses", body.ToJsonString(), fuzz.Server.Admin);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
                ids[(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture)] = comment;
            }

            var csv = await fuzz.Server.Admin.GetStringAsync($"/api/v1/surveys/{fuzz.SurveyId}/responses?format=csv");
            using var reader = new CsvReader(new StringReader(csv), CultureInfo.InvariantCulture);
            await reader.ReadAsync();
            reader.ReadHeader();
            var found = 0;
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.Parser.Count; i++)
                {
                    var cell = reader.GetField(i)!;
                    Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
                        $"a cell a spreadsheet would run: {cell}");
                }

                if (ids.TryGetValue(reader.GetField("id")!, out var comment))
                {
                    Assert.Equal(comment.Trim(), CsvFormulas.Restore(reader.GetField("comment")!).Trim());
                    found++;
                }
            }

            Assert.Equal(ids.Count, found);
        }, comments => JsonSerializer.Serialize(comments));
    }
}
