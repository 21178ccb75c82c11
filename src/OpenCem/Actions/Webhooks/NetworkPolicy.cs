using System.Net;
using System.Net.Sockets;

namespace OpenCem.Actions.Webhooks;

/// <summary>
/// Which addresses a webhook may be sent to, pure: never loopback, private (RFC 1918, CGNAT, unique local), link-local
/// (cloud metadata at 169.254.169.254 among them), multicast, broadcast or unspecified addresses, unless configuration
/// allows internal networks or lists the network. Otherwise anyone who may create a webhook could make OpenCem call into
/// the network it runs in.
/// </summary>
public sealed class NetworkPolicy(bool allowPrivateNetworks, IReadOnlyList<IPNetwork> allowedNetworks)
{
    private static readonly IPNetwork[] Internal =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    public static NetworkPolicy From(WebhookOptions options) => new(options.AllowPrivateNetworks, options.AllowedNetworks);

    public bool Allows(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (allowPrivateNetworks || allowedNetworks.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address)))
        {
            return true;
        }

        return !IsInternal(address);
    }

    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        // Deprecated site-local addresses and Teredo tunnels reach into networks the tables above cannot describe.
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && (address.IsIPv6SiteLocal || address.IsIPv6Teredo))
        {
            return true;
        }

        return address.Equals(IPAddress.Broadcast) || Internal.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address));
    }
}
