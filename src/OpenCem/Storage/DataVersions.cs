using System.Data.Common;
using Dapper;

namespace OpenCem.Storage;

/// <summary>
/// Versions of a workspace's data, kept in <c>workspace_counters</c>: every writer of the data bumps its version in
/// the transaction that changes it, so a result computed from the data and remembered under the version it read is
/// never served after the data changed (the next read sees a new version and computes again).
/// </summary>
public static class DataVersions
{
    /// <summary>Completed survey responses: new ones (every path that counts them into the metrics rollups), a rollup rebuild, an erasure.</summary>
    public const string Responses = "responses.version";

    /// <summary>Customers' traits: profiles resolved or recomputed, personas published, an erasure.</summary>
    public const string Traits = "traits.version";

    /// <summary>Text analyses of responses and signals: each batch the text pipeline writes or removes (an erasure bumps the response and trait versions).</summary>
    public const string Text = "text.version";

    /// <summary>Journey instances: each projection batch that inserts or deletes instances.</summary>
    public const string Journeys = "journeys.version";

    /// <summary>
    /// Journey instances ended by the gap (every few seconds somewhere in a large workspace): apart from
    /// <see cref="Journeys"/>, so a reader can update what it holds by the instances it knows to be open.
    /// </summary>
    public const string JourneyEnds = "journeys.ended";

    public static Task BumpAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, string name) =>
        connection.ExecuteAsync(
            """
            INSERT INTO workspace_counters (workspace_id, name, value) VALUES (@workspaceId, @name, 1)
            ON CONFLICT (workspace_id, name) DO UPDATE SET value = workspace_counters.value + 1
            """,
            new { workspaceId, name }, transaction);

    /// <summary>The named counters' values (0 for a counter never bumped), in the order asked.</summary>
    public static async Task<long[]> ReadAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, params string[] names)
    {
        var values = (await connection.QueryAsync<(string Name, long Value)>(
            $"SELECT name, value FROM workspace_counters WHERE workspace_id = @workspaceId AND {SqlLists.In(connection, "name", "names")}",
            new { workspaceId, names }, transaction)).ToDictionary(r => r.Name, r => r.Value, StringComparer.Ordinal);
        return names.Select(n => values.GetValueOrDefault(n)).ToArray();
    }
}
