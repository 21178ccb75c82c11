using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenCem.Actions.Webhooks;

/// <summary>The outcome of one attempt: the receiver's status code (none when it never answered) and why it failed.</summary>
/// <param name="Failure">Why an attempt failed, for metrics: timeout, connection, refused (an internal address), http_4xx, http_5xx.</param>
public sealed record AttemptOutcome(bool Delivered, int? StatusCode, string? Error, long DurationMs, string? Failure = null);

/// <summary>
/// Sends one signed message. Connections go only to addresses the <see cref="NetworkPolicy"/> allows, checked on the
/// address actually connected to (a host that resolved to a public address when the webhook was saved and to an
/// internal one now is refused), without a proxy and without following redirects.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _client;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;

    public WebhookSender(WebhookOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        var policy = NetworkPolicy.From(options);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = options.ConcurrencyPerEndpoint,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, context.DnsEndPoint, cancellationToken),
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Task<AttemptOutcome> SendAsync(string url, string secret, string messageId, string body, CancellationToken cancellationToken) =>
        SendAsync(url, [secret], messageId, body, cancellationToken);

    /// <summary>Sends signed with each of <paramref name="secrets"/> (the current one and, during a rotation's grace period, the previous).</summary>
    public async Task<AttemptOutcome> SendAsync(string url, IReadOnlyList<string> secrets, string messageId, string body, CancellationToken cancellationToken)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.SignAll(secrets, messageId, timestamp, body));
        request.Headers.UserAgent.ParseAdd("OpenCem-Webhooks/1");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var ms = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new AttemptOutcome(true, code, null, ms)
                : new AttemptOutcome(false, code, $"the receiver answered {code} {response.ReasonPhrase}", ms, code >= 500 ? "http_5xx" : "http_4xx");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(false, null, $"no answer within {_options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", Elapsed(started), "timeout");
        }
        catch (HttpRequestException exception)
        {
            return new AttemptOutcome(false, null, Describe(exception), Elapsed(started),
                exception is RefusedAddressException || exception.InnerException is RefusedAddressException ? "refused" : "connection");
        }
    }

    public void Dispose() => _client.Dispose();

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    private static string Describe(HttpRequestException exception) =>
        exception.InnerException is { } inner && inner is not HttpRequestException ? $"{exception.Message} ({inner.Message})" : exception.Message;

    private static async ValueTask<Stream> ConnectAsync(NetworkPolicy policy, DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var host = endPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(policy.Allows).ToArray();
        if (allowed.Length == 0)
        {
            throw new RefusedAddressException(
                $"Refused to connect: {host} resolves only to internal addresses ({string.Join(", ", addresses.Select(a => a.ToString()))}); set Webhooks:AllowPrivateNetworks or Webhooks:AllowedNetworks to allow them.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A webhook's host resolved only to addresses the network policy does not allow.</summary>
public sealed class RefusedAddressException(string message) : HttpRequestException(message);
