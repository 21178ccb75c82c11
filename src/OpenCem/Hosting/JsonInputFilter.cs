using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OpenCem.Hosting;

/// <summary>
/// Refuses (400, naming the field) a management API body bound as <see cref="JsonElement"/> that holds a text the
/// database cannot store exactly (<see cref="JsonInput"/>), before any handler reads it. Duplicate property names are
/// refused while binding (<c>AllowDuplicateProperties = false</c> in the server's JSON options).
/// </summary>
public static class JsonInputFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument is JsonElement element && JsonInput.Find(element) is { } bad)
            {
                return Problems.Field(StatusCodes.Status400BadRequest, bad.Field.Length == 0 ? "$" : bad.Field, bad.Reason);
            }
        }

        return await next(invocation);
    }
}
