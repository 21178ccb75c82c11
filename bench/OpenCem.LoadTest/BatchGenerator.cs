using System.Buffers;
using System.Text.Json;
using OpenCem.Demo;

namespace OpenCem.LoadTest;

/// <summary>
/// Realistic Segment <c>/v1/batch</c> bodies, made before any timing starts: track calls with random UUID
/// messageIds (as Segment's libraries send), a userId from a population that grows from a tenth of
/// <c>users</c> to all of them over the run, a stable anonymousId per user, event names from the demo catalogue
/// (most of them mapped to touchpoints, some not), properties with outcome and effort, and a library context.
/// Client timestamps advance with the event's position in the run at a nominal <see cref="ClientEventsPerSecond"/>,
/// as live traffic does: 95 % of events happened up to 10 s before their batch was sent, 5 % up to an hour
/// before (offline mobile clients). Deterministic: body <c>i</c> is the same for the same seed, whichever thread makes it.
/// </summary>
internal sealed class BatchGenerator
{
    private static readonly string[] Unmapped = ["Button Clicked", "Search Performed", "Product Viewed", "Help Article Viewed"];
    private static readonly string[] Plans = ["fiber-100", "fiber-250", "fiber-1000", "mobile-s", "mobile-l", "tv-basic"];
    private static readonly string[] Locales = ["de-CH", "fr-CH", "it-CH", "en-GB", "de-DE"];
    private static readonly string[] Libraries = ["analytics-node", "analytics.js", "analytics-ios", "analytics-android"];

    private readonly string[] _events;
    private readonly string[] _userIds;
    private readonly string[] _anonymousIds;
    private readonly long _totalEvents;
    private readonly int _batchSize;
    private readonly int _seed;
    private readonly DateTimeOffset _start;

    /// <summary>How fast the simulated clients' clocks advance per event of the run.</summary>
    public const double ClientEventsPerSecond = 50_000;

    public BatchGenerator(int users, long totalEvents, int batchSize, int seed)
    {
        _events = DemoCompany.Touchpoints.SelectMany(t => t.Events).Concat(Unmapped).Distinct().ToArray();
        _userIds = Enumerable.Range(0, users).Select(i => $"user-{i:D6}").ToArray();
        var random = new Random(seed);
        _anonymousIds = Enumerable.Range(0, users).Select(_ => NewUuid(random)).ToArray();
        _totalEvents = totalEvents;
        _batchSize = batchSize;
        _seed = seed;
        _start = DateTimeOffset.UtcNow;
    }

    public int DistinctEventNames => _events.Length;

    /// <summary>Bodies <paramref name="first"/> ... <paramref name="first"/> + <paramref name="count"/> - 1, on all cores.</summary>
    public byte[][] Generate(long first, int count)
    {
        var bodies = new byte[count][];
        Parallel.For(0, count, () => new ArrayBufferWriter<byte>(64 * 1024), (i, _, buffer) =>
        {
            buffer.ResetWrittenCount();
            Write(first + i, buffer);
            // Pinned: gigabytes of bodies must not be copied around by the GC during the run.
            var body = GC.AllocateUninitializedArray<byte>(buffer.WrittenCount, pinned: true);
            buffer.WrittenSpan.CopyTo(body);
            bodies[i] = body;
            return buffer;
        }, _ => { });
        return bodies;
    }

    private void Write(long batchIndex, ArrayBufferWriter<byte> buffer)
    {
        // Other fields may repeat between bodies; messageIds never do (see UniqueUuid).
        var random = new Random((int)(Mix48((ulong)batchIndex ^ ((ulong)(uint)_seed << 32)) & int.MaxValue));
        using var w = new Utf8JsonWriter(buffer);
        var sentAt = _start.AddSeconds(((batchIndex + 1) * _batchSize) / ClientEventsPerSecond + 1);
        w.WriteStartObject();
        w.WriteStartArray("batch");
        for (var j = 0; j < _batchSize; j++)
        {
            var global = batchIndex * _batchSize + j;
            var progress = Math.Min(1.0, (double)global / _totalEvents);
            var pool = Math.Max(1, (int)(_userIds.Length / 10 + (_userIds.Length - _userIds.Length / 10) * progress));
            var user = random.Next(pool);
            var eventName = random.NextDouble() < 0.85 ? _events[random.Next(_events.Length - Unmapped.Length)] : Unmapped[random.Next(Unmapped.Length)];
            w.WriteStartObject();
            w.WriteString("type", "track");
            w.WriteString("messageId", UniqueUuid(global, random));
            w.WriteString("userId", _userIds[user]);
            w.WriteString("anonymousId", _anonymousIds[user]);
            w.WriteString("event", eventName);
            var happened = _start.AddSeconds(global / ClientEventsPerSecond)
                .AddMilliseconds(-(random.NextDouble() < 0.95 ? random.Next(10_000) : random.Next(3_600_000)));
            w.WriteString("timestamp", happened.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteStartObject("properties");
            var roll = random.NextDouble();
            w.WriteString("outcome", roll < 0.7 ? "success" : roll < 0.9 ? "failure" : "abandoned");
            w.WriteNumber("effort", random.Next(1, 6));
            w.WriteString("plan", Plans[random.Next(Plans.Length)]);
            if (random.NextDouble() < 0.1)
            {
                w.WriteNumber("revenue", Math.Round(random.NextDouble() * 120, 2));
            }

            w.WriteNumber("step", random.Next(1, 9));
            w.WriteEndObject();
            w.WriteStartObject("context");
            w.WriteStartObject("library");
            var library = Libraries[user % Libraries.Length];
            w.WriteString("name", library);
            w.WriteString("version", "2.1.0");
            w.WriteEndObject();
            w.WriteString("locale", Locales[user % Locales.Length]);
            w.WriteString("timezone", "Europe/Zurich");
            w.WriteString("userAgent", library == "analytics.js"
                ? "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
                : library);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("sentAt", sentAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }

    /// <summary>
    /// A version-4-shaped UUID whose first 48 bits are a bijection of the event's global index (unique by construction,
    /// random-looking, so index inserts land all over the B-tree as real UUIDs do) and the rest random.
    /// </summary>
    private string UniqueUuid(long global, Random random)
    {
        var unique = Mix48((ulong)global + ((ulong)(uint)_seed << 40));
        var middle = (ulong)random.Next(1 << 26);
        var tail = (ulong)random.NextInt64(1L << 48);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{unique >> 16:x8}-{unique & 0xFFFF:x4}-4{middle & 0xFFF:x3}-{8 | ((middle >> 12) & 0x3):x1}{(middle >> 14) & 0xFFF:x3}-{tail:x12}");
    }

    /// <summary>A bijection of 48-bit values: multiplications by odd constants and xor-shifts, all modulo 2^48.</summary>
    private static ulong Mix48(ulong x)
    {
        const ulong Mask = (1UL << 48) - 1;
        x &= Mask;
        x = (x * 0x9E3779B97F4BUL) & Mask;
        x ^= x >> 23;
        x = (x * 0xC2B2AE3D27D5UL) & Mask;
        x ^= x >> 21;
        return x;
    }

    private static string NewUuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // Version 4 (Guid's byte order keeps the version in byte 7).
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }
}
