using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenCem.Hosting;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Hosting;

/// <summary>A real OpenCem server on a free loopback port over a fresh (already migrated) database of the asked kind.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(WebApplication app, DatabaseTarget target, Uri baseAddress, string adminKey, string writeKey)
    {
        App = app;
        Target = target;
        BaseAddress = baseAddress;
        AdminKey = adminKey;
        WriteKey = writeKey;
        Admin = new HttpClient { BaseAddress = baseAddress };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        Tracking = new HttpClient { BaseAddress = baseAddress };
        Tracking.DefaultRequestHeaders.Authorization = Basic(writeKey);
    }

    public WebApplication App { get; }

    public DatabaseTarget Target { get; }

    public Uri BaseAddress { get; }

    public string AdminKey { get; }

    public string WriteKey { get; }

    /// <summary>A client with the admin key as Bearer token.</summary>
    public HttpClient Admin { get; }

    /// <summary>A client with the write key as HTTP Basic user name, as Segment clients send it.</summary>
    public HttpClient Tracking { get; }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static AuthenticationHeaderValue Basic(string key) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));

    public static Task<TestServer> StartAsync(DatabaseKind kind, DatabaseTarget? target = null) => StartAsync(kind, options => options, target);

    /// <summary>
    /// A server with options of the test's choosing, e.g. <c>options =&gt; options with { Smtp = sink.Options(), Time = fake }</c>
    /// (<see cref="ServerOptions.Configuration"/> for keys such as <c>Surveys:DispatchIntervalSeconds</c>).
    /// </summary>
    public static async Task<TestServer> StartAsync(DatabaseKind kind, Func<ServerOptions, ServerOptions> configure, DatabaseTarget? target = null)
    {
        // A fresh database the server need not migrate: the result is the same as migrating an empty one, a second sooner.
        target ??= await TestDatabases.CreateMigratedAsync(kind);
        var app = await OpenCemServer.CreateAsync(configure(new ServerOptions(target, "http://127.0.0.1:0") { LogLevel = LogLevel.Warning }));
        await app.StartAsync();
        var address = new Uri(OpenCemServer.Addresses(app).First());
        var workspace = await app.Services.GetRequiredService<WorkspaceStore>().EnsureDefaultAsync();
        var keys = app.Services.GetRequiredService<ApiKeyStore>();
        var admin = await keys.CreateAsync(workspace.Id, "test-admin", ApiKeyKind.Admin);
        var write = await keys.CreateAsync(workspace.Id, "test-write", ApiKeyKind.Write);
        return new TestServer(app, target, address, admin.Secret, write.Secret);
    }

    public async Task<HttpResponseMessage> PostJsonAsync(string path, string json, HttpClient? client = null) =>
        await (client ?? Tracking).PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<Operations.WorkspaceStats> StatsAsync() =>
        (await Admin.GetFromJsonAsync<Operations.WorkspaceStats>("/api/v1/stats"))!;

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Tracking.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
