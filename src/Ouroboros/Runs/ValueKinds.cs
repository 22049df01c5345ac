using System.Text.RegularExpressions;

namespace Ouroboros.Runs;

/// <summary>
/// What a user must give an option, in words: parsers name the .NET type they wanted (<c>System.UInt64</c>),
/// which means nothing to someone who typed <c>--seed -1</c> or wrote <c>"seed": "abc"</c>.
/// </summary>
public static partial class ValueKinds
{
    /// <summary>The words for <paramref name="type"/>, a .NET type name, nullable or not.</summary>
    public static string Describe(string type) => NullableOf().Replace(type, "$1") switch
    {
        "System.UInt64" or "System.UInt32" or "System.UInt16" or "System.Byte" => "a whole number, 0 or more",
        "System.Int64" or "System.Int32" or "System.Int16" => "a whole number",
        "System.Double" or "System.Single" or "System.Decimal" => "a number",
        "System.Boolean" => "true or false",
        "System.String" => "a string",
        "System.TimeSpan" => "a duration such as 00:05:00",
        var t when t.StartsWith("System.Collections.Generic.", StringComparison.Ordinal) || t.EndsWith("[]", StringComparison.Ordinal) => "a list",
        _ => "a value of another form",
    };

    [GeneratedRegex(@"^System\.Nullable`1\[(.*)\]$")]
    private static partial Regex NullableOf();
}
