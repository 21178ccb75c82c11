using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace OpenCem.LoopBench;

/// <summary>
/// A webhook receiver on loopback that notes, per case, when its <c>case.opened</c> delivery arrived (Unix ms), and
/// answers 204 at once.
/// </summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<long, long> _arrivals = new();
    private readonly Task _loop;

    public WebhookReceiver()
    {
        Url = $"http://127.0.0.1:{PostgresCluster.FreePort()}/hooks/";

        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ReceiveAsync);
    }

    public string Url { get; }

    public bool TryGetArrival(long caseId, out long arrivedAt) => _arrivals.TryGetValue(caseId, out arrivedAt);

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var arrivedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            using (var body = await JsonDocument.ParseAsync(context.Request.InputStream))
            {
                if (body.RootElement.TryGetProperty("data", out var data) && data.TryGetProperty("caseId", out var caseId))
                {
                    _arrivals.TryAdd(caseId.GetInt64(), arrivedAt);
                }
            }

            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
