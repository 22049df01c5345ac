using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Ouroboros.Sandbox;

/// <summary>
/// An upper bound, read off the syntax alone, on the length of the strings the compiler would fold
/// from constants. Roslyn folds <c>const string c1 = c0 + c0;</c> (and so on, 26 times) into one
/// string before anything can refuse the image it would make: a one-kilobyte program took the host
/// to 2.3 GB before its compile deadline, and the abandoned compile kept the memory. So the doubling
/// is measured before Roslyn binds anything: names resolve to every constant of that name (an
/// overestimate), and what is not a constant counts as nothing.
/// </summary>
internal static class ConstantStringBound
{
    /// <summary>Characters a folded constant string may have; the image cap (16 MB) could not hold much more.</summary>
    public const long MaxChars = 1_000_000;

    /// <summary>The longest constant string the program could fold, and the node that would fold it.</summary>
    public static (long Chars, SyntaxNode? At) Longest(SyntaxNode root)
    {
        var constants = new Dictionary<string, List<ExpressionSyntax>>();
        foreach (var declarator in root.DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            var isConst = declarator.Parent?.Parent switch
            {
                FieldDeclarationSyntax f => f.Modifiers.Any(SyntaxKind.ConstKeyword),
                LocalDeclarationStatementSyntax l => l.IsConst,
                _ => false,
            };
            if (isConst && declarator.Initializer?.Value is { } value)
                (constants.TryGetValue(declarator.Identifier.ValueText, out var list) ? list : constants[declarator.Identifier.ValueText] = []).Add(value);
        }
        var byName = new Dictionary<string, long>();
        var byNode = new Dictionary<SyntaxNode, long>();
        var resolving = new HashSet<string>();

        long Name(string name)
        {
            if (byName.TryGetValue(name, out var known)) return known;
            if (!constants.TryGetValue(name, out var values) || !resolving.Add(name)) return 0;
            long longest = 0;
            foreach (var value in values) longest = Math.Max(longest, Length(value));
            resolving.Remove(name);
            return byName[name] = longest;
        }

        long Length(ExpressionSyntax expression)
        {
            if (byNode.TryGetValue(expression, out var known)) return known;
            long length = expression switch
            {
                LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal.Token.ValueText.Length,
                LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.CharacterLiteralExpression) => 1,
                ParenthesizedExpressionSyntax p => Length(p.Expression),
                BinaryExpressionSyntax b when b.IsKind(SyntaxKind.AddExpression) => Saturate(Length(b.Left) + Length(b.Right)),
                ConditionalExpressionSyntax c => Math.Max(Length(c.WhenTrue), Length(c.WhenFalse)),
                IdentifierNameSyntax id => Name(id.Identifier.ValueText),
                MemberAccessExpressionSyntax m => Name(m.Name.Identifier.ValueText),
                InterpolatedStringExpressionSyntax s => Saturate(s.Contents.Sum(c => c switch
                {
                    InterpolatedStringTextSyntax t => (long)t.TextToken.ValueText.Length,
                    InterpolationSyntax i => Length(i.Expression),
                    _ => 0L,
                })),
                _ => 0,
            };
            return byNode[expression] = length;
        }

        (long, SyntaxNode?) longest = (0, null);
        foreach (var node in root.DescendantNodes().OfType<ExpressionSyntax>())
            if (node is BinaryExpressionSyntax or InterpolatedStringExpressionSyntax && Length(node) > longest.Item1) longest = (Length(node), node);
        return longest;
    }

    private static long Saturate(long chars) => Math.Min(chars, long.MaxValue / 4);
}
