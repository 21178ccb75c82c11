using System.Security.Cryptography;
using System.Text;

namespace OpenCem.Customers.Storage;

/// <summary>
/// An erased identifier is remembered only as a hash, so later events and records for it are recognised
/// without the database keeping the identifier itself.
/// </summary>
public static class Tombstone
{
    public static string Hash(Identifier identifier) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identifier.Type + ":" + identifier.Value)));
}
