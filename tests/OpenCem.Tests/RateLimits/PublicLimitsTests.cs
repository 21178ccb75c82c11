using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using OpenCem.Hosting;
using OpenCem.Operations.RateLimits;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.RateLimits;

/// <summary>Rate limits of the public endpoints: 429 with Retry-After, what was accepted before is kept, the management API is never limited.</summary>
public sealed class PublicLimitsTests
{
    private static Task<TestServer> StartAsync(DatabaseKind kind, params (string Key, string Value)[] limits) =>
        TestServer.StartAsync(kind, options => options with { Configuration = limits.ToDictionary(l => "RateLimits:" + l.Key, l => (string?)l.Value) });

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Tracking_OverThePerKeyLimit_Gets429WithRetryAfter_AcceptedEventsAreAllStored(DatabaseKind kind)
    {
        await using var server = await StartAsync(kind, ("TrackingPerKeyPerSecond", "5"), ("TrackingPerAddressPerSecond", "0"));
        var accepted = 0;
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 30; i++)
        {
            var response = await server.PostJsonAsync("/v1/track", $$"""{"userId":"u1","event":"Bill Viewed","messageId":"m-{{i}}"}""");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                accepted++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
                refused ??= response;
            }
        }

        Assert.NotNull(refused);
        Assert.InRange(accepted, 5, 29);
        Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Contains("tracking API", problem.GetProperty("detail").GetString());
        Assert.Equal(accepted, (await server.StatsAsync()).Interactions);

        // Another key has its own bucket.
        var workspace = await server.Service<WorkspaceStore>().EnsureDefaultAsync();
        var otherKey = await server.Service<ApiKeyStore>().CreateAsync(workspace.Id, "second-site", ApiKeyKind.Write);
        using var other = new HttpClient { BaseAddress = server.BaseAddress };
        other.DefaultRequestHeaders.Authorization = TestServer.Basic(otherKey.Secret);
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/v1/track", """{"userId":"u2","event":"Bill Viewed","messageId":"x-1"}""", other)).StatusCode);
    }

    [Fact]
    public async Task Tracking_ManyKeysFromOneAddress_HitThePerAddressLimit()
    {
        await using var server = await StartAsync(DatabaseKind.Sqlite, ("TrackingPerKeyPerSecond", "0"), ("TrackingPerAddressPerSecond", "4"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var client = new HttpClient { BaseAddress = server.BaseAddress };
            client.DefaultRequestHeaders.Authorization = TestServer.Basic($"invented-key-{i}");
            statuses.Add((await server.PostJsonAsync("/v1/track", """{"userId":"u1","event":"A"}""", client)).StatusCode);
        }

        Assert.Contains(HttpStatusCode.Unauthorized, statuses);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task RespondentPagesAndIntercept_PerAddress_ManagementApiNeverLimited()
    {
        await using var server = await StartAsync(DatabaseKind.Sqlite, ("RespondentPerAddressPerMinute", "3"), ("InterceptPerAddressPerMinute", "2"));
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        var pages = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            pages.Add((await anonymous.GetAsync($"/s/not-a-token-{i}")).StatusCode);
        }

        Assert.Equal(3, pages.Count(s => s != HttpStatusCode.TooManyRequests));
        Assert.Equal(3, pages.Count(s => s == HttpStatusCode.TooManyRequests));

        var intercepts = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            intercepts.Add((await server.PostJsonAsync("/intercept/v1/eligibility", """{"survey":1,"anonymousId":"a"}""")).StatusCode);
        }

        Assert.Equal(3, intercepts.Count(s => s == HttpStatusCode.TooManyRequests));

        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Admin.GetAsync("/api/v1/stats")).StatusCode);
        }
    }

    [Fact]
    public void Configuration_NegativeLimit_IsAClearError()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RateLimits:RespondentPerAddressPerMinute"] = "-1" }).Build();

        var error = Assert.Throws<ServerConfigurationException>(() => PublicLimitOptions.FromConfiguration(configuration));

        Assert.Contains("RateLimits:RespondentPerAddressPerMinute", error.Message);
    }

    [Theory]
    [InlineData("POST", "/v1/batch", PublicEndpoint.Tracking)]
    [InlineData("GET", "/v1/batch", PublicEndpoint.None)]
    [InlineData("POST", "/intercept/v1/responses", PublicEndpoint.Intercept)]
    [InlineData("GET", "/s/abc", PublicEndpoint.RespondentPage)]
    [InlineData("POST", "/s/abc", PublicEndpoint.RespondentPage)]
    [InlineData("POST", "/api/v1/surveys", PublicEndpoint.None)]
    [InlineData("GET", "/surveys", PublicEndpoint.None)]
    public void Classify_KnowsThePublicEndpoints(string method, string path, PublicEndpoint expected)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;

        Assert.Equal(expected, PublicEndpointLimiter.Classify(context.Request));
    }
}
