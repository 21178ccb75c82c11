using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OpenCem.Hosting;

/// <summary>
/// Refuses (400, naming the field) a management API body bound as <see cref="JsonElement"/> that holds a text the
/// database cannot store exactly (<see cref="JsonInput"/>), before any handler reads it. Duplicate property names are
/// refused while binding (<c>AllowDuplicateProperties = false</c> in the server's JSON options). An endpoint marked
/// <see cref="StoresNothing"/> (text analysis of a sample) takes NUL, since only the database cannot hold it.
/// </summary>
public static class JsonInputFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var storesNothing = invocation.HttpContext.GetEndpoint()?.Metadata.GetMetadata<StoresNothing>() is not null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument is JsonElement element && JsonInput.Find(element, nulAllowed: storesNothing) is { } bad)
            {
                return Problems.Field(StatusCodes.Status400BadRequest, bad.Field.Length == 0 ? "$" : bad.Field, bad.Reason);
            }
        }

        return await next(invocation);
    }
}

/// <summary>Endpoint metadata: the endpoint answers from its body and stores none of it.</summary>
public sealed class StoresNothing;
