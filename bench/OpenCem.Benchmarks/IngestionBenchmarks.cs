using System.Text.Json;
using BenchmarkDotNet.Attributes;
using OpenCem.Customers;
using OpenCem.Demo;
using OpenCem.Interactions;

namespace OpenCem.Benchmarks;

/// <summary>
/// The CPU work the server does per 100-event <c>/v1/batch</c> request, piece by piece, against the bare
/// <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> of the same body as the baseline.
/// </summary>
[MemoryDiagnoser]
public class IngestionBenchmarks
{
    private const int Events = 100;

    private byte[] _body = [];
    private TrackingEvent[] _parsed = [];
    private TouchpointResolver _resolver = TouchpointResolver.Empty;
    private InteractionPlacement[] _placements = [];
    private Dictionary<CustomerIdentifier, long> _known = [];
    private (string UserId, CustomerIdentifier Anonymous)[] _calls = [];
    private DateTimeOffset _receivedAt;

    [GlobalSetup]
    public void Setup()
    {
        _body = MakeBody(new Random(42));
        _receivedAt = DateTimeOffset.UtcNow;
        _parsed = ParseAll(_body, _receivedAt);
        _resolver = new TouchpointResolver(DemoCompany.Touchpoints.Select((t, i) => t with { Id = i + 1 }));
        _placements = _parsed.Select(_resolver.Place).ToArray();

        // Identity resolution as the writer sees it in steady state: most users already known, a few new.
        _calls = _parsed.Select(e => (e.UserId!, new CustomerIdentifier(CustomerIdentifier.AnonymousId, e.AnonymousId!))).ToArray();
        _known = [];
        var id = 1L;
        foreach (var (userId, anonymous) in _calls.Take(90))
        {
            _known.TryAdd(new CustomerIdentifier(CustomerIdentifier.UserId, userId), id);
            _known.TryAdd(anonymous, id);
            id++;
        }
    }

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse of the 100-event batch")]
    public int ParseJsonOnly()
    {
        using var document = JsonDocument.Parse(_body);
        return document.RootElement.GetProperty("batch").GetArrayLength();
    }

    [Benchmark(Description = "Parse + TrackingEventParser.TryParse x100")]
    public int ParseAndValidate() => ParseAll(_body, _receivedAt).Length;

    [Benchmark(Description = "TouchpointResolver.Place x100")]
    public int Place()
    {
        var mapped = 0;
        foreach (var e in _parsed)
        {
            if (_resolver.Place(e).TouchpointId is not null)
            {
                mapped++;
            }
        }

        return mapped;
    }

    [Benchmark(Description = "InteractionRollup.Add x100")]
    public int Rollup()
    {
        var rollup = new InteractionRollup();
        for (var i = 0; i < _parsed.Length; i++)
        {
            rollup.Add(1, _parsed[i], _placements[i]);
        }

        return rollup.Deltas.Count;
    }

    [Benchmark(Description = "IdentityResolution.Resolve x100")]
    public int ResolveIdentities()
    {
        var resolution = new IdentityResolution(_known);
        long sum = 0;
        foreach (var (userId, anonymous) in _calls)
        {
            sum += resolution.Resolve(userId, anonymous);
        }

        return resolution.NewCustomerCount + (int)(sum & 1);
    }

    private static TrackingEvent[] ParseAll(byte[] body, DateTimeOffset receivedAt)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        DateTimeOffset? sentAt = root.TryGetProperty("sentAt", out var s) && s.TryGetDateTimeOffset(out var parsedSentAt) ? parsedSentAt : null;
        var events = new TrackingEvent[Events];
        var i = 0;
        foreach (var call in root.GetProperty("batch").EnumerateArray())
        {
            if (!TrackingEventParser.TryParse(call, null, receivedAt, sentAt, out var parsed, out var rejection))
            {
                throw new InvalidOperationException($"{rejection!.Field}: {rejection.Reason}");
            }

            events[i++] = parsed!;
        }

        return events;
    }

    /// <summary>A body like the load test's: 100 track calls, 40 users, demo event names, outcome and effort, library context.</summary>
    private static byte[] MakeBody(Random random)
    {
        var names = DemoCompany.Touchpoints.SelectMany(t => t.Events).Concat(["Button Clicked", "Search Performed"]).ToArray();
        var sentAt = new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("batch");
            for (var j = 0; j < Events; j++)
            {
                var user = random.Next(40);
                w.WriteStartObject();
                w.WriteString("type", "track");
                w.WriteString("messageId", Guid.NewGuid().ToString());
                w.WriteString("userId", $"user-{user:D6}");
                w.WriteString("anonymousId", $"anon-{user:D6}-4f1c-9a57-3e2b8c1d0f6a");
                w.WriteString("event", names[random.Next(names.Length)]);
                w.WriteString("timestamp", sentAt.AddSeconds(-random.Next(300)));
                w.WriteStartObject("properties");
                w.WriteString("outcome", random.NextDouble() < 0.7 ? "success" : "failure");
                w.WriteNumber("effort", random.Next(1, 6));
                w.WriteString("plan", "fiber-250");
                w.WriteNumber("step", random.Next(1, 9));
                w.WriteEndObject();
                w.WriteStartObject("context");
                w.WriteStartObject("library");
                w.WriteString("name", "analytics-node");
                w.WriteString("version", "2.1.0");
                w.WriteEndObject();
                w.WriteString("locale", "de-CH");
                w.WriteString("timezone", "Europe/Zurich");
                w.WriteString("userAgent", "analytics-node");
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("sentAt", sentAt);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
