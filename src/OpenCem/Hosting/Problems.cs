using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OpenCem.Hosting;

/// <summary>Problem-details answers that name the field at fault, so a client can fix its request.</summary>
public static class Problems
{
    public static ProblemHttpResult Field(int status, string field, string detail, string? title = null, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?> { ["field"] = field };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                all[key] = value;
            }
        }

        return TypedResults.Problem(detail: detail, statusCode: status, title: title ?? TitleFor(status), extensions: all);
    }

    /// <summary>422 with the standard <c>errors</c> map, one entry per invalid field.</summary>
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The request has invalid fields.",
            Detail = string.Join(" ", errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}"))),
        });

    public static ProblemHttpResult Validation(string field, string message) => Validation(new Dictionary<string, string[]> { [field] = [message] });

    private static string TitleFor(int status) => status switch
    {
        400 => "Bad request.",
        401 => "Not authenticated.",
        403 => "Forbidden.",
        404 => "Not found.",
        409 => "Conflict.",
        413 => "Payload too large.",
        415 => "Unsupported media type.",
        422 => "The request has invalid fields.",
        503 => "Service unavailable.",
        _ => "Error.",
    };
}
