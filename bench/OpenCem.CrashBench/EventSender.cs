using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace OpenCem.CrashBench;

/// <summary>What the senders saw: accepted batches, and every retry by its cause.</summary>
internal sealed class SendTally
{
    private long _acceptedEvents;
    private long _acceptedBatches;
    private long _refused;
    private long _lostReplies;
    private long _timeouts;
    private long _unavailable;
    private long _throttled;
    private long _otherStatus;

    public long AcceptedEvents => Interlocked.Read(ref _acceptedEvents);

    public long AcceptedBatches => Interlocked.Read(ref _acceptedBatches);

    /// <summary>Connections refused: the server was down.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>
    /// Requests whose reply never came (connection reset mid-request, connect timeout): the server may or may not
    /// have stored them, which is what the messageId dedupe is for.
    /// </summary>
    public long LostReplies => Interlocked.Read(ref _lostReplies);

    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>503: the server could not store the batch (database gone) or was not ready.</summary>
    public long Unavailable => Interlocked.Read(ref _unavailable);

    /// <summary>429: a rate limit.</summary>
    public long Throttled => Interlocked.Read(ref _throttled);

    /// <summary>Any other 5xx.</summary>
    public long OtherStatus => Interlocked.Read(ref _otherStatus);

    public long Retries => Refused + LostReplies + Timeouts + Unavailable + Throttled + OtherStatus;

    /// <summary>Batches the server refused for good (a 4xx other than 429) or answered with rejected events: a failure of the run.</summary>
    public List<string> Failures { get; } = [];

    public void Accepted(int events)
    {
        Interlocked.Add(ref _acceptedEvents, events);
        Interlocked.Increment(ref _acceptedBatches);
    }

    public void Refusal() => Interlocked.Increment(ref _refused);

    public void LostReply() => Interlocked.Increment(ref _lostReplies);

    public void Timeout() => Interlocked.Increment(ref _timeouts);

    public void Status(HttpStatusCode status)
    {
        _ = status switch
        {
            HttpStatusCode.ServiceUnavailable => Interlocked.Increment(ref _unavailable),
            HttpStatusCode.TooManyRequests => Interlocked.Increment(ref _throttled),
            _ => Interlocked.Increment(ref _otherStatus),
        };
    }

    public void Fail(string reason)
    {
        lock (Failures)
        {
            Failures.Add(reason);
        }
    }
}

/// <summary>
/// Several concurrent senders, each taking the next batch of the run and posting it to <c>/v1/batch</c> until it is
/// accepted. A failed, timed-out or refused request is retried with the SAME body (the same messageIds and client
/// timestamps), after an exponential backoff with full jitter (50 ms doubling to 2 s, at least any Retry-After) —
/// what Segment's libraries do.
/// </summary>
internal sealed class EventSender(Uri baseAddress, string writeKey, BatchGenerator generator, long batches, int senders, SendTally tally)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);
    private long _next = -1;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            MaxConnectionsPerServer = senders,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        await Task.WhenAll(Enumerable.Range(0, senders).Select(i => Task.Run(() => SendLoopAsync(client, i, cancellationToken), cancellationToken)));
    }

    private async Task SendLoopAsync(HttpClient client, int sender, CancellationToken cancellationToken)
    {
        var random = new Random(sender * 7919 + 1);
        long batch;
        while ((batch = Interlocked.Increment(ref _next)) < batches && !cancellationToken.IsCancellationRequested)
        {
            var body = generator.Generate(batch, 1)[0];
            var events = CountEvents(body);
            await SendUntilAcceptedAsync(client, batch, body, events, random, cancellationToken);
        }
    }

    private async Task SendUntilAcceptedAsync(HttpClient client, long batch, byte[] body, int events, Random random, CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan? retryAfter = null;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync("/v1/batch", content, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    var reply = await response.Content.ReadAsStringAsync(cancellationToken);
                    using var document = JsonDocument.Parse(reply);
                    if (!document.RootElement.TryGetProperty("success", out var success) || !success.GetBoolean()
                        || (document.RootElement.TryGetProperty("rejected", out var rejected) && rejected.ValueKind == JsonValueKind.Array && rejected.GetArrayLength() > 0))
                    {
                        tally.Fail($"batch {batch}: accepted with a complaint: {reply}");
                    }

                    tally.Accepted(events);
                    return;
                }

                if (response.StatusCode is HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
                {
                    tally.Status(response.StatusCode);
                    retryAfter = response.Headers.RetryAfter?.Delta;
                }
                else
                {
                    tally.Fail($"batch {batch}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                    return;
                }
            }
            catch (HttpRequestException exception) when (exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                tally.Refusal();
            }
            catch (HttpRequestException)
            {
                tally.LostReply();
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                tally.Timeout();
            }

            var wait = TimeSpan.FromMilliseconds(random.NextDouble() * backoff.TotalMilliseconds);
            if (retryAfter is { } after && after > wait)
            {
                wait = after;
            }

            await Task.Delay(wait, cancellationToken);
            backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
        }
    }

    private static int CountEvents(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("batch").GetArrayLength();
    }

    /// <summary>The messageIds of batch bodies, read back from the bodies themselves.</summary>
    public static IEnumerable<string> MessageIds(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        foreach (var call in document.RootElement.GetProperty("batch").EnumerateArray())
        {
            yield return call.GetProperty("messageId").GetString()!;
        }
    }
}
