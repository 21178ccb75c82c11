using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace OpenCem.Feedback.Intercept;

/// <summary>
/// <c>intercept.js</c>, the script a company adds to its site, embedded in the assembly: read once, served with a
/// strong ETag from its content so browsers revalidate cheaply after the hour they may cache it.
/// </summary>
public static class InterceptScript
{
    public const string ContentType = "text/javascript; charset=utf-8";
    public const string CacheControl = "public, max-age=3600";

    private static readonly Lazy<(byte[] Content, EntityTagHeaderValue ETag)> Script = new(Load);

    public static byte[] Content => Script.Value.Content;

    public static EntityTagHeaderValue ETag => Script.Value.ETag;

    private static (byte[], EntityTagHeaderValue) Load()
    {
        using var stream = typeof(InterceptScript).Assembly.GetManifestResourceStream("OpenCem.Feedback.Intercept.intercept.js")
            ?? throw new InvalidOperationException("intercept.js is not embedded in the assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        return (content, new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..20]}\""));
    }
}
