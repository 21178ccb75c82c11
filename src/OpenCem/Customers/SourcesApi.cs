using System.Text;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Customers.Storage;
using OpenCem.Hosting;
using OpenCem.Storage;

namespace OpenCem.Customers;

/// <summary>What happened to an upload of source records.</summary>
public sealed record RecordUploadResult(
    int Read, int Created, int Updated, int Unchanged, int Rejected, IReadOnlyList<RecordRejection> Rejections, int ProfilesCreated, int ProfilesMerged);

public sealed record SourceRecordView(
    string Source, string Id, long CustomerId, IReadOnlyList<Identifier> Identifiers, System.Text.Json.Nodes.JsonObject Traits, DateTimeOffset UpdatedAt, DateTimeOffset ReceivedAt);

/// <summary>Management API: customer records from source systems (CRM, billing, web shop ...), upserted by (source, id).</summary>
public static class SourcesApi
{
    public static RouteGroupBuilder MapSourcesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/sources/{source}/records", UploadAsync)
            .WithTags("Customers")
            .WithSummary("Upserts customer records of a source by (source, id), as a JSON array or NDJSON, and resolves them into profiles.")
            .Accepts<object[]>("application/json", "application/x-ndjson");
        api.MapGet("/sources/{source}/records/{id}", GetAsync)
            .WithTags("Customers")
            .WithSummary("One record of a source, with the customerId of the profile it resolved to.");
        return api;
    }

    private static async Task<Results<Ok<RecordUploadResult>, ProblemHttpResult>> UploadAsync(HttpContext context, IdentityService identity, string source)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (ValidateSource(source) is { } problem)
        {
            return problem;
        }

        var settings = await identity.GetSettingsAsync(workspaceId, context.RequestAborted);
        // The request body is bounded by the server's size limit, so reading it whole is safe.
        using var bytes = new MemoryStream();
        await context.Request.Body.CopyToAsync(bytes, context.RequestAborted);
        // Refused whole rather than stored with U+FFFD for each bad byte: a client sending another encoding fixes it once for all records.
        if (InvalidUtf8.First(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)) is { } invalid)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "body",
                $"Line {invalid.Line} of the body {invalid.Reason}; send the records as UTF-8 (re-encode a Latin-1 or Windows-1252 export).",
                extensions: new Dictionary<string, object?> { ["line"] = invalid.Line, ["column"] = invalid.Column });
        }

        var rejections = new List<RecordRejection>();
        List<IncomingRecord> records;
        try
        {
            var text = Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
            records = RecordFiles.ReadJson(new StringReader(text), source, new SourceRecordReader(settings), rejections).ToList();
        }
        catch (RecordFileException ex)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "body", ex.Message);
        }

        var read = records.Count + rejections.Count;
        if (records.Count == 0)
        {
            var detail = read == 0 ? "The body holds no records." : "No record could be read; see rejections.";
            return Problems.Field(StatusCodes.Status422UnprocessableEntity, "body", detail, extensions: new Dictionary<string, object?> { ["rejections"] = rejections });
        }

        var outcome = await identity.UpsertAsync(workspaceId, records, context.RequestAborted);
        rejections.AddRange(outcome.Rejections);
        if (outcome.Created + outcome.Updated + outcome.Unchanged == 0)
        {
            return Problems.Field(StatusCodes.Status422UnprocessableEntity, "body", "No record could be stored; see rejections.",
                extensions: new Dictionary<string, object?> { ["rejections"] = rejections.OrderBy(r => r.Line).ToList() });
        }

        return TypedResults.Ok(new RecordUploadResult(
            read, outcome.Created, outcome.Updated, outcome.Unchanged, rejections.Count, rejections.OrderBy(r => r.Line).ToList(), outcome.ProfilesCreated, outcome.ProfilesMerged));
    }

    private static async Task<Results<Ok<SourceRecordView>, ProblemHttpResult>> GetAsync(HttpContext context, Database database, string source, string id)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        await using var connection = await database.OpenAsync(context.RequestAborted);
        var row = await connection.QuerySingleOrDefaultAsync<(long CustomerId, string Identifiers, string Traits, long UpdatedAt, long ReceivedAt)?>(
            "SELECT customer_id, identifiers, traits, updated_at, received_at FROM source_records WHERE workspace_id = @workspaceId AND source = @source AND record_key = @id",
            new { workspaceId, source, id });
        if (row is not { } r)
        {
            return Problems.Field(StatusCodes.Status404NotFound, "id", $"Source '{source}' has no record '{id}'.");
        }

        return TypedResults.Ok(new SourceRecordView(
            source, id, r.CustomerId, IdentifierCodec.Decode(r.Identifiers),
            System.Text.Json.Nodes.JsonNode.Parse(r.Traits)!.AsObject(),
            DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt), DateTimeOffset.FromUnixTimeMilliseconds(r.ReceivedAt)));
    }

    /// <summary>A source name is a short word; <c>tracking</c> belongs to the tracking API.</summary>
    public static ProblemHttpResult? ValidateSource(string source)
    {
        if (!IdentifierKinds.IsValidName(source))
        {
            return Problems.Field(StatusCodes.Status422UnprocessableEntity, "source", "A source name is letters, digits, '_' or '-', up to 40 characters.");
        }

        return source == IdentifierKinds.TrackingSource
            ? Problems.Field(StatusCodes.Status422UnprocessableEntity, "source", "The tracking source is written by identify and alias calls of the tracking API.")
            : null;
    }
}
