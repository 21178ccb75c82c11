using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenCem.Tests.Actions;

/// <summary>A real HTTP receiver on a free loopback port that records every request and answers as the test says.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    private WebhookReceiver(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>What the receiver does with a request: answer 200, 500, never answer, close the connection, or wait for <see cref="Gate"/>.</summary>
    public enum Behaviour
    {
        Ok,
        Error,
        Hang,
        Close,
        Gated,
    }

    public Uri Url { get; }

    public Behaviour Mode { get; set; } = Behaviour.Ok;

    /// <summary>Released by the test; gated requests wait for it, then answer 200.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            receiver!.Requests.Enqueue(new ReceivedRequest(headers, body, DateTimeOffset.UtcNow));
            switch (receiver.Mode)
            {
                case Behaviour.Error:
                    return Results.StatusCode(500);
                case Behaviour.Hang:
                    await receiver.HoldAsync(Task.Delay(Timeout.Infinite, context.RequestAborted));
                    return Results.StatusCode(503);
                case Behaviour.Close:
                    context.Abort();
                    return Results.Empty;
                case Behaviour.Gated:
                    await receiver.HoldAsync(receiver.Gate.Task);
                    return Results.Ok();
                default:
                    return Results.Ok();
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new WebhookReceiver(app, new Uri(new Uri(address), "/hook"));
        return receiver;
    }

    /// <summary>Waits for <paramref name="task"/> or the receiver's end, whichever comes first.</summary>
    private async Task HoldAsync(Task task)
    {
        try
        {
            await task.WaitAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived (fails the test after <paramref name="seconds"/>).</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int count, double seconds = 20)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (Requests.Count < count)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"The receiver got {Requests.Count} of {count} requests in {seconds} s.");
            await Task.Delay(20);
        }

        return Requests.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}

public sealed record ReceivedRequest(IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);
