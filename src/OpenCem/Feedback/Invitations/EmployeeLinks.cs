using Dapper;
using OpenCem.Storage;

namespace OpenCem.Feedback.Invitations;

/// <summary>A personal pulse link as the respondent page needs it: its survey, the answers it starts with, whether it was used.</summary>
public sealed record EmployeeLink(long SurveyId, string Attributes, bool Used);

/// <summary>
/// Personal links for an employee pulse. Each link proves that its holder may answer, once; it carries only the group
/// attributes reporting needs (e.g. team, location, tenure band), which become the response's first answers. The
/// table keeps no name, address or employee id, and no used-at time or response id, so a response cannot be traced
/// back to its link: the caller (an HR system) hands the links out and alone knows whose each is.
/// </summary>
public sealed class EmployeeLinks(Database database, SurveyLinks links, TimeProvider time)
{
    public const int MaxPerRequest = 10_000;

    /// <summary>Makes one link per entry (attributes as JSON), in the order given; returns their URLs.</summary>
    public async Task<IReadOnlyList<string>> CreateAsync(long workspaceId, long surveyId, IReadOnlyList<string> attributes, CancellationToken cancellationToken = default)
    {
        await links.EnsureKeyAsync(workspaceId, cancellationToken);
        var ids = new List<long>(attributes.Count);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var json in attributes)
            {
                ids.Add(await connection.ExecuteScalarAsync<long>(
                    "INSERT INTO employee_links (workspace_id, survey_id, attributes, used, created_at) VALUES (@workspaceId, @surveyId, @json, 0, @now) RETURNING id",
                    new { workspaceId, surveyId, json, now }, transaction));
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var urls = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            urls.Add(links.Url(await links.TokenAsync(workspaceId, LinkKind.EmployeeLink, id, cancellationToken)));
        }

        return urls;
    }

    public async Task<EmployeeLink?> FindAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            "SELECT survey_id AS SurveyId, attributes AS Attributes, used AS Used FROM employee_links WHERE workspace_id = @workspaceId AND id = @id",
            new { workspaceId, id });
        return row is null ? null : new EmployeeLink(row.SurveyId, row.Attributes, row.Used != 0);
    }

    /// <summary>How many links a survey has and how many were used (the response rate of personal links).</summary>
    public async Task<(long Links, long Used)> CountsAsync(long workspaceId, long surveyId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<CountRow>(
            "SELECT count(*) AS Links, coalesce(sum(used), 0) AS Used FROM employee_links WHERE workspace_id = @workspaceId AND survey_id = @surveyId",
            new { workspaceId, surveyId });
        return (row.Links, row.Used);
    }

    private sealed class Row
    {
        public long SurveyId { get; set; }

        public string Attributes { get; set; } = "";

        public long Used { get; set; }
    }

    private sealed class CountRow
    {
        public long Links { get; set; }

        public long Used { get; set; }
    }
}
