using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using OpenCem.Feedback.Responses;
using OpenCem.Storage;

namespace OpenCem.Analytics.Drivers;

/// <summary>Which completed responses of a survey to read: the filters and the period of submission (UTC ms, end exclusive).</summary>
public sealed record ResponseSelection(long WorkspaceId, long SurveyId, IReadOnlyList<ResponseFilter> Filters, long From = long.MinValue, long To = long.MaxValue);

/// <summary>
/// Numeric answers of a survey's completed responses as a row-major table (NaN where unanswered). The stored answers
/// JSON is streamed row by row and read with <see cref="Utf8JsonReader"/>, picking only the wanted questions, so the
/// cost is one pass over the bytes without a document per response.
/// </summary>
public sealed class AnswerTable
{
    private double[] _values;

    private AnswerTable(int columns)
    {
        Columns = columns;
        _values = new double[Math.Max(1, columns) * 1024];
    }

    public int Columns { get; }

    /// <summary>Rows kept in the table.</summary>
    public int Rows { get; private set; }

    /// <summary>Responses read, kept or not.</summary>
    public long Read { get; private set; }

    /// <summary>The values, row-major; only the first Rows × Columns are meaningful.</summary>
    public double[] Values => _values;

    /// <summary>
    /// Reads the answers of <paramref name="answers"/> for the selected responses; with <paramref name="completeOnly"/>
    /// only the responses that answer all of them are kept.
    /// </summary>
    public static async Task<AnswerTable> ReadAsync(
        Database database, ResponseSelection selection, IReadOnlyList<NumericAnswer> answers, bool completeOnly, CancellationToken cancellationToken)
    {
        var table = new AnswerTable(answers.Count);
        var questions = answers.Select(a => a.Question).Distinct(StringComparer.Ordinal).ToList();
        var names = questions.Select(Encoding.UTF8.GetBytes).ToArray();
        // For each question: the columns it fills, by matrix row (null for the question itself).
        var targets = questions.Select(q => answers.Select((a, i) => (a, i)).Where(x => x.a.Question == q)
            .Select(x => (Row: x.a.Row is null ? null : Encoding.UTF8.GetBytes(x.a.Row), Column: x.i)).ToArray()).ToArray();

        var args = new DynamicParameters(new { ws = selection.WorkspaceId, survey = selection.SurveyId, status = ResponseStatus.Completed, from = selection.From, to = selection.To });
        var sql = "SELECT r.answers FROM survey_responses r WHERE r.workspace_id = @ws AND r.survey_id = @survey AND r.status = @status "
            + "AND r.submitted_at >= @from AND r.submitted_at < @to" + ResponseFilters.Sql(selection.Filters, database.Kind, args);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, args, cancellationToken: cancellationToken));
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var row = new double[answers.Count];
            while (await reader.ReadAsync(cancellationToken))
            {
                var json = reader.GetString(0);
                var length = Encoding.UTF8.GetMaxByteCount(json.Length);
                if (length > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }

                var bytes = Encoding.UTF8.GetBytes(json, buffer);
                Array.Fill(row, double.NaN);
                Parse(buffer.AsSpan(0, bytes), names, targets, row);
                table.Read++;
                if (!completeOnly || !Array.Exists(row, double.IsNaN))
                {
                    table.Add(row);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return table;
    }

    private void Add(double[] row)
    {
        var needed = (Rows + 1) * Columns;
        if (needed > _values.Length)
        {
            Array.Resize(ref _values, Math.Max(needed, _values.Length * 2));
        }

        row.CopyTo(_values, Rows * Columns);
        Rows++;
    }

    /// <summary>Fills <paramref name="row"/> from one stored answers object; anything unexpected is left unanswered.</summary>
    internal static void Parse(ReadOnlySpan<byte> json, byte[][] names, (byte[]? Row, int Column)[][] targets, double[] row)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var question = -1;
                for (var q = 0; q < names.Length; q++)
                {
                    if (reader.ValueTextEquals(names[q]))
                    {
                        question = q;
                        break;
                    }
                }

                reader.Read();
                if (question < 0)
                {
                    reader.Skip();
                    continue;
                }

                var wanted = targets[question];
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var column = -1;
                        foreach (var (rowName, index) in wanted)
                        {
                            if (rowName is not null && reader.ValueTextEquals(rowName))
                            {
                                column = index;
                                break;
                            }
                        }

                        reader.Read();
                        if (column >= 0)
                        {
                            row[column] = Number(ref reader);
                        }

                        reader.Skip();
                    }

                    continue;
                }

                var value = Number(ref reader);
                reader.Skip();
                foreach (var (rowName, index) in wanted)
                {
                    if (rowName is null)
                    {
                        row[index] = value;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Stored answers were valid JSON when written; a damaged one counts as unanswered from where it breaks.
        }
    }

    private static double Number(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetDouble(out var d) && double.IsFinite(d) => d,
        JsonTokenType.True => 1,
        JsonTokenType.False => 0,
        JsonTokenType.String when double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => double.NaN,
    };
}
