using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenCem.Hosting;

namespace OpenCem.Tests.Hosting;

public sealed class DatabaseUnavailableHandlerTests
{
    private static DefaultHttpContext Context()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        return context;
    }

    public static TheoryData<Exception> Unreachable => new()
    {
        new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)),
        new PostgresException("the database system is starting up", "FATAL", "FATAL", PostgresErrorCodes.CannotConnectNow),
        new InvalidOperationException("wrapped", new NpgsqlException("Exception while reading from stream", new IOException("reset"))),
    };

    [Theory, MemberData(nameof(Unreachable))]
    public async Task TryHandle_DatabaseUnreachable_Answers503WithRetryAfter(Exception exception)
    {
        var context = Context();
        Assert.True(await new DatabaseUnavailableHandler().TryHandleAsync(context, exception, CancellationToken.None));
        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task TryHandle_OtherErrors_AreLeftToTheDefault500()
    {
        var context = Context();
        Assert.False(await new DatabaseUnavailableHandler().TryHandleAsync(context, new InvalidOperationException("a bug"), CancellationToken.None));
        Assert.False(await new DatabaseUnavailableHandler().TryHandleAsync(context,
            new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation), CancellationToken.None));
        Assert.Equal(200, context.Response.StatusCode);
    }
}
