using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;

namespace OpenCem.Actions.Rules;

/// <summary>What a rule sees when it runs: one JSON object per root of <see cref="RuleVocabulary"/>, and the counts its condition asks for.</summary>
public sealed record RuleFacts(JsonObject Roots, IReadOnlyDictionary<string, long> Counts);

/// <summary>The outcome of a condition: whether it held, or why it could not be evaluated.</summary>
public readonly record struct RuleVerdict(bool Holds, string? Error);

/// <summary>
/// Evaluates conditions with Jint under limits (time, statements, recursion, memory), so a bad rule fails instead of
/// hanging or starving the worker. Pure: everything the condition reads is in <see cref="RuleFacts"/>.
/// </summary>
public static class RuleEvaluator
{
    // Wall-clock, so generous: on a busy machine a sound condition must not fail (and get its rule paused); the
    // statement and memory limits are what stop a runaway condition.
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(2);
    private const int StatementLimit = 10_000;
    private const int RecursionLimit = 64;
    private const long MemoryLimit = 8 * 1024 * 1024;

    private static readonly ConcurrentDictionary<string, Prepared<Acornima.Ast.Script>> Prepared = new(StringComparer.Ordinal);

    public static RuleVerdict Evaluate(RuleCondition? condition, RuleFacts facts)
    {
        if (condition is null)
        {
            return new RuleVerdict(true, null);
        }

        try
        {
            var engine = new Engine(options => options
                .TimeoutInterval(TimeLimit)
                .MaxStatements(StatementLimit)
                .LimitRecursion(RecursionLimit)
                .LimitMemory(MemoryLimit)
                .Strict());
            var json = new JsonParser(engine);
            foreach (var root in RuleVocabulary.Roots.Keys)
            {
                engine.SetValue(RuleVocabulary.ScriptName(root), facts.Roots[root] is { } value ? json.Parse(value.ToJsonString()) : JsValue.Null);
            }

            engine.SetValue(RuleVocabulary.CountFunction, new Func<JsValue, double>(filters => CountOf(filters, facts.Counts)));
            if (Prepared.Count > 10_000)
            {
                Prepared.Clear();
            }

            var prepared = Prepared.GetOrAdd(condition.Script, source => Engine.PrepareScript(source));
            return new RuleVerdict(TypeConverter.ToBoolean(engine.Evaluate(prepared)), null);
        }
        catch (Exception exception) when (exception is JavaScriptException or TimeoutException or ExecutionCanceledException or RecursionDepthOverflowException
            or MemoryLimitExceededException or StatementsCountOverflowException or InvalidOperationException or ArgumentException)
        {
            return new RuleVerdict(false, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    private static double CountOf(JsValue filters, IReadOnlyDictionary<string, long> counts)
    {
        string? Text(string name) => filters.IsObject() && filters.AsObject().Get(name) is { } value && value.IsString() ? value.AsString() : null;
        var window = Text("within") is { } within ? CountSpec.ParseWindow(within) : null;
        var key = new CountSpec(
            Text("touchpoint"), Text("outcome"), Text("event"), Text("channel"), Text("stage"), Text("journey"), window ?? TimeSpan.Zero, Text("customers") == "all").Key;
        return counts.TryGetValue(key, out var count) ? count : 0;
    }
}
