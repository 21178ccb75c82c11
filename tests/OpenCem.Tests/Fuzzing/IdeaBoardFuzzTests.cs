using System.Net;
using CsCheck;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Feedback.Ideas;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Fuzzing;

/// <summary>The public idea board (<c>/ideas</c>) under hostile forms, queries and forged posts, signed in by a customer's link.</summary>
[Collection(FuzzCollection.Name)]
public sealed class IdeaBoardFuzzTests(FuzzServers servers)
{
    private static readonly Gen<string> Value = Gen.Frequency(
        (4, HostileText.Any),
        (1, Gen.OneOf("", "idea", "list", "1", "-1", "99999999999999999999")),
        (1, Gen.Int[1, 70_000].Select(n => new string('v', n))));

    private static readonly Gen<(int Action, (string, string)[] Fields, int Token, string Query)> Posts = Gen.Select(
        Gen.Int[0, 4],
        Gen.Select(Gen.Frequency((4, Gen.OneOf("title", "body", "back", "language")), (1, HostileText.Any)), Value).Array[0, 5],
        Gen.Frequency((6, Gen.Const(0)), (1, Gen.Const(1)), (1, Gen.Const(2))),
        Gen.OneOf("", "?lang=de", "?lang=%3Cscript%3E", "?status=%3Cimg%3E", "?sort=%00", "?notice=%22%3E%3Cscript%3E", "?sort=new&status=done&notice=posted"));

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task IdeaBoard_HostileForms_NeverFailAndRefusedOnesStoreNothing(DatabaseKind kind)
    {
        var fuzz = await servers.GetAsync(kind);
        var (board, idea) = await JoinAsync(fuzz);
        using (board)
        {
            await FuzzRun.CheckAsync(Posts, nameof(IdeaBoard_HostileForms_NeverFailAndRefusedOnesStoreNothing), ci: 15, async post =>
            {
                var action = post.Action switch
                {
                    0 => "/ideas",
                    1 => $"/ideas/{idea}/comments",
                    2 => $"/ideas/{idea}/vote",
                    3 => $"/ideas/{idea}/unvote",
                    _ => "/ideas/999999999/comments",
                };
                var fields = post.Fields.GroupBy(f => f.Item1).ToDictionary(g => g.Key, g => g.First().Item2);
                var before = await fuzz.CountsAsync();
                HttpResponseMessage response;
                if (post.Token == 0)
                {
                    response = await board.PostAsync("/ideas/new", action + post.Query, fields);
                }
                else
                {
                    // No anti-forgery field, or a forged one.
                    if (post.Token == 2)
                    {
                        fields["__RequestVerificationToken"] = "CfDJ8forged" + new string('A', 100);
                    }

                    response = await board.PostAsync("/ideas/new", action, fields, withToken: false);
                }

                await FuzzAssert.AnsweredAsync(fuzz, response, before);
                var page = await board.GetAsync("/ideas" + post.Query);
                Assert.True((int)page.StatusCode < 500, $"GET /ideas{post.Query}: {(int)page.StatusCode}");
                Assert.DoesNotContain("<script", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
            }, post => $"{post.Action} token {post.Token} {post.Query} [{string.Join(", ", post.Fields.Select(f => f.Item1 + "=" + f.Item2[..Math.Min(60, f.Item2.Length)]))}]");
        }

        await fuzz.AssertAliveAsync();
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task IdeaBoard_HostileIdea_IsStoredExactlyAndShownAsText(DatabaseKind kind)
    {
        var fuzz = await servers.GetAsync(kind);
        var (board, _) = await JoinAsync(fuzz);
        using (board)
        {
            await FuzzRun.CheckAsync(Gen.Select(HostileText.Typed, HostileText.Typed), nameof(IdeaBoard_HostileIdea_IsStoredExactlyAndShownAsText), ci: 4, async idea =>
            {
                var (title, body) = (idea.Item1.Length > 120 ? idea.Item1[..120] : idea.Item1, idea.Item2 + " — a longer text so the idea is not too short.");
                var response = await board.PostAsync("/ideas/new", "/ideas", new() { ["title"] = title, ["body"] = body });
                var answer = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
                {
                    // A title or body the board's rules refuse (too short, no letters) comes back as text in the form.
                    RenderedText.AssertShownAsText(answer, title);
                    return;
                }

                Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"{(int)response.StatusCode}: {answer[..Math.Min(400, answer.Length)]}");
                // Held ideas are sent back to the list, published ones to their page: the newest idea is this one.
                await using var connection = await fuzz.Server.Service<Database>().OpenAsync();
                var stored = await connection.QuerySingleAsync<(long Id, string Title, string Body, string Moderation)>(
                    "SELECT id, title, body, moderation FROM ideas ORDER BY id DESC LIMIT 1");
                var id = stored.Id;

                // The board trims what surrounds a title or body, as a form field's spaces are no part of it.
                Assert.Equal((title.Trim(), body.Trim()), (stored.Title, stored.Body));
                if (stored.Moderation == "published")
                {
                    var html = await (await board.GetAsync($"/ideas/{id}")).Content.ReadAsStringAsync();
                    RenderedText.AssertShownAsText(html, title);
                    RenderedText.AssertShownAsText(html, body);
                }
            }, idea => System.Text.Json.JsonSerializer.Serialize(new[] { idea.Item1, idea.Item2 }));
        }
    }

    private static async Task<(BoardClient Board, long Idea)> JoinAsync(FuzzServer fuzz)
    {
        var customer = await IdeaTestData.CustomerAsync(fuzz.Server, $"board-{Guid.NewGuid():N}@example.com");
        var idea = (await IdeaTestData.CreateIdeaAsync(fuzz.Server, null, "Paperless contracts", "Sign contract changes online.")).GetProperty("id").GetInt64();
        var board = new BoardClient(fuzz.Server);
        await board.JoinAsync(await IdeaTestData.BoardLinkAsync(fuzz.Server, customer));
        return (board, idea);
    }
}
