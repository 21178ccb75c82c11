using System.Net;
using System.Net.Sockets;

namespace OpenCem.Actions.Webhooks;

/// <summary>Checks a receiver's address when a webhook is saved: absolute http(s), no credentials, and a host the <see cref="NetworkPolicy"/> allows.</summary>
public sealed class WebhookUrls(WebhookOptions options)
{
    private readonly NetworkPolicy _policy = NetworkPolicy.From(options);

    /// <summary>Null when the URL may be saved, else why not (for the problem details of the <c>url</c> field).</summary>
    public async Task<string?> CheckAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.HostNameType == UriHostNameType.Unknown || string.IsNullOrEmpty(uri.Host))
        {
            return "must be an absolute URL such as https://example.com/hooks/opencem.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return $"must use http or https, not {uri.Scheme}.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "must not carry a user name or password; receivers verify the signature instead.";
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.DnsSafeHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.DnsSafeHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"the host {uri.Host} could not be resolved.";
        }

        var refused = addresses.Where(a => !_policy.Allows(a)).ToList();
        if (addresses.Length == 0)
        {
            return $"the host {uri.Host} could not be resolved.";
        }

        return refused.Count > 0
            ? $"the host {uri.Host} is an internal address ({string.Join(", ", refused)}); receivers on loopback, private or link-local networks need Webhooks:AllowPrivateNetworks or Webhooks:AllowedNetworks."
            : null;
    }
}
