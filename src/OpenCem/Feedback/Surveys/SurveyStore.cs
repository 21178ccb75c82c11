using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Feedback.Surveys;

/// <summary>A survey as stored: its SurveyJS JSON as given, parsed, and its distribution settings.</summary>
public sealed record StoredSurvey(
    long Id, long WorkspaceId, string Name, string DefinitionJson, SurveyDefinition Definition, SurveySettings Settings, int Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// Surveys of a workspace. Reads go through a short-lived cache of parsed definitions, so that submitting a
/// response does not parse the survey's JSON again; a change made here is visible at once in this process.
/// </summary>
public sealed class SurveyStore(Database database, TimeProvider time)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<(long Workspace, long Id), (StoredSurvey? Survey, long LoadedAt)> _cache = new();

    public async Task<StoredSurvey?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        var now = time.GetTimestamp();
        if (_cache.TryGetValue((workspaceId, id), out var cached) && time.GetElapsedTime(cached.LoadedAt, now) < CacheLifetime)
        {
            return cached.Survey;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            "SELECT id, name, definition, settings, version, created_at AS CreatedAt, updated_at AS UpdatedAt FROM surveys WHERE workspace_id = @workspaceId AND id = @id AND deleted_at IS NULL",
            new { workspaceId, id });
        var survey = row is null ? null : ToSurvey(workspaceId, row);
        _cache[(workspaceId, id)] = (survey, now);
        return survey;
    }

    public async Task<IReadOnlyList<StoredSurvey>> ListAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(
            "SELECT id, name, definition, settings, version, created_at AS CreatedAt, updated_at AS UpdatedAt FROM surveys WHERE workspace_id = @workspaceId AND deleted_at IS NULL ORDER BY id",
            new { workspaceId });
        return rows.Select(r => ToSurvey(workspaceId, r)).ToList();
    }

    public async Task<long> CreateAsync(long workspaceId, string name, SurveyDefinition definition, string definitionJson, SurveySettings settings, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO surveys (workspace_id, name, definition, settings, audience, version, created_at, updated_at)
            VALUES (@workspaceId, @name, @definitionJson, @settings, @audience, 1, @now, @now) RETURNING id
            """,
            new { workspaceId, name, definitionJson, settings = JsonSerializer.Serialize(settings, SurveySettings.Json), audience = Audience(definition), now });
        _cache.TryRemove((workspaceId, id), out _);
        return id;
    }

    public async Task<bool> UpdateAsync(long workspaceId, long id, string name, SurveyDefinition definition, string definitionJson, SurveySettings settings, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            """
            UPDATE surveys SET name = @name, definition = @definitionJson, settings = @settings, audience = @audience, version = version + 1, updated_at = @now
            WHERE workspace_id = @workspaceId AND id = @id AND deleted_at IS NULL
            """,
            new { workspaceId, id, name, definitionJson, settings = JsonSerializer.Serialize(settings, SurveySettings.Json), audience = Audience(definition), now });
        _cache.TryRemove((workspaceId, id), out _);
        return changed == 1;
    }

    /// <summary>Deletes a survey: it disappears from lists and takes no answers; its responses stay for the analytics.</summary>
    public async Task<bool> DeleteAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            "UPDATE surveys SET deleted_at = @now WHERE workspace_id = @workspaceId AND id = @id AND deleted_at IS NULL", new { workspaceId, id, now });
        _cache.TryRemove((workspaceId, id), out _);
        return changed == 1;
    }

    private static string Audience(SurveyDefinition definition) => definition.Audience.ToString().ToLowerInvariant();

    private static StoredSurvey ToSurvey(long workspaceId, Row row) => new(
        row.Id, workspaceId, row.Name, row.Definition, SurveyDefinitionParser.Parse(row.Definition),
        JsonSerializer.Deserialize<SurveySettings>(row.Settings, SurveySettings.Json) ?? SurveySettings.Default, row.Version,
        DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt));

    /// <summary>A class with setters, so Dapper converts SQLite's 64-bit and PostgreSQL's 32-bit integers alike.</summary>
    private sealed class Row
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public string Definition { get; set; } = "";

        public string Settings { get; set; } = "";

        public int Version { get; set; }

        public long CreatedAt { get; set; }

        public long UpdatedAt { get; set; }
    }
}
