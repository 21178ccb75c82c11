using Dapper;
using OpenCem.Customers;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Customers;

/// <summary>The customer 360's timeline: five tables merged newest first, keyset pages that neither skip nor repeat.</summary>
public sealed class CustomerHistoryTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task PageAsync_EverythingOfOneCustomer_MergedNewestFirstAndPagedWithoutGapsOrRepeats(DatabaseKind kind)
    {
        await using var database = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(database);
        var ws = (await new WorkspaceStore(database).EnsureDefaultAsync()).Id;
        await using (var connection = await database.OpenAsync())
        {
            var customer = await InsertCustomerAsync(connection, ws);
            var other = await InsertCustomerAsync(connection, ws);
            // Interactions at 1000..5000, one at the same instant as the response, a purchase, a signal, a case; and the other customer's interaction.
            for (var i = 1; i <= 5; i++)
            {
                await connection.ExecuteAsync(
                    "INSERT INTO interactions (workspace_id, message_id, client_ts, customer_id, type, event, occurred_at, received_at, outcome) VALUES (@ws, @m, 0, @customer, 'track', @e, @at, @at, 'success')",
                    new { ws, m = $"m{i}", customer, e = $"Event {i}", at = i * 1000L });
            }

            await connection.ExecuteAsync(
                "INSERT INTO interactions (workspace_id, message_id, client_ts, customer_id, type, event, occurred_at, received_at) VALUES (@ws, 'x', 0, @other, 'track', 'Not hers', 2500, 2500)",
                new { ws, other });
            await connection.ExecuteAsync(
                "INSERT INTO transactions (workspace_id, customer_id, occurred_at, amount, source, external_key, created_at) VALUES (@ws, @customer, 2500, 49.9, 'shop', 'T1', 0)",
                new { ws, customer });
            await connection.ExecuteAsync(
                """
                INSERT INTO survey_responses (workspace_id, survey_id, customer_id, source, status, answers, nps, comment, submitted_at, created_at, updated_at)
                VALUES (@ws, 1, @customer, 'api', 'completed', '{}', 3, 'The <script>bill</script> was wrong', 3000, 0, 0)
                """,
                new { ws, customer });
            await connection.ExecuteAsync(
                "INSERT INTO signals (workspace_id, source, customer_id, text, rating, occurred_at, received_at) VALUES (@ws, 'review', @customer, 'Slow line', 2, 3500, 3500)",
                new { ws, customer });
            await connection.ExecuteAsync(
                "INSERT INTO cases (workspace_id, customer_id, title, status, team, created_at, updated_at) VALUES (@ws, @customer, 'Call back', 'new', 'billing', 3000, 3000)",
                new { ws, customer });
            await connection.ExecuteAsync(
                "INSERT INTO customer_tags (workspace_id, customer_id, tag, created_at) VALUES (@ws, @customer, 'vip', 0), (@ws, @customer, 'at-risk', 0)",
                new { ws, customer });

            var history = new CustomerHistory(database);
            var seen = new List<HistoryEntry>();
            string? cursor = null;
            var pages = 0;
            do
            {
                var page = await history.PageAsync(ws, customer, cursor, 3);
                Assert.True(page.Items.Count <= 3);
                seen.AddRange(page.Items);
                cursor = page.NextCursor;
                pages++;
            }
            while (cursor is not null && pages < 10);

            Assert.Equal(9, seen.Count);
            Assert.Equal(seen.Count, seen.Select(e => (e.Kind, e.Id)).Distinct().Count());
            Assert.Equal(seen.OrderByDescending(e => e.At).Select(e => e.At), seen.Select(e => e.At));
            Assert.Equal("Event 5", seen[0].Name);
            // At 3000 the case, the response and the interaction share the instant: case, response, interaction.
            Assert.Equal([HistoryKind.Case, HistoryKind.Response, HistoryKind.Interaction], seen.Where(e => e.At.ToUnixTimeMilliseconds() == 3000).Select(e => e.Kind));
            var response = seen.Single(e => e.Kind == HistoryKind.Response);
            Assert.Equal(3, response.Nps);
            Assert.Equal("The <script>bill</script> was wrong", response.Text);
            Assert.Equal(49.9, seen.Single(e => e.Kind == HistoryKind.Purchase).Amount);
            Assert.Equal("billing", seen.Single(e => e.Kind == HistoryKind.Case).Team);
            Assert.DoesNotContain(seen, e => e.Name == "Not hers");
            Assert.Equal(["at-risk", "vip"], await history.TagsAsync(ws, customer));

            // A cursor that is not one starts from the newest.
            Assert.Equal("Event 5", (await history.PageAsync(ws, customer, "not-a-cursor", 1)).Items.Single().Name);
        }
    }

    private static async Task<long> InsertCustomerAsync(System.Data.Common.DbConnection connection, long ws) =>
        await connection.ExecuteScalarAsync<long>("INSERT INTO customers (workspace_id, created_at, updated_at) VALUES (@ws, 0, 0) RETURNING id", new { ws });
}
