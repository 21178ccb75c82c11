using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace OpenCem.Dashboard;

/// <summary>
/// The dashboard's CSS, script and vendored Chart.js, served from resources embedded in the assembly (no CDN, no
/// files next to the binary). URLs carry a content hash, so a response may be cached for a year; the ETag answers
/// revalidations of URLs without the hash.
/// </summary>
public sealed class DashboardAssets
{
    public const string PathPrefix = "/assets/dashboard/";

    private const string ResourcePrefix = "OpenCem.Dashboard.Assets.";

    private readonly FrozenDictionary<string, Asset> _assets;

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        _assets = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && !n.EndsWith(".md", StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[ResourcePrefix.Length..], n => Load(assembly, n), StringComparer.Ordinal);
    }

    /// <summary>The URL of an asset with its content hash, e.g. <c>Url("dashboard.css")</c>.</summary>
    public string Url(string name) => _assets.TryGetValue(name, out var asset)
        ? $"{PathPrefix}{name}?v={asset.Hash}"
        : throw new ArgumentException($"No dashboard asset is named \"{name}\".", nameof(name));

    public IEnumerable<string> Names => _assets.Keys;

    public IResult Serve(HttpContext context, string name)
    {
        if (!_assets.TryGetValue(name, out var asset))
        {
            return Results.NotFound();
        }

        var etag = $"\"{asset.Hash}\"";
        var headers = context.Response.Headers;
        headers.ETag = etag;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = context.Request.Query["v"] == asset.Hash ? "public, max-age=31536000, immutable" : "no-cache";
        if (context.Request.Headers.IfNoneMatch == etag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static Asset Load(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        var type = Path.GetExtension(resource) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
        return new Asset(content, Convert.ToHexStringLower(SHA256.HashData(content))[..16], type);
    }

    private sealed record Asset(byte[] Content, string Hash, string ContentType);
}
