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
    public const string TooLarge = "OURO_TOO_LARGE", TooComplex = "OURO_TOO_DEEP";

    /// <summary>A diagnostic when the program is out of bounds, else null. Walks the tree without recursion.</summary>
    public static CompileDiagnostic? Check(string source)
    {
        if (source.Length > MaxSourceChars)
            return new CompileDiagnostic(1, 1, TooLarge, $"the program is {source.Length} characters; the limit is {MaxSourceChars}");
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
