using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Dapper;
using OpenCem.Actions.Rules;
using OpenCem.Storage;
using OpenCem.Text;
using OpenCem.Text.Themes;

namespace OpenCem.Tests.Fuzzing;

/// <summary>
/// The dashboard's pages (server-rendered, so the HTML of a GET is what the browser parses) with hostile text in
/// everything they show of the data: a customer's name and traits (one a <c>javascript:</c> URL), a survey comment, a
/// case's title and notes, a theme's name, a rule's name and its run log. Markup must only ever arrive escaped.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class DashboardEscapingFuzzTests(FuzzServers servers)
{
    /// <summary>Markup that breaks out of text, of an attribute (either quote) or of a text box when not escaped.</summary>
    private static readonly string[] Markup = [.. HostileText.Classics.Where(c => c.Contains('<', StringComparison.Ordinal))];

    private const string ScriptUrl = "javascript:alert(document.cookie)";

    private static readonly Gen<string[]> Texts = Gen.OneOf(Markup).Array[2, 3];

    [Fact]
    public async Task DashboardPages_HostileTextInTheirData_NeverArriveAsMarkup()
    {
        var fuzz = await servers.GetAsync(DatabaseKind.Sqlite);
        using var admin = await fuzz.DashboardAsync();
        var round = 0;
        await FuzzRun.CheckAsync(Texts, nameof(DashboardPages_HostileTextInTheirData_NeverArriveAsMarkup), ci: 3, async markup =>
        {
            var tag = $"xss{++round}{Guid.NewGuid():N}"[..16];
            string Text(string what) => $"{tag} {what} {string.Join(" ", markup)}";
            var seeded = await SeedAsync(fuzz, tag, Text);

            foreach (var (path, shown) in seeded.Pages)
            {
                var response = await admin.GetAsync(path);
                var html = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
                foreach (var text in seeded.Texts)
                {
                    Assert.False(html.Contains(text, StringComparison.Ordinal), $"GET {path} has '{text}' unescaped");
                }

                foreach (var piece in markup)
                {
                    Assert.False(html.Contains(piece, StringComparison.Ordinal), $"GET {path} has '{piece}' unescaped");
                }

                Assert.DoesNotContain("=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("='javascript:", html, StringComparison.OrdinalIgnoreCase);
                foreach (var text in shown)
                {
                    // It is there, escaped: the page did render the hostile data this test is about.
                    RenderedText.AssertShownAsText(html, text);
                }
            }
        }, markup => string.Join(" | ", markup));
        await fuzz.AssertAliveAsync();
    }

    /// <summary>Stores the hostile data through the API (and the stores, where the API has no route) and names the pages that show it.</summary>
    private static async Task<(List<string> Texts, List<(string Path, string[] Shown)> Pages)> SeedAsync(FuzzServer fuzz, string tag, Func<string, string> text)
    {
        var server = fuzz.Server;
        var (name, plan, comment, caseTitle, note, theme, rule, runNote) =
            (text("name"), text("plan"), text("comment"), text("case"), text("note"), text("theme"), text("rule"), text("run"));

        var record = new JsonObject
        {
            ["id"] = tag,
            ["email"] = $"{tag}@example.com",
            ["name"] = name,
            ["plan"] = plan,
            ["website"] = ScriptUrl,
            ["identifiers"] = new JsonObject { ["userId"] = tag },
        };
        var upload = await server.Admin.PostAsync("/api/v1/sources/crm/records", JsonContent.Create(new JsonArray(record)));
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        var customer = (long)(await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/sources/crm/records/{tag}"))!["customerId"]!;

        var response = await server.Admin.PostAsJsonAsync("/api/v1/responses", new
        {
            surveyId = fuzz.SurveyId,
            userId = tag,
            responseId = tag,
            submittedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            channel = "web",
            language = "en",
            answers = new Dictionary<string, object> { ["nps"] = 2, ["reason"] = "price", ["comment"] = comment },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var opened = await server.Admin.PostAsJsonAsync("/api/v1/cases", new { title = caseTitle, customerId = customer, priority = "high" });
        Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync());
        var caseId = (long)(await opened.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var noted = await server.Admin.PostAsJsonAsync($"/api/v1/cases/{caseId}/notes", new { text = note, author = "agent" });
        Assert.True(noted.IsSuccessStatusCode, await noted.Content.ReadAsStringAsync());

        var themeKey = tag;
        Assert.Null(await server.Service<TaxonomyStore>().SaveAsync(fuzz.WorkspaceId, new ThemeDefinition(
            themeKey, null, new Dictionary<string, string> { ["en"] = theme, ["de"] = theme }, new Dictionary<string, IReadOnlyList<string>> { ["en"] = [tag] }), create: true));

        var errors = new Dictionary<string, string[]>();
        var definition = RuleReader.Read(JsonNode.Parse(JsonSerializer.Serialize(new
        {
            name = rule,
            trigger = "schedule",
            schedule = "0 3 * * *",
            enabled = false,
            actions = new[] { new { type = "tag", tag = "x" } },
        })), errors) ?? throw new InvalidOperationException(string.Join("; ", errors.SelectMany(e => e.Value)));
        var stored = await server.Service<RuleStore>().CreateAsync(fuzz.WorkspaceId, definition);
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO rule_runs (workspace_id, rule_id, occurrence_at, ran_at, customers_scanned, matched, fired, overflow, errors, note)
                VALUES (@ws, @rule, 0, 1000, 1, 1, 1, 0, 0, @runNote)
                """,
                new { ws = fuzz.WorkspaceId, rule = stored.Id, runNote });
        }

        var id = customer.ToString(CultureInfo.InvariantCulture);
        return (
            [name, plan, comment, caseTitle, note, theme, rule, runNote],
            [
                ($"/customers/{id}", [name, plan, ScriptUrl, comment, caseTitle]),
                ("/cases", [caseTitle]),
                ($"/cases/{caseId.ToString(CultureInfo.InvariantCulture)}", [caseTitle, name, note]),
                ("/text", [theme]),
                ("/settings/themes", [theme]),
                ("/settings/rules", [rule]),
                ($"/settings/rules/{stored.Id.ToString(CultureInfo.InvariantCulture)}", [rule, runNote]),
            ]);
    }
}
