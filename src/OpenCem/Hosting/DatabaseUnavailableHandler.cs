using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace OpenCem.Hosting;

/// <summary>
/// Answers a request that failed because the database is unreachable for the moment (restarting, refusing
/// connections) with 503 and Retry-After, not with a 500: clients such as tracking libraries retry a 503, and nothing
/// was acknowledged. Found by the crash bench: during a PostgreSQL restart the write-key lookup of every tracking call
/// threw before the endpoint could answer.
/// </summary>
public sealed class DatabaseUnavailableHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsTransient(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.Headers.RetryAfter = "1";
        await Problems.Field(StatusCodes.Status503ServiceUnavailable, "$",
            "The database is unavailable for the moment; nothing was stored. Retry shortly.").ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>A database error the provider calls transient (connection refused or lost, server starting up), anywhere in the chain.</summary>
    public static bool IsTransient(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is DbException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}
