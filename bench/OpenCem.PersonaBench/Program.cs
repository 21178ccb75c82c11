using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using OpenCem.Customers.Personas;
using OpenCem.Storage;
using OpenCem.Workspaces;

// Personas on N synthetic customers: the features read from the database (aggregate queries over customers, ~6 own
// interactions each and a survey answer for 15 % of them) and the clustering (k = 4, and k chosen by silhouette over 3-8),
// each timed over a few runs; the bar is under 60 s for a million customers.
// Usage: dotnet run -c Release --project bench/OpenCem.PersonaBench -- [sqlite|postgres] [customers] [runs]
var db = args.Length > 0 ? args[0] : "sqlite";
var customers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
var machine = MachineInfo.Read();
Console.WriteLine($"# Persona benchmark: {db}, {customers:N0} customers, {runs} runs; {machine.Cores} cores, {machine.Cpu}, {machine.MemoryGiB:N1} GiB; source {SourceRevision.Read()}");

await using var databases = await BenchDatabases.StartAsync(db);
var target = await databases.CreateAsync("personas");
await using var database = new Database(target);
await SchemaMigrator.MigrateAsync(database);
var ws = (await new WorkspaceStore(database).EnsureDefaultAsync()).Id;
var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

var load = Stopwatch.StartNew();
await using (var connection = await database.OpenForBulkLoadAsync())
{
    string[] channels = ["app", "web", "phone", "chat", "shop", "email"];
    // Four kinds of customer: app-first, phone-first, web-first, mixed; weights over the channels above.
    double[][] mixes = [[0.8, 0.05, 0.05, 0.05, 0, 0.05], [0.02, 0.2, 0.6, 0.05, 0.08, 0.05], [0.05, 0.75, 0.08, 0.05, 0.02, 0.05], [0.4, 0.35, 0.1, 0.05, 0.05, 0.05]];
    var rng = new Random(1);
    const int Batch = 20_000;
    var id = 0L;
    for (var start = 0; start < customers; start += Batch)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using var customer = Command(connection, transaction, "INSERT INTO customers (id, workspace_id, created_at, updated_at, traits) VALUES (@id, @ws, @now, @now, @traits)", "id", "ws", "now", "traits");
        await using var interaction = Command(connection, transaction,
            "INSERT INTO interactions (workspace_id, message_id, client_ts, customer_id, type, event, occurred_at, received_at, touchpoint_id, channel) VALUES (@ws, @message, 0, @customer, 'track', 'Contact', @at, @at, @touchpoint, @channel)",
            "ws", "message", "customer", "at", "touchpoint", "channel");
        await using var response = Command(connection, transaction,
            "INSERT INTO survey_responses (workspace_id, survey_id, customer_id, source, status, answers, nps, csat, submitted_at, created_at, updated_at) VALUES (@ws, 1, @customer, 'api', 'completed', '{}', @nps, @csat, @at, @at, @at)",
            "ws", "customer", "nps", "csat", "at");
        for (var i = start; i < Math.Min(customers, start + Batch); i++)
        {
            id++;
            var kind = i % 4;
            var fee = kind == 3 ? 80 + rng.Next(30) : 20 + rng.Next(40);
            var since = DateTime.UnixEpoch.AddMilliseconds(now).AddDays(-(kind == 1 ? 1500 + rng.Next(2500) : rng.Next(900)));
            Set(customer, id, ws, now, string.Create(CultureInfo.InvariantCulture, $"{{\"monthlyFee\":{fee},\"customerSince\":\"{since:yyyy-MM-dd}\"}}"));
            await customer.ExecuteNonQueryAsync();
            var contacts = 3 + rng.Next(7);
            for (var n = 0; n < contacts; n++)
            {
                var draw = rng.NextDouble();
                var c = 0;
                while (c < channels.Length - 1 && (draw -= mixes[kind][c]) > 0)
                {
                    c++;
                }

                Set(interaction, ws, string.Create(CultureInfo.InvariantCulture, $"m{id}-{n}"), id, now - (long)(rng.NextDouble() * 700 * 86_400_000d), (long)(c + 1), channels[c]);
                await interaction.ExecuteNonQueryAsync();
            }

            if (rng.NextDouble() < 0.15)
            {
                Set(response, ws, id, rng.Next(11), 1 + rng.Next(5), now - (long)(rng.NextDouble() * 700 * 86_400_000d));
                await response.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
    }
}

Console.WriteLine($"Loaded {customers:N0} customers in {load.Elapsed.TotalSeconds:N1} s; database {await BenchDatabases.SizeAsync(target) / 1_048_576.0:N0} MiB.");
var read = new List<double>();
var fixedK = new List<double>();
var autoK = new List<double>();
PersonaClusters? last = null;
for (var run = 0; run < runs; run++)
{
    var watch = Stopwatch.StartNew();
    PersonaFeatureTable table;
    await using (var connection = await database.OpenAsync())
    {
        table = await PersonaFeatureReader.ReadAsync(connection, ws, now, PersonaRunner.CustomerSinceTrait, PersonaRunner.FeeTrait);
    }

    read.Add(watch.Elapsed.TotalMilliseconds);
    watch.Restart();
    last = new PersonaClustering(42).Run(table, 4);
    fixedK.Add(watch.Elapsed.TotalMilliseconds);
    watch.Restart();
    var auto = new PersonaClustering(42).Run(table, null);
    autoK.Add(watch.Elapsed.TotalMilliseconds);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run {run + 1}: read {read[^1] / 1000:N1} s, k=4 {fixedK[^1] / 1000:N1} s, auto k {autoK[^1] / 1000:N1} s (chose {auto.K}, silhouette {auto.Silhouette:0.000})"));
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2) / 1000;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Median: features {Median(read):N1} s; clustering k=4 {Median(fixedK):N1} s; auto k {Median(autoK):N1} s; total (features + k=4) {Median(read) + Median(fixedK):N1} s, (features + auto k) {Median(read) + Median(autoK):N1} s; sizes {string.Join(",", last!.Sizes)}."));

static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params string[] names)
{
    var command = connection.CreateCommand();
    command.Transaction = transaction;
    command.CommandText = sql;
    foreach (var name in names)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
    }

    return command;
}

static void Set(DbCommand command, params object[] values)
{
    for (var i = 0; i < values.Length; i++)
    {
        command.Parameters[i].Value = values[i];
    }
}
