using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Dapper;
using OpenCem.Customers;
using OpenCem.Customers.Storage;
using OpenCem.Storage;

namespace OpenCem.IdentityBench;

/// <summary>
/// Where the import's time can go, rebuilt from public pieces after the timed run (none of it is in the import's
/// time): the bare CSV parse without normalising, and the in-memory steps of a whole-workspace resolution over
/// the final records — loading them as <c>IdentityRepository.AllRecordsAsync</c> does, <see cref="IdentityGraph.Resolve"/>
/// and <see cref="ResolutionPlan.Make"/>.
/// </summary>
internal sealed record DiagnosticsResult(
    double CsvParseOnlySeconds, double NormaliseOnlySeconds, int Records, double LoadRecordsSeconds, double LoadIdentitiesSeconds, int Identities,
    double GraphSeconds, double PlanSeconds, int Profiles, int Links);

/// <summary>A statement shape of the identity code with the plan the database chose for it after the import, and its time.</summary>
internal sealed record QueryCost(string Name, string Sql, int Ids, string Plan, double MedianMs);

internal static class Diagnostics
{
    /// <summary>Whether the planner has statistics for the identity tables now (PostgreSQL: autovacuum's analyze; SQLite: sqlite_stat1).</summary>
    public static async Task<string> StatisticsAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        if (database.Kind == DatabaseKind.Postgres)
        {
            var rows = await connection.QueryAsync<(string Table, DateTime? Analyzed, DateTime? AutoAnalyzed)>(
                "SELECT relname, last_analyze, last_autoanalyze FROM pg_stat_user_tables WHERE relname IN ('customers', 'source_records', 'record_identifiers', 'customer_identities') ORDER BY relname");
            return string.Join(", ", rows.Select(r => r.Table + " " + ((r.AutoAnalyzed ?? r.Analyzed) is { } at ? $"analyzed at {at:HH:mm:ss}" : "never analyzed")));
        }

        var stat = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'");
        return stat > 0 ? "sqlite_stat1 present (ANALYZE has run)" : "no sqlite_stat1 (ANALYZE never ran)";
    }

    /// <summary>
    /// The plans and times of the statement shapes the resolution repeats, as <c>IdentityRepository</c> at the measured
    /// commit words them (500 is its chunk size), on the imported database, each run 5 times (median), with the
    /// alternative wording that keeps SQLite on the primary key.
    /// </summary>
    public static async Task<List<QueryCost>> QueryCostsAsync(Database database, long workspaceId)
    {
        await using var connection = await database.OpenAsync();
        var postgres = database.Kind == DatabaseKind.Postgres;
        var random = new Random(5);
        var max = await connection.ExecuteScalarAsync<long>("SELECT max(id) FROM source_records");
        var maxCustomer = await connection.ExecuteScalarAsync<long>("SELECT max(id) FROM customers");
        var keys = (await connection.QueryAsync<string>("SELECT record_key FROM source_records WHERE source = 'crm' ORDER BY id LIMIT 5000")).ToArray();
        long[] Ids(int n, long top) => Enumerable.Range(0, n).Select(_ => random.NextInt64(1, top + 1)).ToArray();
        string In(string column, string parameter) => postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

        var shapes = new List<(string Name, string Sql, Func<int, object> Args, int[] Sizes)>
        {
            ("TraitsOfRecordIdsAsync", $"SELECT id, traits FROM source_records WHERE workspace_id = @ws AND {In("id", "ids")}",
                n => new { ws = workspaceId, ids = Ids(n, max) }, [3, 500]),
            ("  the same without workspace_id in the index's reach", $"SELECT id, traits FROM source_records WHERE +workspace_id = @ws AND {In("id", "ids")}",
                n => new { ws = workspaceId, ids = Ids(n, max) }, [500]),
            ("CustomersOfRecordsAsync", $"SELECT DISTINCT customer_id FROM source_records WHERE workspace_id = @ws AND {In("id", "ids")}",
                n => new { ws = workspaceId, ids = Ids(n, max) }, [1, 2, 3, 500]),
            ("RecordsOfCustomersAsync", $"SELECT id, source, record_key, customer_id, identifiers, traits FROM source_records WHERE workspace_id = @ws AND {In("customer_id", "ids")}",
                n => new { ws = workspaceId, ids = Ids(n, maxCustomer) }, [3, 500]),
            ("RecordsByKeyAsync", $"SELECT id, source, record_key, customer_id, identifiers, traits FROM source_records WHERE workspace_id = @ws AND source = 'crm' AND {In("record_key", "keys")}",
                n => new { ws = workspaceId, keys = keys.OrderBy(_ => random.Next()).Take(n).ToArray() }, [3, 500]),
            ("AllRecordsAsync (all rows)", "SELECT id, source, record_key, customer_id, identifiers, updated_at, received_at FROM source_records WHERE workspace_id = @ws ORDER BY id",
                _ => new { ws = workspaceId }, [0]),
            ("  the same in rowid order without the index", "SELECT id, source, record_key, customer_id, identifiers, updated_at, received_at FROM source_records WHERE +workspace_id = @ws ORDER BY id",
                _ => new { ws = workspaceId }, [0]),
        };

        var result = new List<QueryCost>();
        foreach (var (name, sql, args, sizes) in shapes)
        {
            if (postgres && sql.Contains("+workspace_id", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var size in sizes)
            {
                var explain = postgres ? "EXPLAIN (COSTS OFF) " + sql : "EXPLAIN QUERY PLAN " + sql;
                var plan = postgres
                    ? string.Join(" / ", (await connection.QueryAsync<string>(explain, args(size))).Select(l => l.Trim()))
                    : string.Join(" / ", (await connection.QueryAsync(explain, args(size))).Select(r => (string)((IDictionary<string, object>)r)["detail"]));
                var times = new double[5];
                for (var i = 0; i < times.Length; i++)
                {
                    var arguments = args(size);
                    var start = Stopwatch.GetTimestamp();
                    _ = (await connection.QueryAsync(sql, arguments)).Count();
                    times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }

                Array.Sort(times);
                result.Add(new QueryCost(name, sql, size, plan, Math.Round(times[2], 3)));
            }
        }

        return result;
    }

    public static async Task<DiagnosticsResult> RunAsync(Database database, long workspaceId, IReadOnlyList<(string Source, string Path)> files, IdentitySettings settings)
    {
        // 1. CsvHelper alone: every field of every row read, nothing else.
        GC.Collect();
        var started = Stopwatch.GetTimestamp();
        long fields = 0;
        foreach (var (_, path) in files)
        {
            using var text = new StreamReader(path);
            using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture) { MissingFieldFound = null, DetectColumnCountChanges = false, TrimOptions = TrimOptions.None });
            csv.Read();
            csv.ReadHeader();
            while (csv.Read())
            {
                for (var i = 0; i < csv.Parser.Count; i++)
                {
                    fields += csv.Parser[i].Length;
                }
            }
        }

        var csvSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // 2. The identifier normaliser alone on the identifier columns (email, phone, customer number).
        var normaliser = new IdentifierNormaliser(settings);
        var raw = new List<(string Type, string Value)>();
        foreach (var (_, path) in files)
        {
            using var text = new StreamReader(path);
            using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture) { MissingFieldFound = null, DetectColumnCountChanges = false, TrimOptions = TrimOptions.None });
            csv.Read();
            csv.ReadHeader();
            while (csv.Read())
            {
                Add(IdentifierKinds.Email, csv.Parser[1]);
                Add(IdentifierKinds.Phone, csv.Parser[2]);
                Add(IdentifierKinds.CustomerNumber, csv.Parser[3]);
            }
        }

        started = Stopwatch.GetTimestamp();
        foreach (var (type, value) in raw)
        {
            normaliser.Normalise(type, value);
        }

        var normaliseSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        raw.Clear();

        // 3. Loading the workspace's records as the full resolution does (Dapper, ids order, identifiers decoded).
        GC.Collect();
        await using var connection = await database.OpenAsync();
        started = Stopwatch.GetTimestamp();
        var rows = (await connection.QueryAsync<RecordRow>(
            "SELECT id AS Id, source AS Source, record_key AS RecordKey, customer_id AS CustomerId, identifiers AS Identifiers, updated_at AS UpdatedAt, received_at AS ReceivedAt "
            + "FROM source_records WHERE workspace_id = @ws ORDER BY id", new { ws = workspaceId }))
            .Select(r => (r.Id, r.Source, r.RecordKey, r.CustomerId, Identifiers: IdentifierCodec.Decode(r.Identifiers)))
            .ToList();
        var loadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        started = Stopwatch.GetTimestamp();
        var identities = new Dictionary<Identifier, TrackingIdentity>();
        foreach (var (kind, value, id, customer) in await connection.QueryAsync<(string, string, long, long)>(
            "SELECT kind, value, id, customer_id FROM customer_identities WHERE workspace_id = @ws", new { ws = workspaceId }))
        {
            identities[new Identifier(kind, value)] = new TrackingIdentity(id, customer);
        }

        var identitiesSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // 4. The pure resolution and the plan over all of them.
        started = Stopwatch.GetTimestamp();
        var resolution = IdentityGraph.Resolve(rows.Select(r => r.Source).ToList(), rows.Select(r => (IReadOnlyList<Identifier>)r.Identifiers).ToList(), settings);
        var graphSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        started = Stopwatch.GetTimestamp();
        var plan = ResolutionPlan.Make(rows.Select(r => new PlanRecord(r.Id, r.Source, r.RecordKey, r.CustomerId, r.Identifiers)).ToList(), identities, [], settings);
        var planSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        return new DiagnosticsResult(csvSeconds, normaliseSeconds, rows.Count, loadSeconds, identitiesSeconds, identities.Count, graphSeconds, planSeconds,
            plan.Profiles.Count, resolution.Links.Count);

        void Add(string type, string value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                raw.Add((type, value));
            }
        }
    }

    private sealed class RecordRow
    {
        public long Id { get; set; }

        public string Source { get; set; } = "";

        public string RecordKey { get; set; } = "";

        public long CustomerId { get; set; }

        public string Identifiers { get; set; } = "[]";

        public long UpdatedAt { get; set; }

        public long ReceivedAt { get; set; }
    }
}
