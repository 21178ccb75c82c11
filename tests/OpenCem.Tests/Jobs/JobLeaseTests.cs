using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpenCem.Hosting;
using OpenCem.Operations.Jobs;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Jobs;

/// <summary>Two server processes on one database, played by two <see cref="JobLeases"/>: a job runs in one of them only.</summary>
public sealed class JobLeaseTests
{
    private static readonly JobLeaseOptions Options = new(TimeSpan.FromSeconds(15));

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ALease_IsHeldByOneProcess_UntilItRunsOutOrIsGivenBack(DatabaseKind kind)
    {
        await using var database = await MigratedAsync(kind);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var first = new JobLeases(database, Options, time, NullLogger<JobLeases>.Instance);
        var second = new JobLeases(database, Options, time, NullLogger<JobLeases>.Instance);
        Assert.NotEqual(first.Holder, second.Holder);

        Assert.True(await first.TryHoldAsync("RuleWorker", default));
        Assert.False(await second.TryHoldAsync("RuleWorker", default));
        Assert.True(await second.TryHoldAsync("CaseClock", default));

        // Renewed at 10 s, the lease holds to 25 s: still refused at 24 s, taken over at 26 s.
        time.Advance(TimeSpan.FromSeconds(10));
        await first.RenewAsync(default);
        time.Advance(TimeSpan.FromSeconds(14));
        Assert.False(await second.TryHoldAsync("RuleWorker", default));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await second.TryHoldAsync("RuleWorker", default));
        Assert.False(await first.TryHoldAsync("RuleWorker", default));

        var leases = await first.ListAsync(default);
        Assert.Equal(["CaseClock", "RuleWorker"], leases.Select(l => l.Job));
        Assert.All(leases, l => Assert.Equal(second.Holder, l.Holder));
        Assert.All(leases, l => Assert.False(l.ThisProcess));

        // A process that stops gives its leases back: the other takes them at once.
        await second.ReleaseAllAsync(default);
        Assert.True(await first.TryHoldAsync("RuleWorker", default));
        Assert.True(await first.TryHoldAsync("CaseClock", default));
        Assert.False(await second.TryHoldAsync("CaseClock", default));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task APassWorker_RunsPassesOnlyInTheProcessHoldingItsLease_AndResumesInTheOtherWhenThatOneStops(DatabaseKind kind)
    {
        await using var database = await MigratedAsync(kind);
        var firstLeases = new JobLeases(database, Options, TimeProvider.System, NullLogger<JobLeases>.Instance);
        var secondLeases = new JobLeases(database, Options, TimeProvider.System, NullLogger<JobLeases>.Instance);
        using var first = new CountingWorker();
        using var second = new CountingWorker();
        first.LeasedBy(firstLeases);
        second.LeasedBy(secondLeases);

        await first.StartAsync(default);
        await first.PassesReached(3);
        await second.StartAsync(default);
        await first.PassesReached(first.Passes + 5);
        Assert.Equal(0, second.Passes);

        await first.StopAsync(default);
        await firstLeases.ReleaseAllAsync(default);
        await second.PassesReached(3);
        var lease = Assert.Single(await secondLeases.ListAsync(default));
        Assert.Equal(("CountingWorker", secondLeases.Holder, true), (lease.Job, lease.Holder, lease.ThisProcess));
        await second.StopAsync(default);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("soon")]
    [InlineData("7200")]
    public void ALeaseTermOutsideOneSecondToAnHour_IsAConfigurationError(string seconds)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Jobs:LeaseSeconds"] = seconds }).Build();
        var error = Assert.Throws<ServerConfigurationException>(() => JobLeaseOptions.FromConfiguration(configuration));
        Assert.Contains("Jobs:LeaseSeconds", error.Message, StringComparison.Ordinal);
    }

    private static async Task<Database> MigratedAsync(DatabaseKind kind)
    {
        var database = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(database);
        return database;
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task TwoServersOnOneDatabase_ShareTheJobs_AndTheOneLeftTakesOverTheJobsOfTheOneThatStops(DatabaseKind kind)
    {
        var target = await TestDatabases.CreateAsync(kind);
        var first = await TestServer.StartAsync(kind, WithoutTextWorker, target);
        await using var second = await TestServer.StartAsync(kind, WithoutTextWorker, target);
        // PostgreSQL adds the job that keeps the partitions of a partitioned interactions table ahead.
        string[] jobs = ["CaseClock", "ChurnWorker", "ClvFitWorker", "JourneyProjector", "LadderProjector", .. kind == DatabaseKind.Postgres ? ["PartitionWorker"] : Array.Empty<string>(), "RetentionWorker", "RuleWorker"];

        var last = "";
        var both = await Eventually(async () =>
        {
            var answers = new[] { await JobsAsync(first), await JobsAsync(second) };
            last = System.Text.Json.JsonSerializer.Serialize(answers);
            return jobs.All(j => answers[0].Jobs.Any(l => l.Job == j && !l.Expired)) ? answers : null;
        }, () => last);
        Assert.NotEqual(both[0].Process, both[1].Process);
        foreach (var job in jobs)
        {
            // Each job runs in exactly one of the two, and both agree on which.
            var seen = both.Select(a => a.Jobs.Single(l => l.Job == job)).ToList();
            Assert.Equal(seen[0].Holder, seen[1].Holder);
            Assert.True(seen[0].ThisProcess ^ seen[1].ThisProcess, job);
        }

        var firstHeld = both[0].Jobs.Where(l => l.ThisProcess).Select(l => l.Job).ToList();
        await first.DisposeAsync();
        await Eventually(async () =>
        {
            var left = await JobsAsync(second);
            return jobs.All(j => left.Jobs.Any(l => l.Job == j && l.ThisProcess)) ? left : null;
        });
        Assert.All(firstHeld, j => Assert.Contains(j, jobs));
    }

    private static ServerOptions WithoutTextWorker(ServerOptions options) =>
        options with { Configuration = new Dictionary<string, string?> { ["Text:Worker"] = "false", ["Jobs:LeaseSeconds"] = "3" } };

    private static async Task<JobLeasesAnswer> JobsAsync(TestServer server) =>
        (await server.Admin.GetFromJsonAsync<JobLeasesAnswer>("/api/v1/operations/jobs"))!;

    private static async Task<T> Eventually<T>(Func<Task<T?>> read, Func<string>? describe = null)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (await read() is { } answer)
            {
                return answer;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the jobs did not settle within a minute: " + describe?.Invoke());
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A job whose passes only count, a few milliseconds apart.</summary>
    private sealed class CountingWorker : PassWorker
    {
        private int _passes;

        public int Passes => Volatile.Read(ref _passes);

        public async Task PassesReached(int passes)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Passes < passes)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{Passes} passes, expected {passes}");
                await Task.Delay(5);
            }
        }

        protected override Task ScheduledPassAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _passes);
            return Task.CompletedTask;
        }

        protected override Task WaitForNextPassAsync(CancellationToken cancellationToken) => Task.Delay(5, cancellationToken);

        protected override void PassFailed(Exception exception) => Assert.Fail(exception.ToString());
    }
}
