using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using OpenCem.Dashboard.Layout;

namespace OpenCem.Dashboard;

/// <summary>Answers a change refused by <see cref="DashboardPage"/>'s Require with 403, not with a server error.</summary>
public sealed class DashboardForbiddenHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not DashboardForbiddenException && exception.InnerException is not DashboardForbiddenException)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
        httpContext.Response.ContentType = "text/html; charset=utf-8";
        SecurityHeaders.Apply(httpContext);
        await httpContext.Response.WriteAsync(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Not allowed</title></head><body><main><h1>Not allowed</h1>" +
            "<p>Your role does not allow this change. Ask an administrator.</p><p><a href=\"/\">Back to the overview</a></p></main></body></html>",
            cancellationToken);
        return true;
    }
}
