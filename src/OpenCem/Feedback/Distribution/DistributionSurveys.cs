using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;

namespace OpenCem.Feedback.Distribution;

/// <summary>A survey's distribution settings, without its definition.</summary>
public sealed record SurveyDistribution(long Id, long WorkspaceId, SurveySettings Settings);

/// <summary>
/// The distribution settings of all surveys of all workspaces, for the background work that runs across them
/// (triggers, expiry). One small query per call; the settings JSON is parsed again only when a survey's version
/// changed, and the definitions are not read at all.
/// </summary>
public sealed class DistributionSurveys(Database database)
{
    private readonly ConcurrentDictionary<long, (int Version, SurveySettings? Settings)> _parsed = new();

    public async Task<IReadOnlyList<SurveyDistribution>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT id AS Id, workspace_id AS WorkspaceId, version AS Version, settings AS Settings FROM surveys WHERE deleted_at IS NULL ORDER BY id",
            cancellationToken: cancellationToken));
        var surveys = new List<SurveyDistribution>();
        foreach (var row in rows)
        {
            if (!_parsed.TryGetValue(row.Id, out var parsed) || parsed.Version != row.Version)
            {
                parsed = (row.Version, Parse(row.Settings));
                _parsed[row.Id] = parsed;
            }

            if (parsed.Settings is { } settings)
            {
                surveys.Add(new SurveyDistribution(row.Id, row.WorkspaceId, settings));
            }
        }

        return surveys;
    }

    /// <summary>Settings the API accepted always parse; a row written by a newer version that does not is skipped.</summary>
    private static SurveySettings? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<SurveySettings>(json, SurveySettings.Json) ?? SurveySettings.Default;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class Row
    {
        public long Id { get; set; }

        public long WorkspaceId { get; set; }

        public int Version { get; set; }

        public string Settings { get; set; } = "";
    }
}
