using System.Text;
using System.Text.Json;
using OpenCem.Value.Churn;

namespace OpenCem.Tests.Value;

/// <summary>
/// The shortcuts scoring takes give what the plain code gives: the traits read from the bytes (all of them, or only
/// the wanted ones) equal a whole-document parse, and the reasons written straight to JSON equal the serialiser's.
/// </summary>
public sealed class ChurnFastPathTests
{
    private static readonly string[] Documents =
    [
        """{"Contract":"Month-to-month","tenure":12,"Partner":true,"Dependents":false,"TotalCharges":" ","MonthlyCharges":29.85}""",
        """{"Contract":"Two year","nested":{"a":[1,2,{"b":3}]},"list":[1,"x"],"gone":null,"TotalCharges":"1e3"}""",
        """{"Cont\u0072act":"One \"year\"","Stadt":"Zürich","emoji":"😀 <b>&'+","long":"__________________________________________________________________x","n":-0.000001}""",
        """{"Contract":"first","Contract":"second","tenure":1E+2}""",
        """{}""",
        """[1,2,3]""",
        """ "just text" """,
    ];

    [Fact]
    public void TraitsReader_AllOrWanted_SameAsTheWholeDocument()
    {
        var all = new ChurnTraitsReader();
        var wanted = new ChurnTraitsReader(["Contract", "tenure", "Stadt", "long", "absent"]);
        foreach (var json in Documents.Concat(Documents))
        {
            var expected = Reference(json);
            var read = new Dictionary<string, string>(StringComparer.Ordinal);
            all.Read(Encoding.UTF8.GetBytes(json), read);
            Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), read.OrderBy(p => p.Key, StringComparer.Ordinal));

            var some = new Dictionary<string, string>(StringComparer.Ordinal);
            wanted.Read(Encoding.UTF8.GetBytes(json), some);
            Assert.Equal(
                expected.Where(p => p.Key is "Contract" or "tenure" or "Stadt" or "long").OrderBy(p => p.Key, StringComparer.Ordinal),
                some.OrderBy(p => p.Key, StringComparer.Ordinal));
        }
    }

    [Fact]
    public void TraitsReader_MalformedJson_Fails()
    {
        Assert.ThrowsAny<JsonException>(() => new ChurnTraitsReader(["a"]).Read("""{"a":"x","b":"""u8, []));
        Assert.ThrowsAny<JsonException>(() => new ChurnTraitsReader().Read("""{"a":"x"} trailing"""u8, []));
    }

    [Fact]
    public void ReasonsJson_SameBytesAsTheSerialiser()
    {
        var schema = new ChurnFeatureSchema(
        [
            new FeatureColumn("MonthlyCharges", FeatureKind.Number, "MonthlyCharges", null, 64.5),
            new FeatureColumn("Contract = Month-to-month", FeatureKind.Category, "Contract", "Month-to-month", 0),
            new FeatureColumn("Stadt = Zürich <\"x\">", FeatureKind.Category, "Stadt", "Zürich <\"x\">", 0),
            new FeatureColumn(ChurnFeatureNames.LastNps, FeatureKind.Measure, ChurnFeatureNames.LastNps, null, 7.5),
            new FeatureColumn(ChurnFeatureNames.TenureDays, FeatureKind.Tenure, ChurnFeatureNames.TenureDays, null, 400),
            new FeatureColumn("life-cycle stage = active", FeatureKind.Lifecycle, ChurnFeatureNames.Lifecycle, "active", 0),
        ]);
        var facts = new ChurnFacts(1) { TenureDays = 123.456789, Lifecycle = "active" };
        facts.Traits["MonthlyCharges"] = "70.35";
        facts.Traits["Contract"] = "month-TO-month";
        facts.Traits["Stadt"] = "Zürich <\"x\"> 😀 &'+";
        facts.Measures[ChurnFeatureNames.LastNps] = 3;
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        float[][] contributions =
        [
            [0.1f, -0.25f, 0.3f, 0, 1e-7f, -2.123456f],
            [0, 0, 0, 0, 0, 0],
            [0, 0.5f, 0, 0, 0, 0],
            [-0.33333334f, 0.33333334f, float.Epsilon, 12345.678f, -0.00005f, 0.00005f],
        ];
        var random = new Random(5);
        var many = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, 6).Select(_ => random.Next(3) == 0 ? 0 : (float)(random.NextDouble() - 0.5)).ToArray());
        foreach (var c in contributions.Concat(many))
        {
            Assert.Equal(JsonSerializer.Serialize(ChurnReasons.Top(schema, facts, c), options), ChurnReasons.Json(schema, facts, c));
        }
    }

    /// <summary>The traits as the whole-document parse gives them, the last of a repeated name winning.</summary>
    private static Dictionary<string, string> Reference(string json)
    {
        var traits = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return traits;
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            var text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
            if (text is not null)
            {
                traits[property.Name] = text;
            }
        }

        return traits;
    }
}
