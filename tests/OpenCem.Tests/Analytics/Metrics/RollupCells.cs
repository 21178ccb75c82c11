using System.Globalization;
using Dapper;
using OpenCem.Analytics.Metrics;
using OpenCem.Storage;

namespace OpenCem.Tests.Analytics.Metrics;

/// <summary>Every row of every rollup table as sorted text (sums rounded to 6 decimals), to compare two states of the rollups.</summary>
public static class RollupCells
{
    public static async Task<Dictionary<string, List<string>>> ReadAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        var cells = new Dictionary<string, List<string>>();
        foreach (var cube in MetricCube.All)
        {
            var keys = cube.Dimensional
                ? "workspace_id, survey_id, question, period, dimension, value, score"
                : "workspace_id, survey_id, question, period, touchpoint_id, channel, segment_id, score";
            var rows = new List<string>();
            await using var reader = await connection.ExecuteReaderAsync($"SELECT {keys}, n, total, total_squares FROM {cube.Table}");
            while (await reader.ReadAsync())
            {
                var values = Enumerable.Range(0, reader.FieldCount - 2).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
                rows.Add(string.Join("|", values) + "|" + Math.Round(reader.GetDouble(reader.FieldCount - 2), 6).ToString(CultureInfo.InvariantCulture)
                    + "|" + Math.Round(reader.GetDouble(reader.FieldCount - 1), 6).ToString(CultureInfo.InvariantCulture));
            }

            rows.Sort(StringComparer.Ordinal);
            cells[cube.Table] = rows;
        }

        return cells;
    }
}
