using System.Reflection;
using System.Reflection.Emit;
using Ouroboros.Compilation;

namespace Ouroboros.Tests;

/// <summary>
/// Data flows one way between the engine's folders — contracts ← compilation ← sandbox ← store,
/// models, tasks ← the run frame ← the experiments ← reporting — and nothing reaches back: the
/// sandbox compiles with Compilation and Compilation knows nothing of the sandbox; the sandbox knows
/// neither the store nor the models; the run frame knows no experiment. Read from the built engine (signatures, attributes,
/// locals and every method body's IL, lambdas and async state machines included), so no way of
/// naming a type, <c>using</c> or fully qualified, escapes it.
/// </summary>
public sealed class DependencyDirectionTests
{
    private static readonly Assembly Engine = typeof(CSharpCompiler).Assembly;

    [Theory]
    [InlineData("Ouroboros.Compilation", "Ouroboros.Sandbox")]
    [InlineData("Ouroboros.Sandbox", "Ouroboros.Models")]
    [InlineData("Ouroboros.Sandbox", "Ouroboros.Store")]
    [InlineData("Ouroboros.Sandbox", "Ouroboros.Tasks")]
    [InlineData("Ouroboros.Sandbox", "Ouroboros.Runs")]
    [InlineData("Ouroboros.Store", "Ouroboros.Sandbox")]
    [InlineData("Ouroboros.Store", "Ouroboros.Models")]
    [InlineData("Ouroboros.Store", "Ouroboros.Runs")]
    [InlineData("Ouroboros.Store", "Ouroboros.Stop")]
    [InlineData("Ouroboros.Models", "Ouroboros.Tasks")]
    [InlineData("Ouroboros.Models", "Ouroboros.Runs")]
    [InlineData("Ouroboros.Models", "Ouroboros.Stop")]
    [InlineData("Ouroboros.Tasks", "Ouroboros.Models")]
    [InlineData("Ouroboros.Tasks", "Ouroboros.Store")]
    [InlineData("Ouroboros.Tasks", "Ouroboros.Runs")]
    [InlineData("Ouroboros.Runs", "Ouroboros.Stop")]
    [InlineData("Ouroboros.Runs", "Ouroboros.Transfer")]
    [InlineData("Ouroboros.Runs", "Ouroboros.Improve")]
    [InlineData("Ouroboros.Runs", "Ouroboros.Audit")]
    [InlineData("Ouroboros.Runs", "Ouroboros.Reporting")]
    [InlineData("Ouroboros.Stop", "Ouroboros.Transfer")]
    [InlineData("Ouroboros.Stop", "Ouroboros.Improve")]
    [InlineData("Ouroboros.Stop", "Ouroboros.Audit")]
    [InlineData("Ouroboros.Stop", "Ouroboros.Reporting")]
    [InlineData("Ouroboros.Improve", "Ouroboros.Reporting")]
    [InlineData("Ouroboros.Audit", "Ouroboros.Reporting")]
    [InlineData("Ouroboros.Transfer", "Ouroboros.Reporting")]
    [InlineData("Ouroboros.Tampering", "Ouroboros.Reporting")]
    [InlineData("Ouroboros.Tampering", "Ouroboros.Stop")]
    [InlineData("Ouroboros.Sandbox", "Ouroboros.Tampering")]
    [InlineData("Ouroboros.Models", "Ouroboros.Tampering")]
    public void A_folder_does_not_reach_back_into_one_that_uses_it(string from, string to)
    {
        var offending = References(from).Where(r => InNamespace(r.To, to))
            .Select(r => $"{r.From.FullName} uses {r.To.FullName}").Distinct().Order().ToList();
        Assert.True(offending.Count == 0, $"{from} must not use {to}; move what it needs into {from}:\n{string.Join("\n", offending)}");
    }

    [Fact]
    public void The_scan_sees_the_references_that_are_allowed()
    {
        // The other direction exists, in a method body and in a signature: a scan that missed them
        // would make the test above pass for nothing.
        var fromSandbox = References("Ouroboros.Sandbox").Select(r => r.To).ToHashSet();
        Assert.Contains(typeof(CSharpCompiler), fromSandbox);
        Assert.Contains(typeof(CompileDiagnostic), fromSandbox);
    }

    private sealed record Reference(Type From, Type To);

    /// <summary>Every type that the types of <paramref name="ns"/> (and of its sub-namespaces) mention.</summary>
    private static IEnumerable<Reference> References(string ns)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in Engine.GetTypes().Where(t => InNamespace(t, ns)))
        {
            var from = Outermost(type);
            var mentioned = new List<Type?> { type.BaseType };
            mentioned.AddRange(type.GetInterfaces());
            mentioned.AddRange(type.CustomAttributes.Select(a => a.AttributeType));
            mentioned.AddRange(type.GetFields(All).Select(f => f.FieldType));
            mentioned.AddRange(type.GetProperties(All).Select(p => p.PropertyType));
            foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                if (method is MethodInfo m) mentioned.Add(m.ReturnType);
                mentioned.AddRange(method.GetParameters().Select(p => p.ParameterType));
                mentioned.AddRange(method.CustomAttributes.Select(a => a.AttributeType));
                mentioned.AddRange(method.GetMethodBody()?.LocalVariables.Select(l => l.LocalType) ?? []);
                mentioned.AddRange(InBody(method));
            }
            foreach (var to in mentioned.OfType<Type>().SelectMany(Parts))
                yield return new Reference(from, to);
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The types, fields and methods a method body's IL names, as the types they belong to and carry.</summary>
    private static IEnumerable<Type> InBody(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            var op = il[i] == 0xFE ? OpCodesByValue[unchecked((short)(0xFE00 | il[i + 1]))] : OpCodesByValue[il[i]];
            i += op.Size;
            if (op.OperandType is OperandType.InlineType or OperandType.InlineTok or OperandType.InlineMethod or OperandType.InlineField)
            {
                switch (method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArguments, methodArguments))
                {
                    case Type t: yield return t; break;
                    case FieldInfo f: yield return f.DeclaringType!; yield return f.FieldType; break;
                    case MethodBase m:
                        if (m.DeclaringType is { } owner) yield return owner;
                        if (m is MethodInfo mi) yield return mi.ReturnType;
                        foreach (var p in m.GetParameters()) yield return p.ParameterType;
                        if (m.IsGenericMethod) foreach (var a in m.GetGenericArguments()) yield return a;
                        break;
                }
            }
            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
        }
    }

    /// <summary>A type and everything it is built from: element types, generic arguments.</summary>
    private static IEnumerable<Type> Parts(Type type)
    {
        if (type.IsGenericParameter) yield break;
        if (type.HasElementType)
        {
            foreach (var part in Parts(type.GetElementType()!)) yield return part;
            yield break;
        }
        yield return type;
        if (type.IsGenericType)
            foreach (var part in type.GetGenericArguments().SelectMany(Parts)) yield return part;
    }

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    private static bool InNamespace(Type type, string ns) =>
        Outermost(type).Namespace is { } n && (n == ns || n.StartsWith(ns + ".", StringComparison.Ordinal));
}
