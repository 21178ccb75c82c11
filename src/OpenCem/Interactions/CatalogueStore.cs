using System.Text.Json;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Interactions;

/// <summary>Storage of the touchpoint and journey catalogue of a workspace.</summary>
public sealed class CatalogueStore(Database database, TimeProvider time)
{
    private const string TouchpointColumns = "id, key, name, channel, journey_key, stage, events";

    public async Task<IReadOnlyList<Touchpoint>> ListTouchpointsAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TouchpointRow>(
            $"SELECT {TouchpointColumns} FROM touchpoints WHERE workspace_id = @workspaceId ORDER BY key", new { workspaceId });
        return rows.Select(r => r.ToTouchpoint()).ToList();
    }

    public async Task<Touchpoint?> FindTouchpointAsync(long workspaceId, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TouchpointRow>(
            $"SELECT {TouchpointColumns} FROM touchpoints WHERE workspace_id = @workspaceId AND key = @key", new { workspaceId, key });
        return row?.ToTouchpoint();
    }

    /// <summary>Creates or replaces a touchpoint by key; returns it with its id and whether it was new.</summary>
    public async Task<(Touchpoint Touchpoint, bool Created)> SaveTouchpointAsync(long workspaceId, Touchpoint touchpoint, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var existing = await connection.QuerySingleOrDefaultAsync<long?>(
            "SELECT id FROM touchpoints WHERE workspace_id = @workspaceId AND key = @key", new { workspaceId, key = touchpoint.Key });
        var parameters = new
        {
            workspaceId,
            key = touchpoint.Key,
            name = touchpoint.Name,
            channel = touchpoint.Channel,
            journey = touchpoint.Journey,
            stage = touchpoint.Stage,
            events = JsonSerializer.Serialize(touchpoint.Events),
            now,
        };
        long id;
        if (existing is { } existingId)
        {
            await connection.ExecuteAsync(
                """
                UPDATE touchpoints SET name = @name, channel = @channel, journey_key = @journey, stage = @stage, events = @events, updated_at = @now
                WHERE workspace_id = @workspaceId AND key = @key
                """, parameters);
            id = existingId;
        }
        else
        {
            id = await connection.QuerySingleAsync<long>(
                """
                INSERT INTO touchpoints (workspace_id, key, name, channel, journey_key, stage, events, created_at, updated_at)
                VALUES (@workspaceId, @key, @name, @channel, @journey, @stage, @events, @now, @now) RETURNING id
                """, parameters);
        }

        return (touchpoint with { Id = id }, existing is null);
    }

    public async Task<bool> DeleteTouchpointAsync(long workspaceId, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM touchpoints WHERE workspace_id = @workspaceId AND key = @key", new { workspaceId, key }) > 0;
    }

    public async Task<IReadOnlyList<Journey>> ListJourneysAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<JourneyRow>(
            "SELECT key, name, description, stages FROM journeys WHERE workspace_id = @workspaceId ORDER BY key", new { workspaceId });
        return rows.Select(r => r.ToJourney()).ToList();
    }

    public async Task<Journey?> FindJourneyAsync(long workspaceId, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<JourneyRow>(
            "SELECT key, name, description, stages FROM journeys WHERE workspace_id = @workspaceId AND key = @key", new { workspaceId, key });
        return row?.ToJourney();
    }

    public async Task<bool> SaveJourneyAsync(long workspaceId, Journey journey, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var parameters = new
        {
            workspaceId,
            key = journey.Key,
            name = journey.Name,
            description = journey.Description,
            stages = JsonSerializer.Serialize(journey.Stages),
            now,
        };
        var updated = await connection.ExecuteAsync(
            """
            UPDATE journeys SET name = @name, description = @description, stages = @stages, updated_at = @now
            WHERE workspace_id = @workspaceId AND key = @key
            """, parameters);
        if (updated > 0)
        {
            return false;
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO journeys (workspace_id, key, name, description, stages, created_at, updated_at)
            VALUES (@workspaceId, @key, @name, @description, @stages, @now, @now)
            """, parameters);
        return true;
    }

    public async Task<bool> DeleteJourneyAsync(long workspaceId, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM journeys WHERE workspace_id = @workspaceId AND key = @key", new { workspaceId, key }) > 0;
    }

    private sealed record TouchpointRow(long Id, string Key, string Name, string Channel, string? Journey_Key, string? Stage, string Events)
    {
        public Touchpoint ToTouchpoint() =>
            new(Id, Key, Name, Channel, Journey_Key, Stage, JsonSerializer.Deserialize<List<string>>(Events) ?? []);
    }

    private sealed record JourneyRow(string Key, string Name, string? Description, string Stages)
    {
        public Journey ToJourney() =>
            new(Key, Name, Description, JsonSerializer.Deserialize<List<JourneyStage>>(Stages) ?? []);
    }
}
