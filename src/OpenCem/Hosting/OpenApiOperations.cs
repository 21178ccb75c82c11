using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OpenCem.Hosting;

/// <summary>
/// Documents which key each operation takes, and the bodies of the tracking calls, which the endpoints read as raw JSON (so that any content type a
/// tracking library sends is accepted and errors can name the exact field).
/// </summary>
internal sealed class OpenApiOperations : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var path = context.Description.RelativePath;
        if (path is not null && path.StartsWith("api/v1/", StringComparison.Ordinal))
        {
            Require(operation, "adminKey", context);
        }

        if (path is null || !path.StartsWith("v1/", StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }

        Require(operation, "writeKey", context);

        var call = Call(path["v1/".Length..]);
        var schema = path == "v1/batch"
            ? Object(
                "A batch of at most 500 KB.",
                ("batch", new OpenApiSchema { Type = JsonSchemaType.Array, Items = Call(null), Description = "The calls; each names its type." }),
                ("sentAt", Text("When the client sent the batch (ISO-8601); used to correct its clock.")),
                ("writeKey", Text("The write key, when not sent as the HTTP Basic user name.")))
            : call;
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
        return Task.CompletedTask;
    }

    private static OpenApiSchema Call(string? type) => Object(
        type is null ? "One tracking call of any type." : $"A {type} call of the Segment tracking spec, at most 32 KB.",
        ("type", Text("track, identify, page, screen, group or alias (batch items only).")),
        ("userId", Text("The customer's id in your systems. userId or anonymousId is required.")),
        ("anonymousId", Text("A device or visitor id, until the customer is identified.")),
        ("messageId", Text("Unique per call; a retried call with the same messageId and timestamp is stored once.")),
        ("event", Text("The event name (track): mapped to a touchpoint by the catalogue.")),
        ("name", Text("The page or screen name (page, screen).")),
        ("previousId", Text("The earlier id to link to userId (alias).")),
        ("groupId", Text("The account or group id (group).")),
        ("timestamp", Text("When it happened (ISO-8601), corrected for clock skew with sentAt.")),
        ("sentAt", Text("When the client sent it (ISO-8601).")),
        ("properties", Object("Free properties; outcome (success, failure, abandoned), effort, revenue, cost, touchpoint and channel are recognised.")),
        ("traits", Object("Traits of the customer (identify) or group (group).")),
        ("context", Object("The Segment context: library, ip, userAgent, locale, traits ...")));

    private static void Require(OpenApiOperation operation, string scheme, OpenApiOperationTransformerContext context)
    {
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] });
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Object(string description, params (string Name, IOpenApiSchema Schema)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Properties = properties.ToDictionary(p => p.Name, p => p.Schema),
    };
}
