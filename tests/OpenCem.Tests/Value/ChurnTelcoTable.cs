using System.Globalization;

namespace OpenCem.Tests.Value;

/// <summary>
/// A telecom churn table like IBM's Telco Customer Churn (customerID, 19 traits, Churn Yes/No), generated with
/// non-linear and interaction effects: churn is highest in the first months of a month-to-month contract, fibre
/// customers without tech support churn far more than either alone suggests, electronic-check payers on monthly
/// contracts churn more, and high charges matter only for short tenures. Blank TotalCharges for new customers, as in
/// the original.
/// </summary>
internal static class ChurnTelcoTable
{
    public static List<Dictionary<string, string>> Generate(int customers, int seed)
    {
        var random = new Random(seed);
        var rows = new List<Dictionary<string, string>>(customers);
        string Pick(params (string Value, double Weight)[] options)
        {
            var u = random.NextDouble() * options.Sum(o => o.Weight);
            foreach (var (value, weight) in options)
            {
                if ((u -= weight) <= 0)
                {
                    return value;
                }
            }

            return options[^1].Value;
        }

        string YesNo(double p) => random.NextDouble() < p ? "Yes" : "No";
        for (var i = 0; i < customers; i++)
        {
            var contract = Pick(("Month-to-month", 0.55), ("One year", 0.21), ("Two year", 0.24));
            var tenure = contract switch
            {
                "Month-to-month" => (int)Math.Min(72, Math.Floor(-18 * Math.Log(1 - random.NextDouble()))),
                "One year" => random.Next(1, 73),
                _ => random.Next(6, 73),
            };
            var internet = Pick(("Fiber optic", 0.44), ("DSL", 0.34), ("No", 0.22));
            var hasInternet = internet != "No";
            string Addon(double p) => hasInternet ? YesNo(p) : "No internet service";
            var techSupport = Addon(0.3);
            var security = Addon(0.3);
            var senior = random.NextDouble() < 0.16 ? "1" : "0";
            var partner = YesNo(0.48);
            var payment = Pick(("Electronic check", 0.34), ("Mailed check", 0.23), ("Bank transfer (automatic)", 0.22), ("Credit card (automatic)", 0.21));
            var phone = YesNo(0.9);
            var streamingTv = Addon(0.4);
            var monthly = 20 + (phone == "Yes" ? 5 : 0) + internet switch { "Fiber optic" => 50, "DSL" => 25, _ => 0 }
                + (streamingTv == "Yes" ? 10 : 0) + (techSupport == "Yes" ? 5 : 0) + random.NextDouble() * 15;
            var total = tenure == 0 ? " " : (monthly * tenure * (0.95 + random.NextDouble() * 0.1)).ToString("0.00", CultureInfo.InvariantCulture);

            // What the table does not show (service outages, competitors' offers): noise no model can explain.
            var unobserved = 0.9 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var logit = -2.8 + unobserved
                + contract switch { "Month-to-month" => 0.9, "One year" => -0.6, _ => -1.8 }
                + 2.2 * Math.Exp(-tenure / 6.0) * (contract == "Month-to-month" ? 1.4 : 0.6)
                + (internet == "Fiber optic" ? 0.3 : 0) + (internet == "Fiber optic" && techSupport == "No" ? 1.1 : 0)
                + (security == "No" ? 0.35 : 0)
                + (payment == "Electronic check" && contract == "Month-to-month" ? 0.7 : 0)
                + (monthly > 85 && tenure < 12 ? 1.0 : 0) + (tenure > 60 && contract != "Two year" ? 0.7 : 0)
                + (senior == "1" ? 0.35 : 0) + (partner == "Yes" ? -0.2 : 0)
                + (internet == "No" ? -0.6 : 0);
            var churn = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
            rows.Add(new Dictionary<string, string>
            {
                ["customerID"] = $"{1000 + i:D4}-{(char)('A' + i % 26)}{(char)('A' + i / 26 % 26)}XYZ",
                ["gender"] = random.NextDouble() < 0.5 ? "Female" : "Male",
                ["SeniorCitizen"] = senior,
                ["Partner"] = partner,
                ["Dependents"] = YesNo(partner == "Yes" ? 0.5 : 0.1),
                ["tenure"] = tenure.ToString(CultureInfo.InvariantCulture),
                ["PhoneService"] = phone,
                ["MultipleLines"] = phone == "Yes" ? YesNo(0.45) : "No phone service",
                ["InternetService"] = internet,
                ["OnlineSecurity"] = security,
                ["OnlineBackup"] = Addon(0.35),
                ["DeviceProtection"] = Addon(0.35),
                ["TechSupport"] = techSupport,
                ["StreamingTV"] = streamingTv,
                ["StreamingMovies"] = Addon(0.4),
                ["Contract"] = contract,
                ["PaperlessBilling"] = YesNo(0.6),
                ["PaymentMethod"] = payment,
                ["MonthlyCharges"] = monthly.ToString("0.00", CultureInfo.InvariantCulture),
                ["TotalCharges"] = total,
                ["Churn"] = churn ? "Yes" : "No",
            });
        }

        return rows;
    }
}
