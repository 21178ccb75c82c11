using System.Data.Common;
using Dapper;

namespace OpenCem.Analytics;

/// <summary>Customer trait conditions in each database's JSON dialect; trait values are compared as text.</summary>
public static class TraitSql
{
    /// <summary>
    /// <c>AND</c>-joined conditions that the customers row <paramref name="alias"/> has each trait equal to its value;
    /// the names and values travel as parameters <c>traitName0</c>, <c>traitValue0</c>, ...
    /// </summary>
    public static string Conditions(DbConnection connection, string alias, IReadOnlyList<(string Name, string Value)> traits, DynamicParameters parameters)
    {
        var parts = new List<string>();
        for (var i = 0; i < traits.Count; i++)
        {
            parameters.Add($"traitName{i}", connection is Npgsql.NpgsqlConnection ? traits[i].Name : "$.\"" + traits[i].Name.Replace("\"", "", StringComparison.Ordinal) + "\"");
            parameters.Add($"traitValue{i}", traits[i].Value);
            parts.Add(connection is Npgsql.NpgsqlConnection
                ? $"(({alias}.traits)::jsonb ->> @traitName{i}) = @traitValue{i}"
                : $"CAST(json_extract({alias}.traits, @traitName{i}) AS TEXT) = @traitValue{i}");
        }

        return parts.Count == 0 ? "1 = 1" : string.Join(" AND ", parts);
    }
}
