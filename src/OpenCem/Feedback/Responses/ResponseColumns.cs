using System.Globalization;
using OpenCem.Customers;
using OpenCem.Feedback.Surveys;
using OpenCem.Interactions;

namespace OpenCem.Feedback.Responses;

/// <summary>
/// A problem with the import as a whole — a column that is neither a question nor a response column, a map entry
/// naming no question — found before any row is read. <see cref="Problems"/> has one entry per column or map entry.
/// </summary>
public sealed class ResponseFileException(IReadOnlyDictionary<string, string> problems)
    : Exception(string.Join(" ", problems.Select(p => p.Value)))
{
    public ResponseFileException(string field, string message)
        : this(new Dictionary<string, string> { [field] = message })
    {
    }

    /// <summary>Column name (or <c>map</c>, <c>header</c>) → what is wrong with it.</summary>
    public IReadOnlyDictionary<string, string> Problems { get; } = problems;
}

/// <summary>What an import needs to know besides the file: the survey, the workspace's identity rules and touchpoints, and now.</summary>
public sealed record ImportSetup(StoredSurvey Survey, IdentitySettings Identity, IReadOnlyList<Touchpoint> Touchpoints, long Now);

/// <summary>One readable row of an import file: a complete, validated response and the line it starts on.</summary>
public readonly record struct ImportRow(long Line, ResponseItem Item);

/// <summary>
/// What each column of an import file means, decided from the header before any row is read, and the reading of
/// one row into a validated <see cref="ResponseItem"/> (pure; safe to call from several threads at once).
/// A column named like a question fills it (matrix rows as <c>question.row</c>); the response columns are
/// <c>responseId</c>, <c>submittedAt</c>, <c>touchpoint</c>, <c>channel</c>, <c>language</c>, <c>interactionId</c>,
/// <c>customerId</c> and the workspace's identifier types (<c>userId</c>, <c>email</c>, <c>customerNumber</c>,
/// <c>phone</c>, <c>anonymousId</c> ...); the other columns of the CSV export (<c>id</c>, <c>invitationId</c>,
/// <c>touchpointId</c>, <c>source</c>, <c>status</c>) are understood too, so an export imports as it is.
/// </summary>
public sealed class ResponseColumns
{
    public const string ImportSource = "import";
    public const int MaxResponseIdLength = 200;
    public const int MaxChannelLength = 40;

    /// <summary>Response columns other than identifiers, as the CSV export and the import spell them.</summary>
    public static readonly IReadOnlyList<string> FactColumns =
        ["responseId", "submittedAt", "touchpoint", "touchpointId", "channel", "language", "interactionId", "customerId", "id", "invitationId", "source", "status"];

    /// <summary>Export columns that describe the stored row of another survey; an import reads past them.</summary>
    private static readonly HashSet<string> IgnoredColumns = new(StringComparer.Ordinal) { "id", "invitationId", "source" };

    /// <summary>The order in which identifiers find a profile, as <c>POST /api/v1/responses</c> tries them.</summary>
    private static readonly string[] IdentifierOrder =
        [IdentifierKinds.UserId, IdentifierKinds.AnonymousId, IdentifierKinds.Email, IdentifierKinds.CustomerNumber, IdentifierKinds.Phone];

    /// <summary>Required questions left empty, per thread (rows are read on several threads at once).</summary>
    [ThreadStatic]
    private static Dictionary<string, string[]>? t_missing;

    private readonly ImportSetup _setup;
    private readonly SurveyDefinition _definition;
    private readonly Column[] _columns;
    private readonly (Question Question, (int Index, string Row)[] Cells)[] _matrices;
    private readonly IdentifierNormaliser _normaliser;
    private readonly Dictionary<string, Touchpoint> _touchpointsByKey;
    private readonly Dictionary<long, Touchpoint> _touchpointsById;

    private ResponseColumns(ImportSetup setup, Column[] columns)
    {
        _setup = setup;
        _definition = setup.Survey.Definition;
        _columns = columns;
        _matrices = columns.Select((c, i) => (c, i)).Where(c => c.c.Kind == ColumnKind.MatrixCell)
            .GroupBy(c => c.c.Question!.Name, StringComparer.Ordinal)
            .Select(g => (g.First().c.Question!, g.Select(c => (c.i, c.c.Name!)).ToArray()))
            .ToArray();
        _normaliser = new IdentifierNormaliser(setup.Identity);
        _touchpointsByKey = setup.Touchpoints.ToDictionary(t => t.Key, StringComparer.OrdinalIgnoreCase);
        _touchpointsById = setup.Touchpoints.ToDictionary(t => t.Id);
    }

    private enum ColumnKind
    {
        Answer,
        MatrixCell,
        ResponseId,
        SubmittedAt,
        Touchpoint,
        TouchpointId,
        Channel,
        Language,
        InteractionId,
        CustomerId,
        Identifier,
        Status,
        Ignored,
    }

    /// <summary>A column's meaning; <c>Name</c> is the matrix row of a cell, or the identifier type.</summary>
    private readonly record struct Column(ColumnKind Kind, Question? Question = null, string? Name = null)
    {
        /// <summary>What the column fills, in words: two columns must not fill the same.</summary>
        public string Target => Kind switch
        {
            ColumnKind.Answer => $"the question {Question!.Name}",
            ColumnKind.MatrixCell => $"the matrix row {Question!.Name}.{Name}",
            ColumnKind.Identifier => $"the identifier {Name}",
            _ => $"the {char.ToLowerInvariant(Kind.ToString()[0])}{Kind.ToString()[1..]} column",
        };
    }

    /// <summary>The number of columns the header has.</summary>
    public int Count => _columns.Length;

    /// <summary>Parses <c>column=question,column2=question2</c> (the CLI's --map, the endpoint's map parameter).</summary>
    public static IReadOnlyList<(string Column, string Target)> ParseMap(string? map)
    {
        var result = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(map))
        {
            return result;
        }

        foreach (var pair in map.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
            {
                throw new ResponseFileException("map", $"map entry '{pair}' is not column=question.");
            }

            result.Add((pair[..equals].Trim(), pair[(equals + 1)..].Trim()));
        }

        return result;
    }

    /// <summary>Decides every column's meaning, or throws with every column and map entry that has none.</summary>
    public static ResponseColumns Create(IReadOnlyList<string> header, IReadOnlyList<(string Column, string Target)> map, ImportSetup setup)
    {
        var definition = setup.Survey.Definition;
        var identifierTypes = setup.Identity.IdentifierTypes.Select(t => t.Type).ToList();
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var mapped = new Dictionary<string, Column>(StringComparer.Ordinal);
        var mappedColumns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (column, target) in map)
        {
            if (!header.Contains(column, StringComparer.Ordinal))
            {
                problems["map"] = $"map entry '{column}={target}' names the column '{column}', which the header does not have (it has: {string.Join(", ", header)}).";
            }
            else if (!mappedColumns.Add(column))
            {
                problems["map"] = $"the map names the column '{column}' twice.";
            }
            else if ((Exact(target, definition) ?? Known(target, identifierTypes)) is { } meaning)
            {
                mapped[column] = meaning;
            }
            else
            {
                problems["map"] = $"map entry '{column}={target}': '{target}' is not a question of survey {setup.Survey.Id} " +
                    $"(questions: {string.Join(", ", QuestionTargets(definition))}) nor a response column ({string.Join(", ", ResponseColumnNames(identifierTypes))}).";
            }
        }

        var columns = new Column[header.Count];
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i];
            if (mappedColumns.Contains(name))
            {
                columns[i] = mapped.GetValueOrDefault(name);
            }
            else if ((Exact(name, definition) ?? Known(name, identifierTypes) ?? Loose(name, definition)) is { } meaning)
            {
                columns[i] = meaning;
            }
            else
            {
                problems[name.Length == 0 ? $"column {i + 1}" : name] = name.Length == 0
                    ? $"column {i + 1} has no name."
                    : $"column '{name}' is neither a question of survey {setup.Survey.Id} nor a response column; name it like a question " +
                      $"({string.Join(", ", QuestionTargets(definition))}) or a response column ({string.Join(", ", ResponseColumnNames(identifierTypes))}), or map it with column=question.";
            }
        }

        if (problems.Count == 0)
        {
            foreach (var twice in columns.Select((c, i) => (c, i)).Where(c => c.c.Kind != ColumnKind.Ignored).GroupBy(c => c.c.Target).Where(g => g.Count() > 1))
            {
                problems[header[twice.First().i]] = $"columns {string.Join(" and ", twice.Select(c => $"'{header[c.i]}'"))} both fill {twice.Key}; keep one.";
            }

            foreach (var matrix in columns.Where(c => c.Kind == ColumnKind.Answer && c.Question!.Type == QuestionType.Matrix))
            {
                if (columns.Any(c => c.Kind == ColumnKind.MatrixCell && c.Question == matrix.Question))
                {
                    problems[matrix.Question!.Name] = $"the matrix {matrix.Question.Name} has a column of its own and columns per row; use one or the other.";
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new ResponseFileException(problems);
        }

        return new ResponseColumns(setup, columns);
    }

    /// <summary>
    /// Reads one row: every answer fitting its question, required questions answered (as on completion), the
    /// response columns valid. Returns null with every reason, joined, when the row cannot be stored.
    /// </summary>
    public ImportRow? Read(long line, IReadOnlyList<string?> fields, out string? reason)
    {
        var errors = new List<string>(0);
        var answers = new Answers();
        string? externalId = null, channel = null, language = null;
        long? customerId = null, interactionId = null;
        Touchpoint? touchpoint = null, touchpointById = null;
        var submittedAt = _setup.Now;
        List<Identifier>? identifiers = null;
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            var text = fields[i];
            if (string.IsNullOrWhiteSpace(text) || column.Kind is ColumnKind.MatrixCell or ColumnKind.Ignored)
            {
                if (column.Kind == ColumnKind.SubmittedAt && text is not null)
                {
                    errors.Add("submittedAt: is empty; give the time the response was submitted (ISO 8601)");
                }

                continue;
            }

            switch (column.Kind)
            {
                case ColumnKind.Answer:
                    var value = AnswerReader.FromText(column.Question!, text, out var error);
                    if (error is not null)
                    {
                        errors.Add($"{column.Question!.Name}: {error}");
                    }
                    else if (value is not null)
                    {
                        answers.Set(column.Question!.Name, value);
                    }

                    break;
                case ColumnKind.ResponseId:
                    externalId = Text(text.Trim(), "responseId", MaxResponseIdLength, errors);
                    break;
                case ColumnKind.SubmittedAt:
                    if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                    {
                        submittedAt = time.ToUnixTimeMilliseconds();
                        if (submittedAt > _setup.Now + SurveyDay.DayMilliseconds)
                        {
                            errors.Add($"submittedAt: '{text}' is in the future");
                        }
                    }
                    else
                    {
                        errors.Add($"submittedAt: '{text}' is not an ISO 8601 time");
                    }

                    break;
                case ColumnKind.Touchpoint:
                    touchpoint = _touchpointsByKey.GetValueOrDefault(text.Trim());
                    if (touchpoint is null)
                    {
                        errors.Add($"touchpoint: no touchpoint has the key \"{text.Trim()}\"");
                    }

                    break;
                case ColumnKind.TouchpointId:
                    touchpointById = Id(text, "touchpointId", errors) is { } tid ? _touchpointsById.GetValueOrDefault(tid) : null;
                    if (touchpointById is null && !errors.Any(e => e.StartsWith("touchpointId", StringComparison.Ordinal)))
                    {
                        errors.Add($"touchpointId: {text.Trim()} is not a touchpoint of this workspace");
                    }

                    break;
                case ColumnKind.Channel:
                    channel = Text(text.Trim(), "channel", MaxChannelLength, errors);
                    break;
                case ColumnKind.Language:
                    language = Text(text.Trim(), "language", ResponseRequest.MaxLanguageLength, errors)?.ToLowerInvariant();
                    break;
                case ColumnKind.InteractionId:
                    interactionId = Id(text, "interactionId", errors);
                    break;
                case ColumnKind.CustomerId:
                    customerId = Id(text, "customerId", errors);
                    break;
                case ColumnKind.Identifier:
                    var (normalised, problem) = _normaliser.Normalise(column.Name!, text);
                    if (normalised is not null)
                    {
                        (identifiers ??= []).Add(new Identifier(column.Name!, normalised));
                    }
                    else if (problem is not null)
                    {
                        errors.Add($"{column.Name}: {problem}");
                    }

                    break;
                case ColumnKind.Status:
                    if (!string.Equals(text.Trim(), ResponseStatus.Completed, StringComparison.OrdinalIgnoreCase))
                    {
                        errors.Add($"status: the response is '{text.Trim()}'; only completed responses are imported");
                    }

                    break;
                case ColumnKind.MatrixCell or ColumnKind.Ignored:
                    break;
            }
        }

        foreach (var (question, cells) in _matrices)
        {
            ReadMatrix(question, cells, fields, answers, errors);
        }

        if (errors.Count == 0)
        {
            var missing = t_missing ??= [];
            missing.Clear();
            SurveyLogic.Complete(_definition, answers, missing, prefix: "");
            errors.AddRange(missing.Select(m => $"{m.Key.TrimStart('.')}: {string.Join(" ", m.Value).TrimEnd('.')}"));
        }

        if (errors.Count > 0)
        {
            reason = string.Join("; ", errors);
            return null;
        }

        touchpoint ??= touchpointById;
        if (identifiers is { Count: > 1 })
        {
            identifiers.Sort((a, b) => Rank(a.Type).CompareTo(Rank(b.Type)));
        }
        reason = null;
        return new ImportRow(line, new ResponseItem
        {
            WorkspaceId = _setup.Survey.WorkspaceId,
            SurveyId = _setup.Survey.Id,
            Respondent = (customerId is null && identifiers is null) || AnonymousResponses.Applies(_definition)
                ? Respondent.Anonymous : new Respondent(customerId, (IReadOnlyList<Identifier>?)identifiers ?? []),
            InteractionId = AnonymousResponses.Applies(_definition) ? null : interactionId,
            TouchpointId = touchpoint?.Id,
            Channel = channel ?? touchpoint?.Channel,
            Language = language,
            Source = ImportSource,
            ExternalId = AnonymousResponses.Applies(_definition) ? AnonymousResponses.ExternalId(externalId) : externalId,
            AnswersJson = answers.ToJson(_definition),
            Scores = ResponseScores.Of(_definition, answers),
            SubmittedAt = submittedAt,
        });
    }

    /// <summary>The response id of a row as the file gives it, for the rejection list (null when there is no such column).</summary>
    public string? ResponseIdOf(IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < _columns.Length && i < fields.Count; i++)
        {
            if (_columns[i].Kind == ColumnKind.ResponseId && !string.IsNullOrWhiteSpace(fields[i]))
            {
                return fields[i]!.Trim();
            }
        }

        return null;
    }

    private static void ReadMatrix(Question question, (int Index, string Row)[] cells, IReadOnlyList<string?> fields, Answers answers, List<string> errors)
    {
        Dictionary<string, string>? values = null;
        foreach (var (index, row) in cells)
        {
            if (string.IsNullOrWhiteSpace(fields[index]))
            {
                continue;
            }

            if (AnswerReader.Cell(question, row, fields[index]!, out var error) is { } column)
            {
                (values ??= new Dictionary<string, string>(StringComparer.Ordinal))[row] = column;
            }
            else
            {
                errors.Add($"{question.Name}.{row}: {error}");
            }
        }

        if (values is not null)
        {
            // In the question's row order, as a whole-matrix answer would be.
            answers.Set(question.Name, question.Rows.Where(r => values.ContainsKey(r.Value)).ToDictionary(r => r.Value, r => values[r.Value], StringComparer.Ordinal));
        }
    }

    private static string? Text(string text, string name, int maxLength, List<string> errors)
    {
        if (text.Length > maxLength)
        {
            errors.Add($"{name}: is {text.Length} characters long; at most {maxLength} are allowed");
            return null;
        }

        return text;
    }

    private static long? Id(string text, string name, List<string> errors)
    {
        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            return id;
        }

        errors.Add($"{name}: '{text.Trim()}' is not an id (a positive whole number)");
        return null;
    }

    private static int Rank(string type) => Array.IndexOf(IdentifierOrder, type) is var i and >= 0 ? i : IdentifierOrder.Length;

    /// <summary>A question (or matrix row, as <c>question.row</c>) by its exact name.</summary>
    private static Column? Exact(string name, SurveyDefinition definition)
    {
        if (definition.Find(name) is { } question)
        {
            return new Column(ColumnKind.Answer, question);
        }

        var dot = name.LastIndexOf('.');
        return dot > 0 && definition.Find(name[..dot]) is { Type: QuestionType.Matrix } matrix && matrix.Rows.Any(r => r.Value == name[(dot + 1)..])
            ? new Column(ColumnKind.MatrixCell, matrix, name[(dot + 1)..])
            : null;
    }

    /// <summary>A response column or identifier type, by name (case, spaces, '_' and '-' ignored).</summary>
    private static Column? Known(string name, IReadOnlyList<string> identifierTypes)
    {
        var key = Canonical(name);
        foreach (var type in identifierTypes)
        {
            if (Canonical(type) == key)
            {
                return new Column(ColumnKind.Identifier, null, type);
            }
        }

        foreach (var fact in FactColumns)
        {
            if (Canonical(fact) == key)
            {
                return new Column(IgnoredColumns.Contains(fact) ? ColumnKind.Ignored : Enum.Parse<ColumnKind>(fact, ignoreCase: true));
            }
        }

        return null;
    }

    /// <summary>A question or matrix row whose name matches when case, spaces, '_' and '-' are ignored, if exactly one does.</summary>
    private static Column? Loose(string name, SurveyDefinition definition)
    {
        var key = Canonical(name);
        var matches = QuestionTargets(definition).Where(t => Canonical(t) == key).Take(2).ToList();
        return matches.Count == 1 ? Exact(matches[0], definition) : null;
    }

    private static IEnumerable<string> QuestionTargets(SurveyDefinition definition) =>
        definition.Questions.SelectMany(q => q.Type == QuestionType.Matrix ? [q.Name, .. q.Rows.Select(r => $"{q.Name}.{r.Value}")] : new[] { q.Name });

    private static IEnumerable<string> ResponseColumnNames(IReadOnlyList<string> identifierTypes) =>
        FactColumns.Where(c => !IgnoredColumns.Contains(c) && c != "status").Concat(identifierTypes);

    private static string Canonical(string name) =>
        new(name.Where(c => c is not ('_' or '-' or ' ')).Select(char.ToLowerInvariant).ToArray());
}
