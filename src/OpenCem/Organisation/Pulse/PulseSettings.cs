using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Configuration;
using OpenCem.Storage;

namespace OpenCem.Organisation.Pulse;

/// <summary>The server-wide minimum group (configuration key <c>Pulse:MinimumGroup</c>, default 5, never below 3).</summary>
public sealed record PulseOptions(int MinimumGroup = AnonymityPolicy.DefaultMinimum)
{
    public const string MinimumGroupKey = "Pulse:MinimumGroup";

    public static PulseOptions FromConfiguration(IConfiguration configuration)
    {
        if (configuration[MinimumGroupKey] is not { } text)
        {
            return new PulseOptions();
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var minimum) || minimum < AnonymityPolicy.Floor || minimum > 1000)
        {
            throw new InvalidOperationException(
                $"Configuration key '{MinimumGroupKey}' has the invalid value '{text}'; expected a whole number from {AnonymityPolicy.Floor} to 1000.");
        }

        return new PulseOptions(minimum);
    }
}

/// <summary>A workspace's own minimum group; null follows the server's <see cref="PulseOptions"/>.</summary>
public sealed record PulseSettings(int? MinimumGroup);

/// <summary>The workspace's pulse settings in <c>workspace_settings</c> and the minimum group in force.</summary>
public sealed class PulseSettingsStore(Database database, PulseOptions options)
{
    private const string Setting = "pulse";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<PulseSettings> GetAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var value = await connection.ExecuteScalarAsync<string?>(
            "SELECT value FROM workspace_settings WHERE workspace_id = @workspaceId AND name = @name", new { workspaceId, name = Setting });
        return value is null ? new PulseSettings(null) : JsonSerializer.Deserialize<PulseSettings>(value, Json) ?? new PulseSettings(null);
    }

    /// <summary>The workspace's minimum if it has one, else the server's; never below <see cref="AnonymityPolicy.Floor"/>.</summary>
    public async Task<int> MinimumGroupAsync(long workspaceId, CancellationToken cancellationToken = default) =>
        AnonymityPolicy.Effective((await GetAsync(workspaceId, cancellationToken)).MinimumGroup ?? options.MinimumGroup);

    public async Task SaveAsync(long workspaceId, PulseSettings settings, CancellationToken cancellationToken = default)
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
