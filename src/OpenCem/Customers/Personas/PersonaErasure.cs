using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace OpenCem.Customers.Personas;

/// <summary>
/// Erasure of a person from the personas: her assignments in every run go (which persona she was is a profiling result
/// about her), and her words leave the representative comments of the stored profiles. Sizes, shares and centres stay:
/// anonymous aggregates, as her interactions stay in the rollups.
/// </summary>
public static class PersonaErasure
{
    public static async Task ForgetCustomerAsync(DbConnection connection, DbTransaction transaction, long workspaceId, long customerId)
    {
        await connection.ExecuteAsync(
            "DELETE FROM persona_assignments WHERE customer_id = @customerId AND run_id IN (SELECT id FROM persona_runs WHERE workspace_id = @workspaceId)",
            new { workspaceId, customerId }, transaction);
        // The text filter only narrows the rows to parse; the comment's customer id decides.
        var quoted = await connection.QueryAsync<(long Id, string Profile)>(
            "SELECT id, profile FROM personas WHERE workspace_id = @workspaceId AND profile LIKE @pattern",
            new { workspaceId, pattern = $"%\"customerId\":{customerId}%" }, transaction);
        foreach (var (id, json) in quoted)
        {
            if (JsonSerializer.Deserialize<PersonaProfile>(json, PersonaStore.Json) is not { } profile || profile.Comments.All(c => c.CustomerId != customerId))
            {
                continue;
            }

            var kept = profile with { Comments = [.. profile.Comments.Where(c => c.CustomerId != customerId)] };
            await connection.ExecuteAsync(
                "UPDATE personas SET profile = @profile WHERE id = @id", new { id, profile = JsonSerializer.Serialize(kept, PersonaStore.Json) }, transaction);
        }
    }
}
