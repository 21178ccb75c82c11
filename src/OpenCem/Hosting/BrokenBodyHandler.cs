using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace OpenCem.Hosting;

/// <summary>
/// A body Kestrel could not read to its end (the client closed the connection mid-body, sent fewer bytes than its
/// Content-Length, or too slowly) is the client's fault: it gets the status Kestrel chose (400, 408, 413) with a
/// problem naming the body, and the server log is not filled with "unhandled exception" errors for every client that
/// gave up. Nothing of such a request was stored: handlers store only after reading the whole body.
/// </summary>
public sealed class BrokenBodyHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException broken || httpContext.Response.HasStarted)
        {
            return false;
        }

        if (httpContext.RequestAborted.IsCancellationRequested)
        {
            // Nobody is listening for an answer.
            return true;
        }

        await Problems.Field(broken.StatusCode, "body", broken.Message).ExecuteAsync(httpContext);
        return true;
    }
}
