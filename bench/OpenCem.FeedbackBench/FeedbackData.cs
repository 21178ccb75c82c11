using System.Globalization;
using System.Text;
using OpenCem.Customers;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;
using OpenCem.Workspaces;

namespace OpenCem.FeedbackBench;

/// <summary>A database ready for the scenarios: the known customers and the survey.</summary>
internal sealed record PreparedDatabase(long WorkspaceId, long SurveyId, double CustomerSeconds);

/// <summary>The survey, its generated responses (CSV and request bodies) and the customers they come from.</summary>
internal static class FeedbackData
{
    /// <summary>Relationship NPS with a CSAT question and a free comment, as the import scenario asks for.</summary>
    public const string SurveyJson = """
        {"title": "How are we doing?", "elements": [
          {"type": "rating", "name": "nps", "role": "nps", "rateMin": 0, "rateMax": 10, "isRequired": true, "title": "How likely are you to recommend us?"},
          {"type": "rating", "name": "csat", "role": "csat", "rateMin": 1, "rateMax": 5, "title": "How satisfied are you with our service?"},
          {"type": "comment", "name": "comment", "role": "verbatim", "title": "Anything else?"}
        ]}
        """;

    private static readonly string[] Words =
    [
        "great", "service", "slow", "friendly", "expensive", "network", "app", "billing", "contract", "hotline", "waited", "quick", "helpful",
        "fibre", "outage", "again", "thanks", "price", "router", "technician", "shop", "invoice", "never", "always", "fine", "excellent",
    ];

    public static string UserId(int customer) => "u-" + customer.ToString(CultureInfo.InvariantCulture);

    /// <summary>responseId, userId, submittedAt, nps, csat, comment: scores skewed as real NPS answers are, 60 % without a comment.</summary>
    public static async Task<long> WriteCsvAsync(string path, int responses, int customers, int seed)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16))
        {
            await writer.WriteLineAsync("responseId,userId,submittedAt,nps,csat,comment");
            var line = new StringBuilder(160);
            for (var i = 0; i < responses; i++)
            {
                var (nps, csat, comment) = Answer(random);
                var at = DateTimeOffset.FromUnixTimeMilliseconds(start + (long)(random.NextDouble() * 365 * 86_400_000));
                line.Clear().Append(CultureInfo.InvariantCulture,
                    $"imp-{i},{UserId(random.Next(customers))},{at:yyyy-MM-ddTHH:mm:ssZ},{nps},{csat},{(comment is null ? "" : $"\"{comment}\"")}");
                await writer.WriteLineAsync(line);
            }
        }

        return new FileInfo(path).Length;
    }

    /// <summary>The JSON body of one <c>POST /api/v1/responses</c>.</summary>
    public static byte[] RequestBody(long surveyId, string responseId, Random random, int customers)
    {
        var (nps, csat, comment) = Answer(random);
        var commentPart = comment is null ? "" : $", \"comment\": \"{comment}\"";
        var text = string.Create(CultureInfo.InvariantCulture,
            $$$"""{"surveyId": {{{surveyId}}}, "userId": "{{{UserId(random.Next(customers))}}}", "responseId": "{{{responseId}}}", "answers": {"nps": {{{nps}}}, "csat": {{{csat}}}{{{commentPart}}}}}""");
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>Migrates, creates the known customers (source crm, with userId and e-mail) and the survey; only the customers are timed.</summary>
    public static async Task<PreparedDatabase> PrepareAsync(Database database, int customers)
    {
        await SchemaMigrator.MigrateAsync(database);
        var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
        var records = Enumerable.Range(0, customers).Select(i => new IncomingRecord(
            new SourceRecord("crm", "C-" + i.ToString(CultureInfo.InvariantCulture),
                [new Identifier(IdentifierKinds.UserId, UserId(i)), new Identifier(IdentifierKinds.Email, $"person{i}@example.com")], "{}", null),
            i + 2)).ToList();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = await new IdentityService(database, TimeProvider.System).UpsertAsync(workspace.Id, records);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (outcome.ProfilesCreated != customers)
        {
            throw new InvalidOperationException($"Expected {customers} profiles, resolution created {outcome.ProfilesCreated}.");
        }

        var surveyId = await new SurveyStore(database, TimeProvider.System)
            .CreateAsync(workspace.Id, "Benchmark NPS", SurveyDefinitionParser.Parse(SurveyJson), SurveyJson, SurveySettings.Default);
        return new PreparedDatabase(workspace.Id, surveyId, seconds);
    }

    private static (int Nps, int Csat, string? Comment) Answer(Random random)
    {
        var roll = random.NextDouble();
        var nps = roll < 0.45 ? 9 + random.Next(2) : roll < 0.75 ? 7 + random.Next(2) : random.Next(7);
        var csat = Math.Clamp((nps / 2) + random.Next(-1, 2), 1, 5);
        string? comment = null;
        if (random.NextDouble() < 0.4)
        {
            var words = new string[3 + random.Next(12)];
            for (var w = 0; w < words.Length; w++)
            {
                words[w] = Words[random.Next(Words.Length)];
            }

            comment = string.Join(' ', words);
        }

        return (nps, csat, comment);
    }
}
