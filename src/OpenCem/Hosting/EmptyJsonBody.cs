using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace OpenCem.Hosting;

/// <summary>
/// Answers an empty body sent to an endpoint that takes a JSON document (<see cref="JsonElement"/>) with 400: the
/// framework's binding otherwise fails with a NullReferenceException (a 500) before any filter or handler runs.
/// </summary>
public static class EmptyJsonBody
{
    public static async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.ContentLength == 0
            && context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { RequestType: { } type }
            && (type == typeof(JsonElement) || type == typeof(JsonElement?)))
        {
            await Problems.Field(StatusCodes.Status400BadRequest, "$", "The body is empty; send a JSON document.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
