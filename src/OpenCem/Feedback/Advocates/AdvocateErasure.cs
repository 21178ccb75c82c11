using System.Data.Common;
using Dapper;

namespace OpenCem.Feedback.Advocates;

/// <summary>
/// Erasure of a person's programme invitations: the rows (the frequency rule no longer needs them: an erased person is
/// never contacted again) and the mails they queued. Advocate rankings are counted live and leave erased profiles out.
/// </summary>
public static class AdvocateErasure
{
    public static async Task ForgetCustomerAsync(DbConnection connection, DbTransaction transaction, long workspaceId, long customerId)
    {
        var args = new { workspaceId, customerId };
        await connection.ExecuteAsync(
            """
            DELETE FROM notifications WHERE workspace_id = @workspaceId AND id IN (
                SELECT notification_id FROM advocate_invitations WHERE workspace_id = @workspaceId AND customer_id = @customerId AND notification_id IS NOT NULL)
            """,
            args, transaction);
        await connection.ExecuteAsync("DELETE FROM advocate_invitations WHERE workspace_id = @workspaceId AND customer_id = @customerId", args, transaction);
    }
}
