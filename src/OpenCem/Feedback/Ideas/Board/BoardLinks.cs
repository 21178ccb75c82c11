using System.Collections.Concurrent;
using System.Security.Cryptography;
using Dapper;
using OpenCem.Feedback.Invitations;
using OpenCem.Storage;

namespace OpenCem.Feedback.Ideas.Board;

/// <summary>
/// Makes and checks the board's personal links <c>{base}/ideas/join/{token}</c> (the base is the survey links' public
/// URL). Each workspace has its own random board key in its settings, apart from the survey link key, so the two
/// kinds of link can never stand in for each other.
/// </summary>
public sealed class BoardLinks(Database database, SurveyLinks surveyLinks, TimeProvider time)
{
    public const string CookieName = "opencem-board";
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(90);
    private const string KeySetting = "idea_board_key";
    private readonly ConcurrentDictionary<long, byte[]> _keys = new();

    public async Task<(string Url, DateTimeOffset ExpiresAt)> CreateAsync(long workspaceId, long customerId, TimeSpan validFor, CancellationToken cancellationToken = default)
    {
        var expires = time.GetUtcNow().Add(validFor);
        expires = DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds());
        var token = BoardTokens.Create(await KeyAsync(workspaceId, true, cancellationToken), new BoardIdentity(workspaceId, customerId, expires));
        return ($"{surveyLinks.BaseUrl.TrimEnd('/')}/ideas/join/{token}", expires);
    }

    /// <summary>The customer a genuine, unexpired token names; null for anything else.</summary>
    public async Task<BoardIdentity?> VerifyAsync(string? token, CancellationToken cancellationToken = default) =>
        BoardTokens.Read(token) is { } claimed
            ? BoardTokens.Verify(token, await KeyAsync(claimed.WorkspaceId, false, cancellationToken), time.GetUtcNow())
            : null;

    private async Task<byte[]> KeyAsync(long workspaceId, bool create, CancellationToken cancellationToken)
    {
        if (_keys.TryGetValue(workspaceId, out var cached))
        {
            return cached;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        const string Read = "SELECT value FROM workspace_settings WHERE workspace_id = @workspaceId AND name = @name";
        var stored = await connection.ExecuteScalarAsync<string?>(Read, new { workspaceId, name = KeySetting });
        if (stored is null)
        {
            if (!create)
            {
                return [];
            }

            await connection.ExecuteAsync(
                "INSERT INTO workspace_settings (workspace_id, name, value) VALUES (@workspaceId, @name, @value) ON CONFLICT (workspace_id, name) DO NOTHING",
                new { workspaceId, name = KeySetting, value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
            stored = await connection.ExecuteScalarAsync<string>(Read, new { workspaceId, name = KeySetting });
        }

        var key = Convert.FromBase64String(stored!);
        _keys[workspaceId] = key;
        return key;
    }
}
