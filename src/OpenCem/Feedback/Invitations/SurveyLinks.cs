using System.Collections.Concurrent;
using System.Security.Cryptography;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Feedback.Invitations;

/// <summary>
/// Makes and checks respondent links. Each workspace has a random secret link key, created on first use and kept
/// in its settings; links are <c>{base}/s/{token}</c>, where the base is the configured public URL of the server
/// (<c>PublicUrl</c>), else the address it listens on.
/// </summary>
public sealed class SurveyLinks(Database database)
{
    private const string KeySetting = "survey_link_key";
    private readonly ConcurrentDictionary<long, byte[]> _keys = new();

    /// <summary>The public base URL respondents reach the server at (set at start from configuration or the bound address).</summary>
    public string BaseUrl { get; set; } = "http://127.0.0.1:5080";

    public string Url(string token) => $"{BaseUrl.TrimEnd('/')}/s/{token}";

    public async Task<string> TokenAsync(long workspaceId, LinkKind kind, long id, CancellationToken cancellationToken = default) =>
        InvitationTokens.Create(await KeyAsync(workspaceId, cancellationToken), workspaceId, kind, id);

    /// <summary>
    /// Makes the workspace's link key if it has none yet. Call it before a transaction that makes links: on SQLite,
    /// creating the key inside it would wait for the write lock the transaction holds.
    /// </summary>
    public async Task EnsureKeyAsync(long workspaceId, CancellationToken cancellationToken = default) => await KeyAsync(workspaceId, cancellationToken);

    /// <summary>What a genuine token points to; null for anything forged, altered or malformed.</summary>
    public async Task<(long WorkspaceId, LinkKind Kind, long Id)?> ReadAsync(string token, CancellationToken cancellationToken = default)
    {
        if (!InvitationTokens.TryRead(token, out var workspaceId, out var kind, out var id))
        {
            return null;
        }

        var key = await KeyAsync(workspaceId, cancellationToken, create: false);
        return key.Length > 0 && InvitationTokens.Verify(token, key) ? (workspaceId, kind, id) : null;
    }

    private async Task<byte[]> KeyAsync(long workspaceId, CancellationToken cancellationToken, bool create = true)
    {
        if (_keys.TryGetValue(workspaceId, out var cached))
        {
            return cached;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var stored = await connection.ExecuteScalarAsync<string?>(
            "SELECT value FROM workspace_settings WHERE workspace_id = @workspaceId AND name = @name", new { workspaceId, name = KeySetting });
        if (stored is null)
        {
            if (!create)
            {
                return [];
            }

            await connection.ExecuteAsync(
                "INSERT INTO workspace_settings (workspace_id, name, value) VALUES (@workspaceId, @name, @value) ON CONFLICT (workspace_id, name) DO NOTHING",
                new { workspaceId, name = KeySetting, value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
            stored = await connection.ExecuteScalarAsync<string>(
                "SELECT value FROM workspace_settings WHERE workspace_id = @workspaceId AND name = @name", new { workspaceId, name = KeySetting });
        }

        var key = Convert.FromBase64String(stored!);
        _keys[workspaceId] = key;
        return key;
    }
}
