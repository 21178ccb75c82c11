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

        await WriteAsync(httpContext);
        return true;
    }

    /// <summary>403 with a short page that says why (also for pages whose policy the role fails).</summary>
    public static async Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/html; charset=utf-8";
        SecurityHeaders.Apply(context);
        await context.Response.WriteAsync(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Not allowed</title></head><body><main><h1>Not allowed</h1>" +
            "<p>Your role does not allow this. Ask an administrator.</p><p><a href=\"/\">Back to the overview</a></p></main></body></html>",
            context.RequestAborted);
    }
}
