using System.Globalization;
using Truth = OpenCem.Demo.DemoTruths;

namespace OpenCem.Demo;

/// <summary>
/// The demo company's employees (one per <see cref="DemoTruths.CustomersPerEmployee"/> customers, at least 20) and
/// their anonymous answers to the quarterly employee pulse. Truth 10: loyalty differs by team, lowest in the call
/// centre; everyone's rises a little over the two years.
/// </summary>
internal static class DemoEmployees
{
    private static readonly (string Team, double Share)[] Teams =
        [("call-centre", 0.4), ("shops", 0.25), ("field-service", 0.2), ("back-office", 0.15)];

    public static List<DemoResponse> Responses(DemoOptions options)
    {
        var rng = new Random(options.Seed ^ 0x0E3B_0E3B);
        // Where people work and since when come from a generator of their own, so the answers drawn above stay as they were.
        var places = new Random(options.Seed ^ 0x10CA_7E0B);
        var asOf = options.ResolveAsOf();
        var start = DemoOptions.WindowStart(asOf);
        var count = Math.Max(20, options.Customers / Truth.CustomersPerEmployee);
        var answers = new AnswerWriter();
        var responses = new List<DemoResponse>();
        for (var employee = 0; employee < count; employee++)
        {
            var team = Team(rng.NextDouble());
            var language = rng.NextDouble() < 0.8 ? "de" : "en";
            var personal = Truth.TeamLoyalty[team] + DemoPeople.Gaussian(rng);
            var location = employee == 0 ? DemoTruths.LoneLocation : Location(places, team);
            var hired = start.AddDays(-places.Next(0, 12 * 365));
            for (var quarter = 0; ; quarter++)
            {
                var opens = start.AddMonths(1 + (3 * quarter));
                if (opens >= asOf)
                {
                    break;
                }

                var at = opens.AddHours((rng.NextDouble() * 10 * 24) + 8);
                if (rng.NextDouble() >= Truth.EmployeeResponseRate || at >= asOf)
                {
                    continue;
                }

                var latent = personal + (0.08 * quarter);
                var enps = Whole(latent + (0.9 * DemoPeople.Gaussian(rng)), 0, 10);
                answers.Start().Text("team", team).Text("location", location).Text("tenure", TenureBand(hired, at)).Number("enps", enps)
                    .Number("tools", Whole(3 + (0.45 * (latent - 7)) + (0.7 * DemoPeople.Gaussian(rng)), 1, 5))
                    .Number("empowerment", Whole(3 + (0.45 * (latent - 7)) + (team == "call-centre" ? -0.5 : 0.3) + (0.7 * DemoPeople.Gaussian(rng)), 1, 5));
                if (rng.NextDouble() < 0.35)
                {
                    var tone = enps <= 4 ? -2 : enps <= 6 ? -1 : enps <= 8 ? 0 : enps - 8;
                    answers.Text("comment", Comment(rng, language, team, tone));
                }

                responses.Add(new DemoResponse(
                    DemoSurveys.EmployeePulse, string.Create(CultureInfo.InvariantCulture, $"demo-{options.Seed}-pulse-{quarter}-{places.NextInt64():x16}"),
                    null, language, at, answers.End()));
            }
        }

        return responses;
    }

    private static string Comment(Random rng, string language, string team, int tone)
    {
        Theme[] complaints = team == "call-centre" ? [Theme.Workload, Theme.Tools, Theme.Leadership] : [Theme.Training, Theme.Leadership, Theme.Tools];
        Theme[] praise = [Theme.TeamSpirit, Theme.Leadership, Theme.Training, Theme.Workload];
        var positive = tone > 0 || (tone == 0 && rng.NextDouble() < 0.5);
        var pool = positive ? praise : complaints;
        var first = new Mention(pool[rng.Next(pool.Length)], positive);
        Mention? second = null;
        if (tone == 0 || rng.NextDouble() < 0.3)
        {
            var otherPool = tone == 0 ? (positive ? complaints : praise) : pool;
            var other = otherPool[rng.Next(otherPool.Length)];
            second = other == first.Theme ? null : new Mention(other, tone == 0 ? !positive : positive);
        }

        return DemoComments.Compose(rng, language, first, second, tone);
    }

    /// <summary>Call-centre staff sit in the two service centres, back office at head office; shops and field service are everywhere.</summary>
    private static string Location(Random places, string team) => team switch
    {
        "call-centre" => places.NextDouble() < 0.6 ? "innsbruck" : "vienna",
        "back-office" => "innsbruck",
        _ => Locations[places.Next(Locations.Length)],
    };

    private static readonly string[] Locations = ["innsbruck", "vienna", "munich", "zurich"];

    private static string TenureBand(DateTimeOffset hired, DateTimeOffset at) => ((at - hired).TotalDays / 365.25) switch
    {
        < 1 => "under-1y",
        < 3 => "1-3y",
        < 8 => "3-8y",
        _ => "8y-plus",
    };

    private static string Team(double draw)
    {
        foreach (var (team, share) in Teams)
        {
            draw -= share;
            if (draw < 0)
            {
                return team;
            }
        }

        return Teams[^1].Team;
    }

    private static int Whole(double value, int min, int max) => (int)Math.Clamp(Math.Round(value), min, max);
}
