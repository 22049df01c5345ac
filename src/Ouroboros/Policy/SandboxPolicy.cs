using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Ouroboros.Policy;

/// <summary>
/// The static policy: a semantic walk over a candidate that names every use of something sandboxed
/// code may never touch (files, network, processes, environment, reflection and dynamic code,
/// interop and unsafe code, raw standard streams, process exit, runtime control). Defence in depth:
/// the OS sandbox is the boundary; this catches the attempt, names it and counts it.
/// </summary>
public static class SandboxPolicy
{
    public static IReadOnlyList<PolicyViolation> Check(CSharpCompilation compilation)
    {
        var tree = compilation.SyntaxTrees.First();
        var walker = new Walker(compilation.GetSemanticModel(tree), compilation.Assembly);
        walker.Visit(tree.GetRoot());
        return walker.Violations.DistinctBy(v => (v.Symbol, v.Line)).ToList();
    }

    private sealed class Walker(SemanticModel model, IAssemblySymbol candidate) : CSharpSyntaxWalker
    {
        public List<PolicyViolation> Violations { get; } = [];

        public override void DefaultVisit(SyntaxNode node)
        {
            CheckSyntax(node);
            switch (node)
            {
                case SimpleNameSyntax name:
                    CheckSymbol(Resolve(name), node);
                    break;
                case ImplicitObjectCreationExpressionSyntax:
                    CheckSymbol(Resolve(node), node);
                    break;
                case BaseObjectCreationExpressionSyntax creation:
                    CheckModelConstruction(creation);
                    break;
            }
            if (node is ExpressionSyntax expression && model.GetTypeInfo(expression).Type is { } type)
                CheckType(type, node, type.ToDisplayString());
            if (node is TypeDeclarationSyntax declaration && model.GetDeclaredSymbol(declaration) is { } declared
                && declared.AllInterfaces.Any(i => i.ToDisplayString() == "Ouroboros.Contracts.ILanguageModel"))
                Add(declared.Name, node, "a language model of its own: only the host's model may be used", circumvention: true);
            base.DefaultVisit(node);
        }

        private ISymbol? Resolve(SyntaxNode node)
        {
            var info = model.GetSymbolInfo(node);
            return info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
        }

        private void CheckSyntax(SyntaxNode node)
        {
            switch (node)
            {
                case DestructorDeclarationSyntax:
                    Add("finalizer", node, "finalizers run outside the entry point, in later programs");
                    break;
                case MethodDeclarationSyntax { Identifier.Text: "Finalize", ParameterList.Parameters.Count: 0 } m when m.Modifiers.Any(SyntaxKind.OverrideKeyword):
                    Add("Finalize", node, "finalizers run outside the entry point, in later programs");
                    break;
                case UnsafeStatementSyntax or FixedStatementSyntax or PointerTypeSyntax or FunctionPointerTypeSyntax:
                    Add(node.Kind().ToString(), node, "unsafe code");
                    break;
                case MakeRefExpressionSyntax or RefTypeExpressionSyntax or RefValueExpressionSyntax:
                    Add(node.Kind().ToString(), node, "unsafe memory access");
                    break;
                case MemberDeclarationSyntax member:
                    foreach (var modifier in member.Modifiers)
                    {
                        if (modifier.IsKind(SyntaxKind.UnsafeKeyword)) Add("unsafe", node, "unsafe code");
                        if (modifier.IsKind(SyntaxKind.ExternKeyword)) Add("extern", node, "interop: native code");
                    }
                    break;
                case LocalFunctionStatementSyntax local when local.Modifiers.Any(m => m.IsKind(SyntaxKind.UnsafeKeyword) || m.IsKind(SyntaxKind.ExternKeyword)):
                    Add("unsafe", node, "unsafe code");
                    break;
                case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.ArgListExpression):
                    Add("__arglist", node, "unsafe memory access");
                    break;
            }
        }

        private void CheckModelConstruction(BaseObjectCreationExpressionSyntax creation)
        {
            if (creation is not ObjectCreationExpressionSyntax { Type: var typeSyntax }) return;
            var name = typeSyntax switch
            {
                QualifiedNameSyntax q => q.Right.Identifier.Text,
                SimpleNameSyntax s => s.Identifier.Text,
                _ => typeSyntax.ToString(),
            };
            var symbol = model.GetTypeInfo(creation).Type;
            var unresolvedOrOwn = symbol is null or IErrorTypeSymbol || SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, candidate);
            if (PolicyRules.LooksLikeModelType(name) && unresolvedOrOwn)
                Add(name, creation, "constructing a language model of its own: only the host's model may be used", circumvention: true);
        }

        private void CheckSymbol(ISymbol? symbol, SyntaxNode node)
        {
            switch (symbol)
            {
                case null or INamespaceSymbol or ILabelSymbol or IDiscardSymbol or IRangeVariableSymbol:
                    return;
                case IAliasSymbol alias:
                    CheckSymbol(alias.Target, node);
                    return;
                case ITypeSymbol type:
                    CheckType(type, node, type.ToDisplayString());
                    return;
            }
            if (symbol is ILocalSymbol or IParameterSymbol) return; // their types are checked where declared and used
            var owner = symbol.ContainingType;
            if (owner is null || IsCandidates(owner)) return;
            var display = $"{owner.ToDisplayString()}.{symbol.Name}";
            if (PolicyRules.AllowedMembers.Contains(display)) return;
            CheckType(owner, node, display);
            for (var t = owner; t is not null; t = t.BaseType)
            {
                if (PolicyRules.BarredMembers.TryGetValue(Full(t.OriginalDefinition), out var barred) && barred.Members.Contains(symbol.Name))
                {
                    Add(display, node, barred.Reason);
                    break;
                }
            }
            var memberType = symbol switch
            {
                IMethodSymbol m => m.ReturnType,
                IPropertySymbol p => p.Type,
                IFieldSymbol f => f.Type,
                IEventSymbol e => e.Type,
                _ => null,
            };
            if (memberType is not null) CheckType(memberType, node, display);
        }

        private void CheckType(ITypeSymbol type, SyntaxNode node, string display)
        {
            switch (type)
            {
                case IArrayTypeSymbol array: CheckType(array.ElementType, node, display); return;
                case IPointerTypeSymbol or IFunctionPointerTypeSymbol: Add(display, node, "unsafe code"); return;
                case IDynamicTypeSymbol: Add("dynamic", node, "dynamic code"); return;
                case ITypeParameterSymbol or IErrorTypeSymbol: return;
                case INamedTypeSymbol named:
                    foreach (var argument in named.TypeArguments) CheckType(argument, node, display);
                    if (IsCandidates(named)) return;
                    var outer = named.OriginalDefinition;
                    while (outer.ContainingType is not null) outer = outer.ContainingType;
                    var full = Full(outer);
                    if (PolicyRules.AllowedTypes.Contains(full)) return;
                    if (PolicyRules.BarredTypes.TryGetValue(full, out var reason)) { Add(display, node, reason); return; }
                    var ns = outer.ContainingNamespace?.ToDisplayString() ?? "";
                    if (!PolicyRules.AllowedNamespaces.Contains(ns)) Add(display, node, WhyNamespace(ns));
                    return;
            }
        }

        private bool IsCandidates(ITypeSymbol type) => SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, candidate);

        private static string Full(INamedTypeSymbol type)
        {
            var ns = type.ContainingNamespace?.ToDisplayString();
            return string.IsNullOrEmpty(ns) || type.ContainingNamespace!.IsGlobalNamespace ? type.MetadataName : $"{ns}.{type.MetadataName}";
        }

        private static string WhyNamespace(string ns) => ns switch
        {
            _ when ns.StartsWith("System.IO", StringComparison.Ordinal) => "the file system",
            _ when ns.StartsWith("System.Net", StringComparison.Ordinal) => "the network",
            _ when ns.StartsWith("System.Reflection", StringComparison.Ordinal) => "reflection and dynamic code",
            _ when ns.StartsWith("System.Linq.Expressions", StringComparison.Ordinal) => "dynamic code: expression compilation",
            _ when ns.StartsWith("System.Runtime.InteropServices", StringComparison.Ordinal) => "interop: native code and raw memory",
            _ when ns.StartsWith("System.Runtime.Loader", StringComparison.Ordinal) => "assembly loading",
            _ when ns.StartsWith("System.Diagnostics", StringComparison.Ordinal) => "processes and diagnostics",
            _ when ns.StartsWith("Microsoft.Win32", StringComparison.Ordinal) => "operating-system handles",
            _ when ns.StartsWith("System.Security", StringComparison.Ordinal) => "security APIs",
            _ => $"namespace {ns} is outside the sandbox's API",
        };

        private void Add(string symbol, SyntaxNode node, string rule, bool circumvention = false)
        {
            var position = node.GetLocation().GetMappedLineSpan().StartLinePosition;
            Violations.Add(new PolicyViolation(symbol, position.Line + 1, position.Character + 1, rule) { BudgetCircumvention = circumvention });
        }
    }
}
