using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Workspaces;

/// <summary>What a key may do: <c>write</c> sends tracking data; <c>admin</c> also reads and manages.</summary>
public enum ApiKeyKind
{
    Write,
    Admin,
}

public sealed record ApiKeyInfo(long Id, long WorkspaceId, string Name, ApiKeyKind Kind, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>The result of creating a key: the only time its secret is visible.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Info, string Secret);

/// <summary>An authenticated caller.</summary>
public sealed record ApiPrincipal(long WorkspaceId, long KeyId, ApiKeyKind Kind);

/// <summary>
/// API keys, stored as SHA-256 hashes (keys are 192-bit random, so a slow password hash buys nothing).
/// Lookups are cached briefly because every tracking request authenticates; a revocation made by another
/// process takes effect within <see cref="CacheLifetime"/>.
/// </summary>
public sealed class ApiKeyStore(Database database, TimeProvider time)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (ApiPrincipal? Principal, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public static bool TryParseKind(string text, out ApiKeyKind kind)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "write": kind = ApiKeyKind.Write; return true;
            case "admin": kind = ApiKeyKind.Admin; return true;
            default: kind = default; return false;
        }
    }

    public async Task<CreatedApiKey> CreateAsync(long workspaceId, string name, ApiKeyKind kind, CancellationToken cancellationToken = default)
    {
        var secret = (kind == ApiKeyKind.Admin ? "ocm_admin_" : "ocm_write_") + Base62(RandomNumberGenerator.GetBytes(24));
        var prefix = secret[..14];
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        var id = await connection.QuerySingleAsync<long>(
            """
            INSERT INTO api_keys (workspace_id, name, kind, prefix, hash, created_at)
            VALUES (@workspaceId, @name, @kind, @prefix, @hash, @at) RETURNING id
            """,
            new { workspaceId, name, kind = KindName(kind), prefix, hash = Hash(secret), at = now.ToUnixTimeMilliseconds() });
        return new CreatedApiKey(new ApiKeyInfo(id, workspaceId, name, kind, prefix, now, null), secret);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, long WorkspaceId, string Name, string Kind, string Prefix, long CreatedAt, long? RevokedAt)>(
            "SELECT id, workspace_id, name, kind, prefix, created_at, revoked_at FROM api_keys WHERE workspace_id = @workspaceId ORDER BY id",
            new { workspaceId });
        return rows.Select(r => new ApiKeyInfo(
            r.Id, r.WorkspaceId, r.Name, r.Kind == "admin" ? ApiKeyKind.Admin : ApiKeyKind.Write, r.Prefix,
            DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
            r.RevokedAt is { } revoked ? DateTimeOffset.FromUnixTimeMilliseconds(revoked) : null)).ToList();
    }

    /// <summary>Revokes a key by id or by name; returns how many keys were revoked.</summary>
    public async Task<int> RevokeAsync(long workspaceId, string idOrName, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var byId = long.TryParse(idOrName, out var id) ? id : -1;
        var count = await connection.ExecuteAsync(
            """
            UPDATE api_keys SET revoked_at = @at
            WHERE workspace_id = @workspaceId AND revoked_at IS NULL AND (id = @byId OR name = @name)
            """,
            new { at = time.GetUtcNow().ToUnixTimeMilliseconds(), workspaceId, byId, name = idOrName });
        _cache.Clear();
        return count;
    }

    /// <summary>Revokes one key by its id only (a key named like another's id is left alone); false when none was active.</summary>
    public async Task<bool> RevokeAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var count = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked_at = @at WHERE workspace_id = @workspaceId AND id = @id AND revoked_at IS NULL",
            new { at = time.GetUtcNow().ToUnixTimeMilliseconds(), workspaceId, id }, cancellationToken: cancellationToken));
        _cache.Clear();
        return count > 0;
    }

    public async ValueTask<ApiPrincipal?> AuthenticateAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 200)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (_cache.TryGetValue(secret, out var cached) && cached.Expires > now)
        {
            return cached.Principal;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, long WorkspaceId, string Kind)?>(
            "SELECT id, workspace_id, kind FROM api_keys WHERE hash = @hash AND revoked_at IS NULL",
            new { hash = Hash(secret) });
        var principal = row is { } r ? new ApiPrincipal(r.WorkspaceId, r.Id, r.Kind == "admin" ? ApiKeyKind.Admin : ApiKeyKind.Write) : null;
        if (_cache.Count > 10_000)
        {
            _cache.Clear(); // Bounds memory against floods of random keys.
        }

        _cache[secret] = (principal, now + CacheLifetime);
        return principal;
    }

    public static string KindName(ApiKeyKind kind) => kind == ApiKeyKind.Admin ? "admin" : "write";

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base62(byte[] bytes)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true);
        var builder = new StringBuilder();
        while (value > 0)
        {
            builder.Insert(0, alphabet[(int)(value % 62)]);
            value /= 62;
        }

        return builder.ToString().PadLeft(33, '0');
    }
}
