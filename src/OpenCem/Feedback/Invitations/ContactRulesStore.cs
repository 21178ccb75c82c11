using System.Text.Json;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Feedback.Invitations;

/// <summary>The workspace's contact-frequency rules, kept in its settings.</summary>
public sealed class ContactRulesStore(Database database)
{
    private const string Setting = "contact_rules";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static JsonSerializerOptions SerializerOptions => Json;

    public async Task<ContactRules> GetAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var value = await connection.ExecuteScalarAsync<string?>(
            "SELECT value FROM workspace_settings WHERE workspace_id = @workspaceId AND name = @name", new { workspaceId, name = Setting });
        return value is null ? ContactRules.Default : JsonSerializer.Deserialize<ContactRules>(value, Json) ?? ContactRules.Default;
    }

    public async Task SaveAsync(long workspaceId, ContactRules rules, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO workspace_settings (workspace_id, name, value) VALUES (@workspaceId, @name, @value)
            ON CONFLICT (workspace_id, name) DO UPDATE SET value = excluded.value
            """,
            new { workspaceId, name = Setting, value = JsonSerializer.Serialize(rules, Json) });
    }
}
