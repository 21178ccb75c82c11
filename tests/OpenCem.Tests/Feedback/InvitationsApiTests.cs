using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Feedback.Invitations;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Feedback;

public sealed class InvitationsApiTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Invitations_FollowTheContactRules_AndSaySoWhenSuppressed(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await server.PostJsonAsync("/api/v1/sources/crm/records", """
            [{"id": "1", "email": "ann@example.com", "consent": {"surveys": true}, "language": "de"},
             {"id": "2", "email": "bob@example.com", "consent": {"surveys": false}},
             {"id": "3", "email": "cem@example.com"},
             {"id": "4", "email": "dora@example.com", "consentSurveys": "yes"}]
            """, server.Admin);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);
        var other = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Service);
        var dora = (await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/customers?q=dora@example.com")).GetProperty("items")[0].GetProperty("id").GetInt64();
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO cases (workspace_id, customer_id, title, status, created_at, updated_at) VALUES (1, @dora, 'Router broken', 'assigned', 0, 0)", new { dora });
        }

        var first = await InviteAsync(server, survey, """[{"email": "ann@example.com"}, {"email": "bob@example.com"}, {"email": "cem@example.com"}, {"customerId": DORA}, {"userId": "nobody"}]""".Replace("DORA", dora.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.Equal("created", first[0].GetProperty("status").GetString());
        var url = first[0].GetProperty("url").GetString()!;
        Assert.StartsWith(server.BaseAddress.ToString().TrimEnd('/') + "/s/", url, StringComparison.Ordinal);
        Assert.Contains("refused surveys", first[1].GetProperty("suppressedReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("no consent", first[2].GetProperty("suppressedReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("case", first[3].GetProperty("suppressedReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("unknown customer", first[4].GetProperty("suppressedReason").GetString(), StringComparison.Ordinal);
        Assert.False(first[1].TryGetProperty("url", out _));

        // Another survey within 30 days: the rule is across all surveys.
        var second = await InviteAsync(server, other, """[{"email": "ann@example.com"}]""");
        Assert.Equal("suppressed", second[0].GetProperty("status").GetString());
        Assert.Contains("contact frequency", second[0].GetProperty("suppressedReason").GetString(), StringComparison.Ordinal);

        var rules = await server.Admin.PutAsync("/api/v1/contact-rules", JsonContent.Create(new { maxInvitations = 2, periodDays = 30, skipOpenCases = true, consent = "unlessRefused" }));
        Assert.Equal(HttpStatusCode.OK, rules.StatusCode);
        var third = await InviteAsync(server, other, """[{"email": "ann@example.com"}, {"email": "cem@example.com"}]""");
        Assert.Equal(["created", "created"], third.Select(i => i.GetProperty("status").GetString()));

        var bad = await server.Admin.PutAsync("/api/v1/contact-rules", JsonContent.Create(new { maxInvitations = 0 }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);

        var listed = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/invitations?status=suppressed");
        Assert.Equal(4, listed.GetProperty("invitations").GetArrayLength());
        var summary = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/summary");
        Assert.Equal(1, summary.GetProperty("invited").GetInt64());
        Assert.Equal(4, summary.GetProperty("suppressed").GetInt64());
        Assert.Equal(0, summary.GetProperty("responseRate").GetDouble());
    }

    [Fact]
    public void Tokens_AreSignedPerWorkspace_AndRefuseAnyChange()
    {
        var key = new byte[32];
        key[0] = 7;
        var token = InvitationTokens.Create(key, 3, LinkKind.Invitation, 12345);
        Assert.True(InvitationTokens.TryRead(token, out var ws, out var kind, out var id));
        Assert.Equal((3L, LinkKind.Invitation, 12345L), (ws, kind, id));
        Assert.True(InvitationTokens.Verify(token, key));
        var other = (byte[])key.Clone();
        other[1] = 1;
        Assert.False(InvitationTokens.Verify(token, other));
        var tampered = InvitationTokens.Create(other, 3, LinkKind.Invitation, 12346);
        Assert.False(InvitationTokens.Verify(tampered, key));
        Assert.False(InvitationTokens.TryRead("not-a-token", out _, out _, out _));
    }

    private static async Task<JsonElement[]> InviteAsync(TestServer server, long survey, string customers)
    {
        var response = await server.PostJsonAsync($"/api/v1/surveys/{survey}/invitations", $$"""{"channel": "link", "customers": {{customers}}}""", server.Admin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invitations").EnumerateArray().ToArray();
    }
}
