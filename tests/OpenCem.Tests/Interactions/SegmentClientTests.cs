using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenCem.Hosting;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OpenCem.Tests.Interactions;

/// <summary>
/// The official Segment Node.js client (<c>@segment/analytics-node</c>, see tests/segment-client) against a real
/// server behind a flaky proxy that loses answers, so the client retries batches the server already committed.
/// </summary>
public sealed class SegmentClientTests(ITestOutputHelper output)
{
    private const int Events = 10_000;
    private const int FlushAt = 100;

    public static IEnumerable<object[]> Kinds => TestDatabases.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OfficialNodeClient_WithRetriedBatches_StoresEveryMessageExactlyOnce(DatabaseKind kind)
    {
        var clientFolder = await SegmentClient.PrepareAsync();
        await using var server = await TestServer.StartAsync(kind);
        await using var proxy = await FlakyProxy.StartAsync(server.BaseAddress);
        var stopwatch = Stopwatch.StartNew();

        var run = await SegmentClient.RunAsync(clientFolder,
            ["send-events.mjs", "--host", proxy.BaseAddress.ToString().TrimEnd('/'), "--write-key", server.WriteKey,
             "--count", Events.ToString(System.Globalization.CultureInfo.InvariantCulture), "--flush-at", FlushAt.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--max-retries", "5", "--run-id", $"{kind}-{Guid.NewGuid():N}"[..20]],
            TimeSpan.FromSeconds(120));
        var elapsed = stopwatch.Elapsed;
        output.WriteLine($"node exited {run.ExitCode} after {elapsed.TotalSeconds:F1} s");
        output.WriteLine($"proxy: {proxy}");
        output.WriteLine("stdout: " + run.Output);
        if (run.Error.Length > 0)
        {
            output.WriteLine("stderr: " + run.Error);
        }

        Assert.True(run.ExitCode == 0, $"send-events.mjs failed with exit code {run.ExitCode}: {run.Output} {run.Error}");
        var summaryLine = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith('{'));
        var summary = JsonDocument.Parse(summaryLine).RootElement;
        Assert.Equal(Events, summary.GetProperty("sent").GetInt32());
        Assert.Equal(Events, summary.GetProperty("delivered").GetInt32());
        Assert.Equal(0, summary.GetProperty("errors").GetInt32());

        // The proxy really failed requests, some after the server had committed them, and the client retried them.
        Assert.True(proxy.FailedOnPurpose > 0, $"The proxy failed no request on purpose: {proxy}");
        Assert.True(proxy.FailedAfterForwarding > 0, $"The proxy never lost an answer of a committed batch: {proxy}");
        Assert.True(proxy.Requests > Events / FlushAt, $"No retries reached the proxy: {proxy}");
        Assert.True(proxy.RetryRequests > 0, $"The client sent no request marked as a retry: {proxy}");
        Assert.Equal(proxy.RetryRequests, summary.GetProperty("retries").GetInt32());
        Assert.True(proxy.Dropped > 0 && summary.GetProperty("networkFailures").GetInt32() >= proxy.Dropped,
            $"The client did not see the dropped connections as network failures: {summaryLine} {proxy}");
        Assert.Equal(0, proxy.UpstreamFailures);
        // Retries carry the same messages: every messageId of a retried batch was seen in an earlier attempt.
        Assert.Equal(0, proxy.RetriedUnseenMessages);
        Assert.Equal(Events, proxy.DistinctMessages);
        Assert.True(proxy.RepeatedMessages > 0, $"No message reached the proxy twice: {proxy}");

        var stats = await server.StatsAsync();
        Assert.Equal(Events, stats.Interactions);
        await using var connection = await server.Service<Database>().OpenAsync();
        Assert.Equal(Events, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM interactions"));
        Assert.Equal(Events, await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT message_id) FROM interactions"));
        // The client made every messageId itself ("node-next-<epoch ms>-<uuid>").
        Assert.Equal(Events, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM interactions WHERE message_id LIKE 'node-next-%'"));
        Assert.True(elapsed < TimeSpan.FromSeconds(90), $"Sending {Events} events took {elapsed}.");
    }
}

/// <summary>Finds, installs and runs the Node.js project in tests/segment-client.</summary>
internal static class SegmentClient
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public sealed record ProcessResult(int ExitCode, string Output, string Error);

    /// <summary>The tests/segment-client folder with its node_modules installed (<c>npm ci</c> when missing).</summary>
    public static async Task<string> PrepareAsync()
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "segment-client");
        var node = await RunAsync(folder, ["--version"], TimeSpan.FromSeconds(30));
        Assert.True(node.ExitCode == 0, $"`node --version` failed: {node.Error}");
        await InstallLock.WaitAsync();
        try
        {
            if (!File.Exists(Path.Combine(folder, "node_modules", "@segment", "analytics-node", "package.json")))
            {
                var npm = await RunAsync(folder, ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5), OperatingSystem.IsWindows() ? "npm.cmd" : "npm");
                Assert.True(npm.ExitCode == 0, $"`npm ci` in {folder} failed with exit code {npm.ExitCode}: {npm.Output} {npm.Error}");
            }
        }
        finally
        {
            InstallLock.Release();
        }

        return folder;
    }

    public static async Task<ProcessResult> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, TimeSpan timeout, string fileName = "node")
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        }
        catch (Win32Exception exception)
        {
            Assert.Fail($"This test needs Node.js (18 or later) and npm on the PATH to run the official Segment client; starting `{fileName}` failed: {exception.Message}");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancellation = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                Assert.Fail($"`{fileName} {string.Join(' ', arguments)}` did not finish within {timeout}: {await stdout} {await stderr}");
            }

            return new ProcessResult(process.ExitCode, await stdout, await stderr);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OpenCem.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains OpenCem.slnx.");
    }
}

/// <summary>
/// A reverse proxy on a loopback port that forwards to the real server but fails about a third of first and
/// second attempts on purpose: every 4th request is forwarded (the server commits it) and then answered 500
/// or 503 as if the answer was lost; some others are refused with 503 or have their connection dropped
/// without being forwarded. Third and later attempts of a batch always pass, which keeps the client's
/// exponential backoff short. It records each messageId it sees, to prove retries resend the same messages.
/// </summary>
internal sealed class FlakyProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly ConcurrentDictionary<string, int> _messages = new(StringComparer.Ordinal);
    private int _requests;
    private int _retryRequests;
    private int _failedAfterForwarding;
    private int _refused;
    private int _dropped;
    private int _upstreamFailures;
    private int _retriedUnseenMessages;

    private FlakyProxy(WebApplication app, HttpClient upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public int Requests => Volatile.Read(ref _requests);

    public int RetryRequests => Volatile.Read(ref _retryRequests);

    public int FailedAfterForwarding => Volatile.Read(ref _failedAfterForwarding);

    public int Dropped => Volatile.Read(ref _dropped);

    public int FailedOnPurpose => FailedAfterForwarding + Volatile.Read(ref _refused) + Dropped;

    public int UpstreamFailures => Volatile.Read(ref _upstreamFailures);

    public int RetriedUnseenMessages => Volatile.Read(ref _retriedUnseenMessages);

    public int DistinctMessages => _messages.Count;

    public int RepeatedMessages => _messages.Values.Count(times => times > 1);

    public static async Task<FlakyProxy> StartAsync(Uri upstream)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new FlakyProxy(app, new HttpClient { BaseAddress = upstream, Timeout = TimeSpan.FromSeconds(60) });
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        proxy.BaseAddress = new Uri(OpenCemServer.Addresses(app).First());
        return proxy;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _requests);
        var attempt = int.TryParse(context.Request.Headers["X-Retry-Count"], out var retries) ? retries : 0;
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        Record(body, attempt > 0);

        var mayFail = attempt < 2;
        if (mayFail && number % 11 == 3)
        {
            Interlocked.Increment(ref _dropped);
            context.Abort();
            return;
        }

        if (mayFail && number % 11 == 7)
        {
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("flaky proxy: upstream unavailable", context.RequestAborted);
            return;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, context.Request.Path + context.Request.QueryString) { Content = new ByteArrayContent(body) };
        if (context.Request.ContentType is { } contentType)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        foreach (var name in new[] { "Authorization", "User-Agent", "X-Retry-Count" })
        {
            if (context.Request.Headers.TryGetValue(name, out var value))
            {
                request.Headers.TryAddWithoutValidation(name, value.ToString());
            }
        }

        using var response = await _upstream.SendAsync(request, context.RequestAborted);
        var answer = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref _upstreamFailures);
        }

        if (mayFail && number % 4 == 0)
        {
            // The server has committed the batch; the client never learns it and sends it again.
            Interlocked.Increment(ref _failedAfterForwarding);
            context.Response.StatusCode = number % 8 == 0 ? StatusCodes.Status500InternalServerError : StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("flaky proxy: the answer got lost", context.RequestAborted);
            return;
        }

        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    }

    private void Record(byte[] body, bool isRetry)
    {
        if (isRetry)
        {
            Interlocked.Increment(ref _retryRequests);
        }

        using var document = JsonDocument.Parse(body);
        if (!document.RootElement.TryGetProperty("batch", out var batch))
        {
            return;
        }

        foreach (var call in batch.EnumerateArray())
        {
            if (call.TryGetProperty("messageId", out var id) && id.GetString() is { } messageId)
            {
                var times = _messages.AddOrUpdate(messageId, 1, (_, seen) => seen + 1);
                if (isRetry && times == 1)
                {
                    Interlocked.Increment(ref _retriedUnseenMessages);
                }
            }
        }
    }

    public override string ToString() =>
        $"requests={Requests} retries={RetryRequests} failedAfterForwarding={FailedAfterForwarding} refused={Volatile.Read(ref _refused)} dropped={Dropped} " +
        $"upstreamFailures={UpstreamFailures} distinctMessages={DistinctMessages} repeatedMessages={RepeatedMessages} retriedUnseen={RetriedUnseenMessages}";

    public async ValueTask DisposeAsync()
    {
        _upstream.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
