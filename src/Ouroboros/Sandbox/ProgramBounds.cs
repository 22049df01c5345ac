using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis;
using Ouroboros.Compilation;

namespace Ouroboros.Sandbox;

/// <summary>
/// Limits on what the host agrees to compile: the compiler and the policy run in the host, so a
/// program a megabyte long or nested thousands deep would cost the host, not the sandbox, its time.
/// </summary>
internal static class ProgramBounds
{
    public const int MaxSourceChars = 512 * 1024;
    public const int MaxNesting = 400;
    public const int MaxBrackets = 200;
    public const string TooLarge = "OURO_TOO_LARGE", TooComplex = "OURO_TOO_DEEP";

    /// <summary>
    /// The deepest nesting of ( [ {, counted over Roslyn's tokens (the lexer is linear and knows
    /// every kind of literal, verbatim and raw strings included, which a hand-written scan got
    /// wrong), and the line it is reached on. Brackets inside an interpolated string are counted
    /// from its text, which can only overstate the depth.
    /// </summary>
    internal static (int Depth, int Line) BracketDepth(string source)
    {
        int depth = 0, max = 0, maxAt = 0;
        foreach (var token in SyntaxFactory.ParseTokens(source))
        {
            switch (token.Kind())
            {
                case SyntaxKind.OpenParenToken or SyntaxKind.OpenBracketToken or SyntaxKind.OpenBraceToken:
                    if (++depth > max) (max, maxAt) = (depth, token.SpanStart);
                    break;
                case SyntaxKind.CloseParenToken or SyntaxKind.CloseBracketToken or SyntaxKind.CloseBraceToken:
                    depth = Math.Max(0, depth - 1);
                    break;
                case SyntaxKind.InterpolatedStringToken or SyntaxKind.InterpolatedStringStartToken
                    or SyntaxKind.InterpolatedSingleLineRawStringStartToken or SyntaxKind.InterpolatedMultiLineRawStringStartToken:
                    var inner = depth;
                    foreach (var c in token.ToString())
                    {
                        if (c is '(' or '[' or '{') { if (++inner > max) (max, maxAt) = (inner, token.SpanStart); }
                        else if (c is ')' or ']' or '}') inner = Math.Max(depth, inner - 1);
                    }
                    break;
            }
        }
        return (max, Microsoft.CodeAnalysis.Text.SourceText.From(source).Lines.GetLineFromPosition(maxAt).LineNumber + 1);
    }

    /// <summary>A diagnostic when the program is out of bounds, else null. Walks the tree without recursion.</summary>
    public static CompileDiagnostic? Check(string source)
    {
        if (source.Length > MaxSourceChars)
            return new CompileDiagnostic(1, 1, TooLarge, $"the program is {source.Length} characters; the limit is {MaxSourceChars}");
        // Roslyn's parser recurses on brackets: count them before it sees the text, or a few
        // thousand parentheses overflow the host's stack, which no catch survives.
        if (BracketDepth(source) is (> MaxBrackets, var deepLine))
            return new CompileDiagnostic(deepLine, 1, TooComplex, $"brackets nest deeper than {MaxBrackets} levels here");
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        var stack = new Stack<(SyntaxNode Node, int Depth)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            if (depth > MaxNesting)
            {
                var line = node.GetLocation().GetLineSpan().StartLinePosition;
                return new CompileDiagnostic(line.Line + 1, line.Character + 1, TooComplex, $"the program nests deeper than {MaxNesting} levels here");
            }
            foreach (var child in node.ChildNodes()) stack.Push((child, depth + 1));
        }
        if (ConstantStringBound.Longest(root) is (> ConstantStringBound.MaxChars, var at))
        {
            var line = at!.GetLocation().GetLineSpan().StartLinePosition;
            return new CompileDiagnostic(line.Line + 1, line.Character + 1, TooLarge,
                $"a constant string here could be longer than {ConstantStringBound.MaxChars} characters; build long strings at run time");
        }
        return null;
    }
}
