using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis;

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

    /// <summary>The deepest nesting of ( [ {, outside string and character literals and comments, and the line it is reached on.</summary>
    internal static (int Depth, int Line) BracketDepth(string source)
    {
        int depth = 0, max = 0, line = 1, maxLine = 1;
        for (int i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '\n') line++;
            else if (c == '/' && i + 1 < source.Length && source[i + 1] == '/') { while (i < source.Length && source[i] != '\n') i++; line++; }
            else if (c == '/' && i + 1 < source.Length && source[i + 1] == '*')
            {
                for (i += 2; i + 1 < source.Length && !(source[i] == '*' && source[i + 1] == '/'); i++) if (source[i] == '\n') line++;
                i++;
            }
            else if (c is '"' or '\'')
            {
                for (i++; i < source.Length && source[i] != c && source[i] != '\n'; i++) if (source[i] == '\\') i++;
            }
            else if (c is '(' or '[' or '{') { if (++depth > max) (max, maxLine) = (depth, line); }
            else if (c is ')' or ']' or '}') depth = Math.Max(0, depth - 1);
        }
        return (max, maxLine);
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
        return null;
    }
}
