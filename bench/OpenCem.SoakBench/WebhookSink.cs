using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace OpenCem.SoakBench;

/// <summary>
/// A webhook receiver on loopback. It counts deliveries by event type, once per message (the <c>webhook-id</c>
/// header is the same on every retry), and answers 204 — or, for a share of the requests, 503, so the server's retry
/// schedule always has work.
/// </summary>
internal sealed class WebhookSink : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, byte> _messages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _byType = new(StringComparer.Ordinal);
    private readonly double _failShare;
    private readonly Random _random;
    private readonly Task _loop;
    private long _refused;
    private long _requests;

    public WebhookSink(double failShare, int seed)
    {
        _failShare = failShare;
        _random = new Random(seed);
        Url = $"http://127.0.0.1:{PostgresCluster.FreePort()}/hooks/";

        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ReceiveAsync);
    }

    public string Url { get; }

    /// <summary>Distinct messages of one event type received (and answered 204).</summary>
    public long Delivered(string type) => _byType.GetValueOrDefault(type);

    /// <summary>Requests answered 503 on purpose.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Every request, retries and refusals included.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            Interlocked.Increment(ref _requests);
            bool refuse;
            lock (_random)
            {
                refuse = _random.NextDouble() < _failShare;
            }

            if (refuse)
            {
                Interlocked.Increment(ref _refused);
                context.Response.StatusCode = 503;
                context.Response.Close();
                return;
            }

            using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
            var type = body.RootElement.TryGetProperty("type", out var t) ? t.GetString() ?? "?" : "?";
            if (_messages.TryAdd(context.Request.Headers["webhook-id"] ?? Guid.NewGuid().ToString(), 0))
            {
                _byType.AddOrUpdate(type, 1, (_, n) => n + 1);
            }

            context.Response.StatusCode = 204;
            context.Response.Close();
        }
        catch (Exception exception) when (exception is HttpListenerException or JsonException or IOException or ObjectDisposedException)
        {
            context.Response.Abort();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
