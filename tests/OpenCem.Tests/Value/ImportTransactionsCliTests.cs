using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Cli;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Value;

/// <summary><c>opencem import transactions</c> with a header, bad lines and customers known from another source.</summary>
public sealed class ImportTransactionsCliTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ImportTransactions_HeaderAndBadLines_LinksKnownCustomersAndReportsBadLinesByNumber(DatabaseKind kind)
    {
        var target = await TestDatabases.CreateAsync(kind);
        var db = kind == DatabaseKind.Sqlite ? target.Display : target.ConnectionString;
        var folder = Directory.CreateTempSubdirectory("opencem-transactions-").FullName;
        var crm = Path.Combine(folder, "crm.csv");
        await File.WriteAllTextAsync(crm, "id,email\nK-1,anna@example.com\n");
        Assert.Equal(0, (await CliProcess.RunAsync("import", "customers", crm, "--source", "crm", "--db", db)).ExitCode);
        var file = Path.Combine(folder, "orders.csv");
        await File.WriteAllTextAsync(file, """
            Kunde;Datum;Betrag
            anna@example.com;2024-02-01;19.90
            anna@example.com;2024-02-01;19.90
            neu@example.com;2024-02-03T10:00:00Z;5
            anna@example.com;gestern;3
            neu@example.com;2024-02-04;zwölf
            kaputt;2024-02-04;1
            """);

        var imported = await CliProcess.RunAsync("import", "transactions", file, "--customer", "Kunde", "--date", "Datum", "--amount", "Betrag", "--identifier", "email", "--delimiter", ";", "--db", db);

        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains("Read 6 purchases from orders.csv", imported.Output);
        Assert.Contains("3 stored, 0 already stored, 3 rejected; 1 new customer profiles", imported.Output);
        Assert.Contains("line 5: the date 'gestern' does not read", imported.Error);
        Assert.Contains("line 6: the amount 'zwölf' is not a number", imported.Error);
        Assert.Contains("line 7: the customer 'kaputt' is not a valid email", imported.Error);
        await using var database = new Database(target);
        await using var connection = await database.OpenAsync();
        var anna = await connection.ExecuteScalarAsync<long>("SELECT customer_id FROM source_records WHERE record_key = 'K-1'");
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM transactions WHERE customer_id = @anna", new { anna }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM source_records WHERE source = 'transactions'"));
    }

    [Fact]
    public async Task ImportTransactions_NothingReadable_FailsWithAMessage()
    {
        var target = await TestDatabases.CreateAsync(DatabaseKind.Sqlite);
        var file = Path.Combine(Directory.CreateTempSubdirectory("opencem-transactions-").FullName, "bad.csv");
        await File.WriteAllTextAsync(file, "customer,date,amount\nc1,01/02/2024,x\n");

        var bad = await CliProcess.RunAsync("import", "transactions", file, "--customer", "customer", "--date", "date", "--amount", "amount", "--db", target.Display);
        var unknown = await CliProcess.RunAsync("import", "transactions", file, "--customer", "kunde", "--date", "date", "--amount", "amount", "--db", target.Display);

        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("line 2: the date '01/02/2024' does not read", bad.Error);
        Assert.Contains("No purchase could be read from bad.csv", bad.Error);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("--customer 'kunde' is neither a column of the header", unknown.Error);
    }
}
