using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using OpenCem.Actions.Cases;
using OpenCem.Dashboard;
using OpenCem.Dashboard.Cases;
using OpenCem.Dashboard.Customers;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

/// <summary>The pure logic behind the Cases and Customers pages: SLA clocks in words, queue filters, masking of traits.</summary>
public sealed class WorkPagesLogicTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(130, false, "resolution: 2 h 10 min left", SlaState.Running)]
    [InlineData(130, true, "Lösung: noch 2 h 10 min", SlaState.Running)]
    [InlineData(35, false, "resolution: 35 min left", SlaState.Soon)]
    [InlineData(3 * 1440 + 4 * 60 + 5, false, "resolution: 3 d 4 h left", SlaState.Running)]
    [InlineData(3 * 1440 + 4 * 60 + 5, true, "Lösung: noch 3 T 4 h", SlaState.Running)]
    public void Describe_Running_SaysTimeLeft(int minutesLeft, bool german, string expected, SlaState state)
    {
        var clock = new SlaClock("resolution", Now.AddMinutes(minutesLeft), minutesLeft, false, null);
        Assert.Equal((state, expected), SlaClockText.Describe(clock, Now, german));
    }

    [Fact]
    public void Describe_Breached_SaysHowLongAgo()
    {
        var clock = new SlaClock("resolution", Now.AddMinutes(-40), -40, true, Now.AddMinutes(-35));
        Assert.Equal((SlaState.Breached, "breached 35 min ago"), SlaClockText.Describe(clock, Now, german: false));
        Assert.Equal((SlaState.Breached, "überschritten vor 35 min"), SlaClockText.Describe(clock, Now, german: true));
    }

    [Fact]
    public void Describe_DuePassedButNotYetMarked_IsBreachedSinceDue()
    {
        var clock = new SlaClock("first_response", Now.AddHours(-2), -120, true, null);
        Assert.Equal((SlaState.Breached, "breached 2 h ago"), SlaClockText.Describe(clock, Now, german: false));
    }

    [Fact]
    public void Describe_FirstResponseDue_NamesTheDeadline()
    {
        var clock = new SlaClock("first_response", Now.AddSeconds(20), 0.3, false, null);
        Assert.Equal((SlaState.Soon, "first response: under 1 min left"), SlaClockText.Describe(clock, Now, german: false));
    }

    [Fact]
    public void Describe_NoClock_SaysSo()
    {
        Assert.Equal((SlaState.None, "no clock running"), SlaClockText.Describe(new SlaClock(null, null, null, false, null), Now, german: false));
    }

    [Fact]
    public void From_QueryString_ReadsFiltersAndDropsUnknownValues()
    {
        var filters = CaseQueueFilters.From(Query(("status", "in_progress"), ("priority", "bogus"), ("team", " billing "), ("breached", "true"), ("touchpoint", "bill-online"), ("after", "120"), ("mine", "true")));
        Assert.Equal(new CaseQueueFilters(CaseStatuses.InProgress, "billing", null, null, true, "bill-online", true, 120), filters);

        var odd = CaseQueueFilters.From(Query(("status", "<script>"), ("breached", "maybe"), ("after", "-3"), ("owner", new string('x', 300))));
        Assert.Equal(new CaseQueueFilters(null, null, null, null, null, null, false, null), odd);
    }

    [Fact]
    public void ToQuery_Agent_TeamIsAlwaysTheirsAndMineIsTheirOwnerKey()
    {
        var agent = User(DashboardRoles.Agent, "billing");
        var asked = CaseQueueFilters.From(Query(("team", "care"), ("owner", "sara"), ("mine", "true")));
        var query = asked.ToQuery(agent.CaseTeam, CaseQueueFilters.OwnerKey(agent), touchpointId: 7);
        Assert.Equal("billing", query.Team);
        Assert.Equal("agent@demo.opencem.test", query.Owner);
        Assert.Equal(7, query.TouchpointId);

        var admin = User(DashboardRoles.Admin, null);
        var all = CaseQueueFilters.From(Query(("team", "care"), ("owner", "sara"))).ToQuery(admin.CaseTeam, CaseQueueFilters.OwnerKey(admin), null);
        Assert.Equal(("care", "sara"), (all.Team, all.Owner));
    }

    [Theory]
    [InlineData("name", PersonalField.Name)]
    [InlineData("firstName", PersonalField.Name)]
    [InlineData("email", PersonalField.Email)]
    [InlineData("workEmail", PersonalField.Email)]
    [InlineData("phone", PersonalField.Phone)]
    [InlineData("mobileNumber", PersonalField.Phone)]
    [InlineData("streetAddress", PersonalField.Private)]
    [InlineData("birthDate", PersonalField.Private)]
    [InlineData("plan", PersonalField.None)]
    [InlineData("customerNumber", PersonalField.Code)]
    [InlineData("userId", PersonalField.Code)]
    [InlineData("username", PersonalField.None)]
    public void Kind_TraitName_IsJudgedByName(string name, PersonalField kind) => Assert.Equal(kind, CustomerMasking.Kind(name));

    [Fact]
    public void Value_WithoutPermission_MasksPersonalTraitsAndTextInside()
    {
        var viewer = User(DashboardRoles.Viewer, null);
        Assert.Equal("A•••", CustomerMasking.Value(viewer, "name", "Anna Schmidt", behindTeamCase: false));
        Assert.Equal("•••@example.com", CustomerMasking.Value(viewer, "email", "anna@example.com", false));
        Assert.Equal("•••67", CustomerMasking.Value(viewer, "phone", "+49 89 1234567", false));
        Assert.Equal("•••", CustomerMasking.Value(viewer, "address", "Hauptstraße 1", false));
        Assert.Equal("fibre", CustomerMasking.Value(viewer, "plan", "fibre", false));
        Assert.Equal("call •••@example.com", CustomerMasking.Value(viewer, "remark", "call anna@example.com", false));
        Assert.Equal("•••@example.com", CustomerMasking.Identifier(viewer, "email", "anna@example.com", false));
        Assert.Equal("K1000000", CustomerMasking.Identifier(viewer, "customerNumber", "K1000000", false));
        Assert.Equal("•••@example.com", CustomerMasking.Identifier(viewer, "userId", "anna@example.com", false));
        Assert.Equal("call •••67", CustomerMasking.Value(viewer, "remark", "call +49 89 1234567", false));
    }

    [Fact]
    public void Value_AgentBehindTeamCase_SeesPersonalDataOnlyThere()
    {
        var agent = User(DashboardRoles.Agent, "billing");
        Assert.Equal("Anna Schmidt", CustomerMasking.Value(agent, "name", "Anna Schmidt", behindTeamCase: true));
        Assert.Equal("A•••", CustomerMasking.Value(agent, "name", "Anna Schmidt", behindTeamCase: false));
        Assert.Equal("Anna Schmidt", CustomerMasking.Value(User(DashboardRoles.Admin, null), "name", "Anna Schmidt", behindTeamCase: false));
    }

    [Fact]
    public void MayWork_ByRoleAndTeam()
    {
        var billingCase = SampleCase("billing");
        Assert.True(CasePageReader.MayWork(User(DashboardRoles.Admin, null), billingCase));
        Assert.True(CasePageReader.MayWork(User(DashboardRoles.Agent, "billing"), billingCase));
        Assert.False(CasePageReader.MayWork(User(DashboardRoles.Agent, "care"), billingCase));
        Assert.False(CasePageReader.MaySee(User(DashboardRoles.Agent, "care"), billingCase));
        Assert.True(CasePageReader.MaySee(User(DashboardRoles.Viewer, null), billingCase));
        Assert.False(CasePageReader.MayWork(User(DashboardRoles.Viewer, null), billingCase));
        Assert.False(CasePageReader.MayWork(User(DashboardRoles.Analyst, null), billingCase));
    }

    private static CurrentUser User(string role, string? team) =>
        new(1, 1, $"{role}@demo.opencem.test", role, team, DashboardRoles.DefaultPersonalData(role), null);

    private static CaseView SampleCase(string team) => new(
        1, "Call back", CaseStatuses.New, CasePriorities.Normal, team, null, null, null, null, null, null, null, null, null, 0, Now, Now, null, null, null,
        null, null, null, null, null, null, null, new SlaClock(null, null, null, false, null));

    private static QueryCollection Query(params (string Key, string Value)[] pairs) =>
        new(pairs.ToDictionary(p => p.Key, p => new StringValues(p.Value)));
}
