using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using OpenCem.Feedback.Surveys;
using OpenCem.Hosting;
using OpenCem.Text.Pipeline;

namespace OpenCem.Feedback.Responses;

/// <summary>Management API: historical responses from another tool, imported from CSV as the CLI imports them.</summary>
public static class ResponseImportApi
{
    /// <summary>An import may be larger than other requests: up to 256 MB of CSV (gzip-compressed bodies are accepted).</summary>
    public const long MaxBodyBytes = 256L * 1024 * 1024;

    /// <summary>Bodies up to this size are buffered in memory, larger ones in a temporary file.</summary>
    private const int MemoryBufferBytes = 1024 * 1024;

    /// <summary>Rejections listed in the answer; <c>rejected</c> counts all of them.</summary>
    public const int MaxRejectionsListed = 1000;

    public static RouteGroupBuilder MapResponseImportApi(this RouteGroupBuilder api)
    {
        api.MapPost("/surveys/{id:long}/responses/import", ImportAsync)
            .WithTags("Responses")
            .WithSummary(
                "Imports historical responses from CSV (header line; UTF-8). A column named like a question fills it (matrix rows as question.row, " +
                "or one cell row=column;row=column; checkbox values separated by ';'; an empty cell is unanswered). userId, email, customerNumber, " +
                "phone, anonymousId and customerId identify the respondent (none: anonymous); submittedAt (ISO 8601), responseId (stored once per " +
                "survey), touchpoint (key), channel, language and interactionId are optional. Other column names: map=column=question,column2=question2. " +
                "Rows that do not fit are rejected by line and reason, the others stored; 422 names an unknown column, or when no row could be read.")
            .Accepts<string>("text/csv")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        return api;
    }

    private static async Task<Results<Ok<ResponseImportResult>, ProblemHttpResult>> ImportAsync(
        HttpContext context, SurveyStore surveys, ResponseImport import, TextWake wake, long id, string? map)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (await surveys.GetAsync(workspaceId, id, context.RequestAborted) is not { } survey)
        {
            return SurveysApi.NotFound(id);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        IReadOnlyList<(string Column, string Target)> columns;
        try
        {
            columns = ResponseColumns.ParseMap(map);
        }
        catch (ResponseFileException exception)
        {
            return Validation(exception);
        }

        // The whole body first (in memory or a temporary file), so the CSV reader can read it synchronously.
        await using var body = new FileBufferingReadStream(context.Request.Body, MemoryBufferBytes, MaxBodyBytes, Path.GetTempPath());
        await body.DrainAsync(context.RequestAborted);
        body.Position = 0;
        using var text = new Utf8LineReader(body);
        var setup = await import.SetupAsync(survey, context.RequestAborted);
        ResponseImportResult result;
        try
        {
            using var file = ResponseFile.Open(text, columns, setup);
            result = await import.ImportAsync(file, setup, cancellationToken: context.RequestAborted);
        }
        catch (ResponseFileException exception)
        {
            return Validation(exception);
        }
        catch (Npgsql.PostgresException exception) when (exception.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation)
        {
            // Another request stored one of these responseIds between the import's check and its COPY.
            return Problems.Field(StatusCodes.Status409Conflict, "body",
                "Another request stored a response with one of these responseIds meanwhile; the rows before it are stored. Send the file again: stored responseIds are skipped.");
        }

        wake.Wake();
        var answer = result with { Rejections = result.Rejections.Take(MaxRejectionsListed).ToList() };
        if (result.Stored + result.Duplicates == 0)
        {
            var detail = result.Read == 0 ? "The file holds no responses." : "No response could be read; see rejections.";
            return Problems.Field(StatusCodes.Status422UnprocessableEntity, "body", detail,
                extensions: new Dictionary<string, object?> { ["rejected"] = result.Rejected, ["rejections"] = answer.Rejections });
        }

        return TypedResults.Ok(answer);
    }

    private static ProblemHttpResult Validation(ResponseFileException exception) =>
        Problems.Validation(exception.Problems.ToDictionary(p => p.Key, p => new[] { p.Value }));
}
