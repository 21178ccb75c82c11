using System.Buffers.Binary;
using System.Security.Cryptography;

namespace OpenCem.Feedback.Invitations;

/// <summary>What a respondent link points to: one invitation, or a survey's open (anonymous) link.</summary>
public enum LinkKind : byte
{
    Invitation = 1,
    OpenSurvey = 2,

    /// <summary>An employee's personal pulse link: one response, answered with the link's group attributes only.</summary>
    EmployeeLink = 3,
}

/// <summary>
/// Signed respondent links: <c>/s/{token}</c> where the token carries the workspace, what it points to and an
/// HMAC-SHA256 over both with the workspace's secret link key. A forged or altered token is refused before any
/// database lookup, and ids cannot be guessed into someone else's survey.
/// </summary>
public static class InvitationTokens
{
    private const byte Version = 1;
    private const int PayloadLength = 18;
    private const int MacLength = 16;

    public static string Create(ReadOnlySpan<byte> key, long workspaceId, LinkKind kind, long id)
    {
        Span<byte> token = stackalloc byte[PayloadLength + MacLength];
        token[0] = Version;
        token[1] = (byte)kind;
        BinaryPrimitives.WriteInt64BigEndian(token[2..], workspaceId);
        BinaryPrimitives.WriteInt64BigEndian(token[10..], id);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, token[..PayloadLength], mac);
        mac[..MacLength].CopyTo(token[PayloadLength..]);
        return Base64Url(token);
    }

    /// <summary>Reads what a token claims, without checking its signature (to find the workspace's key).</summary>
    public static bool TryRead(string token, out long workspaceId, out LinkKind kind, out long id)
    {
        workspaceId = 0;
        kind = default;
        id = 0;
        var bytes = FromBase64Url(token);
        if (bytes is null || bytes.Length != PayloadLength + MacLength || bytes[0] != Version || bytes[1] is not ((byte)LinkKind.Invitation or (byte)LinkKind.OpenSurvey or (byte)LinkKind.EmployeeLink))
        {
            return false;
        }

        kind = (LinkKind)bytes[1];
        workspaceId = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(2));
        id = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(10));
        return true;
    }

    /// <summary>True when the token was signed with <paramref name="key"/> (compared in constant time).</summary>
    public static bool Verify(string token, ReadOnlySpan<byte> key)
    {
        var bytes = FromBase64Url(token);
        if (bytes is null || bytes.Length != PayloadLength + MacLength)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, bytes.AsSpan(0, PayloadLength), mac);
        return CryptographicOperations.FixedTimeEquals(mac[..MacLength], bytes.AsSpan(PayloadLength));
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string token)
    {
        if (token.Length is < 40 or > 60)
        {
            return null;
        }

        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
