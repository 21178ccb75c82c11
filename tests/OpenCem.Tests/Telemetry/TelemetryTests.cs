using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenCem.Operations.Telemetry;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;

namespace OpenCem.Tests.Telemetry;

public sealed class TelemetryTests
{
    [Fact]
    public async Task TrackingEvents_AreCountedByTheIngestionQueue_WithCommitDurations()
    {
        var committed = new ConcurrentDictionary<string, long>();
        var durations = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OpenCemTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "opencem.queue.items.committed")
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "queue")
                    {
                        committed.AddOrUpdate((string)tag.Value!, value, (_, sum) => sum + value);
                    }
                }
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) =>
        {
            if (instrument.Name == "opencem.queue.commit.duration")
            {
                Interlocked.Increment(ref durations);
            }
        });
        listener.Start();
        await using var server = await TestServer.StartAsync(DatabaseKind.Sqlite);
        var before = committed.GetValueOrDefault("ingestion");

        var batch = "{\"batch\":[" + string.Join(",", Enumerable.Range(0, 25).Select(i => $$"""{"type":"track","userId":"u{{i}}","event":"Bill Viewed","messageId":"tel-{{i}}"}""")) + "]}";
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/v1/batch", batch)).StatusCode);

        // Other tests in this process may commit too: at least these 25 were counted, with a duration per commit.
        Assert.True(committed.GetValueOrDefault("ingestion") - before >= 25);
        Assert.True(durations >= 1);
    }

    [Fact]
    public async Task OtlpEndpointConfigured_MetricsAndTracesArriveAtTheCollector()
    {
        using var collector = new TcpListener(IPAddress.Loopback, 0);
        collector.Start();
        var port = ((IPEndPoint)collector.LocalEndpoint).Port;
        var received = new ConcurrentDictionary<string, string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var serving = Task.Run(() => ServeOtlpAsync(collector, received, stop.Token));

        await using (var server = await TestServer.StartAsync(DatabaseKind.Sqlite, options => options with
        {
            Configuration = new Dictionary<string, string?> { ["Telemetry:OtlpEndpoint"] = $"http://127.0.0.1:{port}", ["Telemetry:ExportIntervalSeconds"] = "1" },
        }))
        {
            Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/v1/track", """{"userId":"u1","event":"Bill Viewed","messageId":"otlp-1"}""")).StatusCode);
            while (!stop.IsCancellationRequested && !(received.ContainsKey("/v1/metrics") && received.TryGetValue("/v1/traces", out var traces) && traces.Contains("commit ingestion", StringComparison.Ordinal)))
            {
                await Task.Delay(200);
            }
        }

        await stop.CancelAsync();
        Assert.Contains("opencem.queue.items.committed", received.GetValueOrDefault("/v1/metrics") ?? "");
        Assert.Contains("commit ingestion", received.GetValueOrDefault("/v1/traces") ?? "");
        Assert.Contains("/v1/track", received.GetValueOrDefault("/v1/traces") ?? "");
    }

    /// <summary>A minimal OTLP/HTTP collector: reads each request, keeps its body (protobuf carries names as plain UTF-8) and answers 200.</summary>
    private static async Task ServeOtlpAsync(TcpListener listener, ConcurrentDictionary<string, string> received, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    try
                    {
                        while (await ReadRequestAsync(stream, cancellationToken) is { } request)
                        {
                            received.AddOrUpdate(request.Path, request.Body, (_, old) => old + request.Body);
                            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), cancellationToken);
                        }
                    }
                    catch (Exception exception) when (exception is IOException or OperationCanceledException)
                    {
                    }
                }
            }, cancellationToken);
        }
    }

    private static async Task<(string Path, string Body)?> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return null;
            }

            head.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n");
        var path = lines[0].Split(' ')[1];
        var length = lines.Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)).Select(l => int.Parse(l[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return (path, Encoding.UTF8.GetString(body));
    }
}
