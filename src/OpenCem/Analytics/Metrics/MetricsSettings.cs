using System.Text.Json;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Analytics.Metrics;

/// <summary>
/// A workspace's metrics settings: the minimum n below which a value is flagged and never significant, and the
/// customer traits rolled up as dimensions (<c>trait.plan</c> ...). Traits are captured as the profile holds them
/// when a response is stored; changing the list takes effect for new responses and fully after a rebuild.
/// </summary>
public sealed record MetricsSettings(int MinimumN, IReadOnlyList<string> Traits)
{
    public const int MaxTraits = 8;

    public static MetricsSettings Default { get; } = new(30, ["plan", "region", "lineOfBusiness", "country"]);
}

/// <summary>Reads and saves <see cref="MetricsSettings"/> in the workspace's settings.</summary>
public sealed class MetricsSettingsStore(Database database)
{
    private const string Setting = "metrics";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<MetricsSettings> GetAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAsync(connection, null, workspaceId);
    }

    public static async Task<MetricsSettings> ReadAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, long workspaceId)
    {
        var value = await connection.ExecuteScalarAsync<string?>(
            "SELECT value FROM workspace_settings WHERE workspace_id = @workspaceId AND name = @name", new { workspaceId, name = Setting }, transaction);
        return value is null ? MetricsSettings.Default : JsonSerializer.Deserialize<MetricsSettings>(value, Json) ?? MetricsSettings.Default;
    }

    public async Task SaveAsync(long workspaceId, MetricsSettings settings, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO workspace_settings (workspace_id, name, value) VALUES (@workspaceId, @name, @value)
            ON CONFLICT (workspace_id, name) DO UPDATE SET value = excluded.value
            """,
            new { workspaceId, name = Setting, value = JsonSerializer.Serialize(settings, Json) });
    }
}
