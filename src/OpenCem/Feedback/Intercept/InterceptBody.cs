using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OpenCem.Hosting;
using OpenCem.Interactions;

namespace OpenCem.Feedback.Intercept;

/// <summary>
/// A JSON object body of at most a given size, whatever its content type (intercept.js sends <c>text/plain</c>,
/// which spares the browser a preflight), or the problem with it. The document reads the pooled buffer in place,
/// so the buffer goes back to the pool only when the body is disposed.
/// </summary>
internal sealed class InterceptBody : IDisposable
{
    private JsonDocument? _document;
    private RequestBody.Buffer? _buffer;

    public IResult? Problem { get; private init; }

    public JsonElement Root => _document!.RootElement;

    public static async Task<InterceptBody> ReadAsync(HttpContext context, int limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return new InterceptBody { Problem = Problems.Field(413, "$", $"The body may be at most {limit} bytes; this one is {context.Request.ContentLength} bytes.") };
        }

        var buffer = await RequestBody.ReadAsync(context.Request, limit, context.RequestAborted);
        if (buffer is null)
        {
            return new InterceptBody { Problem = Problems.Field(413, "$", $"The body may be at most {limit} bytes.") };
        }

        var body = new InterceptBody { _buffer = buffer };
        try
        {
            body._document = JsonInput.Parse(buffer.Value.Memory);
        }
        catch (JsonException exception)
        {
            body.Dispose();
            return new InterceptBody { Problem = Problems.Field(400, "$", $"The body is not valid JSON: {exception.Message}") };
        }

        if (body.Root.ValueKind != JsonValueKind.Object)
        {
            body.Dispose();
            return new InterceptBody { Problem = Problems.Field(400, "$", "The body must be a JSON object.") };
        }

        if (JsonInput.Problem(body.Root, buffer.Value.Memory.Span) is { } unstorable)
        {
            body.Dispose();
            return new InterceptBody { Problem = unstorable };
        }

        return body;
    }

    /// <summary>An optional text property; a wrong type or length is an error naming the field.</summary>
    public string? Text(string name, int maxLength, IDictionary<string, string[]> errors)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length is 0 || value.GetString()!.Length > maxLength)
        {
            errors[name] = [$"must be a text of 1 to {maxLength} characters."];
            return null;
        }

        return value.GetString();
    }

    /// <summary>An error for each property that is not one of <paramref name="known"/>.</summary>
    public Dictionary<string, string[]> UnknownProperties(string[] known, string what)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var property in Root.EnumerateObject().Where(p => !known.Contains(p.Name, StringComparer.Ordinal)))
        {
            errors[property.Name] = [$"is not a property of {what} ({string.Join(", ", known)})."];
        }

        return errors;
    }

    public void Dispose()
    {
        _document?.Dispose();
        _document = null;
        _buffer?.Return();
        _buffer = null;
    }
}
