using System.Data.Common;
using Dapper;

namespace OpenCem.Actions.Cases;

/// <summary>The audit trail: one row per changed field (who, when, from → to), written with the change.</summary>
public static class CaseAudit
{
    public static async Task AppendAsync(
        DbConnection connection, DbTransaction? transaction, long workspaceId, long caseId, string actor, long at, params (string Field, string? From, string? To)[] changes)
    {
        var rows = changes.Where(c => c.From != c.To)
            .Select(c => new { workspaceId, caseId, actor, field = c.Field, from = c.From, to = c.To, at }).ToList();
        if (rows.Count > 0)
        {
            await connection.ExecuteAsync(
                "INSERT INTO case_audit (workspace_id, case_id, actor, field, from_value, to_value, at) VALUES (@workspaceId, @caseId, @actor, @field, @from, @to, @at)",
                rows, transaction);
        }
    }
}
