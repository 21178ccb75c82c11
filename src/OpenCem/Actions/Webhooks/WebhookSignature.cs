using System.Security.Cryptography;
using System.Text;

namespace OpenCem.Actions.Webhooks;

/// <summary>
/// Signing secrets and signatures of the Standard Webhooks specification (https://www.standardwebhooks.com/), pure:
/// a secret is <c>whsec_</c> and base64 of random bytes; a signature is <c>v1,</c> and base64 of HMAC-SHA256 over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, keyed with the secret's decoded bytes.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A message id (<c>msg_</c> and 24 random hex digits), the same for every attempt of one delivery.</summary>
    public static string NewMessageId() => "msg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var signed = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>
    /// The <c>webhook-signature</c> header: one signature per secret, space-separated, as the specification allows, so a
    /// receiver that still holds the previous secret of a rotation verifies as well as one that holds the new.
    /// </summary>
    public static string SignAll(IEnumerable<string> secrets, string messageId, long timestamp, string body) =>
        string.Join(' ', secrets.Select(s => Sign(s, messageId, timestamp, body)));
}
