using Dapper;
using Microsoft.Extensions.Caching.Memory;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;

namespace OpenCem.Analytics.Drivers;

/// <summary>
/// Remembers results computed from a survey's completed responses submitted in a window (the Drivers page's key driver
/// analysis runs a 500-sample bootstrap: a quarter of a second at 10 million interactions). A result is reused only
/// while the workspace's response version (<see cref="DataVersions.Responses"/>) and the survey's version are those it
/// was computed under, and no response was submitted between the ends of the two windows (the window ends "now", so
/// it grows with each request): then the responses it reads are the same ones.
/// </summary>
public sealed class SurveyResultCache(Database database, IMemoryCache cache)
{
    /// <param name="view">What is computed, with every input besides the survey and window (outcome, filters, options).</param>
    /// <param name="compute">Computes the result over [from, to); its exceptions are not remembered.</param>
    public async Task<T> GetAsync<T>(StoredSurvey survey, string view, long from, long to, Func<Task<T>> compute, CancellationToken cancellationToken)
        where T : class
    {
        long version;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            version = (await DataVersions.ReadAsync(connection, null, survey.WorkspaceId, DataVersions.Responses))[0];
        }

        var key = (typeof(SurveyResultCache), survey.WorkspaceId, survey.Id, survey.Version, view, from);
        if (cache.TryGetValue(key, out Entry<T>? entry) && entry is not null && entry.Version == version
            && await LatestAsync(survey, version, cancellationToken) < Math.Min(to, entry.To))
        {
            return entry.Result;
        }

        var result = await compute();
        cache.Set(key, new Entry<T>(version, to, result), RememberedResults.Sliding);
        return result;
    }

    /// <summary>The latest submission among the survey's completed responses of this version (long.MinValue when none).</summary>
    private async Task<long> LatestAsync(StoredSurvey survey, long version, CancellationToken cancellationToken)
    {
        // One entry per survey, replaced when the responses' version moves on.
        var key = (typeof(SurveyResultCache), "latest", survey.WorkspaceId, survey.Id);
        if (cache.TryGetValue(key, out (long Version, long Latest) remembered) && remembered.Version == version)
        {
            return remembered.Latest;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var latest = await connection.ExecuteScalarAsync<long?>(
            "SELECT max(submitted_at) FROM survey_responses WHERE workspace_id = @ws AND survey_id = @survey AND status = 'completed'",
            new { ws = survey.WorkspaceId, survey = survey.Id }) ?? long.MinValue;
        cache.Set(key, (version, latest), RememberedResults.Sliding);
        return latest;
    }

    private sealed record Entry<T>(long Version, long To, T Result);
}
