using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OpenCem.Text.Brand;

namespace OpenCem.Dashboard.Experience;

/// <summary>One row of the brand-values form, as posted (words comma-separated).</summary>
public sealed record BrandValueRow(string Key, string NameEn, string NameDe, string Description, string Words, string Opposites)
{
    public static readonly BrandValueRow Empty = new("", "", "", "", "", "");

    public bool IsBlank => string.IsNullOrWhiteSpace(Key) && string.IsNullOrWhiteSpace(NameEn) && string.IsNullOrWhiteSpace(NameDe)
        && string.IsNullOrWhiteSpace(Words) && string.IsNullOrWhiteSpace(Opposites) && string.IsNullOrWhiteSpace(Description);

    public static BrandValueRow Of(BrandValue value) => new(value.Key, value.Names.GetValueOrDefault("en", ""), value.Names.GetValueOrDefault("de", ""),
        value.Description, string.Join(", ", value.Words), string.Join(", ", value.Opposites));
}

/// <summary>
/// The brand-values form: rows of fields <c>key-i</c>, <c>name-en-i</c>, ... read into the API's JSON and checked by the
/// same <see cref="BrandValueReader"/>, so the page and the API accept and refuse the same values. Blank rows are dropped.
/// </summary>
public static class BrandValueForm
{
    public const int MaxRows = BrandValueReader.MaxValues + 1;

    public static List<BrandValueRow> Posted(IFormCollection form)
    {
        var rows = new List<BrandValueRow>();
        for (var i = 0; i < MaxRows; i++)
        {
            string Field(string name) => form[$"{name}-{i}"].ToString();
            rows.Add(new BrandValueRow(Field("key").Trim(), Field("name-en"), Field("name-de"), Field("description"), Field("words"), Field("opposites")));
        }

        return rows;
    }

    /// <summary>The values of the filled rows, or null with the problems by field (<c>values[i].words</c>, numbered as the filled rows).</summary>
    public static IReadOnlyList<BrandValue>? Read(IReadOnlyList<BrandValueRow> rows, IDictionary<string, string[]> errors)
    {
        var json = JsonSerializer.SerializeToElement(new
        {
            values = rows.Where(r => !r.IsBlank).Select(r => new
            {
                key = r.Key,
                names = new { en = r.NameEn.Trim(), de = r.NameDe.Trim() },
                description = r.Description.Trim(),
                words = Split(r.Words),
                opposites = Split(r.Opposites),
            }),
        });
        return BrandValueReader.Read(json, errors);
    }

    private static string[] Split(string words) => words.Split([',', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
