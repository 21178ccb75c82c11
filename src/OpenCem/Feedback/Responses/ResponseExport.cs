using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CsvHelper;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCem.Feedback.Surveys;
using OpenCem.Hosting;
using OpenCem.Storage;
using OpenCem.Text;
using OpenCem.Text.Pipeline;

namespace OpenCem.Feedback.Responses;

public sealed record ResponseView(
    long Id, long SurveyId, long? CustomerId, long? InvitationId, long? InteractionId, long? TouchpointId, string? Channel, string? Language,
    string Source, string? ResponseId, string Status, JsonObject Answers, int? Nps, int? Csat, int? Ces, string? Comment, DateTimeOffset SubmittedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] TextAnalysisView? Analysis = null);

public sealed record ResponsePage(IReadOnlyList<ResponseView> Responses, string? NextCursor);

/// <summary>Reads a survey's responses back: keyset-paged JSON, or the whole survey as CSV streamed in chunks.</summary>
public static class ResponseExport
{
    private const int CsvChunk = 5000;

    public static async Task<Results<Ok<ResponsePage>, EmptyHttpResult, ProblemHttpResult>> ListAsync(
        HttpContext context, SurveyStore surveys, Database database, long id, string? format, string? cursor, string? limit)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (await surveys.GetAsync(workspaceId, id, context.RequestAborted) is not { } survey)
        {
            return SurveysApi.NotFound(id);
        }

        if (AnonymousResponses.Applies(survey.Definition))
        {
            return Problems.Field(StatusCodes.Status403Forbidden, "id",
                $"survey {id} asks employees anonymously: its responses are never listed or exported one by one; see /api/v1/pulse/enps, /api/v1/pulse/items and /api/v1/pulse/comments.");
        }

        var errors = new Dictionary<string, string[]>();
        if (format is not (null or "json" or "csv"))
        {
            errors["format"] = ["must be json or csv."];
        }

        var (position, pageSize) = IdPage.Parse(cursor, limit, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        await using var connection = await database.OpenAsync(context.RequestAborted);
        if (format == "csv")
        {
            await WriteCsvAsync(context, connection, survey);
            return TypedResults.Empty;
        }

        var rows = await PageAsync(connection, survey, position ?? 0, pageSize);
        var analyses = await StoredAnalyses.ForItemsAsync(connection, workspaceId, TextItemKind.Response, rows.Select(r => r.Id).ToList());
        return TypedResults.Ok(new ResponsePage(
            rows.Select(r => r.ToView(survey.Id) with { Analysis = analyses.GetValueOrDefault(r.Id) }).ToList(),
            IdPage.Next(rows.Count, pageSize, rows.Count > 0 ? rows[^1].Id : 0)));
    }

    /// <summary>Column names of the CSV: the response's facts, then one column per question (one per matrix row).</summary>
    public static IReadOnlyList<string> QuestionColumns(SurveyDefinition definition) => definition.Questions
        .SelectMany(q => q.Type == QuestionType.Matrix ? q.Rows.Select(r => $"{q.Name}.{r.Value}") : [q.Name]).ToList();

    private static readonly string[] FactColumns =
        ["responseId", "id", "submittedAt", "customerId", "invitationId", "interactionId", "touchpointId", "channel", "language", "source", "status"];

    private static async Task WriteCsvAsync(HttpContext context, System.Data.Common.DbConnection connection, StoredSurvey survey)
    {
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"survey-{survey.Id}-responses.csv\"";
        await using var writer = new StreamWriter(context.Response.Body, new System.Text.UTF8Encoding(false), 65536);
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        var questions = survey.Definition.Questions.ToList();
        foreach (var column in FactColumns.Concat(QuestionColumns(survey.Definition)))
        {
            csv.WriteField(column);
        }

        await csv.NextRecordAsync();
        long after = 0;
        while (true)
        {
            var rows = await PageAsync(connection, survey, after, CsvChunk);
            foreach (var row in rows)
            {
                // Text that people or clients wrote could be a formula; see CsvFormulas.
                csv.WriteField(CsvFormulas.Neutralise(row.External_Id));
                csv.WriteField(row.Id);
                csv.WriteField(DateTimeOffset.FromUnixTimeMilliseconds(row.Submitted_At).ToString("O", CultureInfo.InvariantCulture));
                csv.WriteField(row.Customer_Id);
                csv.WriteField(row.Invitation_Id);
                csv.WriteField(row.Interaction_Id);
                csv.WriteField(row.Touchpoint_Id);
                csv.WriteField(CsvFormulas.Neutralise(row.Channel));
                csv.WriteField(CsvFormulas.Neutralise(row.Language));
                csv.WriteField(CsvFormulas.Neutralise(row.Source));
                csv.WriteField(row.Status);
                var answers = Answers.FromJson(survey.Definition, row.Answers);
                foreach (var question in questions)
                {
                    if (question.Type == QuestionType.Matrix)
                    {
                        var cells = answers[question.Name] as IReadOnlyDictionary<string, string>;
                        foreach (var r in question.Rows)
                        {
                            csv.WriteField(CsvFormulas.Neutralise(cells?.GetValueOrDefault(r.Value)));
                        }
                    }
                    else
                    {
                        csv.WriteField(CsvFormulas.Neutralise(answers[question.Name] is { } value ? Answers.Text(value) : null));
                    }
                }

                await csv.NextRecordAsync();
            }

            if (rows.Count < CsvChunk)
            {
                break;
            }

            after = rows[^1].Id;
            await csv.FlushAsync();
        }
    }

    private static async Task<List<Row>> PageAsync(System.Data.Common.DbConnection connection, StoredSurvey survey, long after, int limit) =>
        (await connection.QueryAsync<Row>(
            """
            SELECT id, customer_id, invitation_id, interaction_id, touchpoint_id, channel, language, source, external_id, status, answers,
                nps, csat, ces, comment, submitted_at
            FROM survey_responses WHERE workspace_id = @ws AND survey_id = @survey AND id > @after ORDER BY id LIMIT @limit
            """,
            new { ws = survey.WorkspaceId, survey = survey.Id, after, limit })).ToList();

    /// <summary>Column-named properties with setters, so Dapper converts integer widths of both databases alike.</summary>
    private sealed class Row
    {
        public long Id { get; set; }

        public long? Customer_Id { get; set; }

        public long? Invitation_Id { get; set; }

        public long? Interaction_Id { get; set; }

        public long? Touchpoint_Id { get; set; }

        public string? Channel { get; set; }

        public string? Language { get; set; }

        public string Source { get; set; } = "";

        public string? External_Id { get; set; }

        public string Status { get; set; } = "";

        public string Answers { get; set; } = "{}";

        public int? Nps { get; set; }

        public int? Csat { get; set; }

        public int? Ces { get; set; }

        public string? Comment { get; set; }

        public long Submitted_At { get; set; }

        public ResponseView ToView(long surveyId) => new(
            Id, surveyId, Customer_Id, Invitation_Id, Interaction_Id, Touchpoint_Id, Channel, Language, Source, External_Id, Status,
            JsonNode.Parse(Answers) as JsonObject ?? [], Nps, Csat, Ces, Comment, DateTimeOffset.FromUnixTimeMilliseconds(Submitted_At));
    }
}
