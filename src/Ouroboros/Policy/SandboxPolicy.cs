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
                case ImplicitObjectCreationExpressionSyntax implicitCreation:
                    CheckSymbol(Resolve(node), node);
                    CheckCreation(implicitCreation);
                    break;
                case BaseObjectCreationExpressionSyntax creation:
                    CheckModelConstruction(creation);
                    CheckCreation(creation);
                    break;
            }
            if (node is ExpressionSyntax expression && model.GetTypeInfo(expression).Type is { } type)
                CheckType(type, node, type.ToDisplayString());
            if (node is TypeDeclarationSyntax declaration && model.GetDeclaredSymbol(declaration) is { } declared
                && declared.AllInterfaces.Any(i => i.ToDisplayString() == "Ouroboros.Contracts.ILanguageModel"))
                Add(declared.Name, node, "a language model of its own: only the host's model may be used", circumvention: true);
            if (node is TypeDeclarationSyntax && model.GetDeclaredSymbol(node) is INamedTypeSymbol own)
            {
                if (FinalizableBase(own) is { } finalizable)
                    Add(finalizable, node, "a subclass of a type with a finalizer runs code on the finalizer thread, in later programs");
                if (PooledBufferBase(own) is { } pooled)
                    Add(pooled, node, "the library calls this type with buffers from its shared pools, which outlive the program");
            }
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
                case YieldStatementSyntax when InsideLock(node):
                    // An abandoned iterator never leaves its lock: the worker's reused thread keeps
                    // holding the monitor (of a shared object, such as a type or a string literal),
                    // and the next program's threads block on it.
                    Add("yield inside lock", node, "a lock held across yield stays held by the worker's thread for later programs");
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

        private static bool InsideLock(SyntaxNode node)
        {
            for (var parent = node.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is LockStatementSyntax) return true;
                if (parent is MemberDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax) return false;
            }
            return false;
        }

        /// <summary>
        /// Objects only the runtime may make: an out-of-memory exception, which the worker takes as
        /// proof that memory ran out, and a named wait handle, which every later program shares.
        /// </summary>
        private void CheckCreation(BaseObjectCreationExpressionSyntax creation)
        {
            var type = model.GetTypeInfo(creation).Type;
            for (var t = type; t is not null; t = t.BaseType)
            {
                var full = t is INamedTypeSymbol n ? Full(n.OriginalDefinition) : t.ToDisplayString();
                if (PolicyRules.RuntimeOnlyExceptions.Contains(full))
                {
                    Add(type!.ToDisplayString(), creation, "only the runtime reports running out of memory; throw another exception");
                    return;
                }
                if (full == "System.Threading.WaitHandle" && Resolve(creation) is IMethodSymbol ctor
                    && ctor.Parameters.Any(p => p.Name == "name" && p.Type.SpecialType == SpecialType.System_String))
                {
                    Add(type!.ToDisplayString(), creation, "named system objects outlive the program");
                    return;
                }
            }
        }

        /// <summary>The first library base type whose finalizer a subclass could reach, or null.</summary>
        private string? FinalizableBase(INamedTypeSymbol declared)
        {
            for (var t = declared.BaseType; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
            {
                if (IsCandidates(t)) continue;
                if (PolicyRules.FinalizableBaseTypes.Contains(Full(t.OriginalDefinition))
                    || t.GetMembers("Finalize").OfType<IMethodSymbol>().Any(m => m.MethodKind == MethodKind.Destructor))
                    return t.ToDisplayString();
            }
            return null;
        }

        /// <summary>The first library base or interface that is handed pooled buffers, or null.</summary>
        private string? PooledBufferBase(INamedTypeSymbol declared)
        {
            for (var t = declared.BaseType; t is not null; t = t.BaseType)
                if (!IsCandidates(t) && PolicyRules.PooledBufferCallbacks.Contains(Full(t.OriginalDefinition))) return t.ToDisplayString();
            return declared.AllInterfaces.FirstOrDefault(i => PolicyRules.PooledBufferCallbacks.Contains(Full(i.OriginalDefinition)))?.ToDisplayString();
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
            // What a call's arguments are converted to counts as much as what it returns: a literal
            // 0 passed as ContractHelper.TriggerFailure's ContractFailureKind (a barred namespace)
            // reached Environment.FailFast without naming a barred type anywhere in the source.
            if (symbol is IMethodSymbol method)
                foreach (var parameter in method.Parameters) CheckType(parameter.Type, node, display);
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
