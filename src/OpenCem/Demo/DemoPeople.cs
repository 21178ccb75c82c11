using System.Globalization;

namespace OpenCem.Demo;

/// <summary>Who a demo customer is: name, contact details, plan, region and latent experience.</summary>
internal sealed class CustomerFacts
{
    public int Index;
    public string UserId = "";
    public string CustomerNumber = "";
    public string Name = "";
    public string Email = "";
    public string Phone = "";
    public string Plan = "";
    public string LineOfBusiness = "";
    public string Region = "";
    public string Country = "";
    public string Currency = "";
    public string Language = "";
    public double MonthlyFee;
    public DateTimeOffset CustomerSince;
    public bool JoinedInWindow;
    public bool UsesApp;
    public string? AppContext;
    public bool HasFixedLine;

    /// <summary>The planted segment (<see cref="DemoPersonas"/>), drawn first; never stored.</summary>
    public DemoPersona Persona = DemoPersonas.All[0];

    /// <summary>Probability that one router setup attempt fails.</summary>
    public double SetupFailure;

    // Latent experience, standard normal: fault repair, billing, self-service, staff service, personal disposition.
    public double FaultQuality;
    public double BillingQuality;
    public double SelfServiceQuality;
    public double ServiceQuality;
    public double Disposition;
}

internal static class DemoPeople
{
    private static readonly (string Display, string Ascii)[] FirstNames =
    [
        ("Anna", "anna"), ("Lena", "lena"), ("Sophie", "sophie"), ("Marie", "marie"), ("Laura", "laura"),
        ("Julia", "julia"), ("Sarah", "sarah"), ("Lea", "lea"), ("Hannah", "hannah"), ("Emma", "emma"),
        ("Mia", "mia"), ("Katharina", "katharina"), ("Elif", "elif"), ("Jana", "jana"), ("Petra", "petra"),
        ("Sabine", "sabine"), ("Chloé", "chloe"), ("Lukas", "lukas"), ("Jonas", "jonas"), ("Leon", "leon"),
        ("Felix", "felix"), ("Maximilian", "maximilian"), ("Paul", "paul"), ("Thomas", "thomas"), ("Michael", "michael"),
        ("Stefan", "stefan"), ("Andreas", "andreas"), ("Tobias", "tobias"), ("Florian", "florian"), ("David", "david"),
        ("Mehmet", "mehmet"), ("Jürgen", "juergen"), ("Björn", "bjoern"), ("Luca", "luca"),
    ];

    private static readonly (string Display, string Ascii)[] LastNames =
    [
        ("Müller", "mueller"), ("Schmidt", "schmidt"), ("Schneider", "schneider"), ("Fischer", "fischer"),
        ("Weber", "weber"), ("Meyer", "meyer"), ("Wagner", "wagner"), ("Becker", "becker"), ("Schulz", "schulz"),
        ("Hoffmann", "hoffmann"), ("Koch", "koch"), ("Bauer", "bauer"), ("Richter", "richter"), ("Klein", "klein"),
        ("Wolf", "wolf"), ("Schröder", "schroeder"), ("Neumann", "neumann"), ("Schwarz", "schwarz"),
        ("Zimmermann", "zimmermann"), ("Braun", "braun"), ("Krüger", "krueger"), ("Hartmann", "hartmann"),
        ("Lange", "lange"), ("Werner", "werner"), ("Huber", "huber"), ("Gruber", "gruber"), ("Steiner", "steiner"),
        ("Moser", "moser"), ("Keller", "keller"), ("Brunner", "brunner"), ("Baumann", "baumann"), ("Frei", "frei"),
        ("Yılmaz", "yilmaz"), ("O'Brien", "obrien"),
    ];

    private static readonly (string Name, string Country, double Weight, double English)[] Regions =
    [
        ("Bayern", "DE", 0.16, 0.2), ("Berlin", "DE", 0.12, 0.4), ("Hamburg", "DE", 0.08, 0.3),
        ("Nordrhein-Westfalen", "DE", 0.18, 0.2), ("Baden-Württemberg", "DE", 0.12, 0.2), ("Sachsen", "DE", 0.06, 0.15),
        ("Wien", "AT", 0.1, 0.3), ("Tirol", "AT", 0.04, 0.2), ("Steiermark", "AT", 0.04, 0.15),
        ("Zürich", "CH", 0.07, 0.35), ("Bern", "CH", 0.03, 0.25),
    ];

    private static readonly string[] Domains = ["example.com", "example.net", "example.org"];

    public static CustomerFacts Draw(Random rng, int index, DateTimeOffset windowStart, DateTimeOffset asOf)
    {
        var persona = DemoPersonas.All[DemoPersonas.Draw(rng)];
        var first = FirstNames[rng.Next(FirstNames.Length)];
        var last = LastNames[rng.Next(LastNames.Length)];
        var region = PickRegion(rng.NextDouble());
        var facts = new CustomerFacts
        {
            Index = index,
            UserId = string.Create(CultureInfo.InvariantCulture, $"cust-{index:D6}"),
            CustomerNumber = string.Create(CultureInfo.InvariantCulture, $"K{1_000_000 + index}"),
            Name = first.Display + " " + last.Display,
            Email = string.Create(CultureInfo.InvariantCulture, $"{first.Ascii}.{last.Ascii}.{index}@{Domains[index % Domains.Length]}"),
            Region = region.Name,
            Country = region.Country,
            Currency = region.Country == "CH" ? "CHF" : "EUR",
            Language = rng.NextDouble() < region.English ? "en" : "de",
            Persona = persona,
        };
        facts.Phone = region.Country switch
        {
            "AT" => string.Create(CultureInfo.InvariantCulture, $"+43 66{rng.Next(10)} {rng.Next(1_000_000, 10_000_000)}"),
            "CH" => string.Create(CultureInfo.InvariantCulture, $"+41 7{rng.Next(5, 10)} {rng.Next(100, 1000)} {rng.Next(10, 100)} {rng.Next(10, 100)}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"+49 15{rng.Next(1, 10)} {rng.Next(1_000_000, 10_000_000)}"),
        };

        var planDraw = rng.NextDouble();
        var plans = persona.PlanWeights;
        (facts.Plan, facts.LineOfBusiness, facts.MonthlyFee) = planDraw switch
        {
            _ when planDraw < plans[0] => ("mobile", "mobile", Fee(rng, 14.99, 44.99, persona.FeeLevel)),
            _ when planDraw < plans[1] => ("broadband", "fixed", Fee(rng, 29.99, 59.99, persona.FeeLevel)),
            _ when planDraw < plans[2] => ("tv", "tv", Fee(rng, 14.99, 29.99, persona.FeeLevel)),
            _ => ("bundle", "convergent", Fee(rng, 59.99, 109.99, persona.FeeLevel)),
        };
        facts.HasFixedLine = facts.Plan is "broadband" or "bundle";

        facts.JoinedInWindow = rng.NextDouble() < persona.NewShare;
        var span = (asOf - windowStart).Ticks;
        facts.CustomerSince = facts.JoinedInWindow
            ? windowStart.AddTicks((long)(rng.NextDouble() * span * 0.97))
            : windowStart.AddDays(persona.LongTenure ? -365 * (3 + (rng.NextDouble() * 9)) : -30 - (rng.NextDouble() * 365 * 7)).Date.ToUniversalDate();
        facts.UsesApp = rng.NextDouble() < persona.AppShare;
        facts.AppContext = facts.UsesApp
            ? (rng.NextDouble() < 0.55
                ? "{\"app\":{\"name\":\"Alpenfunk\",\"version\":\"5.3.1\"},\"os\":{\"name\":\"Android\"}}"
                : "{\"app\":{\"name\":\"Alpenfunk\",\"version\":\"5.3.0\"},\"os\":{\"name\":\"iOS\"}}")
            : null;
        var skill = rng.NextDouble();
        facts.SetupFailure = skill < 0.2 ? 0.8 : skill < 0.45 ? 0.45 : 0.12;

        facts.FaultQuality = Gaussian(rng);
        facts.BillingQuality = Gaussian(rng) + persona.BillingShift;
        facts.SelfServiceQuality = Gaussian(rng);
        facts.ServiceQuality = Gaussian(rng);
        facts.Disposition = Gaussian(rng) + persona.DispositionShift;
        return facts;
    }

    /// <summary>The full identify traits of a customer.</summary>
    public static string Traits(CustomerFacts c, string lifecycleStage) => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"name\":{DemoJson.Quote(c.Name)},\"email\":{DemoJson.Quote(c.Email)},\"phone\":\"{c.Phone}\",\"customerNumber\":\"{c.CustomerNumber}\",\"plan\":\"{c.Plan}\",\"region\":{DemoJson.Quote(c.Region)},\"country\":\"{c.Country}\",\"language\":\"{c.Language}\",\"lineOfBusiness\":\"{c.LineOfBusiness}\",\"monthlyFee\":{c.MonthlyFee},\"currency\":\"{c.Currency}\",\"customerSince\":\"{c.CustomerSince:yyyy-MM-dd}\",\"lifecycleStage\":\"{lifecycleStage}\"}}");

    public static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A fee in 5-steps from <paramref name="min"/>: at <paramref name="level"/> of the range (0 cheapest, 1 dearest), give or take a step.</summary>
    private static double Fee(Random rng, double min, double max, double level)
    {
        var steps = (int)((max - min) / 5);
        var step = Math.Clamp((int)Math.Round(level * steps) + rng.Next(-1, 2), 0, steps);
        return Math.Round(min + (5 * step), 2);
    }

    private static (string Name, string Country, double Weight, double English) PickRegion(double draw)
    {
        foreach (var region in Regions)
        {
            draw -= region.Weight;
            if (draw < 0)
            {
                return region;
            }
        }

        return Regions[^1];
    }

    private static DateTimeOffset ToUniversalDate(this DateTime date) => new(date, TimeSpan.Zero);
}
