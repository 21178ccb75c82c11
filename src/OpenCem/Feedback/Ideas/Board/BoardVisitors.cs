using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Http;
using OpenCem.Customers;
using OpenCem.Feedback.Respondents;
using OpenCem.Storage;
using OpenCem.Workspaces;

namespace OpenCem.Feedback.Ideas.Board;

/// <summary>Who is looking at the board: the customer the cookie names (if genuine), their workspace, and the page language.</summary>
public sealed record BoardVisitor(long WorkspaceId, long? CustomerId, string Language);

/// <summary>
/// Recognises board visitors. Anonymous visitors read the default workspace's board; a customer's cookie names their
/// workspace. The language is <c>?lang=</c>, else the customer's own, else the browser's, else English.
/// </summary>
public sealed class BoardVisitors(Database database, WorkspaceStore workspaces, BoardLinks links)
{
    private long _defaultWorkspace;

    public async Task<BoardVisitor> RecogniseAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var identity = await links.VerifyAsync(context.Request.Cookies[BoardLinks.CookieName], cancellationToken);
        string? customerLanguage = null;
        if (identity is { } who)
        {
            customerLanguage = await LanguageAsync(who.WorkspaceId, who.CustomerId, cancellationToken);
            if (customerLanguage is null)
            {
                // An erased (or deleted) customer's link no longer identifies anyone.
                identity = null;
            }
        }

        var workspaceId = identity?.WorkspaceId ?? await DefaultWorkspaceAsync(cancellationToken);
        var language = PageLanguage.Choose(BoardTexts.Languages, "en", context.Request.Query["lang"], customerLanguage, context.Request.Headers.AcceptLanguage);
        return new BoardVisitor(workspaceId, identity?.CustomerId, language);
    }

    /// <summary>The page language without a database: for answers such as 429 that must stay cheap.</summary>
    public static string QuickLanguage(HttpRequest request) =>
        PageLanguage.Choose(BoardTexts.Languages, "en", request.Query["lang"], null, request.Headers.AcceptLanguage);

    private async Task<long> DefaultWorkspaceAsync(CancellationToken cancellationToken)
    {
        if (_defaultWorkspace == 0)
        {
            _defaultWorkspace = (await workspaces.FindAsync(WorkspaceStore.DefaultKey, cancellationToken) ?? await workspaces.EnsureDefaultAsync(cancellationToken)).Id;
        }

        return _defaultWorkspace;
    }

    /// <summary>The customer's preferred language when they exist and were not erased; "" when they exist without one.</summary>
    private async Task<string?> LanguageAsync(long workspaceId, long customerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TraitsRow>(new CommandDefinition(
            "SELECT traits AS Traits FROM customers WHERE workspace_id = @workspaceId AND id = @customerId AND erased_at IS NULL",
            new { workspaceId, customerId }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        try
        {
            var traits = row.Traits is null ? [] : JsonNode.Parse(row.Traits) as JsonObject ?? [];
            return ProfileTraitsReader.Preferences(traits).Language ?? "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private sealed class TraitsRow
    {
        public string? Traits { get; set; }
    }
}
