using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Ouroboros.Models;

/// <summary>
/// Random meaning-changing edits to C# syntax, the moves of the offline mutation model: numeric
/// constants scaled or shifted, comparison and arithmetic operators swapped, statements deleted,
/// duplicated or reordered, loop bounds moved, if/else branches swapped. It edits syntax only;
/// whether the mutant still compiles is <see cref="MutantCompiler"/>'s call.
/// </summary>
public static class ProgramMutator
{
    private delegate (SyntaxNode Root, string Description)? Operator(SyntaxNode root, Random rng, double strength);

    private static readonly Operator[] Operators =
        [ChangeConstant, SwapComparison, SwapArithmetic, DeleteStatement, DuplicateStatement, ReorderStatements, MoveLoopBound, SwapBranches];

    /// <summary>
    /// Applies between one and a few mutations (more as <paramref name="strength"/>, the temperature,
    /// grows) and names each. Returns no mutations when the program offers nothing to mutate.
    /// </summary>
    public static (SyntaxNode Root, IReadOnlyList<string> Mutations) Mutate(SyntaxNode root, Random rng, double strength)
    {
        strength = Math.Clamp(strength, 0, 2);
        // Temperature 0 makes one edit; each of four extra edits happens with probability strength / 2.
        int count = 1 + Enumerable.Range(0, 4).Count(_ => rng.NextDouble() < strength / 2);
        var done = new List<string>();
        for (int tries = 0; done.Count < count && tries < count * 4; tries++)
        {
            var result = Operators[rng.Next(Operators.Length)](root, rng, strength);
            if (result is null) continue;
            root = result.Value.Root;
            done.Add(result.Value.Description);
        }
        return (root, done);
    }

    private static T Pick<T>(IReadOnlyList<T> items, Random rng) => items[rng.Next(items.Count)];

    private static int Line(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    private static string Brief(SyntaxNode node)
    {
        var text = string.Join(' ', node.ToString().Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        return text.Length > 40 ? text[..40] + "…" : text;
    }

    private static (SyntaxNode, string)? ChangeConstant(SyntaxNode root, Random rng, double strength)
    {
        var literals = root.DescendantNodes().OfType<LiteralExpressionSyntax>()
            .Where(l => l.IsKind(SyntaxKind.NumericLiteralExpression) && l.Token.Value is int or long or double or float).ToList();
        if (literals.Count == 0) return null;
        var literal = Pick(literals, rng);
        bool scale = rng.Next(2) == 0;
        // Stronger mutations (higher temperature) scale by larger factors and shift by larger steps.
        double factor = rng.Next(2) == 0 ? 1 + (0.5 + rng.NextDouble()) * (0.5 + strength) : 1 / (1 + (0.5 + rng.NextDouble()) * (0.5 + strength));
        int step = (rng.Next(2) == 0 ? 1 : -1) * (1 + rng.Next(1 + (int)Math.Round(strength * 3)));
        var token = NewLiteral(literal.Token.Value!, scale, factor, step);
        // Scaling zero (or rounding back to the same value) changes nothing: shift instead.
        if (token.ValueText == literal.Token.ValueText) token = NewLiteral(literal.Token.Value!, false, factor, step);
        // A negative literal is parenthesised: after a unary minus, "--1" would read as a decrement.
        ExpressionSyntax replacement = token.Text.StartsWith('-')
            ? SyntaxFactory.ParenthesizedExpression(SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, token)).WithTriviaFrom(literal)
            : literal.WithToken(token.WithTriviaFrom(literal.Token));
        return (root.ReplaceNode(literal, replacement), $"line {Line(literal)}: constant {literal.Token.Text} → {token.Text}");
    }

    private static SyntaxToken NewLiteral(object value, bool scale, double factor, int step) => value switch
    {
        int i => SyntaxFactory.Literal(scale ? (int)Math.Round(i * factor) : i + step),
        long l => SyntaxFactory.Literal(scale ? (long)Math.Round(l * factor) : l + step),
        float f => SyntaxFactory.Literal(scale ? (float)(f * factor) : f + step),
        _ => SyntaxFactory.Literal(scale ? (double)value * factor : (double)value + step),
    };

    private static readonly Dictionary<SyntaxKind, SyntaxKind[]> Comparisons = new()
    {
        [SyntaxKind.LessThanExpression] = [SyntaxKind.LessThanOrEqualExpression, SyntaxKind.GreaterThanExpression],
        [SyntaxKind.LessThanOrEqualExpression] = [SyntaxKind.LessThanExpression, SyntaxKind.GreaterThanOrEqualExpression],
        [SyntaxKind.GreaterThanExpression] = [SyntaxKind.GreaterThanOrEqualExpression, SyntaxKind.LessThanExpression],
        [SyntaxKind.GreaterThanOrEqualExpression] = [SyntaxKind.GreaterThanExpression, SyntaxKind.LessThanOrEqualExpression],
        [SyntaxKind.EqualsExpression] = [SyntaxKind.NotEqualsExpression],
        [SyntaxKind.NotEqualsExpression] = [SyntaxKind.EqualsExpression],
    };

    private static readonly Dictionary<SyntaxKind, SyntaxKind[]> Arithmetic = new()
    {
        [SyntaxKind.AddExpression] = [SyntaxKind.SubtractExpression, SyntaxKind.MultiplyExpression],
        [SyntaxKind.SubtractExpression] = [SyntaxKind.AddExpression],
        [SyntaxKind.MultiplyExpression] = [SyntaxKind.DivideExpression, SyntaxKind.AddExpression],
        [SyntaxKind.DivideExpression] = [SyntaxKind.MultiplyExpression],
        [SyntaxKind.ModuloExpression] = [SyntaxKind.DivideExpression],
    };

    private static (SyntaxNode, string)? SwapComparison(SyntaxNode root, Random rng, double _) => SwapOperator(root, rng, Comparisons);

    private static (SyntaxNode, string)? SwapArithmetic(SyntaxNode root, Random rng, double _) => SwapOperator(root, rng, Arithmetic);

    private static (SyntaxNode, string)? SwapOperator(SyntaxNode root, Random rng, Dictionary<SyntaxKind, SyntaxKind[]> swaps)
    {
        var candidates = root.DescendantNodes().OfType<BinaryExpressionSyntax>().Where(b => swaps.ContainsKey(b.Kind())).ToList();
        if (candidates.Count == 0) return null;
        var b = Pick(candidates, rng);
        var kind = Pick(swaps[b.Kind()], rng);
        var op = SyntaxFactory.Token(BinaryOperatorToken(kind)).WithTriviaFrom(b.OperatorToken);
        var swapped = SyntaxFactory.BinaryExpression(kind, b.Left, op, b.Right);
        return (root.ReplaceNode(b, swapped), $"line {Line(b)}: operator {b.OperatorToken.Text} → {op.Text} in `{Brief(b)}`");
    }

    private static SyntaxKind BinaryOperatorToken(SyntaxKind expression) => expression switch
    {
        SyntaxKind.LessThanExpression => SyntaxKind.LessThanToken,
        SyntaxKind.LessThanOrEqualExpression => SyntaxKind.LessThanEqualsToken,
        SyntaxKind.GreaterThanExpression => SyntaxKind.GreaterThanToken,
        SyntaxKind.GreaterThanOrEqualExpression => SyntaxKind.GreaterThanEqualsToken,
        SyntaxKind.EqualsExpression => SyntaxKind.EqualsEqualsToken,
        SyntaxKind.NotEqualsExpression => SyntaxKind.ExclamationEqualsToken,
        SyntaxKind.AddExpression => SyntaxKind.PlusToken,
        SyntaxKind.SubtractExpression => SyntaxKind.MinusToken,
        SyntaxKind.MultiplyExpression => SyntaxKind.AsteriskToken,
        SyntaxKind.DivideExpression => SyntaxKind.SlashToken,
        _ => SyntaxKind.PercentToken,
    };

    // Declarations are left alone: deleting or duplicating one almost never compiles, and a failed
    // compile is a wasted attempt.
    private static List<StatementSyntax> MovableStatements(SyntaxNode root) =>
        root.DescendantNodes().OfType<StatementSyntax>()
            .Where(s => s.Parent is BlockSyntax && s is not LocalDeclarationStatementSyntax and not LocalFunctionStatementSyntax)
            .ToList();

    private static (SyntaxNode, string)? DeleteStatement(SyntaxNode root, Random rng, double _)
    {
        // A block's final return is kept: without it the method no longer compiles.
        var candidates = MovableStatements(root)
            .Where(s => s.Parent is BlockSyntax { Statements.Count: > 1 } block && !(s is ReturnStatementSyntax && block.Statements.Last() == s))
            .ToList();
        if (candidates.Count == 0) return null;
        var s = Pick(candidates, rng);
        var without = root.RemoveNode(s, SyntaxRemoveOptions.KeepExteriorTrivia);
        return without is null ? null : (without, $"line {Line(s)}: deleted `{Brief(s)}`");
    }

    private static (SyntaxNode, string)? DuplicateStatement(SyntaxNode root, Random rng, double _)
    {
        var candidates = MovableStatements(root).Where(s => s is not ReturnStatementSyntax and not BreakStatementSyntax and not ContinueStatementSyntax and not ThrowStatementSyntax).ToList();
        if (candidates.Count == 0) return null;
        var s = Pick(candidates, rng);
        return (root.InsertNodesAfter(s, [s]), $"line {Line(s)}: duplicated `{Brief(s)}`");
    }

    private static (SyntaxNode, string)? ReorderStatements(SyntaxNode root, Random rng, double _)
    {
        var blocks = root.DescendantNodes().OfType<BlockSyntax>().Where(b => b.Statements.Count > 1).ToList();
        if (blocks.Count == 0) return null;
        var block = Pick(blocks, rng);
        int i = rng.Next(block.Statements.Count - 1);
        var a = block.Statements[i];
        var b = block.Statements[i + 1];
        // Moving a declaration past its first use never compiles; moving anything past a return makes it dead.
        if (a.ToString() == b.ToString() || a is LocalDeclarationStatementSyntax || b is ReturnStatementSyntax) return null;
        // Each statement keeps its slot's trivia (indentation, line breaks), so only the order changes.
        var statements = block.Statements.ToList();
        statements[i] = b.WithLeadingTrivia(a.GetLeadingTrivia()).WithTrailingTrivia(a.GetTrailingTrivia());
        statements[i + 1] = a.WithLeadingTrivia(b.GetLeadingTrivia()).WithTrailingTrivia(b.GetTrailingTrivia());
        var swapped = SyntaxFactory.List(statements);
        return (root.ReplaceNode(block, block.WithStatements(swapped)), $"line {Line(a)}: swapped `{Brief(a)}` with the next statement");
    }

    private static (SyntaxNode, string)? MoveLoopBound(SyntaxNode root, Random rng, double strength)
    {
        var bounds = root.DescendantNodes().Select(n => n switch
            {
                ForStatementSyntax f => f.Condition,
                WhileStatementSyntax w => w.Condition,
                DoStatementSyntax d => d.Condition,
                _ => null,
            })
            .OfType<BinaryExpressionSyntax>().Where(c => Comparisons.ContainsKey(c.Kind()) && !c.IsKind(SyntaxKind.EqualsExpression)).ToList();
        if (bounds.Count == 0) return null;
        var condition = Pick(bounds, rng);
        int delta = 1 + rng.Next(1 + (int)Math.Round(strength * 2));
        string sign = rng.Next(2) == 0 ? "+" : "-";
        var bound = condition.Right;
        var moved = SyntaxFactory.ParseExpression($"({bound.WithoutTrivia()}) {sign} {delta}").WithTriviaFrom(bound);
        return (root.ReplaceNode(bound, moved), $"line {Line(condition)}: loop bound {bound.WithoutTrivia()} → {moved.WithoutTrivia()}");
    }

    private static (SyntaxNode, string)? SwapBranches(SyntaxNode root, Random rng, double _)
    {
        var ifs = root.DescendantNodes().OfType<IfStatementSyntax>().Where(i => i.Else is { Statement: not IfStatementSyntax }).ToList();
        if (ifs.Count == 0) return null;
        var s = Pick(ifs, rng);
        var then = s.Statement;
        var otherwise = s.Else!.Statement;
        var swapped = s.WithStatement(otherwise.WithTriviaFrom(then)).WithElse(s.Else.WithStatement(then.WithTriviaFrom(otherwise)));
        return (root.ReplaceNode(s, swapped), $"line {Line(s)}: swapped the branches of `if ({Brief(s.Condition)})`");
    }
}
