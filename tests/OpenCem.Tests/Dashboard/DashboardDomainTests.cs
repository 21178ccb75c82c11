using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using OpenCem.Dashboard;
using OpenCem.Dashboard.Components;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

/// <summary>The pure parts of the dashboard: roles, masking, filters, single sign-on configuration, redirects.</summary>
public sealed class DashboardDomainTests
{
    [Theory]
    [InlineData(DashboardRoles.Admin, DashboardPermission.ManageSettings, true)]
    [InlineData(DashboardRoles.Analyst, DashboardPermission.EditAnalytics, true)]
    [InlineData(DashboardRoles.Analyst, DashboardPermission.ManageSettings, false)]
    [InlineData(DashboardRoles.Agent, DashboardPermission.WorkCases, true)]
    [InlineData(DashboardRoles.Agent, DashboardPermission.EditAnalytics, false)]
    [InlineData(DashboardRoles.Viewer, DashboardPermission.View, true)]
    [InlineData(DashboardRoles.Viewer, DashboardPermission.WorkCases, false)]
    [InlineData(DashboardRoles.Viewer, DashboardPermission.EditAnalytics, false)]
    [InlineData(DashboardRoles.Viewer, DashboardPermission.ManageSettings, false)]
    public void Can_RoleAndPermission_FollowsTheTable(string role, DashboardPermission permission, bool allowed) =>
        Assert.Equal(allowed, DashboardRoles.Can(role, permission));

    [Theory]
    [InlineData(DashboardRoles.Admin, null, PersonalDataScope.All)]
    [InlineData(DashboardRoles.Analyst, null, PersonalDataScope.All)]
    [InlineData(DashboardRoles.Agent, null, PersonalDataScope.TeamCases)]
    [InlineData(DashboardRoles.Viewer, null, PersonalDataScope.None)]
    [InlineData(DashboardRoles.Viewer, "all", PersonalDataScope.All)]
    [InlineData(DashboardRoles.Analyst, "none", PersonalDataScope.None)]
    public void PersonalData_RoleDefaultOrOverride(string role, string? personalDataOverride, PersonalDataScope expected) =>
        Assert.Equal(expected, DashboardRoles.PersonalData(role, personalDataOverride));

    [Fact]
    public void Mask_FreeText_MasksEmailsAndPhonesButKeepsTheRest()
    {
        var masked = PersonalDataMask.Text("Call me on +49 (0)30 1234-5678 or write ana.schmidt@example.com, order 12 of 2025.");

        Assert.DoesNotContain("ana.schmidt", masked);
        Assert.DoesNotContain("1234-5678", masked);
        Assert.Contains("•••@example.com", masked);
        Assert.Contains("•••78", masked);
        Assert.Contains("order 12 of 2025", masked);
    }

    [Fact]
    public void Mask_NameEmailPhone_KeepJustEnoughToTellApart()
    {
        Assert.Equal("A•••", PersonalDataMask.Name("Ana Schmidt"));
        Assert.Equal("•••@example.com", PersonalDataMask.Email("ana@example.com"));
        Assert.Equal("•••67", PersonalDataMask.Phone("+41 79 123 45 67"));
    }

    [Fact]
    public void CurrentUser_Agent_SeesPersonalDataOnlyBehindTheirTeamsCases()
    {
        var agent = User(DashboardRoles.Agent, team: "billing");

        Assert.Equal("billing", agent.CaseTeam);
        Assert.Equal("•••@example.com", agent.MaskEmail("ana@example.com"));
        Assert.Equal("ana@example.com", agent.MaskEmail("ana@example.com", behindTeamCase: true));
        Assert.Null(User(DashboardRoles.Analyst).CaseTeam);
        Assert.Equal("write to •••@example.com", User(DashboardRoles.Viewer).Mask("write to ana@example.com"));
    }

    [Fact]
    public void CurrentUser_FromClaims_RoundTripsAndRejectsStrangers()
    {
        var user = new DashboardUser { Id = 7, WorkspaceId = 3, Email = "a@example.com", Role = DashboardRoles.Agent, Team = "care", Language = "de" };
        var identity = new ClaimsIdentity(CurrentUser.Claims(user).Append(new Claim(ClaimTypes.NameIdentifier, "7")).Append(new Claim(ClaimTypes.Email, user.Email)), "test");

        var current = CurrentUser.From(new ClaimsPrincipal(identity));

        Assert.Equal(new CurrentUser(7, 3, "a@example.com", DashboardRoles.Agent, "care", PersonalDataScope.TeamCases, "de"), current);
        Assert.Null(CurrentUser.From(new ClaimsPrincipal(new ClaimsIdentity())));
    }

    [Fact]
    public void Filters_FromQuery_ParseKnownValuesAndIgnoreBadOnes()
    {
        var filters = DashboardFilters.From(new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
        {
            ["period"] = "month",
            ["survey"] = "12",
            ["channel"] = "web",
            ["segment"] = "at risk",
            ["trait"] = "plan:fibre",
            ["touchpoint"] = "",
        }));

        Assert.Equal(new DashboardFilters(DashboardPeriod.Month, 12, null, "web", "at risk", "plan", "fibre"), filters);
        Assert.Equal(["channel", "lifecycleStage", "trait.plan"], filters.MetricFilters().Select(f => f.Dimension));
        Assert.Equal(DashboardFilters.Default, DashboardFilters.From(new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
        {
            ["period"] = "7",
            ["survey"] = "-1",
            ["trait"] = ":x",
        })));
    }

    [Fact]
    public void Filters_Window_StartsAtTheCurrentPeriod()
    {
        var now = new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

        var (from, to) = (DashboardFilters.Default with { Period = DashboardPeriod.Quarter }).Window(now);

        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), from);
        Assert.Equal(now.ToUnixTimeMilliseconds(), to);
    }

    [Fact]
    public void Oidc_NotConfigured_IsOff()
    {
        Assert.Null(OidcSignInOptions.FromConfiguration(Configuration([])));
        Assert.Null(OidcSignInOptions.FromConfiguration(Configuration(new() { ["Oidc:Authority"] = "https://login.example.com" })));
    }

    [Fact]
    public void Oidc_Configured_BindsAndMapsTheRoleClaim()
    {
        var options = OidcSignInOptions.FromConfiguration(Configuration(new()
        {
            ["Oidc:Authority"] = "https://login.example.com/tenant",
            ["Oidc:ClientId"] = "opencem",
            ["Oidc:ClientSecret"] = "s3cret",
            ["Oidc:RoleClaim"] = "groups",
            ["Oidc:Roles:admin"] = "CX-Admins",
            ["Oidc:Roles:agent"] = "CX-Agents",
        }))!;

        Assert.Equal("opencem", options.ClientId);
        Assert.Equal("groups", options.RoleClaim);
        Assert.Equal("email", options.EmailClaim);
        Assert.Equal(DashboardRoles.Admin, options.RoleOf(["CX-Agents", "cx-admins"]));
        Assert.Equal(DashboardRoles.Agent, options.RoleOf(["CX-Agents"]));
        Assert.Equal(DashboardRoles.Viewer, options.RoleOf(["Viewer"]));
        Assert.Null(options.RoleOf(["Sales"]));
    }

    [Fact]
    public void Oidc_PlainHttpAuthority_IsAConfigurationError() =>
        Assert.Throws<InvalidOperationException>(() => OidcSignInOptions.FromConfiguration(Configuration(new()
        {
            ["Oidc:Authority"] = "http://login.example.com",
            ["Oidc:ClientId"] = "opencem",
        })));

    [Theory]
    [InlineData("/cases?team=billing", "/cases?team=billing")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example", "/")]
    [InlineData(null, "/")]
    public void LocalUrl_OnlyPathsOnThisSite(string? url, string expected) => Assert.Equal(expected, DashboardSetup.LocalUrl(url));

    [Fact]
    public void Culture_German_FormatsNumbersAndDatesTheGermanWay()
    {
        Assert.Equal("1.234,5", 1234.5.ToString("N1", DashboardCulture.German));
        Assert.Equal("24.11.2026", new DateTime(2026, 11, 24).ToString("d", DashboardCulture.German));
        Assert.Equal("1,234.5", 1234.5.ToString("N1", DashboardCulture.English));
    }

    private static CurrentUser User(string role, string? team = null) =>
        new(1, 1, "u@example.com", role, team, DashboardRoles.DefaultPersonalData(role), null);

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
