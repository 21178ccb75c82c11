using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Customers.Storage;
using OpenCem.Storage;

namespace OpenCem.Customers.Personas;

/// <summary>
/// The trait <c>persona</c> on profiles. Publishing writes it with its origin (source <c>personas</c>, record
/// <c>run N</c>, the publishing time) in <c>trait_sources</c>; survivorship, which rebuilds a profile's traits from
/// its records, asks <see cref="KeepAsync"/> for it again, so a merge or re-resolution does not drop it. The rule: a
/// profile has the persona the current (latest published) run assigned to its own id; a profile the run did not
/// cover takes it from the profiles merged into it (their redirects), the one nearest its persona's centre, i.e. the
/// most typical member. The published persona wins over a source's trait of the same name.
/// </summary>
public static class PersonaTraits
{
    public const string Source = "personas";
    private const int Chunk = 5_000;

    /// <summary>The customers whose persona changes when <paramref name="runId"/> is published: assigned another one, or none.</summary>
    public static async Task<long[]> ChangedAsync(DbConnection connection, DbTransaction transaction, long ws, long runId) =>
        [.. await connection.QueryAsync<long>(
            connection is Npgsql.NpgsqlConnection
                ? """
                  SELECT c.id FROM customers c LEFT JOIN persona_assignments a ON a.run_id = @runId AND a.customer_id = c.id
                  WHERE c.workspace_id = @ws AND (c.traits::jsonb ->> 'persona') IS DISTINCT FROM ('p' || a.number) ORDER BY c.id
                  """
                : """
                  SELECT c.id FROM customers c LEFT JOIN persona_assignments a ON a.run_id = @runId AND a.customer_id = c.id
                  WHERE c.workspace_id = @ws AND json_extract(c.traits, '$.persona') IS NOT ('p' || a.number) ORDER BY c.id
                  """,
            new { ws, runId }, transaction, commandTimeout: 600)];

    /// <summary>Writes the run's persona (or its absence) into the traits of <paramref name="ids"/>.</summary>
    public static async Task WriteAsync(DbConnection connection, DbTransaction transaction, long ws, long runId, long now, long[] ids)
    {
        var args = new { ws, runId, ids, source = Source, record = Record(runId), now };
        var pg = connection is Npgsql.NpgsqlConnection;
        var only = SqlLists.In(connection, pg ? "c.id" : "customers.id", "ids");
        await connection.ExecuteAsync(pg
            ? $"""
               UPDATE customers c SET traits = (COALESCE(c.traits, '{"{}"}')::jsonb || jsonb_build_object('persona', 'p' || a.number))::text,
                   trait_sources = (COALESCE(c.trait_sources, '{"{}"}')::jsonb || jsonb_build_object('persona', jsonb_build_array(@source::text, @record::text, @now::bigint)))::text
               FROM persona_assignments a WHERE a.run_id = @runId AND a.customer_id = c.id AND c.workspace_id = @ws AND {only}
               """
            : $"""
               UPDATE customers SET traits = json_set(COALESCE(traits, '{"{}"}'), '$.persona', 'p' || a.number),
                   trait_sources = json_set(COALESCE(trait_sources, '{"{}"}'), '$.persona', json_array(@source, @record, @now))
               FROM persona_assignments a WHERE a.run_id = @runId AND a.customer_id = customers.id AND customers.workspace_id = @ws AND {only}
               """, args, transaction, commandTimeout: 600);
        await connection.ExecuteAsync(pg
            ? $"""
               UPDATE customers c SET traits = (c.traits::jsonb - 'persona')::text, trait_sources = (c.trait_sources::jsonb - 'persona')::text
               WHERE c.workspace_id = @ws AND {only} AND NOT EXISTS (SELECT 1 FROM persona_assignments a WHERE a.run_id = @runId AND a.customer_id = c.id)
               """
            : $"""
               UPDATE customers SET traits = json_remove(traits, '$.persona'), trait_sources = json_remove(trait_sources, '$.persona')
               WHERE workspace_id = @ws AND {only} AND NOT EXISTS (SELECT 1 FROM persona_assignments a WHERE a.run_id = @runId AND a.customer_id = customers.id)
               """, args, transaction, commandTimeout: 600);
    }

    /// <summary>Puts the persona back into traits survivorship recomputed from records (see the class summary for the rule).</summary>
    internal static async Task<IReadOnlyList<ProfileTraits>> KeepAsync(DbConnection connection, DbTransaction transaction, long ws, IReadOnlyList<ProfileTraits> profiles)
    {
        if (profiles.Count == 0 || await connection.QueryFirstOrDefaultAsync<CurrentRun>(
                "SELECT id AS Id, published_at AS PublishedAt FROM persona_runs WHERE workspace_id = @ws AND published_at IS NOT NULL ORDER BY published_at DESC, id DESC LIMIT 1",
                new { ws }, transaction) is not { } run)
        {
            return profiles;
        }

        var personas = new Dictionary<long, (long Number, double Distance, bool Own)>();
        foreach (var chunk in profiles.Select(p => p.CustomerId).Chunk(Chunk))
        {
            var args = new { ws, run = run.Id, ids = chunk };
            foreach (var row in await connection.QueryAsync<Assigned>(
                $"SELECT customer_id AS CustomerId, number AS Number, distance AS Distance FROM persona_assignments WHERE run_id = @run AND {SqlLists.In(connection, "customer_id", "ids")}",
                args, transaction))
            {
                personas[row.CustomerId] = (row.Number, row.Distance, true);
            }

            foreach (var row in await connection.QueryAsync<Assigned>(
                $"""
                SELECT r.customer_id AS CustomerId, a.number AS Number, a.distance AS Distance FROM customer_redirects r
                JOIN persona_assignments a ON a.run_id = @run AND a.customer_id = r.old_customer_id
                WHERE r.workspace_id = @ws AND {SqlLists.In(connection, "r.customer_id", "ids")}
                """,
                args, transaction))
            {
                if (!personas.TryGetValue(row.CustomerId, out var held) || (!held.Own && row.Distance < held.Distance))
                {
                    personas[row.CustomerId] = (row.Number, row.Distance, false);
                }
            }
        }

        return personas.Count == 0 ? profiles : [.. profiles.Select(p => personas.TryGetValue(p.CustomerId, out var persona) ? With(p, persona.Number, run) : p)];
    }

    private static ProfileTraits With(ProfileTraits profile, long number, CurrentRun run)
    {
        var traits = JsonNode.Parse(profile.Traits) as JsonObject ?? [];
        traits[PersonaStore.Trait] = "p" + number;
        var sources = JsonNode.Parse(profile.Sources) as JsonObject ?? [];
        sources[PersonaStore.Trait] = new JsonArray(Source, Record(run.Id), run.PublishedAt);
        return profile with { Traits = traits.ToJsonString(StoredJson.Options), Sources = sources.ToJsonString(StoredJson.Options) };
    }

    private static string Record(long runId) => $"run {runId}";

    private sealed class CurrentRun
    {
        public long Id { get; set; }

        public long PublishedAt { get; set; }
    }

    private sealed class Assigned
    {
        public long CustomerId { get; set; }

        public long Number { get; set; }

        public double Distance { get; set; }
    }
}
