using Dapper;
using Microsoft.Extensions.Caching.Memory;
using OpenCem.Analytics.Metrics;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;

namespace OpenCem.Organisation.Pulse;

/// <summary>
/// Reads employee surveys for the pulse: which survey, and its <see cref="PulseCube"/> from the metrics rollup by
/// month and segment (<c>metric_monthly_segments</c>), never from the responses. The employee attributes are the
/// survey's single-choice questions, the only segment values an anonymous response carries.
/// </summary>
public sealed class PulseStore(Database database, TimeProvider time, IMemoryCache? cache = null)
{
    /// <summary>The employee surveys of the workspace (deleted ones too: their answers stay in the analytics).</summary>
    public async Task<IReadOnlyList<MetricSurvey>> SurveysAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. (await MetricSurveys.ListAsync(connection, null, workspaceId)).Where(s => s.Definition.Audience == SurveyAudience.Employees)];
    }

    /// <summary>The named employee survey, or else the newest employee survey with an NPS question that is not deleted.</summary>
    public static MetricSurvey? Pick(IReadOnlyList<MetricSurvey> surveys, long? surveyId) => surveyId is { } id
        ? surveys.FirstOrDefault(s => s.Id == id)
        : surveys.Where(s => !s.Deleted && s.Definition.WithRole(QuestionRole.Nps) is not null).MaxBy(s => s.Id);

    /// <summary>The attributes employee results can be grouped and filtered by: the single-choice questions.</summary>
    public static IReadOnlyList<string> Attributes(SurveyDefinition definition) =>
        [.. definition.Questions.Where(q => q.Type is QuestionType.RadioGroup or QuestionType.Dropdown).Select(q => q.Name).Take(PulseGroup.MaxAttributes)];

    /// <summary>
    /// The survey's cube, remembered per response version (<see cref="DataVersions.Responses"/>: every rollup write
    /// bumps it), survey attributes and current quarter (which periods are closed): the Surveys page and the pulse
    /// read it on every view, and at 10 million interactions the rollup read is the page's slowest part.
    /// </summary>
    public async Task<PulseCube> CubeAsync(long workspaceId, MetricSurvey survey, CancellationToken cancellationToken = default)
    {
        if (cache is null)
        {
            return await ReadCubeAsync(workspaceId, survey, cancellationToken);
        }

        var shape = string.Join('|', Attributes(survey.Definition).Select(a => a + "=" + string.Join(',', survey.Definition.Find(a)!.Choices.Select(c => c.Value))));
        var key = (typeof(PulseStore), workspaceId, survey.Id, shape, PulsePeriods.QuarterStart(time.GetUtcNow().ToUnixTimeMilliseconds()));
        return await RememberedResults.GetAsync(cache, database, workspaceId, [DataVersions.Responses], key, () => ReadCubeAsync(workspaceId, survey, cancellationToken),
            cancellationToken: cancellationToken);
    }

    private async Task<PulseCube> ReadCubeAsync(long workspaceId, MetricSurvey survey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(
            """
            SELECT question AS Question, period AS Period, segment_id AS SegmentId, score AS Score, sum(n) AS N, sum(total) AS Total, sum(total_squares) AS TotalSquares
            FROM metric_monthly_segments WHERE workspace_id = @workspaceId AND survey_id = @surveyId
            GROUP BY question, period, segment_id, score
            """,
            new { workspaceId, surveyId = survey.Id })).ToList();
        var segments = await MetricSegments.AllAsync(connection, database.Target.Display, workspaceId);
        if (rows.Any(r => !segments.ContainsKey(r.SegmentId)))
        {
            segments = await MetricSegments.AllAsync(connection, database.Target.Display, workspaceId, reload: true);
        }

        var empty = new Dictionary<string, string>();
        var attributes = Attributes(survey.Definition);
        return PulseCube.Build(
            attributes,
            [.. attributes.Select(a => (IReadOnlyList<string>)[.. survey.Definition.Find(a)!.Choices.Select(c => c.Value)])],
            rows.Select(r => new PulseRollupRow(r.Question, r.Period, segments.GetValueOrDefault(r.SegmentId) ?? empty, r.Score, r.N, r.Total, r.TotalSquares)),
            time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>The comments of one period's completed responses, in text order (not in the order they came).</summary>
    public async Task<List<string>> CommentsAsync(long workspaceId, long surveyId, PulsePeriod period, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var comments = (await connection.QueryAsync<string>(
            """
            SELECT comment FROM survey_responses WHERE workspace_id = @workspaceId AND survey_id = @surveyId AND status = 'completed'
                AND submitted_at >= @start AND submitted_at < @end AND comment IS NOT NULL AND comment <> ''
            """,
            new { workspaceId, surveyId, start = period.Start, end = period.End })).ToList();
        comments.Sort(StringComparer.Ordinal);
        return comments;
    }

    private sealed class Row
    {
        public string Question { get; set; } = "";

        public long Period { get; set; }

        public long SegmentId { get; set; }

        public long Score { get; set; }

        public long N { get; set; }

        public double Total { get; set; }

        public double TotalSquares { get; set; }
    }
}
