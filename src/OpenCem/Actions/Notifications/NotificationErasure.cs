using System.Data.Common;
using Dapper;

namespace OpenCem.Actions.Notifications;

/// <summary>
/// Erasure of a person's mails (shipped ideas, advocate programmes): the queue holds her address and what was sent to
/// her. They are deleted, the queued ones before they go out; mails to staff never carry a customer's address.
/// </summary>
public static class NotificationErasure
{
    public static async Task ForgetAddressesAsync(DbConnection connection, DbTransaction transaction, long workspaceId, IReadOnlyCollection<string> addresses)
    {
        // Addresses are compared as identifiers are stored: trimmed and lower-case.
        var lowered = addresses.Select(a => a.Trim().ToLowerInvariant()).Where(a => a.Length > 0).Distinct().ToList();
        if (lowered.Count > 0)
        {
            await connection.ExecuteAsync(
                "DELETE FROM notifications WHERE workspace_id = @workspaceId AND lower(trim(recipient)) = @address",
                lowered.Select(address => new { workspaceId, address }), transaction);
        }
    }
}
