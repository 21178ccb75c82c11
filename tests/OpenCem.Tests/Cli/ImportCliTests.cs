using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Cli;

/// <summary>The import and identity verbs, run as a user runs them.</summary>
public sealed class ImportCliTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Import_loads_valid_lines_reports_bad_ones_by_line_and_resolves_across_files(DatabaseKind kind)
    {
        var target = await TestDatabases.CreateAsync(kind);
        var db = kind == DatabaseKind.Sqlite ? target.Display : target.ConnectionString;
        var folder = Directory.CreateTempSubdirectory("opencem-import-").FullName;
        var crm = Path.Combine(folder, "crm.csv");
        await File.WriteAllTextAsync(crm, """
            Kundennummer,E-Mail,Telefon,Name,Tarif
            K-1,anna@example.com,030 1234567,"Müller, Anna",Fibre 250
            K-2,bernd@example.com,,"Huber, Bernd",DSL 50
            ,nobody@example.com,,No Id,DSL
            K-4,not-an-address,,Bad Mail,DSL
            K-5,ok@example.com,12,Bad Phone,DSL
            K-6,"broken@example.com,,Broken Quote,DSL

            """);
        var shop = Path.Combine(folder, "shop.ndjson");
        await File.WriteAllTextAsync(shop, """
            {"id":"W-1","email":"ANNA@example.com","identifiers":{"userId":"u-1"},"newsletterOptIn":true}
            {"id":"W-2","phone":"+49 30 1234567"}
            """);

        var imported = await CliProcess.RunAsync("import", "customers", crm, "--source", "crm", "--map", "Kundennummer=id,E-Mail=email,Telefon=phone", "--db", db);
        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains("2 created", imported.Output);
        Assert.Contains("4 rejected", imported.Output);
        Assert.Contains("line 4: id is missing", imported.Error);
        Assert.Contains("line 5 (id K-4): 'not-an-address' is not an e-mail address", imported.Error);
        Assert.Contains("line 6 (id K-5)", imported.Error);
        Assert.Contains("line 7", imported.Error);

        var second = await CliProcess.RunAsync("import", "customers", shop, "--source", "webshop", "--db", db);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("2 merged with other records", second.Output);

        await using (var database = new Database(target))
        await using (var connection = await database.OpenAsync())
        {
            var profiles = (await connection.QueryAsync<(string Key, long Customer)>("SELECT record_key, customer_id FROM source_records")).ToDictionary(r => r.Key, r => r.Customer);
            Assert.Equal(profiles["K-1"], profiles["W-1"]);
            Assert.Equal(profiles["K-1"], profiles["W-2"]);
            Assert.NotEqual(profiles["K-1"], profiles["K-2"]);
            Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM customers"));
        }

        var rebuilt = await CliProcess.RunAsync("identity", "rebuild", "--db", db);
        Assert.True(rebuilt.ExitCode == 0, rebuilt.Error);
        Assert.Contains("Re-resolved 4 records", rebuilt.Output);
    }

    [Fact]
    public async Task Import_fails_with_a_message_when_nothing_can_be_read_or_the_mapping_is_wrong()
    {
        var db = (await TestDatabases.CreateAsync(DatabaseKind.Sqlite)).Display;
        var folder = Directory.CreateTempSubdirectory("opencem-import-").FullName;
        var file = Path.Combine(folder, "bad.csv");
        await File.WriteAllTextAsync(file, "id,email\n,x@example.com\n");

        var unknown = await CliProcess.RunAsync("import", "customers", file, "--source", "crm", "--map", "Kundennummer=id", "--db", db);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("unknown column 'Kundennummer' in --map", unknown.Error);

        var nothing = await CliProcess.RunAsync("import", "customers", file, "--source", "crm", "--db", db);
        Assert.Equal(1, nothing.ExitCode);
        Assert.Contains("No record could be read", nothing.Error);

        var missing = await CliProcess.RunAsync("import", "customers", Path.Combine(folder, "none.csv"), "--source", "crm", "--db", db);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);

        var reserved = await CliProcess.RunAsync("import", "customers", file, "--source", "tracking", "--db", db);
        Assert.Equal(1, reserved.ExitCode);
    }

    [Fact]
    public async Task Import_rejects_lines_that_are_not_utf8_by_line_and_reads_latin1_when_told()
    {
        var target = await TestDatabases.CreateAsync(DatabaseKind.Sqlite);
        var folder = Directory.CreateTempSubdirectory("opencem-import-").FullName;
        var mixed = Path.Combine(folder, "mixed.csv");
        await File.WriteAllBytesAsync(mixed, [.. Encoding.UTF8.GetBytes("id,email,name\nK-1,a@example.com,Jürgen\n"), .. Encoding.Latin1.GetBytes("K-2,b@example.com,Müller\n")]);
        var imported = await CliProcess.RunAsync("import", "customers", mixed, "--source", "crm", "--db", target.Display);
        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains("1 created", imported.Output);
        Assert.Contains("1 rejected", imported.Output);
        Assert.Contains("line 3: is not UTF-8: byte 0xFC at column 20", imported.Error);
        Assert.Contains("1 lines are not UTF-8 and were not stored. CRM exports are often Latin-1 or Windows-1252: re-encode the file to UTF-8", imported.Error);

        // A Windows export (€ is 0x80 there, not in Latin-1): nothing is UTF-8, so nothing is read; told its encoding, all of it is.
        var windows = Path.Combine(folder, "windows.csv");
        await File.WriteAllBytesAsync(windows, [.. Encoding.Latin1.GetBytes("id,email,name,Tarif\nW-1,w@example.com,Müller,"), 0x80, .. "9\n"u8]);
        var refused = await CliProcess.RunAsync("import", "customers", windows, "--source", "billing", "--db", target.Display);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("line 2: is not UTF-8: byte 0xFC at column 20", refused.Error);
        Assert.Contains("No record could be read from windows.csv", refused.Error);
        Assert.Contains("--encoding windows-1252", refused.Error);

        var told = await CliProcess.RunAsync("import", "customers", windows, "--source", "billing", "--encoding", "windows-1252", "--db", target.Display);
        Assert.True(told.ExitCode == 0, told.Error);
        await using var database = new Database(target);
        await using var connection = await database.OpenAsync();
        var traits = (await connection.QueryAsync<string>("SELECT traits FROM source_records ORDER BY record_key")).ToList();
        Assert.Equal(2, traits.Count);
        Assert.Equal("Jürgen", (string?)JsonNode.Parse(traits[0])!["name"]);
        Assert.Equal(("Müller", "€9"), ((string?)JsonNode.Parse(traits[1])!["name"], (string?)JsonNode.Parse(traits[1])!["Tarif"]));
    }
}
