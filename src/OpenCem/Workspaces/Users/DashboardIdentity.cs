using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace OpenCem.Workspaces.Users;

/// <summary>ASP.NET Core Identity for dashboard users, the same for the server and the CLI: the Dapper store, the password and lockout rules.</summary>
public static class DashboardIdentity
{
    /// <summary>Failed sign-ins in a row before the account locks.</summary>
    public const int MaxFailedAttempts = 5;

    public const int MinimumPasswordLength = 12;

    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public static IdentityBuilder AddDashboardIdentityCore(this IServiceCollection services)
    {
        services.AddScoped<DashboardUserStore>();
        // One store per scope, whichever way it is asked for: the sign-in page and the directory set its workspace.
        services.AddScoped<IUserStore<DashboardUser>>(sp => sp.GetRequiredService<DashboardUserStore>());
        services.AddScoped<UserDirectory>();
        return services.AddIdentityCore<DashboardUser>(options =>
        {
            // Length over composition rules (NIST SP 800-63B): a long passphrase is allowed, a short "Passw0rd!" is not.
            options.Password.RequiredLength = MinimumPasswordLength;
            options.Password.RequireDigit = false;
            options.Password.RequireLowercase = false;
            options.Password.RequireUppercase = false;
            options.Password.RequireNonAlphanumeric = false;
            options.Password.RequiredUniqueChars = 4;
            options.Lockout.MaxFailedAccessAttempts = MaxFailedAttempts;
            options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
            options.Lockout.AllowedForNewUsers = true;
            options.User.AllowedUserNameCharacters = "";
        });
    }
}

/// <summary>The users of a database outside the server (the CLI, the demo loader): Identity on its own small container.</summary>
public sealed class StandaloneUsers : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly AsyncServiceScope _scope;

    public StandaloneUsers(Storage.Database database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(database);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<WorkspaceStore>();
        services.AddDashboardIdentityCore();
        _services = services.BuildServiceProvider();
        _scope = _services.CreateAsyncScope();
        Directory = _scope.ServiceProvider.GetRequiredService<UserDirectory>();
    }

    public UserDirectory Directory { get; }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
    }
}
