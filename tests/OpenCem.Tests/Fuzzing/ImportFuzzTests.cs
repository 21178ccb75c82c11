using System.Net.Http.Headers;
using System.Text;
using CsCheck;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Fuzzing;

/// <summary>The authenticated import paths (responses, signals, transactions, customer records, ideas, CSV) under malformed bodies.</summary>
[Collection(FuzzCollection.Name)]
public sealed class ImportFuzzTests(FuzzServers servers)
{
    /// <summary>Valid bodies of each import route; <c>SURVEY</c> stands for the survey's id.</summary>
    public static readonly (string Route, string Template)[] Imports =
    [
        ("/api/v1/responses", """{"surveyId":SURVEY,"userId":"u-imp","externalId":"x-1","submittedAt":"2026-01-05T10:00:00Z","touchpoint":"web","channel":"web","language":"de","answers":{"nps":3,"reason":"price","comment":"Too expensive"}}"""),
        ("/api/v1/signals", """[{"source":"review","text":"The technician was great.","title":"Great","rating":5,"userId":"u-77","url":"https://reviews.example/1","externalId":"r1","timestamp":"2026-10-01T10:00:00Z"}]"""),
        ("/api/v1/transactions", """[{"userId":"u-77","occurredAt":"2026-01-05T10:00:00Z","amount":19.9,"transactionId":"t-1"}]"""),
        ("/api/v1/sources/crm/records", """[{"id":"c-1","email":"x@example.com","name":"Xaver","phone":"+49 30 1234567","identifiers":{"userId":"u-9"},"consent":{"surveys":true},"language":"de","traits":{"plan":"tv"}}]"""),
        ("/api/v1/ideas", """{"title":"Paperless contracts","body":"Sign contract changes online.","language":"en"}"""),
    ];

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ImportRoutes_MalformedJson_NeverFailAndRefusedOnesStoreNothing(DatabaseKind kind)
    {
        var fuzz = await servers.GetAsync(kind);
        var calls = Gen.Int[0, Imports.Length - 1].SelectMany(i =>
            MalformedJson.From(Imports[i].Template.Replace("SURVEY", fuzz.SurveyId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
                .Select(body => (Imports[i].Route, Body: body)));
        await FuzzRun.CheckAsync(calls, nameof(ImportRoutes_MalformedJson_NeverFailAndRefusedOnesStoreNothing), ci: 20, async call =>
        {
            var before = await fuzz.CountsAsync();
            using var content = new ByteArrayContent(call.Body.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            await FuzzAssert.AnsweredAsync(fuzz, await fuzz.Server.Admin.PostAsync(call.Route, content), before);
        }, call => $"{call.Route} {call.Body}");
        await fuzz.AssertAliveAsync();
    }

    /// <summary>CSV that a spreadsheet or a broken export produces: odd quoting, ragged rows, NUL, invalid UTF-8, formulas, huge cells.</summary>
    private static readonly Gen<string> Cell = Gen.Frequency(
        (4, Gen.OneOf("9", "3", "price", "", "2026-01-05T10:00:00Z", "u-1", "de", "-1", "11", "1e400", "NaN", "web", "x;y", "row=col;")),
        (3, HostileText.Any),
        (1, Gen.OneOf("\"", "\"unclosed", "a\"b", "\"\"\"", "\r", "\n", "\r\n\r\n", ",,,,", "\uFEFF", "\0")),
        (1, Gen.Int[1, 200_000].Select(n => new string('z', n))));

    private static readonly Gen<string> Header = Gen.OneOf(
        "nps,reason,comment,userId,submittedAt,responseId", "nps,comment", "responseId,nps,comment,language,channel,touchpoint,customerId,interactionId",
        "email,nps,comment,anonymousId,phone,customerNumber", "nps,nps,comment", "unknown,nps", "", "\uFEFFnps,comment", "\"nps\",\"comment\"");

    private static readonly Gen<byte[]> CsvFiles = Gen.Frequency(
        (6, Gen.Select(Header, Cell.Array[0, 8].Array[0, 6], (header, rows) =>
            Encoding.UTF8.GetBytes(header + "\n" + string.Join("\n", rows.Select(cells => string.Join(",", cells)))))),
        (2, Gen.Select(Header, Cell.Array[0, 8].Array[1, 4], Gen.OneOf("\"", ",", ";", "\t"), (header, rows, quote) =>
            Encoding.UTF8.GetBytes(header + "\r\n" + string.Join("\r\n", rows.Select(cells => string.Join(",", cells.Select(c => quote + c + quote))))))),
        (1, Gen.Select(Header, Gen.OneOf(new byte[] { 0xFF, 0xFE }, [0xC3, 0x28], [0xED, 0xA0, 0x80], [0x00]), (header, bad) =>
            Encoding.UTF8.GetBytes(header + "\n9,").Concat(bad).Concat(Encoding.UTF8.GetBytes(",u-2\n")).ToArray())),
        (1, Gen.Byte.Array[0, 400]));

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ResponseImport_MalformedCsv_NeverFailsAndRefusedFilesStoreNothing(DatabaseKind kind)
    {
        var fuzz = await servers.GetAsync(kind);
        var maps = Gen.Frequency((4, Gen.Const((string?)null)), (1, HostileText.Any.Select(m => (string?)m)), (1, Gen.OneOf<string?>("a=nps", "=", "a=b=c", "x=nps,x=comment")));
        await FuzzRun.CheckAsync(Gen.Select(CsvFiles, maps), nameof(ResponseImport_MalformedCsv_NeverFailsAndRefusedFilesStoreNothing), ci: 15, async file =>
        {
            var before = await fuzz.CountsAsync();
            using var content = new ByteArrayContent(file.Item1);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            var query = file.Item2 is null ? "" : "?map=" + Uri.EscapeDataString(file.Item2);
            await FuzzAssert.AnsweredAsync(fuzz, await fuzz.Server.Admin.PostAsync($"/api/v1/surveys/{fuzz.SurveyId}/responses/import{query}", content), before);
        }, file => $"map={file.Item2} csv={Encoding.UTF8.GetString(file.Item1[..Math.Min(600, file.Item1.Length)])}");
        await fuzz.AssertAliveAsync();
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task NdjsonImports_BrokenLines_NeverFailAndRefusedOnesStoreNothing(DatabaseKind kind)
    {
        var fuzz = await servers.GetAsync(kind);
        var lines = Gen.Int[2, 3].SelectMany(i => MalformedJson.From(Imports[i].Template[1..^1]).Array[1, 3].Select(bodies => (Imports[i].Route, Bodies: bodies)));
        await FuzzRun.CheckAsync(lines, nameof(NdjsonImports_BrokenLines_NeverFailAndRefusedOnesStoreNothing), ci: 20, async call =>
        {
            var before = await fuzz.CountsAsync();
            var body = call.Bodies.SelectMany(b => b.Body.Concat("\n"u8.ToArray())).ToArray();
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            await FuzzAssert.AnsweredAsync(fuzz, await fuzz.Server.Admin.PostAsync(call.Route, content), before);
        }, call => call.Route + " " + string.Join(" | ", call.Bodies.Select(b => b.ToString())));
    }
}
