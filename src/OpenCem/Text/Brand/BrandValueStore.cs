using System.Text.Json;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Text.Brand;

/// <summary>The workspace's brand values, replaced as a whole (their order is the order given).</summary>
public sealed class BrandValueStore(Database database, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<BrandValue>> ListAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Row>(
                "SELECT key AS Key, names AS Names, description AS Description, words AS Words, opposites AS Opposites FROM brand_values WHERE workspace_id = @workspaceId ORDER BY position",
                new { workspaceId }))
            .Select(r => new BrandValue(r.Key, JsonSerializer.Deserialize<Dictionary<string, string>>(r.Names, Json) ?? [], r.Description,
                JsonSerializer.Deserialize<List<string>>(r.Words, Json) ?? [], JsonSerializer.Deserialize<List<string>>(r.Opposites, Json) ?? []))
            .ToList();
    }

    public async Task ReplaceAsync(long workspaceId, IReadOnlyList<BrandValue> values, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM brand_values WHERE workspace_id = @workspaceId", new { workspaceId }, transaction);
        await connection.ExecuteAsync(
            """
            INSERT INTO brand_values (workspace_id, key, position, names, description, words, opposites, updated_at)
            VALUES (@workspaceId, @Key, @Position, @Names, @Description, @Words, @Opposites, @now)
            """,
            values.Select((v, i) => new
            {
                workspaceId,
                v.Key,
                Position = (long)i,
                Names = JsonSerializer.Serialize(v.Names, Json),
                v.Description,
                Words = JsonSerializer.Serialize(v.Words, Json),
                Opposites = JsonSerializer.Serialize(v.Opposites, Json),
                now,
            }),
            transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    private sealed class Row
    {
        public string Key { get; set; } = "";

        public string Names { get; set; } = "{}";

        public string Description { get; set; } = "";

        public string Words { get; set; } = "[]";

        public string Opposites { get; set; } = "[]";
    }
}
