using System.Buffers.Binary;
using System.Security.Cryptography;

namespace OpenCem.Feedback.Ideas.Board;

/// <summary>Who a board token names: the workspace, the customer, and until when it is good.</summary>
public readonly record struct BoardIdentity(long WorkspaceId, long CustomerId, DateTimeOffset ExpiresAt);

/// <summary>
/// The ideas board's personal links, made like survey links (<see cref="Invitations.InvitationTokens"/>): workspace,
/// customer and expiry signed with HMAC-SHA256 under a secret key of the workspace, base64url. A forged, altered or
/// expired token identifies nobody; the same token is kept in the board's cookie, so no session table is needed.
/// </summary>
public static class BoardTokens
{
    private const byte Version = 1;
    private const int PayloadLength = 25;
    private const int MacLength = 16;

    public static string Create(ReadOnlySpan<byte> key, BoardIdentity identity)
    {
        Span<byte> token = stackalloc byte[PayloadLength + MacLength];
        token[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(token[1..], identity.WorkspaceId);
        BinaryPrimitives.WriteInt64BigEndian(token[9..], identity.CustomerId);
        BinaryPrimitives.WriteInt64BigEndian(token[17..], identity.ExpiresAt.ToUnixTimeSeconds());
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, token[..PayloadLength], mac);
        mac[..MacLength].CopyTo(token[PayloadLength..]);
        return Convert.ToBase64String(token).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>What a token claims, unchecked (to find the key; the rate limiter's partition).</summary>
    public static BoardIdentity? Read(string? token)
    {
        var bytes = Decode(token);
        if (bytes is null)
        {
            return null;
        }

        var expires = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(17));
        return expires is < 0 or > 253402300799 ? null
            : new BoardIdentity(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1)), BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(9)), DateTimeOffset.FromUnixTimeSeconds(expires));
    }

    /// <summary>The identity when the token is signed with <paramref name="key"/> and not expired at <paramref name="now"/>.</summary>
    public static BoardIdentity? Verify(string? token, ReadOnlySpan<byte> key, DateTimeOffset now)
    {
        var bytes = Decode(token);
        if (bytes is null || key.IsEmpty || Read(token) is not { } identity)
        {
            return null;
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, bytes.AsSpan(0, PayloadLength), mac);
        return CryptographicOperations.FixedTimeEquals(mac[..MacLength], bytes.AsSpan(PayloadLength)) && identity.ExpiresAt > now ? identity : null;
    }

    private static byte[]? Decode(string? token)
    {
        if (token is null || token.Length is < 50 or > 60)
        {
            return null;
        }

        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        try
        {
            var bytes = Convert.FromBase64String(base64);
            return bytes.Length == PayloadLength + MacLength && bytes[0] == Version ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
