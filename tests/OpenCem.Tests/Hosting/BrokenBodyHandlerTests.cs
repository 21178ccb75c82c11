using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenCem.Hosting;
using OpenCem.Storage;

namespace OpenCem.Tests.Hosting;

public sealed class BrokenBodyHandlerTests
{
    [Fact]
    public async Task A_client_that_gives_up_mid_body_gets_no_server_error_and_nothing_is_stored()
    {
        await using var server = await TestServer.StartAsync(DatabaseKind.Sqlite);
        using var client = new TcpClient();
        await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = client.GetStream();
        var partial = """{"batch":[{"type":"track","userId":"u1","event":"E","messageId":"m1"}""";
        var basic = TestServer.Basic(server.WriteKey).Parameter;
        var head = $"POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {basic}\r\nContent-Type: application/json\r\nContent-Length: {partial.Length + 500}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + partial));
        client.Client.Shutdown(SocketShutdown.Send);

        // Kestrel takes the half-closed connection for an aborted request: an answer, if any, is not a server error.
        var answer = "";
        try
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (IOException)
        {
        }

        Assert.DoesNotContain(" 500 ", answer, StringComparison.Ordinal);
        Assert.Equal(0, (await server.StatsAsync()).Interactions);
        var next = await server.PostJsonAsync("/v1/track", """{"userId":"u1","event":"E","messageId":"m2"}""", server.Tracking);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task A_body_that_could_not_be_read_gets_its_status_with_a_problem_naming_the_body()
    {
        var context = Context();
        var exception = new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest);
        Assert.True(await new BrokenBodyHandler().TryHandleAsync(context, exception, CancellationToken.None));
        Assert.Equal(400, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        var problem = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Contains("\"body\"", problem, StringComparison.Ordinal);
        Assert.Contains("Unexpected end of request content.", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_errors_are_left_to_the_other_handlers()
    {
        Assert.False(await new BrokenBodyHandler().TryHandleAsync(Context(), new InvalidOperationException("a bug"), CancellationToken.None));
    }

    private static DefaultHttpContext Context()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        return context;
    }
}
