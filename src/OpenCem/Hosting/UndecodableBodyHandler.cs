using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace OpenCem.Hosting;

/// <summary>
/// Answers a body that claims a compression it does not have (<c>Content-Encoding: gzip</c> over plain bytes) with
/// 400 naming the header, not with a server error: request decompression throws (<see cref="InvalidDataException"/>
/// for gzip and deflate, <see cref="InvalidOperationException"/> for Brotli) only when the handler first reads the body.
/// </summary>
public sealed class UndecodableBodyHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // Decompression takes the Content-Encoding header off the request, so the exception's source tells where it came from.
        var invalid = exception is InvalidDataException or InvalidOperationException ? exception : exception.InnerException;
        if (httpContext.Response.HasStarted || invalid is not (InvalidDataException or InvalidOperationException)
            || invalid.Source is not { } source || !source.StartsWith("System.IO.Compression", StringComparison.Ordinal))
        {
            return false;
        }

        var problem = Problems.Field(StatusCodes.Status400BadRequest, "Content-Encoding",
            "The body cannot be decoded as its Content-Encoding says; send it as declared, or without Content-Encoding.");
        await problem.ExecuteAsync(httpContext);
        return true;
    }
}
